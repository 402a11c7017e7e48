"""The bell and the notifications page: own notifications only, unread count, marking read (POST only)."""

import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.core.locking import UNCHECKED
from app.extensions import db
from app.notifications.models import Notification
from tests.cases.helpers import text
from tests.conftest import count_queries
from tests.factories import create_case


def notify(user, case=None, kind="overdue", n=1, minutes_ago=0, read=False, **params) -> Notification:
    note = Notification(
        user_id=user.id,
        case_id=case.id if case else None,
        kind=kind,
        dedup_key=f"{kind}:test:{n}",
        params=json.dumps(
            {"number": case.number if case else "X", "stage": "resolution", "due_on": "2026-12-01", **params}
        ),
        created_at=datetime(2026, 12, 2, 3, 0) - timedelta(minutes=minutes_ago),
        read_at=datetime(2026, 12, 2, 4, 0) if read else None,
    )
    db.session.add(note)
    db.session.commit()
    return note


def bell_count(page: str) -> int:
    m = re.search(r'data-testid="bell-count">(\d+)<', page)
    return int(m.group(1)) if m else 0


def unread_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-notification="(\d+)" data-unread="1"', page)]


def listed_ids(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-notification="(\d+)"', page)]


@pytest.fixture
def case(world):
    c = create_case(world)
    db.session.commit()
    return c


def test_the_bell_shows_the_unread_count_on_every_page(world, login_as, case):
    notify(world.users["head"], case, n=1)
    notify(world.users["head"], case, n=2)
    notify(world.users["head"], case, n=3, read=True)
    notify(world.users["handler"], case, n=4)
    head = login_as("head")
    for url in ("/cases/", f"/cases/{case.id}", "/notifications/"):
        page = text(head.get(url))
        assert bell_count(page) == 2, url
        assert 'href="/notifications/"' in page
    handler = login_as("handler")
    assert bell_count(text(handler.get("/cases/"))) == 1
    assert bell_count(text(login_as("phead").get("/cases/"))) == 0


def test_the_bell_costs_one_count_query_and_nothing_when_logged_out(world, login_as, client, case):
    head = login_as("head")
    with count_queries() as statements:
        head.get("/cases/")
    assert len([s for s in statements if "FROM notifications" in s]) == 1
    with count_queries() as statements:
        client.get("/login")
    assert not [s for s in statements if "notifications" in s]


def test_the_page_lists_own_notifications_newest_first_in_the_readers_language(world, login_en, case):
    old = notify(world.users["head"], case, n=1, minutes_ago=60)
    new = notify(world.users["head"], case, kind="due_soon", n=2)
    notify(world.users["handler"], case, n=3)
    page = text(login_en("head").get("/notifications/"))
    assert listed_ids(page) == [new.id, old.id]
    assert f"Case {case.number}: “Resolution” is due on 01/12/2026." in page
    assert f"Case {case.number}: the deadline for “Resolution” was 01/12/2026 and has passed." in page
    assert page.count(f'href="/cases/{case.id}"') == 2
    assert unread_ids(page) == [new.id, old.id]


def test_a_case_out_of_sight_is_named_but_not_linked(world, login_en):
    elsewhere = create_case(world, unit="TL")
    db.session.commit()
    notify(world.users["head"], elsewhere, n=1)  # e.g. a head moved to another unit since
    page = text(login_en("head").get("/notifications/"))
    assert f"Case {elsewhere.number}" in page
    assert f'href="/cases/{elsewhere.id}"' not in page
    assert 'name="next" value="case"' not in page


def test_the_list_is_paginated(world, login_as, case, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    notes = [notify(world.users["head"], case, n=i, minutes_ago=10 - i) for i in range(3)]
    head = login_as("head")
    assert listed_ids(text(head.get("/notifications/"))) == [notes[2].id, notes[1].id]
    assert listed_ids(text(head.get("/notifications/?page=2"))) == [notes[0].id]
    assert listed_ids(text(head.get("/notifications/?page=9"))) == [notes[0].id]


def test_mark_one_read(world, login_as, case):
    first = notify(world.users["head"], case, n=1)
    second = notify(world.users["head"], case, n=2)
    head = login_as("head")
    resp = head.post(f"/notifications/{first.id}/read", {}, token_from="/notifications/")
    assert resp.status_code == 302 and resp.location.endswith("/notifications/")
    page = text(head.get("/notifications/"))
    assert unread_ids(page) == [second.id] and bell_count(page) == 1
    db.session.expire_all()
    assert db.session.get(Notification, first.id).read_at is not None


def test_open_marks_read_and_goes_to_the_case(world, login_as, case):
    note = notify(world.users["head"], case)
    resp = login_as("head").post(f"/notifications/{note.id}/read", {"next": "case"}, token_from="/notifications/")
    assert resp.status_code == 302 and resp.location.endswith(f"/cases/{case.id}")
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None


def test_mark_all_read(world, login_en, case):
    for i in range(3):
        notify(world.users["head"], case, n=i)
    theirs = notify(world.users["handler"], case, n=9)
    head = login_en("head")
    resp = head.post("/notifications/read-all", {}, token_from="/notifications/")
    page = text(head.get(resp.location))
    assert "3 notifications marked as read." in page
    assert unread_ids(page) == [] and bell_count(page) == 0
    assert 'data-testid="read-all"' not in page
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


@pytest.mark.parametrize("url", ["/notifications/{id}/read"])
def test_another_users_notification_is_404(world, login_as, case, url):
    theirs = notify(world.users["handler"], case)
    resp = login_as("head").post(url.format(id=theirs.id), {}, token_from="/notifications/")
    assert resp.status_code == 404
    resp = login_as("head").post(url.format(id=999999), {}, token_from="/notifications/")
    assert resp.status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, theirs.id).read_at is None


@pytest.mark.parametrize("url", ["/notifications/{id}/read", "/notifications/read-all"])
def test_marking_read_is_post_only_with_csrf(world, login_as, case, url):
    note = notify(world.users["head"], case)
    head = login_as("head")
    assert head.get(url.format(id=note.id)).status_code == 405
    assert head.client.post(url.format(id=note.id), data={}).status_code == 400  # no CSRF token
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is None


def test_the_page_needs_a_login(client, world):
    resp = client.get("/notifications/")
    assert resp.status_code == 302 and "/login" in resp.location


def test_empty_page(world, login_en):
    page = text(login_en("inspector").get("/notifications/"))
    assert "You have no notifications." in page and bell_count(page) == 0


def test_the_scheduler_reminders_reach_the_bell(world, login_as, case):
    """End to end: the jobs create the reminder, the head sees it under the bell and opens the case."""
    from app.cases.models import CaseAction
    from app.cases.operations import perform
    from app.deadlines.jobs import flag_deadlines
    from app.notifications.jobs import create_reminders
    from tests.scheduler.helpers import at, clock

    perform(
        case, CaseAction.ASSIGN, world.users["head"], handler_id=world.users["handler"].id, expected_version=UNCHECKED
    )
    db.session.commit()
    now = at(clock(case).due_on + timedelta(days=1))
    flag_deadlines(now)
    create_reminders(now)
    db.session.commit()
    head = login_as("head")
    page = text(head.get("/notifications/"))
    assert bell_count(page) == 1
    (note_id,) = unread_ids(page)
    assert db.session.scalar(select(Notification.case_id).where(Notification.id == note_id)) == case.id
    assert f'href="/cases/{case.id}"' in page
