"""The complex-case flags: many people, repeated, prolonged, over-level, hot spot — raised and cleared."""

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.cases.jobs import flag_complex_cases
from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform
from app.core.locking import UNCHECKED
from app.core.timeutil import local_to_utc, local_today
from app.extensions import db
from app.flags.models import Flag, FlagKind
from app.flags.queries import describe
from app.petitions.models import PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from tests.factories import create_case, create_petition, person
from tests.scheduler.helpers import active_flags, all_flags, at

TODAY = local_today()
NOW = at(TODAY)


def citizen(n: int, **kw):
    """A distinct petitioner (its own citizen ID), so petitions are not repeated by accident."""
    return person(f"Công dân {n}", f"0793{n:08d}", **kw)


def flagged(kind: FlagKind) -> set[tuple[str, int]]:
    return {(f.subject, f.subject_id) for f in active_flags(kind=kind)}


def run(now=NOW):
    result = flag_complex_cases(now)
    db.session.commit()
    return result


def accept(petition, on=None):
    accept_petition(
        petition,
        _receiver(petition),
        accepted_on=on or petition.received_on,
        expected_version=UNCHECKED,
    )
    return petition.case


def _receiver(petition):
    from app.users.models import User

    code = petition.unit.code
    username = {"TK": "reception", "TL": "tl_reception", "DN": "phead"}[code]
    return db.session.scalar(select(User).where(User.username == username))


# --- Many people ---------------------------------------------------------------------------------------


def test_many_signatories_flag_the_petition_then_its_case(world):
    petition = create_petition(world, petitioners=[citizen(1)], signatory_count=7)
    few = create_petition(world, petitioners=[citizen(2)], signatory_count=4)
    run()
    assert flagged(FlagKind.MANY_PEOPLE) == {("petition", petition.id)}
    (flag,) = active_flags(kind=FlagKind.MANY_PEOPLE)
    assert json.loads(flag.detail) == {"people": 7} and flag.unit_id == world.units["TK"].id
    case = accept(petition)
    run()
    assert flagged(FlagKind.MANY_PEOPLE) == {("case", case.id)}
    assert few.id not in {sid for _, sid in flagged(FlagKind.MANY_PEOPLE)}
    perform(case, CaseAction.WITHDRAW, world.users["head"], note="Công dân rút đơn", expected_version=UNCHECKED)
    run()
    assert flagged(FlagKind.MANY_PEOPLE) == set()
    assert [(f.subject, f.cleared_at is not None) for f in all_flags()] == [("petition", True), ("case", True)]


def test_a_delegation_at_the_desk_flags_its_petition(world):
    session, petition = record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=local_to_utc(datetime.now()),
        kind=ReceptionKind.REGULAR,
        visitors=[citizen(3), citizen(4)],
        people_count=12,
        content="Đoàn 12 hộ dân phản đối giá bồi thường",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.COMPLAINT,
    )
    petition.signatory_count = 2  # only two signed: the delegation that came still counts
    db.session.commit()
    run()
    (flag,) = active_flags(kind=FlagKind.MANY_PEOPLE)
    assert (flag.subject, flag.subject_id, json.loads(flag.detail)) == ("petition", petition.id, {"people": 12})


# --- Repeated ------------------------------------------------------------------------------------------


