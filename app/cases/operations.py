"""Writes on cases: opening one on acceptance, and the single function that performs a transition."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from ..core.enums import parse_enum
from ..core.errors import PermissionRefused, StaleObject, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import STALE_MESSAGE, check_version
from ..core.roles import Role
from ..core.sequences import next_number
from ..core.timeutil import local_to_utc, local_today, to_local, utcnow
from ..core.validation import parse_id
from ..extensions import db
from ..petitions.models import Petition, PetitionKind, PetitionState
from ..petitions.operations import check_decision, record_decision
from ..petitions.procedure import Lodging
from ..users.models import User
from .models import (
    AMOUNTS,
    CASE_TRANSITIONS,
    LAND_MAX,
    MONEY_MAX,
    Case,
    CaseAction,
    CaseEvent,
    CaseState,
    CaseStep,
    Complexity,
    Outcome,
    StepKind,
)
from .procedure import ALREADY_APPEALED, APPEAL_AFTER_EFFECT, APPEAL_IN_COURT
from .signals import case_decision_delivered, case_opened, case_taken_to_court, case_transitioned

#: Which timestamp each target state stamps.
STAMPS = {
    CaseState.ASSIGNED: "assigned_at",
    CaseState.SUSPENDED: "suspended_at",
    CaseState.RESOLVED: "resolved_at",
    CaseState.ENFORCED: "enforced_at",
    CaseState.CLOSED: "closed_at",
    CaseState.WITHDRAWN: "withdrawn_at",
    CaseState.TERMINATED: "terminated_at",
}

REQUIRED_MESSAGES = {
    "suspension_decision_no": _l("Enter the number of the suspension decision."),
    "suspended_on": _l("Enter the date of the suspension decision."),
    "handler_id": _l("Choose the handling officer."),
    "note": _l("Write the reason."),
    "outcome": _l("Choose the outcome."),
    "enforced_on": _l("Enter the date enforcement was completed."),
    "enforcement_result": _l("Describe the result of enforcement."),
}


def _required_message(case: Case, name: str) -> str:
    if name == "decision_no":
        return str(case.words.enter_number)
    if name == "decision_on":
        return str(case.words.enter_date)
    return str(REQUIRED_MESSAGES.get(name, _l("A required field is missing.")))


def accept_petition(
    petition: Petition,
    actor: User,
    *,
    expected_version: object,
    accepted_on: date,
    instance: int | None = None,
    join_case: Case | None = None,
    appeal_of: Case | None = None,
    note: str | None = None,
    override_reason: str | None = None,
    lodging: Lodging | None = None,
) -> Case:
    """Accept (thụ lý) a received petition: open a case for it, or join it to ``join_case``; return the case.

    ``expected_version``: the petition's version in the form (core.locking.check_version; UNCHECKED without one).
    ``accepted_on``: the date of the acceptance decision, given by the caller (the form's date; a test's day).
    """
    if appeal_of is not None and petition.kind is PetitionKind.COMPLAINT:
        # The appeal's own refusals first: they say more than "a matter already resolved" (art. 11 both).
        _check_appeal(appeal_of, instance or 2)
    check_decision(
        petition,
        actor,
        PetitionState.ACCEPTED,
        expected_version=expected_version,
        note=note,
        override_reason=override_reason,
        lodging=lodging,
    )
    if join_case is not None:
        join_petition(join_case, petition, actor)
        case = join_case
    else:
        case = open_case(petition, actor, accepted_on=accepted_on, instance=instance, parent_case=appeal_of)
        petition.instance = case.instance  # a complaint registered as one instance and accepted as the other
    record_decision(
        petition,
        actor,
        PetitionState.ACCEPTED,
        on=accepted_on,
        note=note,
        override_reason=override_reason,
        lodging=lodging,
    )
    return case


def open_case(
    petition: Petition, actor: User, *, accepted_on: date, instance: int | None = None, parent_case: Case | None = None
) -> Case:
    """Accept (thụ lý) a petition: open a case in the petition's unit and start its clock."""
    if accepted_on < petition.received_on:
        raise TransitionRefused(_l("The acceptance date cannot be before the petition was received."))
    if petition.kind is PetitionKind.COMPLAINT:
        instance = instance or (2 if parent_case else 1)
        if instance not in (1, 2):
            raise TransitionRefused(_l("A complaint is first or second instance."))
        if parent_case is not None:
            _check_appeal(parent_case, instance)
            if not _same_confidentiality(parent_case, petition):
                raise TransitionRefused(MIXED_APPEAL_MESSAGE)
    elif parent_case is not None:
        raise TransitionRefused(_l("Only a complaint can appeal a first-instance decision."))
    else:
        instance = None
    unit = petition.unit
    year = accepted_on.year
    seq = next_number(unit.id, "case", year)
    case = Case(
        unit=unit,
        year=year,
        seq=seq,
        number=f"{unit.code}-VV-{year}-{seq:05d}",
        kind=petition.kind,
        instance=instance,
        parent_case=parent_case,
        title=petition.summary,
        subject_area_id=petition.subject_area_id,
        state=CaseState.ACCEPTED,
        received_on=petition.received_on,
        accepted_on=accepted_on,
        accepted_by_id=actor.id,
        complexity=Complexity.NORMAL,
        is_remote_area=unit.is_remote,
    )
    db.session.add(case)
    db.session.flush()
    petition.case_id = case.id
    log_case_event(case, actor, "open", None, CaseState.ACCEPTED, petition.receipt_no)
    case_opened.send(case)
    return case


