"""Every rule of the shipped table that names a stage with a clock is started by some step: the operations an
officer performs reach each rule's conditions (kind, instance, complexity, remote area, sites, the date the
law changed). The test lists the rules no step starts; the list is empty."""

from datetime import date, timedelta

from sqlalchemy import select

from app.cases.models import CaseAction, CaseState
from app.cases.operations import accept_petition, perform, record_delivery
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.defaults import DEFAULT_RULES
from app.deadlines.lifecycle import LIFECYCLE
from app.deadlines.models import Clock, DeadlineRule, Stage
from app.extensions import db
from app.petitions.models import PetitionKind, PetitionState
from app.petitions.operations import decide_petition, record_sites
from app.petitions.procedure import Lodging
from tests.factories import create_case, create_petition, person

K = PetitionKind
TODAY = local_today()
BEFORE_2026 = date(2026, 5, 4)  # a Monday before Law 136/2025/QH15 (1 July 2026)
_people = iter(range(100, 1000))


def _who():
    """A petitioner of their own (the same complainant's resolved case would gate the next complaint)."""
    n = next(_people)
    return [person(f"Người {n}", f"079000000{n:03d}")]


def _steps(world) -> None:
    """What officers do, each step through the operations that start the clocks."""
    users = world.users
    # Petitions: first answer, classification and acceptance of every kind, before and after the change
    # of the law, a second complaint, a denunciation with several sites, and one transferred.
    for kind in K:
        for received in (BEFORE_2026, TODAY - timedelta(days=3)):
            create_petition(world, kind=kind, received_on=received, petitioners=_who())
    for received in (BEFORE_2026, TODAY - timedelta(days=3)):
        create_petition(world, kind=K.COMPLAINT, received_on=received, instance=2, petitioners=_who())
    sites = create_petition(world, kind=K.DENUNCIATION, petitioners=_who())
    record_sites(sites, users["reception"], 2, expected_version=UNCHECKED)
    moved = create_petition(world, kind=K.DENUNCIATION, petitioners=_who())
    decide_petition(
        moved,
        users["reception"],
        PetitionState.TRANSFERRED,
        transferred_to="Thanh tra tỉnh",
        transfer_dispatch_no="1/PC",
        on=TODAY,
        expected_version=UNCHECKED,
    )
    # A complaint accepted with its lodging period.
    lodged = create_petition(world, kind=K.COMPLAINT, petitioners=_who())
    accept_petition(
        lodged,
        users["reception"],
        accepted_on=TODAY,
        lodging=Lodging(TODAY - timedelta(days=30)),
        expected_version=UNCHECKED,
    )
    # Complaint cases of both instances, normal and complex, in an ordinary and a remote commune (TL).
    for unit, head, handler, reception in (
        ("TK", "head", "handler", "reception"),
        ("TL", "tl_head", "tl_handler", "tl_reception"),
    ):
        for instance in (1, 2):
            for complexity in ("normal", "complex"):
                p = create_petition(
                    world, unit=unit, actor=reception, kind=K.COMPLAINT, instance=instance, petitioners=_who()
                )
                accept_petition(
                    p,
                    users[reception],
                    accepted_on=p.received_on + timedelta(1),
                    instance=instance,
                    expected_version=UNCHECKED,
                )
                perform(
                    p.case,
                    CaseAction.ASSIGN,
                    users[head],
                    handler_id=users[handler].id,
                    complexity=complexity,
                    expected_version=UNCHECKED,
                )
        # A first-instance decision sent to the parties (appeal, legal effect) and one carried out (enforcement).
        resolved = create_case(world, CaseState.RESOLVED, unit=unit, petitioners=_who())
        record_delivery(
            resolved, users[handler], delivered_on=TODAY, recipients="Ông An", expected_version=UNCHECKED, today=TODAY
        )
        create_case(world, CaseState.ENFORCED, unit=unit, petitioners=_who())
    # Denunciations: the notice of acceptance, resolution of each complexity, acting on the conclusion.
    for complexity in ("normal", "complex", "especially_complex"):
        case = create_case(world, CaseState.ASSIGNED, kind=K.DENUNCIATION, petitioners=_who())
        perform(
            case,
            CaseAction.ASSIGN,
            users["head"],
            handler_id=users["handler"].id,
            complexity=complexity,
            expected_version=UNCHECKED,
        )
    create_case(world, CaseState.RESOLVED, kind=K.DENUNCIATION, petitioners=_who())
    # Recommendations and feedback answered.
    create_case(world, CaseState.ASSIGNED, kind=K.RECOMMENDATION, petitioners=_who())
    create_case(world, CaseState.ASSIGNED, kind=K.FEEDBACK, petitioners=_who())


def test_every_rule_is_started_by_some_step(world):
    _steps(world)
    db.session.flush()
    started = set(db.session.scalars(select(DeadlineRule.code).join(Clock, Clock.rule_id == DeadlineRule.id)))
    clocked = {r["code"] for r in DEFAULT_RULES if LIFECYCLE[Stage(r["stage"])].has_clock}
    assert sorted(clocked - started) == []


def test_the_rules_without_a_clock_are_the_public_schedules():
    """The head's reception schedule is published by the public schedule, which is another step to come:
    its rule is the only one whose stage has no clock (see test_lifecycle.NOT_STARTED_YET)."""
    assert {r["code"] for r in DEFAULT_RULES if not LIFECYCLE[Stage(r["stage"])].has_clock} == {
        "reception.schedule_publication"
    }
