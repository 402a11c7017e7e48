"""Deadline rules (the law as data), calendar overrides, and the clocks and extensions of each case."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..cases.models import Complexity
from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..core.timeutil import utcnow
from ..extensions import Model
from ..flags.models import name_detail
from ..petitions.models import PetitionKind


class Stage(LabeledEnum):
    FIRST_ANSWER = "first_answer"
    CLASSIFICATION = "classification"
    ACCEPTANCE = "acceptance"
    TRANSFER = "transfer"
    NOTIFY_ACCEPTANCE = "notify_acceptance"
    RESOLUTION = "resolution"
    NOTIFY_CONCLUSION = "notify_conclusion"
    ACT_ON_CONCLUSION = "act_on_conclusion"
    APPEAL = "appeal"
    LEGAL_EFFECT = "legal_effect"
    ENFORCEMENT = "enforcement"
    LODGING = "lodging"
    SCHEDULE_PUBLICATION = "schedule_publication"

    __labels__ = {
        "first_answer": _l("First answer to the citizen"),
        "classification": _l("Classification and handling of the petition"),
        "acceptance": _l("Acceptance decision"),
        "transfer": _l("Transfer when outside competence"),
        "notify_acceptance": _l("Notice of acceptance to the denunciator"),
        "notify_conclusion": _l("Notice of the conclusion to the denunciator"),
        "resolution": _l("Resolution"),
        "act_on_conclusion": _l("Acting on the conclusion"),
        "appeal": _l("Appeal period"),
        "legal_effect": _l("Decision takes legal effect"),
        "enforcement": _l("Enforcement of the decision"),
        "lodging": _l("Period for lodging a complaint"),
        "schedule_publication": _l("Publication of the head's reception schedule"),
    }


name_detail("stage", Stage)  # the due-soon and overdue flags name the stage of their clock (flags.queries)

#: Periods that belong to the citizen (to appeal, to lodging a complaint, before legal effect), not duties of
#: the unit: they are never "overdue" or "due soon" and raise no reminders.
CITIZEN_PERIODS = frozenset({Stage.LODGING, Stage.APPEAL, Stage.LEGAL_EFFECT})


class DayUnit(LabeledEnum):
    WORKING = "wd"
    CALENDAR = "d"

    __labels__ = {"wd": _l("working days"), "d": _l("days")}


class RuleKind(LabeledEnum):
    """What a rule applies to: a kind of petition/case, any of them, or citizen reception."""

    ANY = "any"
    COMPLAINT = "complaint"
    DENUNCIATION = "denunciation"
    RECOMMENDATION = "recommendation"
    FEEDBACK = "feedback"
    RECEPTION = "reception"

    __labels__ = {
        "any": _l("Any petition"),
        "complaint": _l("Complaint"),
        "denunciation": _l("Denunciation"),
        "recommendation": _l("Recommendation"),
        "feedback": _l("Feedback"),
        "reception": _l("Citizen reception"),
    }


class DeadlineRule(TimestampMixin, Model):
    """One statutory (or unit-configured) time limit, with its legal basis and period of validity."""

    __tablename__ = "deadline_rules"
    __table_args__ = (
        CheckConstraint("limit_days >= 0", name="limit_not_negative"),
        CheckConstraint("unit IN ('wd', 'd')", name="unit_wd_or_d"),
        CheckConstraint("effective_to IS NULL OR effective_to > effective_from", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable identifier of a shipped rule, e.g. "complaint.acceptance.2026"; None for rules added by hand.
    code: Mapped[str | None] = mapped_column(String(80), unique=True)
    kind: Mapped[RuleKind] = mapped_column(EnumStr(RuleKind), index=True)
    stage: Mapped[Stage] = mapped_column(EnumStr(Stage), index=True)
    #: Complaint instance the rule is for (1, 2), or None for any.
    instance: Mapped[int | None] = mapped_column(Integer)
    #: Conditions; None matches anything.
    complexity: Mapped[Complexity | None] = mapped_column(EnumStr(Complexity))
    is_remote: Mapped[bool | None] = mapped_column(Boolean)
    min_sites: Mapped[int | None] = mapped_column(Integer)
    #: A unit (and its subtree) for which this rule replaces the general one (unit-configured defaults).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    limit_days: Mapped[int] = mapped_column(Integer)
    day_unit: Mapped[DayUnit] = mapped_column("unit", EnumStr(DayUnit))
    #: Extensions allowed (denunciations: 1 if complex, 2 if especially complex) and the length of each.
    max_extensions: Mapped[int] = mapped_column(Integer, default=0)
    extension_days: Mapped[int | None] = mapped_column(Integer)
    #: The legal basis, as officers cite it (Vietnamese), e.g. "Luật Khiếu nại 2011, Điều 28".
    legal_basis: Mapped[str] = mapped_column(String(300))
    #: False while the rule comes from a secondary source and awaits checking against the text ("verify").
    is_verified: Mapped[bool] = mapped_column(Boolean, default=True)
    note: Mapped[str | None] = mapped_column(Text)
    #: The rule applies to clocks that start on or after effective_from and before effective_to.
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<DeadlineRule {self.code or self.id} {self.kind}/{self.stage} {self.limit_days}{self.day_unit}>"

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)

    @property
    def limit_text(self) -> str:
        return f"{self.limit_days} {self.day_unit.label}"


class DeadlineRuleChange(Model):
    """Append-only history of administrators' changes to the rule table."""

    __tablename__ = "deadline_rule_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("deadline_rules.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: JSON object {field: [old, new]}; "created" for a new rule.
    changes: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    actor = relationship("User")


