"""Carrying out a decision: the money and land it orders recovered or returned, its enforcement in steps
(dated, with what each recovered or returned), and a re-check flag while it stalls."""

from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.cases.jobs import flag_enforcement_rechecks
from app.cases.models import Case, CaseState, CaseStep, StepKind
from app.cases.operations import record_step
from app.core.errors import TransitionRefused
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.flags.models import FlagKind, FlagSubject
from app.flags.queries import describe
from app.petitions.models import PetitionKind
from tests.cases.helpers import case_state, follow, text
from tests.factories import create_case, person
from tests.scheduler.helpers import active_flags, at

TODAY = local_today()


def resolve_form(case: Case, **changes) -> dict:
    return {
        "version": case.version,
        "decision_no": "15/QĐ-UBND",
        "decision_on": TODAY.isoformat(),
        "outcome": "partly_upheld",
        "enforcement": "required",
        "enforcement_required": "Thu hồi đất lấn chiếm, trả lại tiền đã thu sai",
        "money_to_state": "120.000.000",
        "money_to_citizens": "15 000 000",
        "land_to_state": "250,5",
        "land_to_citizens": "",
        **changes,
    }


def test_the_decision_orders_money_and_land(world, db, login_en):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    page = text(follow(handler, handler.post(f"{url}/resolve", resolve_form(case), token_from=url)))
    case = db.session.get(Case, case.id)
    amounts = (case.money_to_state, case.money_to_citizens, case.land_to_state, case.land_to_citizens)
    assert amounts == (120_000_000, 15_000_000, 250.5, None)
    assert 'data-testid="enforcement-amounts"' in page and "120,000,000" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"money_to_state": "-5"}, "Enter the amount in whole đồng"),
        ({"money_to_state": "12,5 triệu"}, "Enter the amount in whole đồng"),
        ({"land_to_state": "12.55"}, "Enter the area in m², with at most one decimal"),
        ({"land_to_state": "1e9"}, "Enter the area in m², with at most one decimal"),
    ],
)
def test_a_bad_amount_changes_nothing(world, db, login_en, changes, message):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    before = case_state(case.id)
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    resp = handler.post(f"{url}/resolve", resolve_form(db.session.get(Case, case.id), **changes), token_from=url)
    assert resp.status_code == 422 and message in text(resp)
    assert case_state(case.id) == before


def test_nothing_to_carry_out_orders_nothing(world, db, login_en):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    data = resolve_form(case, outcome="rejected", enforcement="none", enforcement_required="")
    follow(handler, handler.post(f"{url}/resolve", data, token_from=url))
    case = db.session.get(Case, case.id)
    assert case.money_to_state is None and case.land_to_state is None  # typed, but nothing is carried out


def test_enforcement_waits_for_legal_effect_then_progresses_in_steps(world, db, login_en):
    pending = create_case(world, CaseState.RESOLVED)  # a complaint decision not yet in force
    effective = create_case(world, CaseState.RESOLVED, effective=True)
    db.session.commit()
    handler = login_en("handler")
    assert 'data-case-step="enforcement"' not in text(handler.get(f"/cases/{pending.id}"))
    with pytest.raises(TransitionRefused, match="once legally effective"):
        record_step(
            pending,
            world.users["handler"],
            StepKind.ENFORCEMENT,
            held_on=TODAY,
            summary="x",
            expected_version=UNCHECKED,
            today=TODAY,
        )
    url = f"/cases/{effective.id}"
    assert 'data-case-step="enforcement"' in text(handler.get(url))
    step = {
        "version": effective.version,
        "held_on": TODAY.isoformat(),
        "summary": "Đã thu hồi một phần số tiền",
        "people": "Phòng Tài chính",
        "money_to_state": "40.000.000",
        "land_to_citizens": "12",
    }
    page = text(follow(handler, handler.post(f"{url}/step/enforcement", step, token_from=url)))
    assert "Đã thu hồi một phần số tiền" in page
    effective = db.session.get(Case, effective.id)
    done = effective.amounts_done()
    assert (done["money_to_state"], done["land_to_citizens"], done["money_to_citizens"]) == (40_000_000, 12.0, 0)
    assert effective.state is CaseState.RESOLVED  # progress, not the end: enforcing records the end
    assert effective.events[-1].action == "enforcement"
    # A step dated before the decision took effect is refused.
    early = dict(
        step, version=effective.version, held_on=(effective.legally_effective_on - timedelta(days=1)).isoformat()
    )
    resp = handler.post(f"{url}/step/enforcement", early, token_from=url)
    shown = text(follow(handler, resp)) if resp.status_code == 302 else text(resp)
    assert "between the decision's taking effect" in shown
    assert db.session.scalar(select(func.count(CaseStep.id)).where(CaseStep.case_id == effective.id)) == 1