@dataclass(frozen=True)
class Conclusion:
    """The decision that concluded a case before TiepDan, as the unit's register records it."""

    decision_no: str
    decision_on: date
    outcome: Outcome
    summary: str | None = None


def accept_imported(
    petition: Petition,
    actor: User,
    *,
    accepted_on: date,
    conclusion: Conclusion | None = None,
    note: str | None = None,
) -> Case:
    """A petition accepted before TiepDan, read from the unit's register: its case opened on its own
    acceptance date (its clock runs from that day, as any case's) and, when the register records the decision
    that concluded it, resolved and closed with that decision on its date, so no clock runs on.

    The rules of procedure are not judged again: the register records what was done.
    """
    case = open_case(petition, actor, accepted_on=accepted_on, instance=petition.instance)
    petition.instance = case.instance
    record_decision(petition, actor, PetitionState.ACCEPTED, on=accepted_on, note=note, imported=True)
    if conclusion is None:
        return case
    if conclusion.decision_on < accepted_on:
        raise TransitionRefused(_l("The decision date cannot be before the case was accepted."))
    if conclusion.outcome not in case.allowed_outcomes():
        raise TransitionRefused(_l("This outcome does not fit a case of this kind."))
    case.decision_no = conclusion.decision_no.strip()
    case.decision_on = conclusion.decision_on
    case.outcome = conclusion.outcome
    case.decision_summary = (conclusion.summary or "").strip() or None
    stamp = local_to_utc(datetime.combine(conclusion.decision_on, time(8, 0)))
    for action, state in ((CaseAction.RESOLVE, CaseState.RESOLVED), (CaseAction.CLOSE, CaseState.CLOSED)):
        case.state = state
        setattr(case, STAMPS[state], stamp)
        _flush(case)
        case_transitioned.send(case, action=action, on=conclusion.decision_on)
    log_case_event(case, actor, "import", CaseState.ACCEPTED, CaseState.CLOSED, note)
    return case


def _check_appeal(parent: Case, instance: int) -> None:
    """A second-instance case appeals a first-instance complaint case that has its decision."""
    if instance != 2:
        raise TransitionRefused(_l("A case that appeals a first-instance decision is second instance."))
    if parent.kind is not PetitionKind.COMPLAINT or parent.instance != 1:
        raise TransitionRefused(_l("The appealed case must be a first-instance complaint."))
    if parent.decision_no is None and parent.resolution_lapsed_on is None:
        raise TransitionRefused(
            _l(
                "The appealed case has no first-instance decision yet, and its resolution period has not run "
                "out: a second complaint is lodged against a decision, or once the period passed without one "
                "(Law on Complaints 2011, art. 33)."
            )
        )
    if parent.legally_effective_on is not None:
        APPEAL_AFTER_EFFECT.refuse()
    if parent.in_court:
        APPEAL_IN_COURT.refuse()
    if parent.is_appealed:
        ALREADY_APPEALED.refuse()


