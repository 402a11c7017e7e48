"""Cases (vụ việc): a matter being resolved, opened when a petition is accepted (thụ lý)."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Optional

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.events import EventMixin
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..core.procedure import LegalRule
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import Model
from ..petitions.models import Petition, PetitionKind
from ..search.sync import track
from ..search.text import case_document
from ..subjects.models import SubjectArea
from ..units.models import Unit
from ..users.models import User
from .procedure import APPEALED, DIALOGUE_REQUIRED, IN_COURT, NOT_YET_EFFECTIVE


class CaseState(LabeledEnum):
    ACCEPTED = "accepted"
    ASSIGNED = "assigned"
    SUSPENDED = "suspended"
    RESOLVED = "resolved"
    ENFORCED = "enforced"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"

    __labels__ = {
        "accepted": _l("Accepted, awaiting assignment"),
        "assigned": _l("Assigned, being verified"),
        "suspended": _l("Suspended"),
        "resolved": _l("Resolved"),
        "enforced": _l("Enforcement recorded"),
        "closed": _l("Closed"),
        "withdrawn": _l("Withdrawn"),
        "terminated": _l("Terminated"),
    }


OPEN_STATES = frozenset({CaseState.ACCEPTED, CaseState.ASSIGNED, CaseState.SUSPENDED})


class Complexity(LabeledEnum):
    NORMAL = "normal"
    COMPLEX = "complex"
    ESPECIALLY_COMPLEX = "especially_complex"

    __labels__ = {
        "normal": _l("Normal"),
        "complex": _l("Complex"),
        "especially_complex": _l("Especially complex"),
    }


class Outcome(LabeledEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    REJECTED = "rejected"
    TRUE = "true"
    PARTLY_TRUE = "partly_true"
    UNTRUE = "untrue"
    ANSWERED = "answered"

    __labels__ = {
        "upheld": _l("Complaint upheld"),
        "partly_upheld": _l("Complaint partly upheld"),
        "rejected": _l("Complaint rejected"),
        "true": _l("Denunciation true"),
        "partly_true": _l("Denunciation partly true"),
        "untrue": _l("Denunciation untrue"),
        "answered": _l("Answered"),
    }


#: Which outcomes a decision may have, by the kind of case.
OUTCOMES_BY_KIND: dict[PetitionKind, tuple[Outcome, ...]] = {
    PetitionKind.COMPLAINT: (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.REJECTED),
    PetitionKind.DENUNCIATION: (Outcome.TRUE, Outcome.PARTLY_TRUE, Outcome.UNTRUE),
    PetitionKind.RECOMMENDATION: (Outcome.ANSWERED,),
    PetitionKind.FEEDBACK: (Outcome.ANSWERED,),
}


@dataclass(frozen=True)
class DecisionWords:
    """What a case's resolution is called: a complaint is resolved by a decision (quyết định), a
    denunciation by a conclusion (kết luận nội dung tố cáo), a recommendation or feedback by an answer."""

    title: LazyText
    number: LazyText
    date: LazyText
    summary: LazyText
    record: LazyText
    enter_number: LazyText
    enter_date: LazyText
    none_yet: LazyText
    #: What carrying it out is called: the section, what it requires, that it requires nothing, the action.
    carrying_out: LazyText
    requires: LazyText
    nothing: LazyText
    carried_out: LazyText


DECISION = DecisionWords(
    title=_l("Decision"),
    number=_l("Decision number"),
    date=_l("Decision date"),
    summary=_l("Summary of the decision"),
    record=_l("Record decision"),
    enter_number=_l("Enter the decision number."),
    enter_date=_l("Enter the decision date."),
    none_yet=_l("No decision has been recorded yet."),
    carrying_out=_l("Enforcement"),
    requires=_l("What must be enforced"),
    nothing=_l("Nothing to enforce"),
    carried_out=_l("Record enforcement"),
)
CONCLUSION = DecisionWords(
    title=_l("Conclusion on the denunciation"),
    number=_l("Conclusion number"),
    date=_l("Conclusion date"),
    summary=_l("Summary of the conclusion"),
    record=_l("Record conclusion"),
    enter_number=_l("Enter the conclusion number."),
    enter_date=_l("Enter the conclusion date."),
    none_yet=_l("No conclusion has been recorded yet."),
    carrying_out=_l("Acting on the conclusion"),
    requires=_l("What the conclusion requires to be done"),
    nothing=_l("Nothing to act on"),
    carried_out=_l("Record that the conclusion was acted on"),
)
ANSWER = DecisionWords(
    title=_l("Answer"),
    number=_l("Number of the answer"),
    date=_l("Date of the answer"),
    summary=_l("Summary of the answer"),
    record=_l("Record answer"),
    enter_number=_l("Enter the number of the answer."),
    enter_date=_l("Enter the date of the answer."),
    none_yet=_l("No answer has been recorded yet."),
    carrying_out=_l("Follow-up of the answer"),
    requires=_l("What the answer requires to be done"),
    nothing=_l("Nothing to follow up"),
    carried_out=_l("Record the follow-up"),
)
DECISION_WORDS: dict[PetitionKind, DecisionWords] = {
    PetitionKind.COMPLAINT: DECISION,
    PetitionKind.DENUNCIATION: CONCLUSION,
    PetitionKind.RECOMMENDATION: ANSWER,
    PetitionKind.FEEDBACK: ANSWER,
}


class CaseAction(LabeledEnum):
    ASSIGN = "assign"
    SUSPEND = "suspend"
    RESUME = "resume"
    RESOLVE = "resolve"
    ENFORCE = "enforce"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    TERMINATE = "terminate"

    __labels__ = {
        "assign": _l("Assign"),
        "suspend": _l("Suspend"),
        "resume": _l("Resume"),
        "resolve": _l("Record decision"),
        "enforce": _l("Record enforcement"),
        "close": _l("Close"),
        "withdraw": _l("Record withdrawal"),
        "terminate": _l("Terminate"),
    }


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseState]
    target: CaseState
    #: Roles that may perform it; a handler only on cases assigned to them, a head only in their subtree.
    roles: frozenset[Role]
    #: Fields that must be given (non-empty) for the transition.
    requires: tuple[str, ...] = ()


S = CaseState
#: The workflow, as one explicit table: action -> (from states, to state, roles, required fields).
CASE_TRANSITIONS: dict[CaseAction, Transition] = {
    CaseAction.ASSIGN: Transition(
        frozenset({S.ACCEPTED, S.ASSIGNED}), S.ASSIGNED, frozenset({Role.HEAD}), ("handler_id",)
    ),
    CaseAction.SUSPEND: Transition(
        frozenset({S.ASSIGNED}),
        S.SUSPENDED,
        frozenset({Role.HEAD}),
        ("note", "suspension_decision_no", "suspended_on"),
    ),
    CaseAction.RESUME: Transition(frozenset({S.SUSPENDED}), S.ASSIGNED, frozenset({Role.HEAD})),
    CaseAction.RESOLVE: Transition(
        frozenset({S.ASSIGNED}),
        S.RESOLVED,
        frozenset({Role.HEAD, Role.HANDLER}),
        ("decision_no", "decision_on", "outcome"),
    ),
    CaseAction.ENFORCE: Transition(
        frozenset({S.RESOLVED}), S.ENFORCED, frozenset({Role.HEAD, Role.HANDLER}), ("enforced_on", "enforcement_result")
    ),
    CaseAction.CLOSE: Transition(frozenset({S.RESOLVED, S.ENFORCED}), S.CLOSED, frozenset({Role.HEAD, Role.HANDLER})),
    CaseAction.WITHDRAW: Transition(
        frozenset(OPEN_STATES), S.WITHDRAWN, frozenset({Role.HEAD, Role.HANDLER}), ("note",)
    ),
    CaseAction.TERMINATE: Transition(frozenset(OPEN_STATES), S.TERMINATED, frozenset({Role.HEAD}), ("note",)),
}
del S

#: The same table seen as state -> reachable states.
TRANSITIONS: dict[CaseState, set[CaseState]] = {
    state: {t.target for t in CASE_TRANSITIONS.values() if state in t.sources} for state in CaseState
}


class Case(TimestampMixin, Model):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "seq", name="uq_cases_unit_year_seq"),
        CheckConstraint("instance IS NULL OR instance IN (1, 2)", name="instance_1_or_2"),
        CheckConstraint(
            "people_to_sanction IS NULL OR people_to_sanction >= 0", name="people_to_sanction_not_negative"
        ),
        CheckConstraint("kind <> 'complaint' OR instance IS NOT NULL", name="complaint_has_instance"),
        CheckConstraint(
            "state NOT IN ('assigned', 'suspended') OR handler_id IS NOT NULL", name="assigned_has_handler"
        ),
        CheckConstraint(
            "state NOT IN ('resolved', 'enforced', 'closed') "
            "OR (decision_no IS NOT NULL AND decision_on IS NOT NULL AND outcome IS NOT NULL)",
            name="resolved_has_decision",
        ),
        CheckConstraint("state <> 'enforced' OR enforced_on IS NOT NULL", name="enforced_has_date"),
        # The list is sorted newest accepted first and paged by (accepted_on, id): one index for the plain list
        # and one per filter, each ending in the sort key, so a page is read in order wherever it lies.
        Index("ix_cases_accepted_on_id", "accepted_on", "id"),
        Index("ix_cases_unit_sort", "unit_id", "accepted_on", "id"),
        Index("ix_cases_handling_unit_sort", "handling_unit_id", "accepted_on", "id"),
        Index("ix_cases_handler_sort", "handler_id", "accepted_on", "id"),
        Index("ix_cases_state_sort", "state", "accepted_on", "id"),
        Index("ix_cases_kind_sort", "kind", "accepted_on", "id"),
        Index("ix_cases_complexity_sort", "complexity", "accepted_on", "id"),
        Index("ix_cases_instance_sort", "instance", "accepted_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The unit that accepted the case and must resolve it.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    #: Case number, e.g. "TK-VV-2026-00012".
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[PetitionKind] = mapped_column(EnumStr(PetitionKind))
    #: Complaint instance: 1 (first) or 2 (second); None for other kinds.
    instance: Mapped[int | None] = mapped_column(Integer)
    #: For a second-instance complaint, the first-instance case it appeals.
    parent_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    #: The subject area (lĩnh vực), from the petition that opened the case (the reports count by it).
    subject_area_id: Mapped[int | None] = mapped_column(ForeignKey("subject_areas.id"), index=True)
    state: Mapped[CaseState] = mapped_column(EnumStr(CaseState), default=CaseState.ACCEPTED)
    #: Date of receipt of the (first) petition, and of the acceptance decision (starts the clock).
    received_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date] = mapped_column(Date)
    accepted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    handling_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    complexity: Mapped[Complexity] = mapped_column(EnumStr(Complexity), default=Complexity.NORMAL)
    #: Remote/difficult area, copied from the unit at acceptance (deadlines are derived from it).
    is_remote_area: Mapped[bool] = mapped_column(Boolean, default=False)
    # Workflow timestamps (UTC), stamped by the transition function.
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    enforced_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    terminated_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The decision (complaint) or conclusion (denunciation) or answer (recommendation/feedback).
    decision_no: Mapped[str | None] = mapped_column(String(60))
    decision_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(EnumStr(Outcome))
    decision_summary: Mapped[str | None] = mapped_column(Text)
    # Enforcement of the legally effective decision.
    enforcement_required: Mapped[str | None] = mapped_column(Text)
    #: A denunciation's conclusion: how the violations are handled (sanctions recommended, measures, referral),
    #: the number of people recommended for handling, and whether the matter is referred to the investigating
    #: body (the reports count both).
    violation_handling: Mapped[str | None] = mapped_column(Text)
    #: What the decision or conclusion orders recovered for the State or returned to citizens: money (đồng)
    #: and land (m²); its enforcement steps record what was (see AMOUNTS).
    money_to_state: Mapped[int | None] = mapped_column(BigInteger)
    money_to_citizens: Mapped[int | None] = mapped_column(BigInteger)
    land_to_state: Mapped[float | None] = mapped_column(Float)
    land_to_citizens: Mapped[float | None] = mapped_column(Float)
    people_to_sanction: Mapped[int | None] = mapped_column(Integer)
    referred_to_investigation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    enforcement_due_on: Mapped[date | None] = mapped_column(Date)
    enforced_on: Mapped[date | None] = mapped_column(Date)
    enforcement_result: Mapped[str | None] = mapped_column(Text)
    #: The decision sent to the complainant and the parties (the day sent, to whom): for a first-instance
    #: complaint decision, the appeal period counts from it (Law on Complaints 2011 art. 33).
    decision_delivered_on: Mapped[date | None] = mapped_column(Date)
    decision_delivered_to: Mapped[str | None] = mapped_column(Text)
    #: The decision suspending the case (tạm đình chỉ): its number and the day it took effect, which may
    #: lie before the day it is recorded (not before the case's last step); the clocks pause from that day.
    suspension_decision_no: Mapped[str | None] = mapped_column(String(60))
    suspended_on: Mapped[date | None] = mapped_column(Date)
    #: The day the decision took legal effect (no appeal within the period), set by the scheduler.
    legally_effective_on: Mapped[date | None] = mapped_column(Date)
    #: A first-instance complaint not decided in time: the last day of its resolution period (set by the
    #: scheduler). From it the complainant may appeal without a decision (Law on Complaints 2011 art. 33).
    resolution_lapsed_on: Mapped[date | None] = mapped_column(Date)
    #: An administrative lawsuit (khởi kiện vụ án hành chính) against a complaint decision: the court, the
    #: day the complainant filed it, the court's case number; then the judgment (its day and what it says).
    court_name: Mapped[str | None] = mapped_column(String(300))
    court_filed_on: Mapped[date | None] = mapped_column(Date)
    court_case_no: Mapped[str | None] = mapped_column(String(60))
    court_judgment_on: Mapped[date | None] = mapped_column(Date)
    court_judgment: Mapped[str | None] = mapped_column(Text)
    #: Folded words for the search (number, title, decision number; see app/search), kept up to date on flush.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Optimistic-locking version: a save from a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id], lazy="joined")
    subject_area: Mapped[SubjectArea | None] = relationship(lazy="joined")
    handling_unit: Mapped[Unit | None] = relationship(foreign_keys=[handling_unit_id])
    handler: Mapped[User | None] = relationship(foreign_keys=[handler_id])
    accepted_by: Mapped[User] = relationship(foreign_keys=[accepted_by_id])
    parent_case: Mapped[Optional["Case"]] = relationship(remote_side="Case.id", back_populates="appeals")
    #: The second-instance cases appealing this first-instance one.
    appeals: Mapped[list["Case"]] = relationship(back_populates="parent_case", order_by="Case.id")
    petitions: Mapped[list[Petition]] = relationship(
        back_populates="case", foreign_keys=[Petition.case_id], order_by=Petition.id
    )
    events: Mapped[list["CaseEvent"]] = relationship(order_by="CaseEvent.id", back_populates="case")
    steps: Mapped[list["CaseStep"]] = relationship(order_by="[CaseStep.held_on, CaseStep.id]")

    def __repr__(self) -> str:
        return f"<Case {self.number}>"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def allowed_outcomes(self) -> tuple[Outcome, ...]:
        return OUTCOMES_BY_KIND[self.kind]

    @property
    def words(self) -> DecisionWords:
        """What this case's resolution is called (decision, conclusion or answer)."""
        return DECISION_WORDS[self.kind]

    def action_label(self, action: CaseAction) -> str:
        """The action's name for this case: "Record conclusion" on a denunciation, not "Record decision"."""
        if action is CaseAction.RESOLVE:
            return str(self.words.record)
        if action is CaseAction.ENFORCE:
            return str(self.words.carried_out)
        return str(action.label)

    def can_perform(self, action: CaseAction, user: User) -> bool:
        """True if ``user`` may perform ``action`` on this case now (state, role and scope).

        One answer over CASE_TRANSITIONS rather than eight near-identical ``can_assign``, ``can_suspend``, …;
        ``cases.operations.check_transition`` raises the refusal on the same conditions.
        """
        t = CASE_TRANSITIONS[action]
        if self.state not in t.sources:
            return False
        if action is CaseAction.CLOSE and self.awaits_enforcement:
            return False  # a decision with something to carry out is closed after enforcement
        if self.procedure_refusal(action) is not None:
            return False
        return self.actor_role_ok(t.roles, user)

    @property
    def is_appealed(self) -> bool:
        """A first-instance complaint case appealed to the second instance (its decision never takes effect)."""
        ended = (CaseState.WITHDRAWN, CaseState.TERMINATED)
        return (
            self.kind is PetitionKind.COMPLAINT
            and self.instance == 1
            and any(a.state not in ended for a in self.appeals)
        )

    def steps_of(self, kind: "StepKind") -> list["CaseStep"]:
        return [s for s in self.steps if s.kind is kind]

    @property
    def needs_dialogue(self) -> bool:
        """A complaint decided only after a dialogue (Law on Complaints 2011 art. 30, 39): always at second
        instance; at first instance when a verification found other than the complainant claims."""
        if self.kind is not PetitionKind.COMPLAINT or self.steps_of(StepKind.DIALOGUE):
            return False
        if self.instance == 2:
            return True
        return any(s.differs_from_claim for s in self.steps_of(StepKind.VERIFICATION))

    def can_record_step(self, kind: "StepKind", user: User) -> bool:
        """``user`` may record a verification (any case) or a dialogue (a complaint) while it is being verified,
        or a step of the enforcement of a decision being carried out (see ``is_being_carried_out``)."""
        if kind is StepKind.DIALOGUE and self.kind is not PetitionKind.COMPLAINT:
            return False
        if kind is StepKind.ENFORCEMENT:
            return self.is_being_carried_out and self.actor_role_ok((Role.HEAD, Role.HANDLER), user)
        return self.state is CaseState.ASSIGNED and self.actor_role_ok((Role.HEAD, Role.HANDLER), user)

    @property
    def is_finally_resolved(self) -> bool:
        """A complaint resolved by a decision in force: a first-instance decision that took legal effect, or a
        second-instance decision (a matter raised again without new facts is not received or accepted)."""
        return self.kind is PetitionKind.COMPLAINT and (
            self.legally_effective_on is not None or (self.instance == 2 and self.decision_on is not None)
        )

    @property
    def is_being_carried_out(self) -> bool:
        """Resolved with something to carry out, and carried out now: a complaint decision once legally
        effective (Law on Complaints 2011 art. 44), a conclusion or an answer at once."""
        return self.awaits_enforcement and (
            self.kind is not PetitionKind.COMPLAINT or self.legally_effective_on is not None
        )

    def amounts_done(self) -> dict[str, int | float]:
        """The money and land its enforcement steps recovered or returned so far, by AMOUNTS column."""
        return {
            name: sum((getattr(s, name) or 0 for s in self.steps if s.kind is StepKind.ENFORCEMENT), start=0)
            for name in AMOUNTS
        }

    @property
    def has_amounts(self) -> bool:
        return any(getattr(self, name) for name in AMOUNTS) or any(
            getattr(s, name) for s in self.steps if s.kind is StepKind.ENFORCEMENT for name in AMOUNTS
        )

    @property
    def in_court(self) -> bool:
        """The complainant took the decision to an administrative court (the administrative route stops)."""
        return self.court_filed_on is not None

    @property
    def awaits_enforcement(self) -> bool:
        """Resolved with something to carry out, not yet enforced (an appealed decision, or one taken to court,
        is not carried out)."""
        return (
            self.state is CaseState.RESOLVED
            and bool(self.enforcement_required)
            and not self.is_appealed
            and not self.in_court
        )

    def can_take_to_court(self, user: User) -> bool:
        """``user`` may record that the complainant filed a lawsuit against the decision (before it took effect)."""
        return (
            self.kind is PetitionKind.COMPLAINT
            and self.state is CaseState.RESOLVED
            and not self.in_court
            and not self.is_appealed
            and self.legally_effective_on is None
            and self.actor_role_ok((Role.HEAD, Role.HANDLER), user)
        )

    def can_record_delivery(self, user: User) -> bool:
        """``user`` may record that the decision was sent to the parties (once, after the decision)."""
        return (
            self.decision_on is not None
            and self.decision_delivered_on is None
            and self.state in (CaseState.RESOLVED, CaseState.ENFORCED, CaseState.CLOSED)
            and self.actor_role_ok((Role.HEAD, Role.HANDLER), user)
        )

    def can_record_judgment(self, user: User) -> bool:
        """``user`` may record the court's judgment on the lawsuit."""
        return self.in_court and self.court_judgment_on is None and self.actor_role_ok((Role.HEAD, Role.HANDLER), user)

    def procedure_refusal(self, action: CaseAction) -> LegalRule | None:
        """The legal rule (cases.procedure) that forbids ``action`` now, whatever the actor, or None."""
        if self.kind is not PetitionKind.COMPLAINT or self.legally_effective_on is not None:
            return None
        if action is CaseAction.RESOLVE:
            return DIALOGUE_REQUIRED if self.needs_dialogue else None
        if action not in (CaseAction.ENFORCE, CaseAction.CLOSE):
            return None
        if self.in_court:
            return IN_COURT if action is CaseAction.ENFORCE else None
        if self.is_appealed:
            return APPEALED if action is CaseAction.ENFORCE else None
        return NOT_YET_EFFECTIVE

    def waiting_rules(self, user: User) -> list[LegalRule]:
        """The legal rules that alone keep ``user`` from an action now (the case page says why), once each."""
        waiting: list[LegalRule] = []
        for action in CaseAction:
            rule = self.procedure_refusal(action)
            t = CASE_TRANSITIONS[action]
            if rule and rule not in waiting and self.state in t.sources and self.actor_role_ok(t.roles, user):
                waiting.append(rule)
        return waiting

    def actor_role_ok(self, roles: Collection[Role], user: User) -> bool:
        # A head acts on the cases of their own body (the commune chairman on the commune's, its office's
        # included), not on those of a body below that a higher head oversees: each level resolves what is in
        # its own competence, and the provincial chairman reads a commune's case without deciding it.
        if (
            Role.HEAD in roles
            and user.has_role(Role.HEAD)
            and user.oversees(self.unit)
            and user.unit.body.id == self.unit.body.id
        ):
            return True
        return bool(Role.HANDLER in roles and user.has_role(Role.HANDLER) and self.handler_id == user.id)

    def available_actions(self, user: User) -> list[CaseAction]:
        return [a for a in CaseAction if self.can_perform(a, user)]


