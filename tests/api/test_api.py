"""The read-only JSON API: session auth (401 JSON), scope (404 JSON), same filters as the pages, masking."""

import json

import pytest

from app.audit.operations import record
from app.cases.models import Case, StepKind
from app.cases.operations import record_step
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.extensions import db
from app.privacy.policy import REVEAL_ACTION
from tests.factories import create_case, create_petition, person

API = "/api/v1"


def test_not_logged_in_is_401_json_not_a_redirect(app, scene):
    client = app.test_client()
    for path in (
        "/petitions",
        f"/petitions/{scene.id('petition')}",
        "/cases",
        f"/cases/{scene.id('case')}",
        "/notifications",
        "/no/such",
    ):
        resp = client.get(API + path)
        assert resp.status_code == 401, path
        assert resp.is_json and resp.get_json()["error"]["code"] == 401
        assert "Location" not in resp.headers


def test_unknown_path_and_missing_object_are_404_json(app, scene, client_of):
    client = client_of("head")
    for path in ("/no/such", "/petitions/999999", "/cases/999999", "/petitions/abc"):
        resp = client.get(API + path)
        assert resp.status_code == 404, path
        assert resp.get_json()["error"]["code"] == 404


@pytest.mark.parametrize("outsider", ["tl_head", "tl_handler", "tl_reception", "tl_admin"])
def test_other_subtree_gets_404_json(app, scene, client_of, outsider):
    client = client_of(outsider)
    for path in (f"/petitions/{scene.id('petition')}", f"/cases/{scene.id('case')}"):
        resp = client.get(API + path)
        assert resp.status_code == 404
        assert resp.get_json() == client.get(API + path.rsplit("/", 1)[0] + "/999999").get_json()
    assert client.get(API + "/petitions").get_json()["total"] == 0
    assert client.get(API + "/cases").get_json()["total"] == 0


def test_petition_detail_in_scope(app, scene, client_of):
    p = scene.objects["petition"]
    data = client_of("reception").get(f"{API}/petitions/{p.id}").get_json()
    assert data["receipt_no"] == p.receipt_no
    assert data["kind"]["value"] == "denunciation"
    assert data["state"]["value"] == "accepted"
    assert data["case"] == {"id": p.case_id}
    assert [e["action"] for e in data["events"]][:1] == ["register"]
    assert "Cache-Control" in client_of("reception").get(f"{API}/petitions/{p.id}").headers


def test_confidential_petitioners_are_masked_until_revealed(app, scene, client_of):
    p = scene.objects["petition"]
    name, cid = p.petitioners[0].full_name, p.petitioners[0].citizen_id
    for username in ("reception", "head", "handler", "admin"):
        resp = client_of(username).get(f"{API}/petitions/{p.id}")
        body = resp.get_data(as_text=True)
        assert resp.get_json()["petitioners"] == {"masked": True, "count": 1}, username
        assert name not in body and cid not in body and "0909000002" not in body
        case = client_of(username).get(f"{API}/cases/{p.case_id}")
        if case.status_code == 200:
            assert name not in case.get_data(as_text=True)
        listed = client_of(username).get(f"{API}/petitions").get_data(as_text=True)
        assert name not in listed and cid not in listed


def test_reveal_shows_identity_to_the_entitled_user_only(app, scene, client_of):
    p = scene.objects["petition"]
    handler = client_of("handler")
    handler.get(f"{API}/petitions/{p.id}")
    sid = _session_id(handler)
    if sid is None:
        pytest.skip("the login-session machinery (session['sid']) is not in place yet")
    with app.test_request_context():
        from flask import session

        session["sid"] = sid
        record(REVEAL_ACTION, actor=scene.world.users["handler"], petition=p, reason="Liên hệ xác minh")
    db.session.commit()
    data = handler.get(f"{API}/petitions/{p.id}").get_json()
    assert data["petitioners"][0]["full_name"] == p.petitioners[0].full_name
    # The reception officer (not entitled, no reveal) still sees it masked.
    assert client_of("reception").get(f"{API}/petitions/{p.id}").get_json()["petitioners"]["masked"]