def _same_confidentiality(case: Case, petition: Petition) -> bool:
    """True if every petition of ``case`` is as confidential as ``petition`` (see MIXED_CASE_MESSAGE)."""
    return all(p.is_identity_confidential == petition.is_identity_confidential for p in case.petitions)


#: Why a confidential and an open petition never share a case (nor a first and second instance): the case
#: page, its API answer and its export list all its petitioners, so the masked petitioner would stand next
#: to the same person by name, CCCD, phone and address. Masking every petitioner of such a case instead
#: would hide an open petitioner from the officers entitled to them, on every surface that shows a case.
MIXED_CASE_MESSAGE = _l(
    "A confidential petition can only join a case whose petitions are all confidential, "
    "and a petition that is not confidential only a case without a confidential one: "
    "otherwise the case would show the protected petitioner next to the same person by "
    "name. Accept it as a case of its own."
)
MIXED_APPEAL_MESSAGE = _l(
    "The appealed case and this petition differ in confidentiality (one petitioner's "
    "identity is protected, the other's is not): linking them would show the protected "
    "petitioner next to the same person by name. Accept it without the link to the "
    "first-instance case."
)


def join_petition(case: Case, petition: Petition, actor: User) -> None:
    """Join a further petition of the same content to an open case."""
    if not case.is_open:
        raise TransitionRefused(_l("A petition can only be joined to an open case."))
    if case.kind is not petition.kind:
        raise TransitionRefused(_l("The petition and the case are of different kinds."))
    if not _same_confidentiality(case, petition):
        raise TransitionRefused(MIXED_CASE_MESSAGE)
    petition.case_id = case.id
    log_case_event(case, actor, "join", case.state, case.state, petition.receipt_no)


def perform(
    case: Case,
    action: CaseAction,
    actor: User,
    *,
    expected_version: object,
    today: date | None = None,
    note: str | None = None,
    **fields: Any,
) -> Case:
    """Perform one workflow transition: check state, role, scope and required fields; stamp; log.

    ``expected_version``: the case's version in the form (core.locking.check_version; UNCHECKED without one).
    ``today``: the local day the action is performed on (the clocks move on it; a decision or enforcement
    date may not lie after it). Views pass ``local_today()``. Optional only because about 80 calls (tests,
    demo, bulk data) perform actions "now": None means ``local_today()``.
    """
    today = today or local_today()
    action = CaseAction(action)
    check_version(case, expected_version)
    t = CASE_TRANSITIONS[action]
    check_transition(case, action, actor)
    given = dict(fields, note=(note or "").strip() or None)
    for name in t.requires:
        if given.get(name) in (None, ""):
            raise TransitionRefused(_required_message(case, name))

    apply = _APPLY.get(action)
    if apply:
        apply(case, actor, today=today, **fields)
    before = case.state
    case.state = t.target
    setattr(case, STAMPS[t.target], utcnow())
    _flush(case)  # another request may have saved the case between our version check and this write
    log_case_event(case, actor, action.value, before, t.target, _history_note(action, case, given["note"]))
    case_transitioned.send(case, action=action, on=today)
    return case


def check_transition(case: Case, action: CaseAction, actor: User) -> None:
    """Raise the refusal ``perform`` would give for this action now, on state, role and scope alone."""
    action = CaseAction(action)
    t = CASE_TRANSITIONS[action]
    if case.state not in t.sources:
        raise TransitionRefused(
            _(
                "“%(action)s” is not possible while the case is “%(state)s”.",
                action=case.action_label(action),
                state=case.state.label,
            )
        )
    if not case.actor_role_ok(t.roles, actor):
        raise PermissionRefused(_("You are not allowed to “%(action)s” this case.", action=case.action_label(action)))
    if action is CaseAction.CLOSE and case.awaits_enforcement:
        raise TransitionRefused(_l("Record the enforcement of the decision before closing the case."))
    rule = case.procedure_refusal(action)
    if rule is not None:
        rule.refuse()


