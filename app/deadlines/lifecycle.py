"""The clock lifecycle as one table: for each stage, the event that starts its clock and the events that
finish, suspend, resume or cancel it.

The clock receivers (clocks.py), ``engine.explain`` and the bulk generator (app/bulk/generator.py) read
this table; tests/deadlines/test_lifecycle.py drives every event through the real operations and checks
that the clocks move as the table says.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypedDict

from ..cases.models import CaseAction
from ..petitions.models import PetitionKind
from .models import ClockStatus, Stage


class ClockEvent(enum.StrEnum):
    """What happens to a petition or a case that moves its clocks."""

    #: register_petition: the petition is received.
    PETITION_REGISTERED = "petition_registered"
    #: decide_petition, accepted (a new case, or joined to an open one).
    PETITION_ACCEPTED = "petition_accepted"
    #: decide_petition otherwise: transferred, guided, filed or withdrawn.
    PETITION_NOT_ACCEPTED = "petition_not_accepted"
    #: decide_petition, transferred (raised after PETITION_NOT_ACCEPTED).
    PETITION_TRANSFERRED = "petition_transferred"
    #: split_petition: a petition of several contents became one petition per content (each with its clocks).
    PETITION_SPLIT = "petition_split"
    #: open_case: the case is accepted (thụ lý).
    CASE_ACCEPTED = "case_accepted"
    #: open_case of a second-instance case: the appealed (first-instance) case's clocks.
    CASE_APPEALED = "case_appealed"
    #: The workflow actions of cases.models.CaseAction.
    CASE_ASSIGNED = "case_assigned"
    CASE_SUSPENDED = "case_suspended"
    CASE_RESUMED = "case_resumed"
    CASE_RESOLVED = "case_resolved"
    CASE_ENFORCED = "case_enforced"
    CASE_CLOSED = "case_closed"
    CASE_WITHDRAWN = "case_withdrawn"
    CASE_TERMINATED = "case_terminated"
    #: record_notice: the acceptance notice was sent to the denunciator.
    NOTICE_SENT = "notice_sent"
    #: record_notice: the denunciator was notified of the conclusion.
    CONCLUSION_NOTIFIED = "conclusion_notified"
    #: The scheduler (jobs.mark_legally_effective): the appeal period passed, the decision takes effect.
    DECISION_EFFECTIVE = "decision_effective"
    #: record_delivery: the decision was sent to the parties.
    DECISION_DELIVERED = "decision_delivered"
    #: The scheduler (jobs.open_appeals_of_lapsed_complaints): a first-instance complaint's resolution period
    #: passed with no decision.
    RESOLUTION_LAPSED = "resolution_lapsed"
    #: record_court_filing: the complainant took the decision to an administrative court.
    COURT_FILED = "court_filed"


#: The event of each case workflow action (CaseAction is a StrEnum: its plain string values find the same entries).
ACTION_EVENTS: dict[str, ClockEvent] = {
    CaseAction.ASSIGN: ClockEvent.CASE_ASSIGNED,
    CaseAction.SUSPEND: ClockEvent.CASE_SUSPENDED,
    CaseAction.RESUME: ClockEvent.CASE_RESUMED,
    CaseAction.RESOLVE: ClockEvent.CASE_RESOLVED,
    CaseAction.ENFORCE: ClockEvent.CASE_ENFORCED,
    CaseAction.CLOSE: ClockEvent.CASE_CLOSED,
    CaseAction.WITHDRAW: ClockEvent.CASE_WITHDRAWN,
    CaseAction.TERMINATE: ClockEvent.CASE_TERMINATED,
}

#: Events after which every open clock of the case takes the rule its (changed) facts select: the head
#: sets the complexity when assigning.
RERULE_EVENTS = frozenset({ClockEvent.CASE_ASSIGNED})


class StartsFrom(enum.StrEnum):
    """The date a clock counts from."""

    RECEIPT = "receipt"
    ACCEPTANCE = "acceptance"
    DECISION = "decision"
    #: The day the decision took legal effect (the end of the legal-effect clock).
    LEGAL_EFFECT = "legal_effect"
    #: The day the complainant received or learned of the decision or act complained of.
    LEARNED = "learned"
    #: The day the decision was sent to the parties.
    DELIVERY = "delivery"


E = ClockEvent
K = PetitionKind
_ALL_KINDS = frozenset(PetitionKind)


class _Suspension(TypedDict):
    """The pause/resume fields of a Lifecycle, spread with ``**`` into the stages a suspension pauses."""

    pauses: frozenset[ClockEvent]
    resumes: frozenset[ClockEvent]


_SUSPENSION: _Suspension = dict(pauses=frozenset({E.CASE_SUSPENDED}), resumes=frozenset({E.CASE_RESUMED}))
_CASE_ENDS = frozenset({E.CASE_CLOSED, E.CASE_WITHDRAWN, E.CASE_TERMINATED})


@dataclass(frozen=True)
class Lifecycle:
    """How the clock of one stage lives.

    ``starts``: the event that starts it (``also_starts``: others that do too), for petitions/cases of
    ``kinds`` (and of ``instance``, and only when the decision requires enforcement if
    ``needs_enforcement``); None: no event starts a clock of this stage (its rules are kept for reference),
    and ``explained`` says whether ``explain`` still shows its due date as information. An open clock is
    finished (done) by ``finishes``, cancelled (no longer applies) by ``cancels``, paused by ``pauses`` and
    running again by ``resumes``.
    """

    stage: Stage
    starts: ClockEvent | None
    starts_from: StartsFrom | None
    kinds: frozenset[PetitionKind] = _ALL_KINDS
    instance: int | None = None
    needs_enforcement: bool = False
    finishes: frozenset[ClockEvent] = frozenset()
    cancels: frozenset[ClockEvent] = frozenset()
    pauses: frozenset[ClockEvent] = frozenset()
    resumes: frozenset[ClockEvent] = frozenset()
    explained: bool = True
    also_starts: frozenset[ClockEvent] = frozenset()

    @property
    def has_clock(self) -> bool:
        return self.starts is not None

    def applies_to(self, kind: str, instance: int | None = None, enforcement_required: bool = True) -> bool:
        """Whether a petition/case of ``kind`` (and ``instance``) has this stage's clock (or explanation)."""
        return (
            PetitionKind(kind) in self.kinds
            and (self.instance is None or self.instance == instance)
            and (enforcement_required or not self.needs_enforcement)
        )

    def outcome(self, event: ClockEvent) -> ClockStatus | None:
        """DONE or CANCELLED if ``event`` ends an open clock of this stage; None if it does not."""
        if event in self.finishes:
            return ClockStatus.DONE
        if event in self.cancels:
            return ClockStatus.CANCELLED
        return None


