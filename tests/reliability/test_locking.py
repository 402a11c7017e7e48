"""Optimistic locking as officers see it: the second of two saves from the same version is refused with a
clear message and a link to reload the latest version; the first save is intact."""

import html
import re

from sqlalchemy import func, select, text

from app.cases.models import Case, CaseEvent, CaseState, Complexity
from app.deadlines.models import DeadlineRule, DeadlineRuleChange
from app.extensions import db
from app.petitions.models import Petition, PetitionState
from tests.factories import SUSPEND_FORM, create_case, create_petition

STALE = "Someone else changed this record after you opened it."
RELOAD = re.compile(r'<a class="alert-link" href="([^"]+)" data-testid="reload-latest">Reload the latest version</a>')


def page_text(resp) -> str:
    return html.unescape(resp.get_data(as_text=True))


def form_version(page: str, action: str) -> str:
    form = re.search(rf'<details class="card mb-2" data-action="{action}".*?</details>', page, re.S)
    assert form, f"no {action} form on the page"
    return re.search(r'name="version" type="hidden" value="(\d+)"', form.group(0)).group(1)


def stored_case(case_id: int) -> tuple:
    db.session.rollback()
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    events = db.session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case_id))
    return case.state, case.version, case.handler_id, case.complexity, events


def test_two_officers_edit_the_same_case_version(world, login_en):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    url = f"/cases/{case.id}"
    first, second = login_en("head"), login_en("head")  # two sessions (the chairman and a deputy's desk)
    # Both open the same version of the case.
    v1 = form_version(page_text(first.get(url)), "assign")
    v2 = form_version(page_text(second.get(url)), "assign")
    assert v1 == v2 == str(case.version)

    resp = first.post(
        f"{url}/assign",
        {"handler_id": world.users["handler2"].id, "complexity": "complex", "version": v1},
        token_from=url,
    )
    assert resp.status_code == 302
    saved = stored_case(case.id)
    assert saved[2:4] == (world.users["handler2"].id, Complexity.COMPLEX)

    resp = second.post(
        f"{url}/assign",
        {"handler_id": world.users["handler"].id, "complexity": "normal", "version": v2},
        token_from=url,
    )
    assert resp.status_code == 302
    page = page_text(second.get(resp.headers["Location"]))
    assert STALE in page and "Nothing was saved" in page
    link = RELOAD.search(page)
    assert link, "no reload link with the stale message"
    assert stored_case(case.id) == saved  # the first officer's change is intact, nothing of the second

    # The link shows the latest version (the first officer's handler), and a save from it goes through.
    reloaded = page_text(second.get(link.group(1)))
    assert link.group(1) == url
    assert STALE not in reloaded
    assert world.users["handler2"].full_name in reloaded
    fresh = form_version(reloaded, "assign")
    assert fresh == str(saved[1]) != v2
    resp = second.post(
        f"{url}/assign",
        {"handler_id": world.users["handler"].id, "complexity": "normal", "version": fresh},
        token_from=url,
    )
    assert STALE not in page_text(second.get(resp.headers["Location"]))
    assert stored_case(case.id)[2:4] == (world.users["handler"].id, Complexity.NORMAL)


def test_a_stale_petition_decision_links_back_to_the_petition(world, login_en):
    """The petition screen answers the POST itself: the link goes back to the page the form was on."""
    from datetime import timedelta

    petition = create_petition(world)
    earlier = create_petition(world, received_on=petition.received_on - timedelta(days=1))
    db.session.commit()
    page = f"/petitions/{petition.id}"
    first, second = login_en("reception"), login_en("head")
    version = str(petition.version)
    # The first officer links the petition to an earlier one (a change that keeps it "received").
    assert (
        first.post(
            f"{page}/duplicate", {"original_receipt_no": earlier.receipt_no, "version": version}, token_from=page
        ).status_code
        == 302
    )
    resp = second.post(
        f"{page}/decide",
        {
            "decision": "transfer",
            "competent_body": "administration",
            "transferred_to": "Thanh tra tỉnh",
            "transfer_dispatch_no": "45/PC-UBND",
            "version": version,
        },
        token_from=page,
        headers={"Referer": f"http://localhost{page}"},
    )
    body = page_text(resp)
    assert STALE in body
    assert RELOAD.search(body).group(1) == page
    db.session.expire_all()
    stored = db.session.get(Petition, petition.id)
    assert (stored.state, stored.duplicate_of_id, stored.transferred_to) == (PetitionState.RECEIVED, earlier.id, None)


def test_a_concurrent_write_between_check_and_flush_is_refused(world, login_en, monkeypatch):
    """Another transaction saves the case after our version check: SQLAlchemy's version check catches it."""
    import app.cases.operations as case_ops

    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    url = f"/cases/{case.id}"
    client = login_en("head")
    version = form_version(page_text(client.get(url)), "suspend")
    original = case_ops.check_transition

    def concurrent_save(case, action, actor):
        original(case, action, actor)
        # What a concurrent request's commit does to the row: bump its version (raw SQL, behind the ORM).
        db.session.execute(text("UPDATE cases SET version = version + 1 WHERE id = :id"), {"id": case.id})

    monkeypatch.setattr(case_ops, "check_transition", concurrent_save)
    before = stored_case(case.id)
    resp = client.post(f"{url}/suspend", {"note": "Chờ giám định", "version": version, **SUSPEND_FORM}, token_from=url)
    assert resp.status_code == 302
    page = page_text(client.get(resp.headers["Location"]))
    assert STALE in page and RELOAD.search(page)
    assert stored_case(case.id) == before  # the raw UPDATE was rolled back with the refused request


def test_the_stale_data_error_handler_refuses_with_a_reload_link(world, login_en, monkeypatch):
    """A view that does not catch SQLAlchemy's StaleDataError (the rule editor) gets the app's handler."""
    import app.deadlines.rules as deadline_rules
    from tests.admin.test_rules import edit_data

    rule = db.session.scalars(
        select(DeadlineRule).where(DeadlineRule.is_active.is_(True)).order_by(DeadlineRule.id)
    ).first()
    url = f"/admin/rules/{rule.id}"
    data = edit_data(rule, note="Sửa ghi chú")
    before = (rule.version, rule.note, db.session.scalar(select(func.count()).select_from(DeadlineRuleChange)))
    db.session.commit()
    original = deadline_rules._check_rule

    def concurrent_save(values, exclude_id=None):
        original(values, exclude_id)
        db.session.execute(text("UPDATE deadline_rules SET version = version + 1 WHERE id = :id"), {"id": rule.id})

    monkeypatch.setattr(deadline_rules, "_check_rule", concurrent_save)
    admin = login_en("admin")
    resp = admin.post(url, data, headers={"Referer": f"http://localhost{url}"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith(url)
    page = page_text(admin.get(resp.headers["Location"]))
    assert STALE in page
    assert RELOAD.search(page).group(1) == url
    db.session.expire_all()
    rule = db.session.get(DeadlineRule, rule.id)
    assert (rule.version, rule.note, db.session.scalar(select(func.count()).select_from(DeadlineRuleChange))) == before