def _session_id(csrf_client):
    with csrf_client.client.session_transaction() as sess:
        return sess.get("sid")


def test_non_confidential_petitioners_are_listed(app, world, client_of, scene):
    p = create_petition(world, petitioners=[person("Phan Văn Công", "079200000099")])
    db.session.commit()
    data = client_of("reception").get(f"{API}/petitions/{p.id}").get_json()
    assert data["petitioners"] == [
        {"full_name": "Phan Văn Công", "citizen_id": "079200000099", "phone": None, "address": ""}
    ]


def test_petition_list_uses_the_html_filters(app, world, scene, client_of):
    create_petition(world, summary="Kiến nghị làm đường", kind="recommendation")
    db.session.commit()
    client = client_of("head")
    data = client.get(f"{API}/petitions", query_string={"kind": "recommendation"}).get_json()
    assert [i["summary"] for i in data["items"]] == ["Kiến nghị làm đường"]
    data = client.get(f"{API}/petitions", query_string={"q": "làm đường"}).get_json()
    assert data["total"] == 1
    data = client.get(f"{API}/petitions", query_string={"q": "LAM DUONG"}).get_json()
    assert [i["summary"] for i in data["items"]] == ["Kiến nghị làm đường"]
    data = client.get(
        f"{API}/petitions", query_string={"kind": "bogus", "received_from": "31/02/2026", "after": "x"}
    ).get_json()
    assert data["total"] == 3 and len(data["warnings"]) == 3


def test_petition_list_is_paginated(app, world, scene, client_of):
    app.config["PAGE_SIZE"], saved = 1, app.config["PAGE_SIZE"]
    try:
        client = client_of("head")
        first = client.get(f"{API}/petitions").get_json()
        second = client.get(f"{API}/petitions", query_string=first["next"]).get_json()
        back = client.get(f"{API}/petitions", query_string=second["prev"]).get_json()
    finally:
        app.config["PAGE_SIZE"] = saved
    assert (first["total"], first["total_is_capped"], first["prev"], second["next"]) == (2, False, None, None)
    assert set(first["next"]) == {"after"} and set(second["prev"]) == {"before"}
    assert len(first["items"]) == len(second["items"]) == 1
    assert back["items"] == first["items"]
    assert first["items"][0]["id"] != second["items"][0]["id"]


def test_case_list_and_detail(app, world, scene, client_of):
    other = create_case(world, summary="Khiếu nại bồi thường")
    db.session.commit()
    client = client_of("handler")
    mine = client.get(f"{API}/cases", query_string={"mine": 1}).get_json()
    assert [c["id"] for c in mine["items"]] == [scene.id("case")]
    everything = client_of("head").get(f"{API}/cases").get_json()
    assert {c["id"] for c in everything["items"]} == {scene.id("case"), other.id}
    data = client.get(f"{API}/cases/{scene.id('case')}").get_json()
    assert data["state"]["value"] == "assigned"
    assert data["handler"]["full_name"] == world.users["handler"].full_name
    assert [e["action"] for e in data["events"]] == ["open", "assign"]
    assert "resolve" in data["available_actions"]
    assert any(d["stage"] for d in data["deadlines"])
    assert data["petitions"][0]["petitioners"] == {"masked": True, "count": 1}
    assert (data["decision_delivered"], data["suspension"], data["court"], data["steps"]) == (None, None, None, [])


