"""Forms of the case workflow: one per action, each carrying the case's version for optimistic locking."""

import re
from typing import Any, TypeVar

from wtforms import BooleanField, Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.fields import DmyDateField, VersionField, WholeNumberField, optional_int
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from ..petitions.models import PetitionKind
from ..users.queries import handlers_for
from .models import AMOUNTS, LAND_MAX, MONEY_MAX, Case, CaseAction, Complexity, StepKind

NOTE_MAX = 2000


class CaseActionForm(AppForm):
    """Base of the action forms: the hidden version the form was opened at."""

    version = VersionField()

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)

    def setup(self, bound: bool) -> None:
        """Fill choices and defaults that depend on the case."""

    def operation_fields(self) -> dict[str, Any]:
        """Return the keyword arguments for ``perform`` (besides the note and the version)."""
        return {}

    @property
    def note_value(self) -> str | None:
        note = getattr(self, "note", None)
        value: str | None = note.data if note is not None else None
        return value


class AssignForm(CaseActionForm):
    handler_id = SelectField(
        _l("Handling officer"),
        coerce=optional_int,
        validators=[DataRequired(_l("Choose the handling officer."))],
        invalid_value_message=_l("Choose the handling officer."),
        invalid_choice_message=_l("Choose the handling officer."),
    )
    complexity = SelectField(_l("Complexity"), choices=Complexity.lazy_choices(), default=Complexity.NORMAL.value)
    note = TextAreaField(_l("Instructions to the officer"), validators=[Optional(), Length(max=NOTE_MAX)])

    def setup(self, bound: bool) -> None:
        self.handler_id.choices = [(0, "—")] + [
            (u.id, f"{u.full_name} ({u.unit.code})") for u in handlers_for(self.case.unit)
        ]
        if not bound:
            self.handler_id.data = self.case.handler_id or 0
        if not bound or not self.complexity.raw_data:
            self.complexity.data = self.case.complexity.value  # a post without it keeps the case's

    def operation_fields(self) -> dict[str, Any]:
        return {"handler_id": self.handler_id.data, "complexity": self.complexity.data}


class ReasonForm(CaseActionForm):
    """Suspend, withdraw, terminate: the reason is required."""

    note = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Write the reason.")), Length(max=NOTE_MAX)])


class SuspendForm(ReasonForm):
    """Suspend: the reason and the suspension decision, whose date may lie in the past (from the last step)."""

    suspension_decision_no = StringField(
        _l("Number of the suspension decision"),
        validators=[DataRequired(_l("Enter the number of the suspension decision.")), Length(max=60)],
    )
    suspended_on = DmyDateField(
        _l("Date of the suspension decision"),
        validators=[DataRequired(_l("Enter the date of the suspension decision."))],
        description=_l("The deadlines stop from this day."),
    )

    def setup(self, bound: bool) -> None:
        if not bound:
            self.suspended_on.data = local_today()

    def validate_suspended_on(self, field: Field) -> None:
        if field.data > local_today():
            raise ValidationError(_l("The suspension cannot be dated in the future."))

    def operation_fields(self) -> dict[str, Any]:
        return {"suspension_decision_no": self.suspension_decision_no.data, "suspended_on": self.suspended_on.data}


class NoteForm(CaseActionForm):
    """Resume, close: an optional note."""

    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_MAX)])


class MoneyField(StringField):  # type: ignore[misc]  # WTForms ships no type information
    """An amount in whole đồng, typed plain or with thousands separators ("15.000.000", "15 000 000",
    "15,000,000"); anything else (a decimal part, letters) is refused; blank: None."""

    GROUPED = re.compile(r"^\d{1,3}([., \u00a0]\d{3})+$")

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if raw:
            ok = raw.isascii() and (raw.isdigit() or bool(self.GROUPED.match(raw))) and len(raw) <= 24
            digits = "".join(c for c in raw if c.isdigit())
            if not ok or int(digits) > MONEY_MAX:
                raise ValueError(str(_l("Enter the amount in whole đồng, e.g. 15.000.000.")))
            self.data = int(digits)

    def _value(self) -> str:
        return f"{self.data:,}".replace(",", ".") if isinstance(self.data, int) else (self.raw_data or [""])[0]