LIFECYCLE: dict[Stage, Lifecycle] = {
    life.stage: life
    for life in (
        # The petition's clocks: the processing decision answers the citizen.
        # A split petition's parts carry its answer and acceptance (from the same day of receipt): its own
        # clocks end with the split, the classification done.
        Lifecycle(
            Stage.FIRST_ANSWER,
            E.PETITION_REGISTERED,
            StartsFrom.RECEIPT,
            finishes=frozenset({E.PETITION_ACCEPTED, E.PETITION_NOT_ACCEPTED}),
            cancels=frozenset({E.PETITION_SPLIT}),
        ),
        Lifecycle(
            Stage.CLASSIFICATION,
            E.PETITION_REGISTERED,
            StartsFrom.RECEIPT,
            finishes=frozenset({E.PETITION_ACCEPTED, E.PETITION_NOT_ACCEPTED, E.PETITION_SPLIT}),
        ),
        Lifecycle(
            Stage.ACCEPTANCE,
            E.PETITION_REGISTERED,
            StartsFrom.RECEIPT,
            kinds=frozenset({K.COMPLAINT, K.DENUNCIATION}),
            finishes=frozenset({E.PETITION_ACCEPTED}),
            cancels=frozenset({E.PETITION_NOT_ACCEPTED, E.PETITION_SPLIT}),
        ),
        # A denunciation outside the unit's competence is transferred within its limit from receipt (Law on
        # Denunciations art. 24): the transfer decision starts and ends the clock, kept as done on time or late.
        Lifecycle(
            Stage.TRANSFER,
            E.PETITION_TRANSFERRED,
            StartsFrom.RECEIPT,
            kinds=frozenset({K.DENUNCIATION}),
            finishes=frozenset({E.PETITION_TRANSFERRED}),
        ),
        # The case's clocks.
        Lifecycle(
            Stage.NOTIFY_ACCEPTANCE,
            E.CASE_ACCEPTED,
            StartsFrom.ACCEPTANCE,
            kinds=frozenset({K.DENUNCIATION}),
            finishes=frozenset({E.NOTICE_SENT}),
            cancels=_CASE_ENDS,
            **_SUSPENSION,
        ),
        Lifecycle(
            Stage.RESOLUTION,
            E.CASE_ACCEPTED,
            StartsFrom.ACCEPTANCE,
            finishes=frozenset({E.CASE_RESOLVED}),
            cancels=_CASE_ENDS,
            **_SUSPENSION,
        ),
        # The conclusion is sent to the denounced and notified to the denunciator within its limit from the
        # conclusion (Law on Denunciations 2018 art. 35), whatever else the case still waits for.
        Lifecycle(
            Stage.NOTIFY_CONCLUSION,
            E.CASE_RESOLVED,
            StartsFrom.DECISION,
            kinds=frozenset({K.DENUNCIATION}),
            finishes=frozenset({E.CONCLUSION_NOTIFIED}),
            cancels=_CASE_ENDS,
            **_SUSPENSION,
        ),
        # Only a conclusion that requires something to be done has it ("nothing to act on" is recorded
        # explicitly with the conclusion): carrying it out (the enforce action) finishes it.
        Lifecycle(
            Stage.ACT_ON_CONCLUSION,
            E.CASE_RESOLVED,
            StartsFrom.DECISION,
            kinds=frozenset({K.DENUNCIATION}),
            needs_enforcement=True,
            finishes=frozenset({E.CASE_ENFORCED}),
            cancels=_CASE_ENDS,
            **_SUSPENSION,
        ),
        # The citizen's period to appeal a first-instance decision (Law on Complaints art. 33), from the day it
        # was sent to them, or from the day the first-instance period ran out with no decision (the scheduler):
        # it ends when the appeal is accepted, or when the decision takes legal effect.
        Lifecycle(
            Stage.APPEAL,
            E.DECISION_DELIVERED,
            StartsFrom.DELIVERY,
            also_starts=frozenset({E.RESOLUTION_LAPSED}),
            kinds=frozenset({K.COMPLAINT}),
            instance=1,
            finishes=frozenset({E.CASE_APPEALED, E.DECISION_EFFECTIVE}),
            cancels=frozenset({E.CASE_WITHDRAWN, E.CASE_TERMINATED, E.COURT_FILED}),
        ),
        # A complaint case is closed only once this clock finished or an appeal cancelled it (cases.procedure,
        # Law on Complaints art. 44): closing does not end it.
        Lifecycle(
            Stage.LEGAL_EFFECT,
            E.CASE_RESOLVED,
            StartsFrom.DECISION,
            kinds=frozenset({K.COMPLAINT}),
            finishes=frozenset({E.DECISION_EFFECTIVE}),
            cancels=frozenset({E.CASE_APPEALED, E.CASE_WITHDRAWN, E.CASE_TERMINATED, E.COURT_FILED}),
            **_SUSPENSION,
        ),
        Lifecycle(
            Stage.ENFORCEMENT,
            E.DECISION_EFFECTIVE,
            StartsFrom.LEGAL_EFFECT,
            kinds=frozenset({K.COMPLAINT}),
            needs_enforcement=True,
            finishes=frozenset({E.CASE_ENFORCED}),
            cancels=_CASE_ENDS,
            explained=False,  # explain takes no date of legal effect
            **_SUSPENSION,
        ),
        # The citizen's period to lodge a first-instance complaint (Law on Complaints art. 9), recorded at
        # acceptance: counted from the day the complainant learned of the decision, it ends (done, on time
        # or late) on the day the complaint was received. Only when that day is recorded.
        Lifecycle(
            Stage.LODGING,
            E.PETITION_ACCEPTED,
            StartsFrom.LEARNED,
            kinds=frozenset({K.COMPLAINT}),
            instance=1,
            finishes=frozenset({E.PETITION_ACCEPTED}),
            explained=False,  # explain takes no day of learning
        ),
        # No clock and no explanation: a rule kept for reference (the publication of the head's schedule).
        Lifecycle(Stage.SCHEDULE_PUBLICATION, None, None, kinds=frozenset(), explained=False),
    )
}
del E, K