class CalendarOverride(TimestampMixin, Model):
    """A day the government moved: an extra day off, or a Saturday/Sunday worked in exchange."""

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    is_working_day: Mapped[bool] = mapped_column(Boolean)
    #: The document that announced it, e.g. "Thông báo 6150/TB-BNV ngày 23/10/2025".
    document: Mapped[str] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ClockStatus(LabeledEnum):
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"

    __labels__ = {
        "running": _l("Running"),
        "paused": _l("Suspended"),
        "done": _l("Done"),
        "cancelled": _l("No longer applies"),
    }


class Clock(TimestampMixin, Model):
    """One legal clock of a petition or case: its start, the rule, and the due date derived from them.

    The due date is stored together with every input it was computed from (start, limit, unit,
    extensions, suspended days), so it can be recomputed and explained.
    """

    __tablename__ = "clocks"
    __table_args__ = (
        CheckConstraint("(petition_id IS NULL) <> (case_id IS NULL)", name="petition_xor_case"),
        UniqueConstraint("petition_id", "stage", name="uq_clocks_petition_stage"),
        UniqueConstraint("case_id", "stage", name="uq_clocks_case_stage"),
        # The sweep, the deadline filters and the caseload read the running clocks by due date, of cases: all
        # in one index (with case_id separate, PostgreSQL ANDed in the 1.8M-entry case_id index).
        Index("ix_clocks_status_due_case", "status", "due_on", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    stage: Mapped[Stage] = mapped_column(EnumStr(Stage))
    #: The unit answerable for the clock (the petition's or case's unit), for per-unit counts.
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("deadline_rules.id"))
    started_on: Mapped[date] = mapped_column(Date)
    limit_days: Mapped[int] = mapped_column(Integer)
    day_unit: Mapped[DayUnit] = mapped_column("unit", EnumStr(DayUnit))
    #: Days lost to suspensions (in ``day_unit``); extensions are rows of their own.
    suspended_days: Mapped[int] = mapped_column(Integer, default=0)
    #: A fixed due date set by a decision (e.g. the enforcement deadline); overrides the computation.
    fixed_due_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ClockStatus] = mapped_column(EnumStr(ClockStatus), default=ClockStatus.RUNNING)
    paused_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)

    rule: Mapped[DeadlineRule | None] = relationship(lazy="joined")
    extensions: Mapped[list["Extension"]] = relationship(order_by="Extension.id", back_populates="clock")

    @property
    def is_open(self) -> bool:
        return self.status in (ClockStatus.RUNNING, ClockStatus.PAUSED)


class Extension(Model):
    """A recorded decision extending a clock (e.g. a complex denunciation): number, date, days."""

    __tablename__ = "clock_extensions"
    __table_args__ = (CheckConstraint("days > 0", name="days_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clock_id: Mapped[int] = mapped_column(ForeignKey("clocks.id"), index=True)
    decision_no: Mapped[str] = mapped_column(String(60))
    decided_on: Mapped[date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    #: The due date before and after this extension.
    due_before: Mapped[date] = mapped_column(Date)
    due_after: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    clock: Mapped[Clock] = relationship(back_populates="extensions")


KIND_OF = {k: RuleKind(k.value) for k in PetitionKind}