class AreaField(StringField):  # type: ignore[misc]  # WTForms ships no type information
    """An area in m², with at most one decimal ("125,5" or "125.5"); blank: None."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        self.data = None
        if raw:
            whole, _, tenth = raw.partition(".")
            if not (
                whole.isascii()
                and whole.isdigit()
                and len(whole) <= 12
                and (tenth == "" or (tenth.isdigit() and len(tenth) == 1))
            ):
                raise ValueError(str(_l("Enter the area in m², with at most one decimal, e.g. 125,5.")))
            self.data = round(float(raw), 1)
            if self.data > LAND_MAX:
                raise ValueError(str(_l("Enter the area in m², with at most one decimal, e.g. 125,5.")))

    def _value(self) -> str:
        if isinstance(self.data, float):
            return f"{self.data:.1f}".removesuffix(".0").replace(".", ",")  # never an exponent
        return str((self.raw_data or [""])[0])


class ResolveForm(CaseActionForm):
    decision_no = StringField(
        _l("Decision number"), validators=[DataRequired(_l("Enter the decision number.")), Length(max=60)]
    )
    decision_on = DmyDateField(_l("Decision date"), validators=[DataRequired(_l("Enter the decision date."))])
    outcome = SelectField(_l("Outcome"), validators=[DataRequired(_l("Choose the outcome."))])
    decision_summary = TextAreaField(_l("Summary of the decision"), validators=[Optional(), Length(max=NOTE_MAX)])
    #: A denunciation's conclusion: how the violations are handled (removed from the other kinds' forms).
    violation_handling = TextAreaField(
        _l("Handling of the violations"),
        description=_l("Sanctions recommended, measures taken, referral to the investigating body."),
        validators=[Optional(), Length(max=NOTE_MAX)],
    )
    people_to_sanction = WholeNumberField(
        _l("People recommended for handling"), min=0, max=100000, validators=[Optional()]
    )
    referred_to_investigation = BooleanField(_l("Referred to the investigating body"))
    enforcement = SelectField(
        _l("Carrying it out"),
        validators=[DataRequired(_l("Say whether something must be carried out."))],
        invalid_choice_message=_l("Choose from the list."),
    )
    enforcement_required = TextAreaField(
        _l("What must be enforced"),
        validators=[Length(max=NOTE_MAX)],  # not Optional(): that would skip the check below when empty
    )
    enforcement_due_on = DmyDateField(_l("Enforcement due date"), validators=[Optional()])
    #: What it orders recovered or returned (AMOUNTS; complaints and denunciations only).
    money_to_state = MoneyField(_l("Money to recover for the State (đồng)"), validators=[Optional()])
    money_to_citizens = MoneyField(_l("Money to return to citizens (đồng)"), validators=[Optional()])
    land_to_state = AreaField(_l("Land to recover for the State (m²)"), validators=[Optional()])
    land_to_citizens = AreaField(_l("Land to return to citizens (m²)"), validators=[Optional()])

    def setup(self, bound: bool) -> None:
        if self.case.kind not in (PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION):
            for name in AMOUNTS:
                delattr(self, name)
        self.outcome.choices = [("", "—")] + [(o.value, o.label) for o in self.case.allowed_outcomes()]
        # A denunciation is resolved by a conclusion, a recommendation by an answer: say so on the form.
        words = self.case.words
        self.decision_no.label.text = words.number
        self.decision_no.validators = [DataRequired(words.enter_number), Length(max=60)]
        self.decision_on.label.text = words.date
        self.decision_on.validators = [DataRequired(words.enter_date)]
        self.decision_summary.label.text = words.summary
        self.enforcement.choices = [("", "—"), ("required", words.requires), ("none", words.nothing)]
        self.enforcement_required.label.text = words.requires
        if self.case.kind is not PetitionKind.DENUNCIATION:
            del self.violation_handling, self.people_to_sanction, self.referred_to_investigation

    def validate_decision_on(self, field: Field) -> None:
        if field.data < self.case.accepted_on:
            raise ValidationError(_l("The decision date cannot be before the case was accepted."))
        if field.data > local_today():
            raise ValidationError(_l("The decision date cannot be in the future."))

    def validate_enforcement_required(self, field: Field) -> None:
        if self.enforcement.data == "required" and not (field.data or "").strip():
            raise ValidationError(_l("Say what must be carried out."))
        if self.enforcement.data == "none" and (field.data or "").strip():
            raise ValidationError(_l("Nothing is to be carried out: leave this empty, or choose what must be."))

    def validate_enforcement_due_on(self, field: Field) -> None:
        if field.data and self.decision_on.data and field.data < self.decision_on.data:
            raise ValidationError(_l("The enforcement deadline cannot be before the decision date."))

    def operation_fields(self) -> dict[str, Any]:
        return {
            "decision_no": self.decision_no.data,
            "decision_on": self.decision_on.data,
            "outcome": self.outcome.data,
            "decision_summary": self.decision_summary.data,
            "enforcement_required": self.enforcement_required.data if self.enforcement.data == "required" else None,
            "enforcement_due_on": self.enforcement_due_on.data if self.enforcement.data == "required" else None,
            **{name: self[name].data for name in AMOUNTS if name in self and self.enforcement.data == "required"},
            **(
                {
                    "violation_handling": self.violation_handling.data,
                    "people_to_sanction": self.people_to_sanction.data,
                    "referred_to_investigation": bool(self.referred_to_investigation.data),
                }
                if self.case.kind is PetitionKind.DENUNCIATION
                else {}
            ),
        }


class EnforceForm(CaseActionForm):
    enforced_on = DmyDateField(
        _l("Date enforcement was completed"), validators=[DataRequired(_l("Enter the date enforcement was completed."))]
    )
    enforcement_result = TextAreaField(
        _l("Result of enforcement"),
        validators=[DataRequired(_l("Describe the result of enforcement.")), Length(max=NOTE_MAX)],
    )

    def validate_enforced_on(self, field: Field) -> None:
        if self.case.decision_on and field.data < self.case.decision_on:
            raise ValidationError(_l("Enforcement cannot be completed before the decision date."))
        if field.data > local_today():
            raise ValidationError(_l("The enforcement date cannot be in the future."))

    def operation_fields(self) -> dict[str, Any]:
        return {"enforced_on": self.enforced_on.data, "enforcement_result": self.enforcement_result.data}


FORMS: dict[CaseAction, type[CaseActionForm]] = {
    CaseAction.ASSIGN: AssignForm,
    CaseAction.SUSPEND: SuspendForm,
    CaseAction.RESUME: NoteForm,
    CaseAction.RESOLVE: ResolveForm,
    CaseAction.ENFORCE: EnforceForm,
    CaseAction.CLOSE: NoteForm,
    CaseAction.WITHDRAW: ReasonForm,
    CaseAction.TERMINATE: ReasonForm,
}


def action_form(action: CaseAction, case: Case, *, bound: bool = False) -> CaseActionForm:
    """Build the form of ``action`` on ``case``: bound to the posted data, or fresh at the case's version.

    Field names stay plain (``note``, ``version``); ids get the action as prefix so that the several
    forms on the detail page do not share element ids.
    """
    return build_form(FORMS[action], case, action.value, bound=bound)


F = TypeVar("F", bound=CaseActionForm)


def build_form(form_class: type[F], case: Case, prefix: str, *, bound: bool = False) -> F:
    """A case form bound to the posted data, or fresh at the case's version; its element ids get ``prefix``
    (the case page shows several forms). Used for the workflow actions and every recorded step."""
    form = form_class(case, **({} if bound else {"formdata": None}))
    form.setup(bound)
    if not bound:
        form.version.data = case.version
    for f in form:
        f.id = f"{prefix}-{f.name}"
        f.label.field_id = f.id
    return form


class DeliveryForm(CaseActionForm):
    """The decision sent to the complainant and the parties."""

    delivered_on = DmyDateField(
        _l("Day the decision was sent"), validators=[DataRequired(_l("Enter the day it was sent."))]
    )
    recipients = TextAreaField(
        _l("Sent to"),
        validators=[DataRequired(_l("Say to whom the decision was sent.")), Length(max=NOTE_MAX)],
        description=_l("The complainant, the person complained of, the bodies concerned."),
    )

    def setup(self, bound: bool) -> None:
        if not bound:
            self.delivered_on.data = local_today()

    def validate_delivered_on(self, field: Field) -> None:
        if self.case.decision_on and not self.case.decision_on <= field.data <= local_today():
            raise ValidationError(_l("The decision must be sent between its date and today."))

    def operation_fields(self) -> dict[str, Any]:
        return {"delivered_on": self.delivered_on.data, "recipients": self.recipients.data}


def delivery_form(case: Case, *, bound: bool = False) -> DeliveryForm:
    return build_form(DeliveryForm, case, "delivery", bound=bound)


class CourtFilingForm(CaseActionForm):
    """The complainant took the decision to an administrative court."""

    court = StringField(
        _l("Court"),
        validators=[DataRequired(_l("Say which court the lawsuit was filed with.")), Length(max=300)],
        description=_l("E.g. Tòa án nhân dân tỉnh Đồng Nai."),
    )
    court_case_no = StringField(_l("The court's case number"), validators=[Optional(), Length(max=60)])
    filed_on = DmyDateField(
        _l("Day the lawsuit was filed"), validators=[DataRequired(_l("Enter the day it was filed."))]
    )

    def setup(self, bound: bool) -> None:
        if not bound:
            self.filed_on.data = local_today()

    def validate_filed_on(self, field: Field) -> None:
        if self.case.decision_on and not self.case.decision_on <= field.data <= local_today():
            raise ValidationError(_l("The lawsuit must be dated between the decision and today."))

    def operation_fields(self) -> dict[str, Any]:
        return {"court": self.court.data, "court_case_no": self.court_case_no.data, "filed_on": self.filed_on.data}


class JudgmentForm(CaseActionForm):
    """The court's judgment on the lawsuit."""

    judgment_on = DmyDateField(
        _l("Day of the judgment"), validators=[DataRequired(_l("Enter the day of the judgment."))]
    )
    judgment = TextAreaField(
        _l("What the judgment decides"),
        validators=[DataRequired(_l("Summarise the judgment.")), Length(max=NOTE_MAX)],
    )

    def validate_judgment_on(self, field: Field) -> None:
        if self.case.court_filed_on and not self.case.court_filed_on <= field.data <= local_today():
            raise ValidationError(_l("The judgment must be dated between the lawsuit and today."))

    def operation_fields(self) -> dict[str, Any]:
        return {"judgment_on": self.judgment_on.data, "judgment": self.judgment.data}