def test_a_cases_steps_are_in_its_answer(app, world, scene, client_of):
    case = db.session.get(Case, scene.id("case"))
    record_step(
        case,
        world.users["handler"],
        StepKind.VERIFICATION,
        held_on=case.accepted_on,
        decision_no="15/QĐ-UBND",
        people="Bà Hoa",
        summary="Báo cáo xác minh",
        differs_from_claim=True,
        expected_version=UNCHECKED,
        today=local_today(),
    )
    db.session.commit()
    data = client_of("handler").get(f"{API}/cases/{case.id}").get_json()
    (step,) = data["steps"]
    assert (step["kind"]["value"], step["decision_no"], step["summary"]) == (
        "verification",
        "15/QĐ-UBND",
        "Báo cáo xác minh",
    )
    assert step["differs_from_claim"] is None  # the scene's case is a denunciation: no claim to compare with


def test_notifications_are_the_users_own(app, scene, client_of):
    data = client_of("handler").get(f"{API}/notifications").get_json()
    assert [n["id"] for n in data["items"]] == [scene.id("notification")]
    assert data["unread"] == 1 and data["items"][0]["case"] == {"id": scene.id("case")}
    assert scene.objects["case"].number in data["items"][0]["text"]
    assert client_of("head").get(f"{API}/notifications").get_json()["items"] == []


def test_api_is_read_only(app, scene, client_of):
    client = client_of("head")
    token = client.token("/notifications/")
    resp = client.client.post(f"{API}/petitions", data={"csrf_token": token})
    assert resp.status_code in (404, 405)


def test_no_api_route_writes(app, scene, client_of):
    """The API has no write route, so none writes without a version. One added later must take the record's
    version (If-Match, or a version in the body) to core.locking.check_version: this test then fails as a
    reminder until it has its own test of a write without one."""
    from sqlalchemy import func, select

    from app.cases.models import Case
    from app.petitions.models import Petition
    from tests.security.routes import build_url

    api_rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")]
    assert api_rules
    for rule in api_rules:
        assert set(rule.methods) <= {"GET", "HEAD", "OPTIONS"}, (rule.rule, rule.methods)
    client = client_of("head")
    token = client.token("/notifications/")

    def versions():
        return db.session.scalar(select(func.sum(Case.version))), db.session.scalar(select(func.sum(Petition.version)))

    before = versions()
    for rule in api_rules:
        url = build_url(rule, scene)
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            resp = client.client.open(url, method=method, data={"csrf_token": token, "state": "closed"})
            assert resp.status_code == 405, (method, url, resp.status_code)
            assert resp.is_json and resp.get_json()["error"]["code"] == 405
    db.session.rollback()
    assert versions() == before


def test_the_api_carries_the_procedure_details(world, db, login_en):
    from app.cases.models import CaseState, StepKind
    from app.cases.operations import record_step
    from app.core.locking import UNCHECKED
    from app.core.timeutil import local_today
    from app.petitions.models import PetitionKind
    from app.petitions.operations import Part, split_petition
    from tests.factories import create_case, create_petition, subject

    case = create_case(world, CaseState.RESOLVED, effective=True)
    case.money_to_state = 5_000_000
    record_step(
        case,
        world.users["handler"],
        StepKind.ENFORCEMENT,
        held_on=local_today(),
        summary="Đợt 1",
        money_to_state=2_000_000,
        expected_version=UNCHECKED,
        today=local_today(),
    )
    whole = create_petition(world, petitioners=[person_data()])
    parts = [
        Part(PetitionKind.COMPLAINT, "Khiếu nại", subject()),
        Part(PetitionKind.RECOMMENDATION, "Kiến nghị", subject()),
    ]
    split_petition(whole, world.users["reception"], parts, on=local_today(), expected_version=UNCHECKED)
    db.session.commit()
    client = login_en("head")
    data = json.loads(client.get(f"/api/v1/cases/{case.id}").data)
    assert data["amounts"]["ordered"]["money_to_state"] == 5_000_000
    assert data["amounts"]["done"]["money_to_state"] == 2_000_000
    assert data["steps"][-1]["money_to_state"] == 2_000_000
    data = json.loads(client.get(f"/api/v1/petitions/{whole.id}").data)
    assert data["state"]["value"] == "split" and len(data["split"]["parts"]) == 2


def person_data():
    return person("Trần Văn Mới", "079000000888")