def test_a_stalled_enforcement_is_flagged_until_a_step_is_recorded(world, db, app):
    case = create_case(world, CaseState.RESOLVED, effective=True)
    denunciation = create_case(world, CaseState.RESOLVED, kind=PetitionKind.DENUNCIATION)
    done = create_case(world, CaseState.CLOSED, petitioners=[person("Lê Văn Cường", "079000000555")])
    db.session.commit()
    days = app.config["ENFORCEMENT_RECHECK_DAYS"]
    since = case.legally_effective_on
    assert flag_enforcement_rechecks(at(since + timedelta(days=days))) == {"raised": 0, "cleared": 0}
    later = since + timedelta(days=days + 1)
    result = flag_enforcement_rechecks(at(later))
    flagged = {f.subject_id for f in active_flags(kind=FlagKind.ENFORCEMENT_RECHECK, subject=FlagSubject.CASE)}
    assert case.id in flagged and done.id not in flagged
    assert result["raised"] == len(flagged)
    flag = next(f for f in active_flags(kind=FlagKind.ENFORCEMENT_RECHECK) if f.subject_id == case.id)
    with force_locale("en"):
        assert describe(flag) == (
            f"Being carried out, no progress recorded since {since:%d/%m/%Y} (more than {days} days)"
        )
    assert flag_enforcement_rechecks(at(later)) == {"raised": 0, "cleared": 0}  # idempotent
    # A step of progress clears it; the flag comes back once the step is old.
    record_step(
        case,
        world.users["handler"],
        StepKind.ENFORCEMENT,
        held_on=TODAY,
        summary="Đang thi hành",
        expected_version=UNCHECKED,
        today=TODAY,
    )
    db.session.commit()
    flag_enforcement_rechecks(at(TODAY))
    assert case.id not in {f.subject_id for f in active_flags(kind=FlagKind.ENFORCEMENT_RECHECK)}
    flag_enforcement_rechecks(at(TODAY + timedelta(days=days + 1)))
    assert case.id in {f.subject_id for f in active_flags(kind=FlagKind.ENFORCEMENT_RECHECK)}
    assert denunciation.id in {f.subject_id for f in active_flags(kind=FlagKind.ENFORCEMENT_RECHECK)}


def test_the_case_list_filters_the_enforcements_to_re_check(world, db, login_en):
    case = create_case(world, CaseState.RESOLVED, effective=True)
    db.session.commit()
    flag_enforcement_rechecks(at(TODAY + timedelta(days=60)))
    db.session.commit()
    page = text(login_en("head").get("/cases/?flag=enforcement_recheck"))
    assert case.number in page and "Enforcement to re-check" in page


@pytest.mark.parametrize(
    "field, typed, stored",
    [
        ("money_to_state", "15.000.000", 15_000_000),
        ("money_to_state", "15,000,000", 15_000_000),
        ("money_to_state", "15000000", 15_000_000),
        ("money_to_state", "15000000,50", "error"),
        ("money_to_state", "1.5", "error"),
        ("money_to_state", "9" * 5000, "error"),
        ("land_to_state", "1234567", 1234567.0),
        ("land_to_state", "12,5", 12.5),
    ],
)
def test_amounts_are_read_as_an_officer_types_them(world, db, login_en, field, typed, stored):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    resp = handler.post(
        f"{url}/resolve",
        resolve_form(case, **{field: typed, "land_to_state": "" if field != "land_to_state" else typed}),
        token_from=url,
    )
    if stored == "error":
        assert resp.status_code == 422 and "Enter the amount in whole đồng" in text(resp)
        return
    assert resp.status_code == 302
    assert getattr(db.session.get(Case, case.id), field) == stored


def test_a_large_area_is_shown_again_without_an_exponent(world, db, login_en):
    case = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    handler = login_en("handler")
    url = f"/cases/{case.id}"
    resp = handler.post(f"{url}/resolve", resolve_form(case, land_to_state="1234567,5", outcome=""), token_from=url)
    assert resp.status_code == 422 and 'value="1234567,5"' in text(resp) and "e+" not in text(resp)