def test_a_person_petitioning_twice_in_the_window_is_repeated(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPEAT_WINDOW_DAYS", 90)
    first = create_petition(world, petitioners=[citizen(5)], received_on=TODAY - timedelta(days=60))
    case = accept(first)
    second = create_petition(world, petitioners=[citizen(5)], received_on=TODAY - timedelta(days=2))
    other = create_petition(world, petitioners=[citizen(6)], received_on=TODAY - timedelta(days=2))
    run()
    assert flagged(FlagKind.REPEATED) == {("case", case.id), ("petition", second.id)}
    assert json.loads(active_flags(kind=FlagKind.REPEATED)[0].detail) == {"petitions": 2, "days": 90}
    assert other.id not in {sid for _, sid in flagged(FlagKind.REPEATED)}
    # 40 days later the first petition is out of the window: the cause went away.
    result = run(at(TODAY + timedelta(days=40)))
    assert result["repeated"] == {"raised": 0, "cleared": 2}
    assert flagged(FlagKind.REPEATED) == set()


# --- Prolonged -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("days_open, expected", [(100, False), (181, True)])
def test_an_open_case_is_prolonged_after_the_configured_days(world, days_open, expected):
    case = create_case(world, CaseState.ASSIGNED, petitioners=[citizen(7)])
    db.session.commit()
    run(at(case.accepted_on + timedelta(days=days_open)))
    assert flagged(FlagKind.PROLONGED) == ({("case", case.id)} if expected else set())
    if expected:
        detail = json.loads(active_flags(kind=FlagKind.PROLONGED)[0].detail)
        assert detail == {"reason": "open_long", "since": case.accepted_on.isoformat(), "days": 180}


def test_resolving_clears_prolonged(world):
    case = create_case(world, CaseState.ASSIGNED, petitioners=[citizen(8)])
    db.session.commit()
    later = at(case.accepted_on + timedelta(days=200))
    run(later)
    assert flagged(FlagKind.PROLONGED) == {("case", case.id)}
    perform(
        case,
        CaseAction.RESOLVE,
        world.users["handler"],
        decision_no="9/QĐ",
        decision_on=local_today(),
        outcome="rejected",
        expected_version=UNCHECKED,
    )
    db.session.commit()
    run(later)
    assert flagged(FlagKind.PROLONGED) == set()


def test_an_appeal_makes_both_cases_prolonged(world):
    first = create_case(world, CaseState.RESOLVED, petitioners=[citizen(9)])
    appeal = create_petition(world, unit="DN", actor="phead", petitioners=[citizen(9)], received_on=TODAY)
    accept_petition(
        appeal,
        world.users["phead"],
        accepted_on=TODAY,
        appeal_of=first,
        expected_version=UNCHECKED,
    )
    second = appeal.case
    db.session.commit()
    run()
    assert flagged(FlagKind.PROLONGED) == {("case", first.id), ("case", second.id)}
    details = {f.subject_id: json.loads(f.detail) for f in active_flags(kind=FlagKind.PROLONGED)}
    assert details == {
        first.id: {"reason": "appealed", "by": second.number},
        second.id: {"reason": "appeal", "of": first.number},
    }
    # The appealed decision is not enforced (Law on Complaints art. 44): the first case is closed as it is.
    assert not first.can_perform(CaseAction.ENFORCE, world.users["handler"])
    perform(first, CaseAction.CLOSE, world.users["head"], expected_version=UNCHECKED)
    db.session.commit()
    run()
    assert flagged(FlagKind.PROLONGED) == {("case", second.id)}


# --- Over-level ----------------------------------------------------------------------------------------


def test_petitioning_two_units_in_the_window_is_over_level(world):
    here = create_petition(world, petitioners=[citizen(10)])
    there = create_petition(world, unit="TL", actor="tl_reception", petitioners=[citizen(10)])
    alone = create_petition(world, petitioners=[citizen(11)])
    run()
    assert flagged(FlagKind.OVER_LEVEL) == {("petition", here.id), ("petition", there.id)}
    assert json.loads(active_flags(kind=FlagKind.OVER_LEVEL)[0].detail) == {"reason": "several_units", "units": 2}
    assert ("petition", alone.id) not in flagged(FlagKind.OVER_LEVEL)
    decide_petition(
        there,
        world.users["tl_reception"],
        PetitionState.GUIDED,
        guidance="Gửi UBND xã Tân Khai",
        on=local_today(),
        expected_version=UNCHECKED,
    )
    case = accept(here)
    run()
    assert flagged(FlagKind.OVER_LEVEL) == {("case", case.id)}  # the guided petition needs no more attention


@pytest.mark.parametrize("ward_code, expected", [(25357, True), (None, False)])
def test_a_commune_resident_at_the_province_skipped_a_level(world, ward_code, expected):
    """Tân Khai (ward 25357) is a commune unit of the tree: it is competent first, not the province."""
    petition = create_petition(
        world, unit="DN", actor="phead", petitioners=[citizen(12, province_code=75, ward_code=ward_code)]
    )
    run()
    assert flagged(FlagKind.OVER_LEVEL) == ({("petition", petition.id)} if expected else set())
    if expected:
        assert json.loads(active_flags(kind=FlagKind.OVER_LEVEL)[0].detail) == {
            "reason": "skipped_level",
            "competent": "TK",
        }


def test_the_same_resident_at_the_commune_is_not_over_level(world):
    create_petition(world, petitioners=[citizen(13, province_code=75, ward_code=25357)])
    run()
    assert flagged(FlagKind.OVER_LEVEL) == set()


# --- Hot spot ------------------------------------------------------------------------------------------


def test_many_people_and_repeated_make_a_hot_spot(world):
    first = create_petition(
        world, petitioners=[citizen(14)], signatory_count=9, received_on=TODAY - timedelta(days=300)
    )
    case = accept(first, on=TODAY - timedelta(days=10))  # accepted lately: not prolonged
    create_petition(world, petitioners=[citizen(14)], received_on=TODAY - timedelta(days=1))
    db.session.commit()
    run()
    assert flagged(FlagKind.HOT_SPOT) == {("case", case.id)}
    assert json.loads(active_flags(kind=FlagKind.HOT_SPOT)[0].detail) == {"with": "repeated"}
    # A few months on, the first petition leaves the window: not repeated any more, not a hot spot.
    result = run(at(TODAY + timedelta(days=70)))
    assert result["hot_spot"]["cleared"] == 1
    assert flagged(FlagKind.HOT_SPOT) == set()
    assert flagged(FlagKind.MANY_PEOPLE) == {("case", case.id)}


def test_many_people_alone_is_no_hot_spot(world):
    petition = create_petition(world, petitioners=[citizen(15)], signatory_count=20)
    accept(petition)
    run()
    assert flagged(FlagKind.MANY_PEOPLE) and not flagged(FlagKind.HOT_SPOT)


# --- Idempotence and the words shown -------------------------------------------------------------------


def test_running_twice_changes_nothing(world):
    first = create_petition(world, petitioners=[citizen(16)], signatory_count=6)
    accept(first)
    create_petition(world, unit="TL", actor="tl_reception", petitioners=[citizen(16)])
    create_petition(world, unit="DN", actor="phead", petitioners=[citizen(17, province_code=75, ward_code=25357)])
    run()
    before = [(f.id, f.subject, f.subject_id, f.kind, f.cleared_at) for f in all_flags()]
    assert {f[3] for f in before} >= {FlagKind.MANY_PEOPLE, FlagKind.REPEATED, FlagKind.OVER_LEVEL, FlagKind.HOT_SPOT}
    result = run()
    assert all(r == {"raised": 0, "cleared": 0} for r in result.values()), result
    assert [(f.id, f.subject, f.subject_id, f.kind, f.cleared_at) for f in all_flags()] == before


def test_the_flag_job_is_set_based(world):
    from tests.conftest import count_queries

    for i in range(6):
        create_petition(world, petitioners=[citizen(20 + i % 3)], signatory_count=5 + i)
    db.session.commit()
    with count_queries() as statements:
        flag_complex_cases(NOW)
    statements = [s for s in statements if not s.startswith("BEGIN")]
    assert len(statements) == 10  # five kinds, each one UPDATE and one INSERT ... SELECT


@pytest.mark.parametrize(
    "detail, text",
    [
        ('{"people": 12}', "12 people"),
        ('{"petitions": 3, "days": 365}', "3 petitions from the same person within 365 days"),
        ('{"reason": "open_long", "since": "2025-01-02", "days": 180}', "Open since 02/01/2025"),
        ('{"reason": "appeal", "of": "TK-VV-2026-00001"}', "TK-VV-2026-00001"),
        ('{"reason": "skipped_level", "competent": "TK"}', "TK"),
        ("not json", "not json"),
    ],
)
def test_describe_says_why_in_words(app, detail, text):
    from flask_babel import force_locale

    kind = FlagKind.MANY_PEOPLE
    with app.test_request_context(), force_locale("en"):
        assert text in describe(Flag(kind=kind, detail=detail))


def test_the_parts_of_a_split_petition_are_one_petition(world):
    """A petition of several contents split into two open parts is not the same person writing three times."""
    from app.petitions.operations import Part, split_petition
    from tests.factories import subject

    whole = create_petition(world, received_on=local_today() - timedelta(days=2))
    parts = [
        Part(PetitionKind.COMPLAINT, "Khiếu nại", subject()),
        Part(PetitionKind.RECOMMENDATION, "Kiến nghị", subject()),
    ]
    split_petition(whole, world.users["reception"], parts, on=local_today(), expected_version=UNCHECKED)
    db.session.commit()
    run(at(local_today()))
    assert flagged(FlagKind.REPEATED) == set()
    # A later petition of the same person is a repeat: two petitions (the split one counts once).
    later = create_petition(world, received_on=local_today())
    db.session.commit()
    run(at(local_today()))
    assert ("petition", later.id) in flagged(FlagKind.REPEATED)
    detail = json.loads(next(f for f in active_flags(kind=FlagKind.REPEATED) if f.subject_id == later.id).detail)
    assert detail["petitions"] == 2
