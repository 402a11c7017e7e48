"""The legal procedure in a real browser, in Vietnamese: a complaint verified (its findings differ from the
claim), so the dialogue comes before the decision; the decision sent to the parties opens the appeal
window; once it takes legal effect its enforcement is recorded in steps with the money it recovers, then
done. And a petition of several contents split into a complaint and a denunciation."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.cases.models import CaseState
from app.core.timeutil import local_today, utcnow
from app.deadlines.jobs import mark_legally_effective
from app.deadlines.models import Clock, Stage
from app.petitions.models import Petition, PetitionKind
from tests.e2e.test_walkthrough import log_in, log_out
from tests.factories import create_case, create_petition, subject

pytestmark = pytest.mark.e2e
TODAY = local_today().isoformat()


@pytest.fixture
def assigned_id(world, db):
    return create_case(world, CaseState.ASSIGNED, received_on=local_today() - timedelta(days=10)).id


@pytest.fixture
def mixed_id(world, db):
    return create_petition(world, kind=PetitionKind.COMPLAINT, summary="Đơn vừa khiếu nại vừa tố cáo").id


def _step(page, kind: str, fields: dict) -> None:
    page.click(f"details[data-case-step={kind}] summary")
    form = f"details[data-case-step={kind}] form"
    for name, value in fields.items():
        if page.locator(f"{form} select[name={name}]").count():
            page.select_option(f"{form} select[name={name}]", value)
        else:
            page.fill(f"{form} [name={name}]", value)
    page.click(f"{form} button[type=submit]")
    page.wait_for_load_state()


def test_a_complaint_from_verification_to_enforcement(assigned_id, live_server, browser, db):
    base = live_server
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    case_url = f"{base}/cases/{assigned_id}"
    log_in(page, base, "handler")
    page.goto(case_url)

    # Verification finds other than claimed: the decision waits for a dialogue (art. 30), and says so.
    _step(
        page,
        "verification",
        {
            "decision_no": "03/QĐ-XM",
            "held_on": TODAY,
            "people": "Ông Minh, bà Lan",
            "summary": "Diện tích thu hồi đúng bản đồ địa chính",
            "differs_from_claim": "1",
        },
    )
    assert page.locator("details[data-action=resolve]").count() == 0
    assert "Điều 30" in page.inner_text("[data-rule='complaint.dialogue_required']")
    _step(
        page,
        "dialogue",
        {
            "held_on": TODAY,
            "people": "Người khiếu nại, cán bộ địa chính",
            "summary": "Hai bên trình bày ý kiến",
            "result": "Không thống nhất",
        },
    )
    assert page.locator("[data-testid=case-steps] [data-step]").count() == 2

    # The decision, with what it orders returned to the complainant.
    page.click("details[data-action=resolve] summary")
    form = "details[data-action=resolve] form"
    page.fill(f"{form} [name=decision_no]", "31/QĐ-UBND")
    page.fill(f"{form} [name=decision_on]", TODAY)
    page.select_option(f"{form} [name=outcome]", "partly_upheld")
    page.select_option(f"{form} [name=enforcement]", "required")
    page.fill(f"{form} [name=enforcement_required]", "Bồi thường bổ sung cây trồng")
    page.fill(f"{form} [name=money_to_citizens]", "25.000.000")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url(case_url)
    assert "31/QĐ-UBND" in page.inner_text("[data-testid=case-decision]")
    assert "Điều 44" in page.inner_text("[data-rule='complaint.not_yet_effective']")

    # Sent to the parties: the appeal window opens (art. 33).
    page.click("details[data-decision-step=delivery] summary")
    page.fill("details[data-decision-step=delivery] [name=recipients]", "Ông Nguyễn Văn An")
    page.click("details[data-decision-step=delivery] button[type=submit]")
    page.wait_for_url(case_url)
    assert "Thời hạn khiếu nại lần hai" in page.inner_text("[data-testid=deadlines-panel]")  # the appeal window

    # The appeal window passes unused: the scheduler marks the decision legally effective.
    clock = db.session.scalar(select(Clock).where(Clock.case_id == assigned_id, Clock.stage == Stage.LEGAL_EFFECT))
    clock.due_on = local_today() - timedelta(days=1)
    db.session.commit()
    mark_legally_effective(utcnow())
    db.session.commit()
    db.session.remove()
    page.reload()
    assert page.locator("[data-testid=legally-effective]").count() == 1

    # Enforcement in steps: the first pays part of the money, then the decision is carried out.
    _step(page, "enforcement", {"held_on": TODAY, "summary": "Chi trả đợt 1", "money_to_citizens": "10.000.000"})
    amounts = page.inner_text("[data-testid=enforcement-amounts]")
    assert "25.000.000" in amounts and "10.000.000" in amounts
    page.click("details[data-action=enforce] summary")
    form = "details[data-action=enforce] form"
    page.fill(f"{form} [name=enforced_on]", TODAY)
    page.fill(f"{form} [name=enforcement_result]", "Đã chi trả đủ")
    page.click(f"{form} button[type=submit]")
    page.wait_for_url(case_url)
    actions = page.eval_on_selector_all(
        "[data-testid=timeline] li[data-action]", "els => els.map(e => e.dataset.action)"
    )
    assert actions[-6:] == ["verification", "dialogue", "resolve", "delivery", "enforcement", "enforce"]
    log_out(page)
    assert errors == []
    context.close()


def test_a_mixed_petition_is_split_in_the_browser(mixed_id, live_server, browser, db):
    base = live_server
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    log_in(page, base, "reception")
    page.goto(f"{base}/petitions/{mixed_id}")
    page.click("[data-testid=split-form] summary")
    land, corruption = str(subject("admin.land").id), str(subject("anti_corruption").id)
    db.session.remove()  # hold no lock while the server writes
    for i, (kind, area, summary) in enumerate(
        [("complaint", land, "Khiếu nại thu hồi đất"), ("denunciation", corruption, "Tố cáo cán bộ nhận tiền")]
    ):
        page.select_option(f"#parts-{i}-kind", kind)
        page.select_option(f"#parts-{i}-subject_area_id", area)
        page.fill(f"#parts-{i}-summary", summary)
    with page.expect_navigation():
        page.press("#parts-1-summary", "Enter")  # submits the split form
    assert "Đã tách thành" in page.content()
    parts = page.eval_on_selector_all(
        "[data-testid=petition-parts] li[data-part]", "els => els.map(e => e.dataset.part)"
    )
    # The denunciation part's petitioners are confidential, and the split petition is masked with them: to an
    # officer who has not revealed the identity, its page lists no part (the open one names the same person).
    assert parts == []
    db.session.remove()
    kinds = {p.kind for p in db.session.scalars(select(Petition).where(Petition.parent_id == mixed_id))}
    assert kinds == {PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION}
    assert re.search(r"Đã tách theo từng nội dung", page.content())
    context.close()
