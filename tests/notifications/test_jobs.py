"""Reminders: one notification per recipient and reason, idempotent; e-mail copies sent once each."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import CaseState
from app.core.locking import UNCHECKED
from app.core.roles import Role
from app.core.timeutil import local_today
from app.deadlines.jobs import flag_deadlines, mark_legally_effective
from app.deadlines.models import Stage
from app.extensions import db
from app.notifications.jobs import create_reminders, send_emails, send_reminders
from app.notifications.models import Notification
from app.users.models import User
from app.users.operations import create_user
from tests.factories import create_case, person
from tests.scheduler.helpers import SmtpSink, at, clock, set_emails


def notifications() -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).order_by(Notification.id)))


def recipients() -> set[tuple[str, str]]:
    users = {u.id: u.username for u in db.session.scalars(select(User))}
    return {(users[n.user_id], n.kind) for n in notifications()}


def overdue_case(world, n: int = 1, unit="TK", state=CaseState.ASSIGNED):
    case = create_case(world, state, unit=unit, petitioners=[person(f"Công dân {n}", f"0794{n:08d}")])
    db.session.commit()
    return case


def late(case, days: int = 1):
    return at(clock(case).due_on + timedelta(days=days))


def test_an_overdue_case_notifies_its_handler_and_the_heads_above(world):
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    assert create_reminders(now) == 3
    # The handling officer, the head of TK and the head of the province; not TL's head, not handler2.
    assert recipients() == {("handler", "overdue"), ("head", "overdue"), ("phead", "overdue")}
    n = notifications()[0]
    due = clock(case).due_on
    assert n.case_id == case.id
    assert n.dedup_key == f"overdue:{clock(case).id}:{due.isoformat()}"
    assert json.loads(n.params) == {"number": case.number, "stage": "resolution", "due_on": due.isoformat()}


def test_reminders_are_created_once(world):
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    assert create_reminders(now) == 3
    db.session.commit()
    assert create_reminders(now) == 0
    assert create_reminders(late(case, 5)) == 0  # still the same overdue period
    assert len(notifications()) == 3


def test_due_soon_then_overdue_then_a_new_due_date_each_remind_again(world):
    case = overdue_case(world)
    resolution = clock(case)
    for now in (at(resolution.due_on - timedelta(days=1)), late(case)):
        flag_deadlines(now)
        create_reminders(now)
    assert sorted(k for u, k in recipients() if u == "handler") == ["due_soon", "overdue"]
    resolution.fixed_due_on = resolution.due_on = resolution.due_on + timedelta(days=10)  # extended
    db.session.commit()
    now = at(resolution.due_on + timedelta(days=1))
    flag_deadlines(now)
    assert create_reminders(now) == 3
    assert len(notifications()) == 9


def test_an_unassigned_case_notifies_the_heads_only(world):
    case = overdue_case(world, state=CaseState.ACCEPTED)
    now = late(case)
    flag_deadlines(now)
    create_reminders(now)
    assert recipients() == {("head", "overdue"), ("phead", "overdue")}


def test_inactive_users_and_other_roles_get_nothing(world):
    world.users["phead"].is_active_user = False
    case = overdue_case(world, unit="TL")
    now = late(case)
    flag_deadlines(now)
    create_reminders(now)
    assert recipients() == {("tl_handler", "overdue"), ("tl_head", "overdue")}


def test_a_head_who_is_also_the_handler_gets_one(world):
    from app.cases.models import CaseAction
    from app.cases.operations import perform

    both = create_user(
        username="both",
        full_name="Lý Văn Kiêm",
        unit=world.units["TK"],
        roles=[Role.HEAD, Role.HANDLER],
        password="correct-horse-77",
    )
    case = overdue_case(world, state=CaseState.ACCEPTED)
    perform(case, CaseAction.ASSIGN, world.users["head"], handler_id=both.id, expected_version=UNCHECKED)
    db.session.commit()
    now = late(case)
    flag_deadlines(now)
    create_reminders(now)
    assert sorted(u for u, _ in recipients()) == ["both", "head", "phead"]


def test_legal_effect_is_announced_once(world):
    case = create_case(world, CaseState.RESOLVED, petitioners=[person("Công dân 9", "079400000009")])
    db.session.commit()
    now = at(clock(case, Stage.LEGAL_EFFECT).due_on + timedelta(days=1))
    mark_legally_effective(now)
    assert create_reminders(now) == 3
    assert recipients() == {("handler", "legal_effect"), ("head", "legal_effect"), ("phead", "legal_effect")}
    n = notifications()[0]
    assert json.loads(n.params) == {"number": case.number, "on": case.legally_effective_on.isoformat()}
    assert create_reminders(now) == 0


# --- E-mail ----------------------------------------------------------------------------------------------


@pytest.fixture
def mail(app, monkeypatch):
    """An SMTP sink, and the app configured to send to it."""
    with SmtpSink(reject={"bounce@example.vn"}) as sink:
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", sink.port)
        monkeypatch.setitem(app.config, "MAIL_SENDER", "TiepDan <tiepdan@example.vn>")
        monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://tiepdan.example.vn/")
        yield sink


def test_each_reminder_is_emailed_once_in_the_users_language(world, mail):
    set_emails(world, handler="xu@example.vn", phead="tinh@example.vn")
    world.users["handler"].locale = "en"
    db.session.commit()
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    result = send_reminders(now)
    assert result == {"created": 3, "sent": 2, "failed": 0}
    messages = {m["To"]: m for m in mail.parsed()}
    assert set(messages) == {"xu@example.vn", "tinh@example.vn"}
    english = messages["xu@example.vn"]
    assert english["Content-Language"] == "en"
    assert english["Subject"] == f"[TiepDan] Overdue: case {case.number}"
    body = english.get_content()
    assert "Dear Hoàng Văn Xử," in body
    assert f"the deadline for “Resolution” was {clock(case).due_on:%d/%m/%Y} and has passed" in body
    assert f"https://tiepdan.example.vn/cases/{case.id}" in body
    assert messages["tinh@example.vn"]["Content-Language"] == "vi"
    sent = {n.user_id: n.emailed_at for n in notifications()}
    assert sent[world.users["handler"].id] == now and sent[world.users["head"].id] is None  # head: no address
    # Next run: nothing new, nothing sent twice.
    assert send_reminders(now + timedelta(minutes=15)) == {"created": 0, "sent": 0, "failed": 0}
    assert len(mail.messages) == 2


def test_no_mail_server_means_no_email(world, app):
    assert not app.config["MAIL_SERVER"]
    set_emails(world, handler="xu@example.vn")
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    assert send_reminders(now) == {"created": 3, "sent": 0, "failed": 0}
    assert all(n.emailed_at is None for n in notifications())


def test_a_failed_send_is_retried_next_run_without_failing_the_others(world, mail):
    set_emails(world, handler="bounce@example.vn", head="truong@example.vn", phead="tinh@example.vn")
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    assert send_reminders(now) == {"created": 3, "sent": 2, "failed": 1}
    assert sorted(rcpts[0] for _, rcpts, _ in mail.messages) == ["tinh@example.vn", "truong@example.vn"]
    unsent = [n for n in notifications() if n.emailed_at is None]
    assert [n.user_id for n in unsent] == [world.users["handler"].id]
    mail.reject.clear()  # the mailbox works again
    assert send_emails(now + timedelta(minutes=15)) == {"sent": 1, "failed": 0}
    assert sorted(rcpts[0] for _, rcpts, _ in mail.messages)[0] == "bounce@example.vn"
    assert all(n.emailed_at is not None for n in notifications())


def test_an_unreachable_server_sends_nothing_and_keeps_everything_for_later(world, app, monkeypatch):
    import socket

    with socket.socket() as s:  # a port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 2)
    set_emails(world, handler="xu@example.vn", head="truong@example.vn", phead="tinh@example.vn")
    for i in range(2):
        overdue_case(world, n=i)
    now = late(overdue_case(world, n=5), 30)
    flag_deadlines(now)
    result = send_reminders(now)
    assert result["created"] == 9 and result["sent"] == 0
    assert result["failed"] == 3  # gives up after three connection failures
    assert all(n.emailed_at is None for n in notifications())


def test_read_or_old_notifications_are_not_emailed(world, mail):
    set_emails(world, handler="xu@example.vn", head="truong@example.vn")
    case = overdue_case(world)
    now = late(case)
    flag_deadlines(now)
    create_reminders(now)
    db.session.commit()
    head_note = next(n for n in notifications() if n.user_id == world.users["head"].id)
    head_note.read_at = now
    db.session.commit()
    assert send_emails(now + timedelta(days=8)) == {"sent": 0, "failed": 0}  # too old
    assert send_emails(now) == {"sent": 1, "failed": 0}
    assert [rcpts for _, rcpts, _ in mail.messages] == [["xu@example.vn"]]


def test_notification_count_is_one_statement_whatever_the_cases(world):
    from tests.conftest import count_queries

    for i in range(4):
        overdue_case(world, n=10 + i)
    now = at(local_today() + timedelta(days=400))
    flag_deadlines(now)
    with count_queries() as statements:
        assert create_reminders(now) == 12
    assert len([s for s in statements if not s.startswith("BEGIN")]) == 1
    assert db.session.scalar(select(func.count(Notification.id))) == 12


def test_an_overdue_petition_notifies_who_registered_it_and_the_heads_above(world, login_en):
    from tests.factories import create_petition

    petition = create_petition(
        world, received_on=local_today() - timedelta(days=40), petitioners=[person("Cao Văn Đơn", "079500000001")]
    )
    db.session.commit()
    now = at(local_today())
    flag_deadlines(now)
    created = create_reminders(now)
    mine = [n for n in notifications() if n.petition_id == petition.id]
    overdue_clocks = {n.dedup_key for n in mine}  # one reminder per overdue clock (first answer, classification...)
    assert created == len(mine) == 3 * len(overdue_clocks) > 0
    assert {(u, k) for u, k in recipients() if k.startswith("petition_")} == {
        ("reception", "petition_overdue"),
        ("head", "petition_overdue"),
        ("phead", "petition_overdue"),
    }
    assert all(n.case_id is None and n.dedup_key.startswith("petition:overdue:") for n in mine)
    assert create_reminders(now) == 0  # once
    db.session.commit()
    page = login_en("reception").get("/notifications/").get_data(as_text=True)
    assert f"Petition {petition.receipt_no}: the deadline for" in page
    assert f'href="/petitions/{petition.id}"' in page
