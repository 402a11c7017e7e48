"""Revealing a confidential identity: POST with CSRF and a typed reason, audited, for a limited time."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.privacy.policy import REVEAL_ACTION
from tests.petitions.helpers import text
from tests.privacy.helpers import CCCD, NAME, REASON, audit_count, ensure_sid, leaked, reveal, reveal_count, section


def detail(client, petition) -> str:
    return text(client.get(f"/petitions/{petition.id}"))


def test_entitled_user_sees_the_form_and_the_mask_until_reveal(login_en, denunciation):
    handler = login_en("handler")
    page = detail(handler, denunciation.petition)
    assert leaked(page) == []
    assert 'data-testid="identity-mask"' in page and "Identity protected (1 petitioner)" in page
    form = section(page, "reveal-form")
    assert 'method="post"' in form and 'name="csrf_token"' in form and 'name="reason"' in form


@pytest.mark.parametrize("username", ["reception", "handler3", "phead", "inspector", "admin"])
def test_no_reveal_form_for_users_not_entitled(login_en, denunciation, username):
    page = detail(login_en(username), denunciation.petition)
    assert 'data-testid="reveal-form"' not in page and leaked(page) == []


def test_reveal_is_audited_and_shows_the_identity(login_en, world, denunciation, db):
    handler = login_en("handler")
    sid = ensure_sid(handler)
    resp = reveal(handler, denunciation.petition)
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/petitions/{denunciation.petition.id}")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == REVEAL_ACTION)).scalar_one()
    assert (event.actor_id, event.petition_id, event.case_id, event.reason, event.session_id) == (
        world.users["handler"].id,
        denunciation.petition.id,
        denunciation.case.id,
        REASON,
        sid,
    )
    page = detail(handler, denunciation.petition)
    assert {NAME, CCCD} <= set(leaked(page)) and 'data-testid="reveal-form"' not in page
    assert "identity-revealed" in page


def test_reveal_may_return_to_the_case(login_en, denunciation):
    head = login_en("head")
    case_page = text(head.get(f"/cases/{denunciation.case.id}"))
    assert 'data-testid="reveal-link"' in case_page
    resp = reveal(head, denunciation.petition, next=f"/cases/{denunciation.case.id}")
    assert resp.status_code == 302 and resp.headers["Location"].endswith(f"/cases/{denunciation.case.id}")
    assert NAME in section(text(head.get(f"/cases/{denunciation.case.id}")), "case-petitions")
    # Never an open redirect.
    resp = reveal(head, denunciation.petition, next="//evil.example/")
    assert "evil" not in resp.headers["Location"]


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Write why you need to see the petitioner's identity."),
        ("   ", "Write why you need to see the petitioner's identity."),
        ("ngắn quá", "Write the reason in 10 to 500 characters."),
        ("x" * 501, "Write the reason in 10 to 500 characters."),
    ],
)
def test_missing_or_bad_reason_records_nothing(login_en, denunciation, reason, message):
    handler = login_en("handler")
    resp = reveal(handler, denunciation.petition, reason=reason)
    assert resp.status_code == 200
    page = text(resp)
    assert message in page and "The identity was not revealed" in page and leaked(page) == []
    assert reveal_count() == 0


def test_reveal_needs_csrf_and_post(login_en, denunciation):
    handler = login_en("handler")
    ensure_sid(handler)
    url = f"/privacy/petitions/{denunciation.petition.id}/reveal"
    assert handler.client.post(url, data={"reason": REASON}).status_code == 400
    assert handler.get(url).status_code == 405
    assert reveal_count() == 0


@pytest.mark.parametrize(
    "username, status",
    [
        ("reception", 403),
        ("handler3", 403),
        ("phead", 403),
        ("inspector", 403),
        ("admin", 403),
        ("handler2", 404),
        ("tl_head", 404),
        ("tl_handler", 404),
    ],
)
def test_not_entitled_or_out_of_scope_records_nothing(login_as, denunciation, username, status):
    client = login_as(username)
    ensure_sid(client)
    url = f"/privacy/petitions/{denunciation.petition.id}/reveal"
    resp = client.post(url, {"reason": REASON}, token_from="/petitions/")
    assert resp.status_code == status
    assert audit_count() == 0


def test_reveal_lasts_the_window_and_only_in_that_login_session(app, login_en, denunciation):
    handler = login_en("handler")
    assert reveal(handler, denunciation.petition).status_code == 302
    assert NAME in detail(handler, denunciation.petition)
    # Another login of the same user (another session id) sees the mask.
    other = login_en("handler")
    assert ensure_sid(other) != ensure_sid(handler)
    resp = other.get(f"/petitions/{denunciation.petition.id}")
    assert resp.status_code == 200 and leaked(text(resp)) == []
    # After the window the mask is back.
    saved = app.config["IDENTITY_REVEAL_MINUTES"]
    app.config["IDENTITY_REVEAL_MINUTES"] = 0
    try:
        assert leaked(detail(handler, denunciation.petition)) == []
    finally:
        app.config["IDENTITY_REVEAL_MINUTES"] = saved


def test_a_reveal_belongs_to_its_login_session(app, world, denunciation, db):
    from flask import session

    from app.audit.operations import record
    from app.privacy import policy

    handler = world.users["handler"]
    with app.test_request_context("/"):
        session["sid"] = "s1"
        record(REVEAL_ACTION, actor=handler, petition=denunciation.petition, reason=REASON)
        assert policy.revealed_petition_ids(handler) == {denunciation.petition.id}
        assert policy.shows_identity(handler, denunciation.petition)
        # Another user in the same request context is not answered from the first one's cache.
        assert not policy.shows_identity(world.users["head"], denunciation.petition)
    for sid in (None, "s2"):
        with app.test_request_context("/"):
            if sid:
                session["sid"] = sid
            assert policy.revealed_petition_ids(handler) == frozenset()
            assert not policy.shows_identity(handler, denunciation.petition)
    db.session.rollback()


def test_a_petition_not_confidential_has_nothing_to_reveal(login_en, world, db):
    from tests.factories import create_petition

    p = create_petition(world)
    db.session.commit()
    head = login_en("head")
    assert "Nguyễn Văn An" in detail(head, p)
    assert 'data-testid="reveal-form"' not in detail(head, p)
    resp = reveal(head, p)
    assert resp.status_code == 302 and reveal_count() == 0


def test_complaint_marked_confidential_is_masked_too(login_en, world, db):
    from app.petitions.models import PetitionKind
    from tests.factories import create_petition

    p = create_petition(world, kind=PetitionKind.COMPLAINT, is_identity_confidential=True)
    db.session.commit()
    page = detail(login_en("reception"), p)
    assert "Nguyễn Văn An" not in page and "079123456789" not in page
    assert "The petitioner asked that their identity be kept confidential." in page
    head = login_en("head")  # head of the receiving unit: entitled
    assert reveal(head, p).status_code == 302
    assert "079123456789" in detail(head, p)


@pytest.mark.parametrize(
    "username, status",
    [
        ("head", 200),
        ("phead", 200),
        ("inspector", 200),
        ("admin", 200),
        ("handler", 403),
        ("reception", 403),
        ("tl_head", 404),
    ],
)
def test_reveal_trail(login_en, denunciation, username, status):
    handler = login_en("handler")
    assert reveal(handler, denunciation.petition).status_code == 302
    client = login_en(username)
    resp = client.get(f"/privacy/petitions/{denunciation.petition.id}/reveals")
    assert resp.status_code == status
    if status == 200:
        trail = section(text(resp), "reveal-trail")
        assert "Hoàng Văn Xử" in trail and REASON in trail
        assert leaked(text(resp)) == []
        assert 'data-testid="reveals-link"' in detail(client, denunciation.petition)