def _search_columns(case: Case) -> dict[str, str | None]:
    """The folded search column of ``case`` (see app.search)."""
    return {"search_text": case_document(case)}


track(Case, _search_columns)


class CaseTally(Model):
    """How many cases share one (unit, handling unit, handler, state, kind): the caseload page's counts.

    Kept by database triggers on ``cases`` (insert, update of those columns, delete; see migration
    c7d2e4f1a9b3), so every writer keeps it right; 0 stands for "none" in the handling unit and handler.
    Summing a few thousand tallies replaces counting a million cases.
    """

    __tablename__ = "case_tallies"

    unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handling_unit_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handler_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[CaseState] = mapped_column(EnumStr(CaseState), primary_key=True)
    kind: Mapped[PetitionKind] = mapped_column(EnumStr(PetitionKind), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class CaseEvent(EventMixin, Model):
    __tablename__ = "case_events"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    case: Mapped[Case] = relationship(back_populates="events")


class StepKind(LabeledEnum):
    """A recorded step of the handling of a case (beyond its workflow actions)."""

    #: Xác minh: the verification, by the officers the assignment decision named, ending in a report.
    VERIFICATION = "verification"
    #: Đối thoại: the dialogue with the complainant and the parties, recorded in minutes (biên bản).
    DIALOGUE = "dialogue"
    #: Tiến độ tổ chức thực hiện: a step of carrying out an effective decision (or a conclusion), with the
    #: money and land recovered for the State or returned to citizens by it.
    ENFORCEMENT = "enforcement"

    __labels__ = {
        "verification": _l("Verification"),
        "dialogue": _l("Dialogue"),
        "enforcement": _l("Enforcement progress"),
    }


#: Money (đồng) and land (m²) a decision or conclusion orders recovered for the State or returned to
#: citizens, and that a step of its enforcement recovered or returned (the reports sum them): the column
#: names, the same on cases (ordered) and on case steps (done).
AMOUNTS = ("money_to_state", "money_to_citizens", "land_to_state", "land_to_citizens")
#: Money in đồng fits a BIGINT; land in m² (a float: areas are summed, never compared to the cent).
MONEY_MAX = 10**15
LAND_MAX = 10**11


class CaseStep(Model):
    """A verification or a dialogue of a case, as recorded (rows are never changed)."""

    __tablename__ = "case_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[StepKind] = mapped_column(EnumStr(StepKind))
    #: The day of the verification report, or of the dialogue.
    held_on: Mapped[date] = mapped_column(Date)
    #: The decision assigning the verification (number), for a verification.
    decision_no: Mapped[str | None] = mapped_column(String(60))
    #: The verifiers, or the participants of the dialogue.
    people: Mapped[str] = mapped_column(Text)
    #: The verification report's findings, or the minutes of the dialogue.
    summary: Mapped[str] = mapped_column(Text)
    #: What the dialogue agreed (or did not).
    result: Mapped[str | None] = mapped_column(Text)
    #: A complaint's verification: its result differs from the complainant's claim (a dialogue is then
    #: required before the first-instance decision, Law on Complaints 2011 art. 30).
    differs_from_claim: Mapped[bool | None] = mapped_column(Boolean)
    #: An enforcement step: the money (đồng) and land (m²) it recovered for the State or returned to citizens.
    money_to_state: Mapped[int | None] = mapped_column(BigInteger)
    money_to_citizens: Mapped[int | None] = mapped_column(BigInteger)
    land_to_state: Mapped[float | None] = mapped_column(Float)
    land_to_citizens: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    created_by: Mapped[User] = relationship()
