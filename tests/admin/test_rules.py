"""The deadline rule table: the list and its filters, editing with history, new unit rules, who may do what."""

import html as htmllib
import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.cases.models import CaseState
from app.core.timeutil import local_today
from app.deadlines.calendar import load_calendar
from app.deadlines.engine import Facts, find_rule
from app.deadlines.models import Clock, ClockStatus, DayUnit, DeadlineRule, DeadlineRuleChange, Stage
from app.deadlines.overrides import recompute_open_clocks
from app.petitions.models import PetitionKind
from tests.admin.helpers import has_error
from tests.conftest import count_queries
from tests.factories import create_case, create_petition

SHIPPED_UNVERIFIED = {
    "any.classification",
    "complaint.acceptance.1.2026",
    "complaint.acceptance.2.2026",
    "denunciation.notify_conclusion",
}


def text(resp) -> str:
    return htmllib.unescape(resp.get_data(as_text=True))


def rule(db, code: str) -> DeadlineRule:
    db.session.rollback()  # read what was committed, not what a request may have left in the session
    return db.session.execute(select(DeadlineRule).where(DeadlineRule.code == code)).scalar_one()


def history_count(db) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(DeadlineRuleChange.id)))


def row(page: str, code: str) -> str:
    m = re.search(r'<tr data-rule="\d+" data-code="%s".*?</tr>' % re.escape(code), page, re.S)
    assert m, f"no row for {code}"
    return m.group(0)


def listed_codes(page: str) -> list[str]:
    return re.findall(r'<tr data-rule="\d+" data-code="([^"]*)"', page)


def clock(db, case, stage=Stage.RESOLUTION) -> Clock:
    db.session.rollback()
    return db.session.execute(select(Clock).where(Clock.case_id == case.id, Clock.stage == stage)).scalar_one()