def _assign(
    case: Case,
    actor: User,
    *,
    handler_id: int | str | None,
    handling_unit_id: int | str | None = None,
    complexity: str | None = None,
    **_: object,
) -> None:
    handler = db.session.get(User, parse_id(handler_id)) if parse_id(handler_id) else None
    if handler is None or not handler.is_active or not handler.has_role(Role.HANDLER):
        raise TransitionRefused(_l("The chosen officer is not an active handling officer."))
    if not handler.unit.is_within(case.unit) and not case.unit.is_within(handler.unit):
        raise TransitionRefused(_l("The handling officer must belong to the case's unit or a unit below it."))
    chosen = parse_enum(Complexity, complexity) if complexity else None
    if complexity and chosen is None:
        raise TransitionRefused(_l("Choose the complexity of the case."))
    case.handler_id = handler.id
    case.handling_unit_id = int(handling_unit_id) if handling_unit_id else handler.unit_id
    if chosen is not None:
        case.complexity = chosen


def _resolve(
    case: Case,
    actor: User,
    *,
    decision_no: str,
    decision_on: date,
    outcome: str,
    decision_summary: str | None = None,
    enforcement_required: str | None = None,
    enforcement_due_on: date | None = None,
    violation_handling: str | None = None,
    people_to_sanction: int | None = None,
    referred_to_investigation: bool = False,
    today: date,
    **rest: object,
) -> None:
    chosen = parse_enum(Outcome, outcome)
    if chosen is None or chosen not in case.allowed_outcomes():
        raise TransitionRefused(_l("This outcome does not fit a case of this kind."))
    if decision_on < case.accepted_on:
        raise TransitionRefused(_l("The decision date cannot be before the case was accepted."))
    if decision_on > today:
        raise TransitionRefused(_l("The decision date cannot be in the future."))
    if enforcement_due_on and enforcement_due_on < decision_on:
        raise TransitionRefused(_l("The enforcement deadline cannot be before the decision date."))
    if people_to_sanction is not None and people_to_sanction < 0:
        raise TransitionRefused(_l("The number of people cannot be negative."))
    # What it orders recovered or returned, only with something to carry out.
    amounts = check_amounts({k: rest.get(k) for k in AMOUNTS}) if (enforcement_required or "").strip() else {}
    case.decision_no = decision_no.strip()
    case.decision_on = decision_on
    case.outcome = chosen
    case.decision_summary = (decision_summary or "").strip() or None
    case.enforcement_required = (enforcement_required or "").strip() or None
    case.enforcement_due_on = enforcement_due_on
    for name in AMOUNTS:
        setattr(case, name, amounts.get(name))
    if case.kind is PetitionKind.DENUNCIATION:
        case.violation_handling = (violation_handling or "").strip() or None
        case.people_to_sanction = people_to_sanction
        case.referred_to_investigation = bool(referred_to_investigation)


def _suspend(
    case: Case, actor: User, *, suspension_decision_no: str, suspended_on: date, today: date, **rest: object
) -> None:
    if suspended_on > today:
        raise TransitionRefused(_l("The suspension cannot be dated in the future."))
    since = suspendable_from(case)
    if suspended_on < since:
        raise TransitionRefused(
            _(
                "The suspension cannot be dated before %(date)s (the case's acceptance or its last resumption).",
                date=f"{since:%d/%m/%Y}",
            )
        )
    case.suspension_decision_no = suspension_decision_no.strip()
    case.suspended_on = suspended_on


def suspendable_from(case: Case) -> date:
    """The earliest day a suspension may be dated: the acceptance, or the day the last suspension ended."""
    resumed = db.session.scalar(
        select(func.max(CaseEvent.at)).where(CaseEvent.case_id == case.id, CaseEvent.action == CaseAction.RESUME.value)
    )
    return max(case.accepted_on, to_local(resumed).date()) if resumed else case.accepted_on


def _enforce(case: Case, actor: User, *, enforced_on: date, enforcement_result: str, today: date, **_: object) -> None:
    assert case.decision_on is not None, "a case is enforced after its decision (CASE_TRANSITIONS)"
    if enforced_on < case.decision_on:
        raise TransitionRefused(_l("Enforcement cannot be completed before the decision date."))
    if enforced_on > today:
        raise TransitionRefused(_l("The enforcement date cannot be in the future."))
    if case.legally_effective_on is not None and enforced_on < case.legally_effective_on:
        raise TransitionRefused(_l("Enforcement cannot be completed before the decision took legal effect."))
    case.enforced_on = enforced_on
    case.enforcement_result = enforcement_result.strip()


_APPLY: dict[CaseAction, Callable[..., None]] = {
    CaseAction.ASSIGN: _assign,
    CaseAction.SUSPEND: _suspend,
    CaseAction.RESOLVE: _resolve,
    CaseAction.ENFORCE: _enforce,
}


