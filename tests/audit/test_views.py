"""The audit log page: who may read it, what each reader sees (scope), filters, order, pages; read-only."""

import html
import json
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.audit.operations import record
from app.core.roles import Role
from app.extensions import db
from app.users.operations import create_user
from tests.factories import PASSWORD, create_case, create_petition

URL = "/audit/"


def text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def rows(page: str) -> list[dict]:
    """The table rows: id, action and the cells' text."""
    out = []
    for m in re.finditer(r'<tr data-event="(\d+)" data-action="([^"]+)">(.*?)</tr>', page, re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", m.group(3), re.S)
        ]
        out.append({"id": int(m.group(1)), "action": m.group(2), "cells": cells, "html": m.group(3)})
    return out


@pytest.fixture
def log(world):
    """Events across the tree: in TK (petition, case, actor), in TL, about a user, and a system event."""
    tk_petition = create_petition(world)
    tl_case = create_case(world, unit="TL")
    world.users["tk_inspector"] = create_user(
        username="tk_inspector",
        full_name="Thanh tra xã Tân Khai",
        unit=world.units["TK"],
        roles=[Role.INSPECTOR],
        password=PASSWORD,
    )
    base = datetime(2026, 3, 2, 1, 0)  # 08:00 in Vietnam
    specs = {
        "tk_reveal": dict(
            action="identity.reveal",
            actor_id=world.users["head"].id,
            petition_id=tk_petition.id,
            reason="Xác minh nhân thân",
        ),
        "tl_reveal": dict(
            action="identity.reveal", actor_id=world.users["tl_head"].id, case_id=tl_case.id, reason="Lý do TL"
        ),
        "tl_login": dict(action="auth.login", actor_id=world.users["tl_handler"].id),
        "grant": dict(action="user.update", actor_id=world.users["admin"].id, target_user_id=world.users["handler"].id),
        "backup": dict(action="backup.create"),
        "tk_login": dict(action="auth.login", actor_id=world.users["reception"].id),
    }
    events = {}
    for i, (key, spec) in enumerate(specs.items()):  # inserted with their time: audit rows are never updated
        events[key] = AuditEvent(at=base + timedelta(days=i), ip=f"10.0.0.{i + 1}", **spec)
        db.session.add(events[key])
    db.session.commit()
    return {"petition": tk_petition, "case": tl_case, **events}


def listed(client, query: str = "") -> list[dict]:
    resp = client.get(URL + query)
    assert resp.status_code == 200
    return rows(text(resp))


@pytest.mark.parametrize(
    "username, status",
    [("admin", 200), ("inspector", 200), ("head", 200), ("phead", 200), ("handler", 403), ("reception", 403)],
)
def test_only_administrators_and_inspectors_read_the_log(login_as, username, status):
    client = login_as(username)
    assert client.get(URL).status_code == status
    nav = 'data-testid="nav-audit"' in text(client.get("/petitions/"))
    assert nav == (status == 200)


def test_login_required(client, world):
    resp = client.get(URL)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_newest_first_with_time_actor_action_record_reason_ip(login_en, log):
    items = listed(login_en("inspector"))
    # The province inspector sees every event, newest first (the page's own login events are newer still).
    ids = [r["id"] for r in items]
    expected = [log[k].id for k in ("tk_login", "backup", "grant", "tl_login", "tl_reveal", "tk_reveal")]
    assert [i for i in ids if i in expected] == expected
    reveal = next(r for r in items if r["id"] == log["tk_reveal"].id)
    assert reveal["cells"][0] == "08:00 02/03/2026"  # local time (UTC+7)
    assert reveal["cells"][1] == "Phạm Văn Trưởng (head)"
    assert reveal["cells"][2] == "Identity revealed"
    assert reveal["cells"][3] == log["petition"].receipt_no
    assert f'href="/petitions/{log["petition"].id}"' in reveal["html"]
    assert reveal["cells"][4:] == ["Xác minh nhân thân", "10.0.0.1"]
    backup = next(r for r in items if r["id"] == log["backup"].id)
    assert backup["cells"][1:3] == ["System", "Backup created"]
    grant = next(r for r in items if r["id"] == log["grant"].id)
    assert "About: Hoàng Văn Xử" in grant["cells"][1]