def edit_data(r: DeadlineRule, **changes) -> dict:
    """The edit form as the page shows it for ``r``, with some fields changed."""
    data = {
        "limit_days": str(r.limit_days),
        "day_unit": r.day_unit.value,
        "max_extensions": str(r.max_extensions),
        "extension_days": str(r.extension_days or ""),
        "legal_basis": r.legal_basis,
        "note": r.note or "",
        "effective_from": r.effective_from.isoformat(),
        "effective_to": r.effective_to.isoformat() if r.effective_to else "",
        "reason": "Công văn 123/TTCP ngày 01/02/2026",
        "version": str(r.version),
    }
    if r.is_verified:
        data["is_verified"] = "y"
    if r.is_active:
        data["is_active"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def new_rule_data(world, **changes) -> dict:
    data = {
        "unit_id": str(world.units["TK"].id),
        "kind": "recommendation",
        "stage": "resolution",
        "instance": "",
        "complexity": "",
        "is_remote": "",
        "min_sites": "",
        "limit_days": "15",
        "day_unit": "d",
        "max_extensions": "0",
        "extension_days": "",
        "legal_basis": "Quyết định 45/QĐ-UBND của UBND xã Tân Khai",
        "is_verified": "y",
        "effective_from": (local_today() - timedelta(30)).isoformat(),
        "effective_to": "",
        "reason": "Quyết định 45/QĐ-UBND ngày 02/01/2026",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# ---- the table ---------------------------------------------------------------------------------------------


def test_table_groups_every_rule_by_kind_and_stage(admin, db):
    page = text(admin.get("/admin/rules"))
    groups = re.findall(r'<tbody data-group="([^"]+)">', page)
    assert groups[:2] == ["any/first_answer", "any/classification"]
    assert len(groups) == len(set(groups))  # each kind/stage once
    assert set(listed_codes(page)) == set(db.session.scalars(select(DeadlineRule.code)))
    resolution = re.search(r'<tbody data-group="complaint/resolution">(.*?)</tbody>', page, re.S).group(1)
    assert len(listed_codes(resolution)) == 8
    remote_complex = row(page, "complaint.resolution.1.remote_complex")
    assert "60 working days" in remote_complex
    assert "First instance" in remote_complex and "Complex (or especially complex)" in remote_complex
    assert "Remote area" in remote_complex and "Luật Khiếu nại 2011, Điều 28" in remote_complex
    assert "Verified" in remote_complex and "from 01/07/2012" in remote_complex
    assert "To verify" in row(page, "complaint.acceptance.1.2026")
    assert "01/07/2012 to 01/07/2026" in row(page, "complaint.acceptance.1.2012")
    assert "2 extensions of 30 days each" in row(page, "denunciation.resolution.especially_complex")
    assert "At least 2 sites to verify" in row(page, "denunciation.acceptance.sites")
    assert "All cases" in row(page, "any.first_answer")
    assert "New rule" in page and "Edit" in row(page, "any.first_answer")


@pytest.mark.parametrize(
    "on, present, absent",
    [
        ("2026-06-30", "complaint.acceptance.1.2012", "complaint.acceptance.1.2026"),
        ("2026-07-01", "complaint.acceptance.1.2026", "complaint.acceptance.1.2012"),
        ("2013-01-01", "complaint.resolution.1", "denunciation.resolution"),  # the 2018 law was not yet in force
    ],
)
def test_filter_in_force_on_a_date(admin, db, on, present, absent):
    codes = listed_codes(text(admin.get(f"/admin/rules?on={on}")))
    assert present in codes and absent not in codes


def test_filter_in_force_leaves_out_inactive_rules(admin, db):
    r = rule(db, "any.enforcement")
    r.is_active = False
    db.session.commit()
    assert "any.enforcement" not in listed_codes(text(admin.get("/admin/rules?on=2026-03-01")))
    page = text(admin.get("/admin/rules"))
    assert "Inactive" in row(page, "any.enforcement")


def test_filter_only_rules_to_verify(admin, db):
    page = text(admin.get("/admin/rules?verify=y"))
    assert set(listed_codes(page)) == SHIPPED_UNVERIFIED
    on_new_year = set(listed_codes(text(admin.get("/admin/rules?verify=y&on=2026-01-01"))))
    assert on_new_year == {"any.classification", "denunciation.notify_conclusion"}  # the 2026 ones not yet


def test_a_bad_filter_date_is_explained_and_ignored(admin, db):
    resp = admin.get("/admin/rules?on=31/02/2026")
    assert resp.status_code == 200
    page = text(resp)
    assert "Not a valid date value." in page
    assert len(listed_codes(page)) == db.session.scalar(select(func.count(DeadlineRule.id)))


# ---- editing -------------------------------------------------------------------------------------------------


def test_edit_records_history_and_recomputes_open_clocks_only(admin, world, db):
    open_case = create_case(world, CaseState.ASSIGNED)
    done_case = create_case(world, CaseState.RESOLVED, summary="Khiếu nại khác")
    db.session.commit()
    before_open, before_done = clock(db, open_case), clock(db, done_case)
    assert before_open.rule.code == "complaint.resolution.1" and before_done.status is ClockStatus.DONE
    done_due, open_due = before_done.due_on, before_open.due_on
    r = rule(db, "complaint.resolution.1")
    url = f"/admin/rules/{r.id}"
    page = text(admin.get(url))
    assert f'name="version" type="hidden" value="{r.version}"' in page
    resp = admin.post(url, edit_data(r, limit_days="35", is_verified=None, note="Ghi chú mới"))
    assert resp.status_code == 302 and resp.location.endswith(url)
    r = rule(db, "complaint.resolution.1")
    assert (r.limit_days, r.is_verified, r.note, r.version) == (35, False, "Ghi chú mới", 2)
    change = db.session.scalars(
        select(DeadlineRuleChange).where(DeadlineRuleChange.rule_id == r.id).order_by(DeadlineRuleChange.id.desc())
    ).first()
    assert json.loads(change.changes) == {
        "limit_days": [30, 35],
        "is_verified": [True, False],
        "note": [None, "Ghi chú mới"],
    }
    assert change.reason == "Công văn 123/TTCP ngày 01/02/2026" and change.actor_id == world.users["admin"].id
    after_open, after_done = clock(db, open_case), clock(db, done_case)
    assert after_open.limit_days == 35
    assert after_open.due_on == load_calendar().add_working_days(after_open.started_on, 35) != open_due
    assert (after_done.limit_days, after_done.due_on) == (30, done_due)
    page = text(admin.get(url))
    assert "Rule “Complaint · Resolution” was saved." in page
    assert "1 open deadline got a new due date." in page
    history = re.findall(r'data-testid="history-field">(.*?)</li>', page)
    assert any("Limit" in h and "30 → 35" in h for h in history)
    assert any("Verified against the legal text" in h and "Yes → No" in h for h in history)
    assert "Công văn 123/TTCP ngày 01/02/2026" in page and "Quản trị Hệ thống" in page
    assert "Rule created" in page  # the shipped rule's first history row


def test_saving_without_a_change_writes_no_history(admin, db):
    r = rule(db, "complaint.lodging")
    count = history_count(db)
    resp = admin.post(f"/admin/rules/{r.id}", edit_data(r))
    assert resp.status_code == 302
    assert "Nothing was changed." in text(admin.get(resp.location))
    assert history_count(db) == count and rule(db, "complaint.lodging").version == r.version


@pytest.mark.parametrize(
    "changes, field_id, message",
    [
        ({"limit_days": "-1"}, "limit_days", "The limit must be between 0 and 3650 days."),
        ({"limit_days": "3651"}, "limit_days", "The limit must be between 0 and 3650 days."),
        ({"limit_days": "ba mươi"}, "limit_days", "Enter a whole number."),
        ({"limit_days": ""}, "limit_days", "Enter the limit."),
        ({"day_unit": "weeks"}, "day_unit", "Not a valid choice."),
        ({"effective_to": "2012-07-01"}, "effective_to", "The rule must end after the day it starts to apply."),
        ({"effective_to": "2011-01-01"}, "effective_to", "The rule must end after the day it starts to apply."),
        ({"effective_from": ""}, "effective_from", "Enter the date from which the rule applies."),
        ({"effective_from": "1800-01-01"}, "effective_from", "Enter a date between 1990 and 2100."),
        ({"max_extensions": "1"}, "extension_days", "Enter the length of each extension."),
        (
            {"max_extensions": "9", "extension_days": "30"},
            "max_extensions",
            "The number of extensions must be between 0 and 5.",
        ),
        (
            {"extension_days": "15"},
            "extension_days",
            "Leave the length of an extension empty when no extension is allowed.",
        ),
        ({"legal_basis": "   "}, "legal_basis", "Enter the legal basis"),
        ({"legal_basis": "x" * 301}, "legal_basis", "Field cannot be longer than 300 characters."),
        ({"reason": ""}, "reason", "Give the reason for the change (e.g. the legal document)."),
        ({"reason": "   "}, "reason", "Give the reason for the change (e.g. the legal document)."),
    ],
)
def test_each_bad_input_is_refused_and_writes_nothing(admin, world, db, changes, field_id, message):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    due = clock(db, case).due_on
    r = rule(db, "complaint.resolution.1")
    count = history_count(db)
    resp = admin.post(f"/admin/rules/{r.id}", edit_data(r, **{"limit_days": "40", **changes}))
    assert resp.status_code == 422
    assert has_error(text(resp), field_id, message), text(resp)[:3000]
    after = rule(db, "complaint.resolution.1")
    assert (after.limit_days, after.version, after.effective_from, after.effective_to, after.max_extensions) == (
        30,
        r.version,
        r.effective_from,
        r.effective_to,
        0,
    )
    assert history_count(db) == count
    assert clock(db, case).due_on == due


def test_a_stale_form_is_refused(admin, db):
    r = rule(db, "complaint.resolution.1")
    url = f"/admin/rules/{r.id}"
    stale = edit_data(r, limit_days="40")
    assert admin.post(url, edit_data(r, limit_days="35")).status_code == 302  # another administrator saves first
    count = history_count(db)
    resp = admin.post(url, stale)
    assert resp.status_code == 422
    assert "Someone else changed this record after you opened it." in text(resp)
    assert rule(db, "complaint.resolution.1").limit_days == 35
    assert history_count(db) == count


def test_a_period_overlapping_an_identical_rule_is_refused(admin, db):
    r = rule(db, "complaint.acceptance.1.2012")
    count = history_count(db)
    resp = admin.post(f"/admin/rules/{r.id}", edit_data(r, effective_to="2026-08-01"))
    assert resp.status_code == 422
    assert "Another active rule with the same conditions (complaint.acceptance.1.2026) applies from 01/07/2026" in text(
        resp
    )
    assert rule(db, "complaint.acceptance.1.2012").effective_to == date(2026, 7, 1)
    assert history_count(db) == count


def test_deactivating_a_rule_moves_its_open_clocks_to_the_next_rule(admin, world, db):
    """Without the recommendations' own first-answer rule, the general rule of any petition times it."""
    general = rule(db, "any.first_answer")
    petition = create_petition(world, kind=PetitionKind.RECOMMENDATION)
    db.session.commit()
    first = db.session.execute(
        select(Clock).where(Clock.petition_id == petition.id, Clock.stage == Stage.FIRST_ANSWER)
    ).scalar_one()
    assert first.rule.code == "recommendation.first_answer"
    specific = rule(db, "recommendation.first_answer")
    resp = admin.post(f"/admin/rules/{specific.id}", edit_data(specific, is_active=None))
    assert resp.status_code == 302
    db.session.rollback()
    first = db.session.get(Clock, first.id)
    assert first.rule_id == general.id


# ---- new rules --------------------------------------------------------------------------------------------


def test_create_a_unit_rule_used_for_that_unit_only(admin, world, db):
    tk_case = create_case(world, CaseState.ASSIGNED, kind=PetitionKind.RECOMMENDATION)
    tl_case = create_case(world, CaseState.ASSIGNED, kind=PetitionKind.RECOMMENDATION, unit="TL")
    db.session.commit()
    tl_due = clock(db, tl_case).due_on
    page = text(admin.get("/admin/rules/new"))
    assert "All units (national rule)" in page  # the province administrator may also add national rules
    resp = admin.post("/admin/rules/new", new_rule_data(world))
    assert resp.status_code == 302, text(resp)[:3000]
    db.session.rollback()
    new = db.session.execute(select(DeadlineRule).where(DeadlineRule.unit_id == world.units["TK"].id)).scalar_one()
    assert (new.code, new.kind, new.stage, new.limit_days, new.day_unit, new.is_active) == (
        None,
        "recommendation",
        Stage.RESOLUTION,
        15,
        DayUnit.CALENDAR,
        True,
    )
    change = db.session.execute(select(DeadlineRuleChange).where(DeadlineRuleChange.rule_id == new.id)).scalar_one()
    assert (json.loads(change.changes), change.reason, change.actor_id) == (
        "created",
        "Quyết định 45/QĐ-UBND ngày 02/01/2026",
        world.users["admin"].id,
    )
    today = local_today()
    tk_path, tkvp_path, tl_path = (world.units[c].path for c in ("TK", "TKVP", "TL"))
    assert find_rule(Stage.RESOLUTION, Facts(kind="recommendation", unit_path=tk_path), today).id == new.id
    assert find_rule(Stage.RESOLUTION, Facts(kind="recommendation", unit_path=tkvp_path), today).id == new.id
    assert (
        find_rule(Stage.RESOLUTION, Facts(kind="recommendation", unit_path=tl_path), today).code
        == "recommendation.resolution"
    )
    assert find_rule(Stage.RESOLUTION, Facts(kind="feedback", unit_path=tk_path), today).code == "feedback.resolution"
    # The open TK clock started after the rule's start: it follows the new rule; TL's keeps 30 days.
    tk_clock, tl_clock = clock(db, tk_case), clock(db, tl_case)
    assert (tk_clock.rule_id, tk_clock.limit_days) == (new.id, 15)
    assert tk_clock.due_on == load_calendar().add_calendar_days(tk_clock.started_on, 15)
    assert (tl_clock.limit_days, tl_clock.due_on) == (30, tl_due)
    page = text(admin.get(resp.location))
    assert "Rule “Recommendation · Resolution” was created." in page and "1 open deadline got a new due date." in page
    assert "Rule created" in page and "Quyết định 45/QĐ-UBND ngày 02/01/2026" in page
    assert "Unit TK" in row(text(admin.get("/admin/rules")), "")
    # Deactivated, the unit's clocks go back to the general rule.
    resp = admin.post(f"/admin/rules/{new.id}", edit_data(new, is_active=None))
    assert resp.status_code == 302
    assert clock(db, tk_case).limit_days == 30


def test_a_new_rule_starting_later_leaves_running_clocks_alone(admin, world, db):
    case = create_case(world, CaseState.ASSIGNED, kind=PetitionKind.RECOMMENDATION)
    db.session.commit()
    due = clock(db, case).due_on
    resp = admin.post(
        "/admin/rules/new", new_rule_data(world, effective_from=(local_today() + timedelta(1)).isoformat())
    )
    assert resp.status_code == 302
    assert "0 open deadlines got a new due date." in text(admin.get(resp.location))
    assert (clock(db, case).limit_days, clock(db, case).due_on) == (30, due)


@pytest.mark.parametrize(
    "changes, field_id, message",
    [
        ({"stage": "appeal"}, "stage", "No deadline of this stage exists for this kind of petition."),
        ({"kind": "reception"}, "stage", "No deadline of this stage exists for this kind of petition."),
        ({"instance": "1"}, "instance", "Only complaint rules have an instance."),
        ({"complexity": "hard"}, "complexity", "Choose a complexity from the list."),
        ({"min_sites": "0"}, "min_sites", "The number of sites must be between 1 and 1000."),
        ({"unit_id": ""}, "unit_id", None),  # the province admin may leave it empty: a national rule (see below)
        ({"kind": "dragon"}, "kind", "Not a valid choice."),
        ({"limit_days": "4000"}, "limit_days", "The limit must be between 0 and 3650 days."),
        ({"reason": ""}, "reason", "Give the reason for the change (e.g. the legal document)."),
        ({"legal_basis": ""}, "legal_basis", "Enter the legal basis"),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(admin, world, db, changes, field_id, message):
    rules, count = db.session.scalar(select(func.count(DeadlineRule.id))), history_count(db)
    data = new_rule_data(world, **changes)
    if message is None:  # a national rule with the same conditions as the shipped one overlaps it
        resp = admin.post("/admin/rules/new", data)
        assert resp.status_code == 422
        assert "Another active rule with the same conditions (recommendation.resolution)" in text(resp)
    else:
        resp = admin.post("/admin/rules/new", data)
        assert resp.status_code == 422
        assert has_error(text(resp), field_id, message), text(resp)[:3000]
    db.session.rollback()
    assert db.session.scalar(select(func.count(DeadlineRule.id))) == rules
    assert history_count(db) == count


def test_a_second_identical_unit_rule_is_refused(admin, world, db):
    assert admin.post("/admin/rules/new", new_rule_data(world)).status_code == 302
    resp = admin.post("/admin/rules/new", new_rule_data(world, limit_days="20"))
    assert resp.status_code == 422
    assert "Another active rule with the same conditions (#" in text(resp)


def test_commune_admin_creates_rules_for_their_units_only(tk_admin, world, db):
    page = text(tk_admin.get("/admin/rules/new"))
    assert "All units (national rule)" not in page
    assert f'<option value="{world.units["TL"].id}">' not in page
    assert f'<option value="{world.units["TKVP"].id}">' in page
    rules = db.session.scalar(select(func.count(DeadlineRule.id)))
    resp = tk_admin.post("/admin/rules/new", new_rule_data(world, unit_id=str(world.units["TL"].id)))
    assert resp.status_code == 422
    assert has_error(text(resp), "unit_id", "Choose a unit among the units you manage.")
    resp = tk_admin.post("/admin/rules/new", new_rule_data(world, unit_id=""))
    assert has_error(text(resp), "unit_id", "Choose the unit the rule is for.")
    db.session.rollback()
    assert db.session.scalar(select(func.count(DeadlineRule.id))) == rules
    resp = tk_admin.post("/admin/rules/new", new_rule_data(world, unit_id=str(world.units["TKVP"].id)))
    assert resp.status_code == 302


def test_commune_admin_reads_national_rules_and_edits_their_own(tk_admin, admin, world, db):
    assert admin.post("/admin/rules/new", new_rule_data(world, unit_id=str(world.units["TL"].id))).status_code == 302
    assert admin.post("/admin/rules/new", new_rule_data(world)).status_code == 302
    db.session.rollback()
    tl_rule, tk_rule = (
        db.session.execute(select(DeadlineRule).where(DeadlineRule.unit_id == world.units[c].id)).scalar_one()
        for c in ("TL", "TK")
    )
    national = rule(db, "complaint.resolution.1")
    page = text(tk_admin.get("/admin/rules"))
    assert f'data-rule="{tl_rule.id}"' not in page and f'data-rule="{tk_rule.id}"' in page
    assert "View" in row(page, "complaint.resolution.1")
    page = text(tk_admin.get(f"/admin/rules/{national.id}"))
    assert 'data-testid="rule-readonly"' in page and 'data-testid="rule-form"' not in page
    assert (
        tk_admin.post(
            f"/admin/rules/{national.id}", edit_data(national, limit_days="1"), token_from="/admin/rules"
        ).status_code
        == 403
    )
    assert tk_admin.get(f"/admin/rules/{tl_rule.id}").status_code == 404
    assert (
        tk_admin.post(
            f"/admin/rules/{tl_rule.id}", edit_data(tl_rule, limit_days="1"), token_from="/admin/rules"
        ).status_code
        == 404
    )
    assert tk_admin.post(f"/admin/rules/{tk_rule.id}", edit_data(tk_rule, limit_days="20")).status_code == 302
    assert rule(db, "complaint.resolution.1").limit_days == 30
    db.session.rollback()
    assert db.session.get(DeadlineRule, tl_rule.id).limit_days == 15
    assert db.session.get(DeadlineRule, tk_rule.id).limit_days == 20


# ---- who may see and change the table ------------------------------------------------------------------------


def test_inspector_reads_the_table_without_forms(login_en, world, db):
    inspector = login_en("inspector")
    page = text(inspector.get("/admin/rules"))
    assert "complaint.resolution.1" in page and "New rule" not in page
    assert "Edit" not in row(page, "complaint.resolution.1") and "View" in row(page, "complaint.resolution.1")
    assert "Units" not in re.search(r'<ul class="nav nav-tabs.*?</ul>', page, re.S).group(0)
    r = rule(db, "complaint.resolution.1")
    page = text(inspector.get(f"/admin/rules/{r.id}"))
    assert 'method="post" novalidate' not in page and 'data-testid="rule-readonly"' in page
    assert "30 working days" in page and "Rule created" in page


@pytest.mark.parametrize(
    "username, reads",
    [("inspector", True), ("reception", False), ("handler", False), ("head", False), ("tl_head", False)],
)
def test_only_administrators_change_rules(login_en, world, db, username, reads):
    client = login_en(username)
    r = rule(db, "complaint.resolution.1")
    rules, count = db.session.scalar(select(func.count(DeadlineRule.id))), history_count(db)
    expected = 200 if reads else 403
    assert client.get("/admin/rules").status_code == expected
    assert client.get(f"/admin/rules/{r.id}").status_code == expected
    assert client.get("/admin/rules/new").status_code == 403
    assert (
        client.post(f"/admin/rules/{r.id}", edit_data(r, limit_days="1"), token_from="/petitions/").status_code == 403
    )
    assert client.post("/admin/rules/new", new_rule_data(world), token_from="/petitions/").status_code == 403
    assert rule(db, "complaint.resolution.1").limit_days == 30
    assert db.session.scalar(select(func.count(DeadlineRule.id))) == rules and history_count(db) == count


def test_anonymous_visitors_are_sent_to_log_in(client, world, db):
    for url in ("/admin/rules", "/admin/rules/new", f"/admin/rules/{rule(db, 'any.first_answer').id}"):
        resp = client.get(url)
        assert resp.status_code == 302 and "/login" in resp.location


# ---- recomputation ------------------------------------------------------------------------------------------


def test_recomputing_open_clocks_takes_two_queries_whatever_their_number(app, world, db):
    for i in range(3):
        create_case(world, CaseState.ASSIGNED, summary=f"Khiếu nại {i}")
    db.session.commit()
    with count_queries() as statements:
        assert recompute_open_clocks() == 0  # nothing changed in the calendar
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2


def test_every_shipped_rule_passes_the_checks_an_administrator_faces(app, db):
    """Otherwise an administrator could not save a shipped rule without first repairing it."""
    from app.deadlines.rules import RULE_FIELDS, overlapping_rule, rule_problems

    for r in db.session.scalars(select(DeadlineRule)):
        values = {name: getattr(r, name) for name in RULE_FIELDS}
        assert rule_problems(values) == {}, r.code
        assert overlapping_rule(values, exclude_id=r.id) is None, r.code


def test_a_shipped_rules_history_says_so_in_the_users_language(login_as, world, db):
    rule = db.session.scalars(select(DeadlineRule).where(DeadlineRule.code == "any.first_answer")).one()
    page = login_as("admin").get(f"/admin/rules/{rule.id}").get_data(as_text=True)
    reason = re.search(r'data-testid="history-reason">([^<]*)<', page).group(1)
    assert reason == "Có sẵn trong TiepDan"