#: The notices with a clock of their own, and the event that recording each raises (clocks.record_notice).
NOTICE_EVENTS: dict[Stage, ClockEvent] = {
    Stage.NOTIFY_ACCEPTANCE: ClockEvent.NOTICE_SENT,
    Stage.NOTIFY_CONCLUSION: ClockEvent.CONCLUSION_NOTIFIED,
}

#: The events that finish, cancel, pause or resume some clock.
MOVING_EVENTS = frozenset(
    event for life in LIFECYCLE.values() for event in (*life.finishes, *life.cancels, *life.pauses, *life.resumes)
)


@lru_cache(maxsize=256)
def started_by(
    event: ClockEvent, kind: str, instance: int | None = None, enforcement_required: bool = True
) -> tuple[Lifecycle, ...]:
    """The lifecycles of the clocks ``event`` starts for a petition/case of ``kind`` (table order)."""
    return tuple(
        life
        for life in LIFECYCLE.values()
        if (life.starts is event or event in life.also_starts) and life.applies_to(kind, instance, enforcement_required)
    )


def stages_ended_by(event: ClockEvent) -> dict[Stage, ClockStatus]:
    """The stages whose open clocks ``event`` finishes or cancels, with the status they get."""
    return {stage: status for stage, life in LIFECYCLE.items() if (status := life.outcome(event)) is not None}


def replay(stage: Stage, events: Iterable[ClockEvent]) -> tuple[ClockStatus, int | None, list[int]]:
    """Play ``events`` (in order, after the clock of ``stage`` started) on that clock.

    Returns its status, the index of the event that ended it (None while open), and the indexes of the
    events that paused and resumed it, in pairs (a last unpaired one: paused now).
    """
    life, status = LIFECYCLE[stage], ClockStatus.RUNNING
    turns: list[int] = []
    for i, event in enumerate(events):
        if (end := life.outcome(event)) is not None:
            return end, i, turns
        if status is ClockStatus.RUNNING and event in life.pauses:
            status = ClockStatus.PAUSED
            turns.append(i)
        elif status is ClockStatus.PAUSED and event in life.resumes:
            status = ClockStatus.RUNNING
            turns.append(i)
    return status, None, turns