def test_an_inspector_of_a_commune_sees_only_its_subtree(login_en, log):
    ids = {r["id"] for r in listed(login_en("tk_inspector"))}
    assert log["tk_reveal"].id in ids  # petition in TK (and actor in TK)
    assert log["tk_login"].id in ids  # actor in TK
    assert log["grant"].id in ids  # about a user of TK, though done by the province admin
    assert log["tl_reveal"].id not in ids and log["tl_login"].id not in ids  # the sibling commune
    assert log["backup"].id not in ids  # system events are for the top unit


def test_record_links_only_within_scope(login_en, world, log):
    """An event visible through its actor does not link to a record outside the reader's scope."""
    from app.petitions.models import Petition

    tl_petition = db.session.scalars(select(Petition).where(Petition.unit_id == world.units["TL"].id)).first()
    event = record("identity.reveal", actor=world.users["reception"], petition=tl_petition, reason="Nhầm")
    db.session.commit()
    row = next(r for r in listed(login_en("tk_inspector")) if r["id"] == event.id)
    assert row["cells"][3] == "" and "/petitions/" not in row["html"]
    row = next(r for r in listed(login_en("inspector")) if r["id"] == event.id)
    assert row["cells"][3] == tl_petition.receipt_no


def test_filters_by_action_actor_and_date(login_en, log):
    client = login_en("admin")
    assert {r["id"] for r in listed(client, "?action=identity.reveal")} == {log["tk_reveal"].id, log["tl_reveal"].id}
    assert {r["id"] for r in listed(client, "?actor=TL_HEAD")} == {log["tl_reveal"].id}
    # 2026-03-03 local is the second day (tl_reveal); the range is inclusive and in local dates.
    assert {r["id"] for r in listed(client, "?from=2026-03-03&to=2026-03-04")} == {
        log["tl_reveal"].id,
        log["tl_login"].id,
    }
    assert listed(client, "?action=auth.login&actor=reception&to=2026-03-01") == []
    page = text(client.get(URL + "?action=no.such&from=garbage&to=31/02/2026&page=abc"))
    assert 'data-testid="audit-empty"' in page


def test_paginated(login_en, log, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client = login_en("admin")
    total = db.session.scalar(select(func.count()).select_from(AuditEvent))
    seen = []
    for page in range(1, (total + 1) // 2 + 1):  # a page past the end would show the last page again
        seen += [r["id"] for r in listed(client, f"?page={page}")]
    assert len(seen) == len(set(seen)) == total >= 6
    assert "Page 1 of" in text(client.get(URL))


def test_the_log_is_read_only(login_en, log):
    client = login_en("admin")
    page = text(client.get(URL))
    assert '<form method="post"' not in page.split('data-testid="audit-log"')[1]
    assert client.post(URL, {}, token_from=URL).status_code == 405
    assert client.client.delete(URL).status_code == 405


def test_account_changes_are_audited_with_who_and_what(app, db, world, login_as):
    from app.audit.models import AuditEvent
    from app.users.models import UserSession

    admin = login_as("admin")
    target = world.users["handler"]
    login_as("handler")  # an open session, ended by the deactivation below
    page = admin.get(f"/admin/users/{target.id}/edit")
    assert page.status_code == 200
    data = {
        "full_name": target.full_name,
        "title": target.title or "",
        "unit_id": str(target.unit_id),
        "roles": ["handler", "reception"],
        "is_active": "",
        "password": "",
        "version": target.version,
    }
    resp = admin.post(f"/admin/users/{target.id}/edit", data)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    db.session.expire_all()
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.update")).one()
    assert event.actor_id == world.users["admin"].id and event.target_user_id == target.id
    detail = json.loads(event.detail)
    assert detail["roles"] == [["handler"], ["handler", "reception"]]
    assert detail["is_active"] == [True, False]
    assert "password" not in detail
    assert (
        db.session.scalars(
            select(UserSession).where(UserSession.user_id == target.id, UserSession.ended_at.is_(None))
        ).all()
        == []
    )