def _describe(action: CaseAction, case: Case) -> str | None:
    if action is CaseAction.ASSIGN and case.handler_id:
        return db.session.get_one(User, case.handler_id).full_name
    if action is CaseAction.RESOLVE:
        return f"{case.decision_no} ({case.decision_on:%d/%m/%Y})"
    return None


def _history_note(action: CaseAction, case: Case, note: str | None) -> str | None:
    """The history row's note: the reason given, with the suspension decision when there is one."""
    if action is CaseAction.SUSPEND and case.suspended_on is not None:
        return f"{case.suspension_decision_no} ({case.suspended_on:%d/%m/%Y}): {note}"
    return note or _describe(action, case)


def record_court_filing(
    case: Case,
    actor: User,
    *,
    court: str,
    filed_on: date,
    court_case_no: str | None = None,
    expected_version: object,
    today: date,
) -> Case:
    """Record that the complainant took the case's decision to an administrative court (Law on Complaints
    2011 art. 33): the administrative route stops, the decision is neither carried out nor takes effect."""
    check_version(case, expected_version)
    if not case.can_take_to_court(actor):
        raise TransitionRefused(
            _l("A lawsuit is recorded on a complaint decision that has not taken effect, by its officer or head.")
        )
    if not (court or "").strip():
        raise TransitionRefused(_l("Say which court the lawsuit was filed with."))
    assert case.decision_on is not None, "a resolved case has its decision date (resolved_has_decision)"
    if not case.decision_on <= filed_on <= today:
        raise TransitionRefused(_l("The lawsuit must be dated between the decision and today."))
    case.court_name = court.strip()
    case.court_filed_on = filed_on
    case.court_case_no = (court_case_no or "").strip() or None
    _flush(case)
    log_case_event(case, actor, "court", case.state, case.state, case.court_name)
    case_taken_to_court.send(case, on=filed_on)
    return case


def record_delivery(
    case: Case, actor: User, *, delivered_on: date, recipients: str, expected_version: object, today: date
) -> Case:
    """Record the day the decision was sent to the complainant and the parties (for a first-instance complaint,
    the appeal period counts from it: Law on Complaints 2011 art. 33)."""
    check_version(case, expected_version)
    if not case.can_record_delivery(actor):
        raise TransitionRefused(_l("The sending of the decision is recorded once, after it, by its officer or head."))
    if not (recipients or "").strip():
        raise TransitionRefused(_l("Say to whom the decision was sent."))
    assert case.decision_on is not None, "can_record_delivery: the case has its decision"
    if not case.decision_on <= delivered_on <= today:
        raise TransitionRefused(_l("The decision must be sent between its date and today."))
    case.decision_delivered_on = delivered_on
    case.decision_delivered_to = recipients.strip()
    _flush(case)
    log_case_event(case, actor, "delivery", case.state, case.state, f"{delivered_on:%d/%m/%Y}: {recipients.strip()}")
    case_decision_delivered.send(case, on=delivered_on)
    return case


def record_judgment(
    case: Case, actor: User, *, judgment_on: date, judgment: str, expected_version: object, today: date
) -> Case:
    """Record the court's judgment on the lawsuit against the case's decision."""
    check_version(case, expected_version)
    if not case.can_record_judgment(actor):
        raise TransitionRefused(_l("The judgment is recorded on a case taken to court, by its officer or head."))
    if not (judgment or "").strip():
        raise TransitionRefused(_l("Summarise the judgment."))
    assert case.court_filed_on is not None, "can_record_judgment: the case is in court"
    if not case.court_filed_on <= judgment_on <= today:
        raise TransitionRefused(_l("The judgment must be dated between the lawsuit and today."))
    case.court_judgment_on = judgment_on
    case.court_judgment = judgment.strip()
    _flush(case)
    log_case_event(case, actor, "judgment", case.state, case.state, case.court_judgment)
    return case