class VerificationForm(CaseActionForm):
    """The verification: the decision assigning it, the verifiers, the report."""

    decision_no = StringField(_l("Number of the decision assigning the verification"), validators=[Length(max=60)])
    held_on = DmyDateField(_l("Date of the verification report"), validators=[DataRequired(_l("Enter the date."))])
    people = TextAreaField(
        _l("Verifiers"), validators=[DataRequired(_l("Name the officers who verified.")), Length(max=NOTE_MAX)]
    )
    summary = TextAreaField(
        _l("Findings of the report"),
        validators=[DataRequired(_l("Summarise the verification report.")), Length(max=NOTE_MAX)],
    )
    differs_from_claim = SelectField(
        _l("Compared with the complainant's claim"),
        choices=lambda: [
            ("", "—"),
            ("0", _l("The findings agree with the claim")),
            ("1", _l("The findings differ from the claim (a dialogue is required)")),
        ],
    )

    def setup(self, bound: bool) -> None:
        if self.case.kind is not PetitionKind.COMPLAINT:
            del self.differs_from_claim
        if not bound:
            self.held_on.data = local_today()

    def validate_differs_from_claim(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Say whether the verification found what the complainant claims."))

    def operation_fields(self) -> dict[str, Any]:
        differs = getattr(self, "differs_from_claim", None)
        return {
            "decision_no": self.decision_no.data,
            "held_on": self.held_on.data,
            "people": self.people.data,
            "summary": self.summary.data,
            "differs_from_claim": differs.data == "1" if differs is not None else None,
        }


class DialogueForm(CaseActionForm):
    """The dialogue with the complainant and the parties, and its minutes."""

    held_on = DmyDateField(_l("Date of the dialogue"), validators=[DataRequired(_l("Enter the date."))])
    people = TextAreaField(
        _l("Participants"),
        validators=[DataRequired(_l("Name the participants of the dialogue.")), Length(max=NOTE_MAX)],
    )
    summary = TextAreaField(
        _l("Minutes (biên bản): what was said"),
        validators=[DataRequired(_l("Summarise the minutes of the dialogue.")), Length(max=NOTE_MAX)],
    )
    result = TextAreaField(_l("Result of the dialogue"), validators=[Optional(), Length(max=NOTE_MAX)])

    def setup(self, bound: bool) -> None:
        if not bound:
            self.held_on.data = local_today()

    def operation_fields(self) -> dict[str, Any]:
        return {
            "held_on": self.held_on.data,
            "people": self.people.data,
            "summary": self.summary.data,
            "result": self.result.data,
        }


class EnforcementStepForm(CaseActionForm):
    """A step of carrying out the decision: what was done, by whom, what it recovered or returned."""

    held_on = DmyDateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    summary = TextAreaField(
        _l("What was done"), validators=[DataRequired(_l("Say what was done.")), Length(max=NOTE_MAX)]
    )
    people = TextAreaField(_l("Carried out by"), validators=[Optional(), Length(max=NOTE_MAX)])
    money_to_state = MoneyField(_l("Money recovered for the State (đồng)"), validators=[Optional()])
    money_to_citizens = MoneyField(_l("Money returned to citizens (đồng)"), validators=[Optional()])
    land_to_state = AreaField(_l("Land recovered for the State (m²)"), validators=[Optional()])
    land_to_citizens = AreaField(_l("Land returned to citizens (m²)"), validators=[Optional()])

    def setup(self, bound: bool) -> None:
        if not bound:
            self.held_on.data = local_today()

    def operation_fields(self) -> dict[str, Any]:
        return {
            "held_on": self.held_on.data,
            "summary": self.summary.data,
            "people": self.people.data,
            **{name: self[name].data for name in AMOUNTS},
        }


#: The step forms of the case page, by the name of their step (not workflow actions: the state stays).
COURT_FORMS: dict[str, type[CaseActionForm]] = {"court": CourtFilingForm, "judgment": JudgmentForm}
STEP_FORMS: dict[StepKind, type[CaseActionForm]] = {
    StepKind.VERIFICATION: VerificationForm,
    StepKind.DIALOGUE: DialogueForm,
    StepKind.ENFORCEMENT: EnforcementStepForm,
}


def step_form(kind: StepKind, case: Case, *, bound: bool = False) -> CaseActionForm:
    """Build the form of a verification or dialogue, as ``action_form`` does for the workflow actions."""
    return build_form(STEP_FORMS[kind], case, kind.value, bound=bound)


def court_form(step: str, case: Case, *, bound: bool = False) -> CaseActionForm:
    """Build the form of a court step, as ``action_form`` does for the workflow actions."""
    return build_form(COURT_FORMS[step], case, step, bound=bound)
