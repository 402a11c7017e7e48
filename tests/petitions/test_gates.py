"""Every legal gate of a petition's processing decision in one table: the decision allowed, refused with the
rule's message and basis (changing nothing), or set aside by the head of the unit with a reason (recorded in
the petition's history and the audit log with the rule's code)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import CaseState
from app.cases.operations import accept_petition
from app.core.errors import DomainError
from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.extensions import db
from app.petitions.models import Channel, PetitionKind, PetitionState
from app.petitions.operations import decide_petition
from app.petitions.procedure import Lodging
from tests.factories import create_case, create_petition, person, subject
from tests.petitions.helpers import text
from tests.petitions.test_decide import stored

K, S = PetitionKind, PetitionState
TODAY = local_today()
HINT = "Only the head of the unit can decide otherwise, giving the reason."
GUIDANCE = "Hướng dẫn công dân gửi đơn đến Tòa án nhân dân khu vực"
TRANSFER = dict(transferred_to="Thanh tra tỉnh Đồng Nai", transfer_dispatch_no="45/PC-UBND")


@pytest.fixture(autouse=True)
def _english_messages(app):
    from flask_babel import force_locale

    with force_locale("en"):
        yield


def _guided(world, **kw):
    """An earlier petition on which the citizen was guided (by default: the same person, land)."""
    p = create_petition(world, received_on=TODAY - timedelta(days=40), **kw)
    decide_petition(
        p,
        world.users[kw.get("actor", "reception")],
        S.GUIDED,
        guidance=GUIDANCE,
        on=p.received_on,
        expected_version=UNCHECKED,
    )
    return p


def _later(world, **kw):
    return create_petition(world, received_on=TODAY - timedelta(days=2), **kw)


@dataclass(frozen=True)
class Situation:
    """A petition in a situation, the decision tried on it and the rule that gates it (None: allowed)."""

    make: Callable
    decision: S
    rule: str | None
    #: The start of the refusal, and the facts it names (e.g. the earlier petition).
    text: str = ""


def transferred_denunciation(world):
    return _later(
        world,
        kind=K.DENUNCIATION,
        channel=Channel.TRANSFERRED,
        source_agency="Thanh tra tỉnh",
        source_dispatch_no="1/TTr",
    ), None


def guided_again(world):
    earlier = _guided(world)
    return _later(world), earlier


def guided_again_other_area(world):
    _guided(world, subject_area=subject("admin.housing"))
    return _later(world), None


def guided_again_other_person(world):
    _guided(world, petitioners=[person("Trần Văn Bình", "079000000777")])
    return _later(world), None


def guided_again_other_kind(world):
    _guided(world, kind=K.RECOMMENDATION)
    return _later(world), None


def guided_confidentially_before(world):
    _guided(world, is_identity_confidential=True)  # a confidential petitioner's CCCD links nothing
    return _later(world), None


def guided_in_a_sibling_commune(world):
    _guided(world, unit="TL", actor="tl_reception")
    return _later(world), None


def guided_in_an_office_below(world):
    earlier = _guided(world, unit="TKVP")
    return _later(world), earlier


def resolved_before(world):
    case = create_case(world, CaseState.CLOSED)  # an effective first-instance decision, carried out
    return _later(world), case.petitions[0]


def resolved_before_not_yet_effective(world):
    create_case(world, CaseState.RESOLVED)  # its appeal period still runs: an appeal, not a repeat
    return _later(world), None


def resolved_before_other_area(world):
    create_case(world, CaseState.CLOSED, subject_area=subject("admin.policy"))
    return _later(world), None


def lodged_late(world):
    return _later(world), None


SITUATIONS = {
    "transferred denunciation, transferred again": Situation(
        transferred_denunciation,
        S.TRANSFERRED,
        "denunciation.transferred_once",
        "This denunciation reached the unit by transfer, and a denunciation is transferred once only",
    ),
    "same person, kind and area guided before": Situation(
        guided_again,
        S.GUIDED,
        "petition.guided_once",
        "This citizen was already guided on a petition of the same kind and subject area",
    ),
    "guided before in an office below the unit": Situation(
        guided_in_an_office_below, S.GUIDED, "petition.guided_once", "This citizen was already guided"
    ),
    "guided before on another area": Situation(guided_again_other_area, S.GUIDED, None),
    "another person guided before": Situation(guided_again_other_person, S.GUIDED, None),
    "guided before on another kind": Situation(guided_again_other_kind, S.GUIDED, None),
    "guided before as a confidential petitioner": Situation(guided_confidentially_before, S.GUIDED, None),
    "guided before by a sibling commune": Situation(guided_in_a_sibling_commune, S.GUIDED, None),
    "same matter resolved by a decision in force": Situation(
        resolved_before,
        S.ACCEPTED,
        "complaint.already_resolved",
        "The same complainant's complaint of the same subject area was already resolved by a decision in force",
    ),
    "same matter decided, not yet in force": Situation(resolved_before_not_yet_effective, S.ACCEPTED, None),
    "another area resolved before": Situation(resolved_before_other_area, S.ACCEPTED, None),
    "complaint lodged after its period": Situation(
        lodged_late, S.ACCEPTED, "complaint.lodging_passed", "The complaint was lodged after its lodging period"
    ),
}

BASIS = {
    "denunciation.transferred_once": "(Circular 05/2021/TT-TTCP)",
    "petition.guided_once": "(Circular 05/2021/TT-TTCP)",
    "complaint.already_resolved": "(Law on Complaints 2011, art. 11; Law on Citizen Reception 2013, art. 9)",
    "complaint.lodging_passed": "(Law on Complaints 2011, art. 9 and 11)",
}

#: (actor, override reason) -> what happens when a rule gates the decision ("refused", "not a head", "set aside").
ATTEMPTS = [
    ("reception", None, "refused"),
    ("head", None, "refused"),
    ("reception", "Công dân trình bày có tình tiết mới", "not a head"),
    ("head", "Có tài liệu mới: biên bản đo đạc ngày 02/10/2026", "set aside"),
]


def _decide(world, p, decision: S, actor: str, reason: str | None, late: bool) -> None:
    user = world.users[actor]
    if decision is S.ACCEPTED:
        learned = p.received_on - timedelta(days=200 if late else 20)
        accept_petition(
            p, user, accepted_on=TODAY, lodging=Lodging(learned), override_reason=reason, expected_version=UNCHECKED
        )
    else:
        details = {S.GUIDED: dict(guidance=GUIDANCE), S.TRANSFERRED: TRANSFER}[decision]
        decide_petition(p, user, decision, on=TODAY, override_reason=reason, expected_version=UNCHECKED, **details)


def _overrides() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "procedure.override")))


@pytest.mark.parametrize("actor, reason, outcome", ATTEMPTS, ids=["officer", "head", "officer+reason", "head+reason"])
@pytest.mark.parametrize("name", SITUATIONS)
def test_every_gate(world, name, actor, reason, outcome):
    situation = SITUATIONS[name]
    p, earlier = situation.make(world)
    db.session.commit()
    before, audits = stored(p.id), len(_overrides())
    p = db.session.merge(p)
    late = situation.rule == "complaint.lodging_passed"
    if situation.rule is None:
        _decide(world, p, situation.decision, actor, None, late)  # allowed: no reason needed, nothing overridden
        db.session.commit()
        assert p.state is situation.decision and len(_overrides()) == audits
        return
    if outcome == "set aside":
        _decide(world, p, situation.decision, actor, reason, late)
        db.session.commit()
        assert p.state is situation.decision
        event = _overrides()[-1]
        assert (event.petition_id, event.reason) == (p.id, reason) and situation.rule in event.detail
        note = next(e.note for e in p.events if e.action == "override")
        assert situation.text in note and BASIS[situation.rule] in note and reason in note
        return
    with pytest.raises(DomainError) as err:
        _decide(world, p, situation.decision, actor, reason, late)
    message = str(err.value.message)
    if outcome == "not a head":
        assert message == HINT
    else:
        assert message.startswith(situation.text), message
        assert BASIS[situation.rule] in message and message.endswith(HINT)
        if earlier is not None:
            assert f"Earlier petition: {earlier.receipt_no}." in message
    db.session.rollback()
    assert stored(p.id) == before and len(_overrides()) == audits


def test_the_decision_form_warns_of_a_repeat_and_links_the_earlier_petition(world, login_en):
    earlier = _guided(world)
    p = _later(world)
    db.session.commit()
    page = text(login_en("reception").get(f"/petitions/{p.id}"))
    assert 'data-rule="petition.guided_once"' in page and "guided once only" in page
    assert f'href="/petitions/{earlier.id}" data-testid="earlier-petition"' in page
    # Filing it "as already guided" is the decision the rule points to, and it is open.
    decide_petition(
        db.session.merge(p),
        world.users["reception"],
        S.FILED,
        filed_reason="already_guided",
        on=TODAY,
        expected_version=UNCHECKED,
    )
    db.session.commit()
    assert "Same content, the citizen already guided once" in text(login_en("reception").get(f"/petitions/{p.id}"))


def test_the_already_resolved_refusal_names_the_earlier_case_in_vietnamese(world, login_as):
    case = create_case(world, CaseState.CLOSED)
    p = _later(world)
    db.session.commit()
    page = text(login_as("head").get(f"/petitions/{p.id}"))
    assert 'data-rule="complaint.already_resolved"' in page
    assert "Luật Khiếu nại 2011, Điều 11" in page and f"Vụ việc {case.number}" in page
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "procedure.override")) == 0


def test_a_confidential_petition_is_matched_with_nothing(world, login_en):
    """A confidential petitioner's CCCD links nothing: no gate names an earlier petition of theirs."""
    earlier = _guided(world)
    p = _later(world, is_identity_confidential=True)
    db.session.commit()
    page = text(login_en("reception").get(f"/petitions/{p.id}"))
    assert 'data-rule="petition.guided_once"' not in page and 'data-testid="earlier-petition"' not in page
    assert f'href="/petitions/{earlier.id}"' not in page
    decide_petition(
        db.session.merge(p), world.users["reception"], S.GUIDED, guidance=GUIDANCE, on=TODAY, expected_version=UNCHECKED
    )