def record_step(
    case: Case,
    actor: User,
    kind: StepKind,
    *,
    held_on: date,
    people: str | None = None,
    summary: str,
    result: str | None = None,
    decision_no: str | None = None,
    differs_from_claim: bool | None = None,
    expected_version: object,
    today: date,
    **amounts: int | float | None,
) -> CaseStep:
    """Record a verification (its assignment decision, verifiers and report) or a dialogue (participants,
    minutes, result) of a case being verified, or a step of the enforcement of its decision (what was done,
    by whom, the money and land it recovered or returned: ``amounts`` by AMOUNTS column). The case's version
    moves: a stale form is refused."""
    kind = StepKind(kind)
    check_version(case, expected_version)
    if not case.can_record_step(kind, actor):
        if kind is StepKind.ENFORCEMENT:
            raise TransitionRefused(
                _l(
                    "Enforcement progress is recorded while the decision is carried out (a complaint decision "
                    "once legally effective), by its officer or head."
                )
            )
        raise TransitionRefused(
            _l(
                "Verification and dialogue are recorded on a case being verified, by its officer or head;"
                " a dialogue on a complaint."
            )
        )
    enforcing = kind is StepKind.ENFORCEMENT
    if not enforcing and not (people or "").strip():
        raise TransitionRefused(STEP_MESSAGES[kind]["people"])
    if not (summary or "").strip():
        raise TransitionRefused(STEP_MESSAGES[kind]["summary"])
    earliest = (case.legally_effective_on or case.decision_on or case.accepted_on) if enforcing else case.accepted_on
    if not earliest <= held_on <= today:
        if enforcing:
            raise TransitionRefused(
                _l("The enforcement step must be dated between the decision's taking effect (or its date) and today.")
            )
        raise TransitionRefused(_l("The step must be dated between the case's acceptance and today."))
    amounts = check_amounts(amounts) if enforcing else {}
    if kind is StepKind.VERIFICATION and case.kind is PetitionKind.COMPLAINT and differs_from_claim is None:
        raise TransitionRefused(_l("Say whether the verification found what the complainant claims."))
    step = CaseStep(
        case_id=case.id,
        kind=kind,
        held_on=held_on,
        decision_no=(decision_no or "").strip() or None if kind is StepKind.VERIFICATION else None,
        people=(people or "").strip(),
        summary=summary.strip(),
        result=(result or "").strip() or None if kind is StepKind.DIALOGUE else None,
        # Only a complaint has a claim to compare the findings with.
        differs_from_claim=differs_from_claim
        if kind is StepKind.VERIFICATION and case.kind is PetitionKind.COMPLAINT
        else None,
        created_by_id=actor.id,
        **amounts,
    )
    db.session.add(step)
    case.steps.append(step)
    case.updated_at = utcnow()  # the case changed: its version moves
    _flush(case)
    log_case_event(case, actor, kind.value, case.state, case.state, f"{held_on:%d/%m/%Y}: {step.summary}")
    return step


def check_amounts(amounts: Mapping[str, object]) -> dict[str, int | float | None]:
    """The AMOUNTS given (money in whole đồng, land in m² to a tenth), each None or from 0 to its maximum;
    anything else is refused."""
    checked: dict[str, int | float | None] = {}
    for name in AMOUNTS:
        value = amounts.get(name)
        if value is None or value == "":
            checked[name] = None
            continue
        money = name.startswith("money")
        try:
            number = float(str(value))
        except ValueError:
            number = -1.0
        top = MONEY_MAX if money else LAND_MAX
        if not 0 <= number <= top or (money and number != int(number)):
            raise TransitionRefused(_l("Enter the money in whole đồng and the land in m², neither negative."))
        checked[name] = int(number) if money else round(number, 1)
    return checked


STEP_MESSAGES = {
    StepKind.VERIFICATION: {
        "people": _l("Name the officers who verified."),
        "summary": _l("Summarise the verification report."),
    },
    StepKind.DIALOGUE: {
        "people": _l("Name the participants of the dialogue."),
        "summary": _l("Summarise the minutes of the dialogue."),
    },
    StepKind.ENFORCEMENT: {"summary": _l("Say what was done.")},
}


def _flush(case: Case) -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleObject(STALE_MESSAGE) from None


def log_case_event(
    case: Case, actor: User, action: str, before: CaseState | None, after: CaseState | None, note: str | None
) -> None:
    """Append the case's history row (who, what, from which state to which, why)."""
    db.session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor.id,
            action=action,
            from_state=str(before) if before else None,
            to_state=str(after) if after else None,
            note=note or None,
        )
    )
