"""Forms of the deadlines: the actions on a case (extending the resolution period, recording a notice),
and the rule table and working-day calendar screens."""

from collections.abc import Mapping
from typing import Any, TypeVar

from flask_babel import gettext as _
from wtforms import BooleanField, Field, Form, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..admin.forms import BLANK, strip, unit_label
from ..cases.models import Case, Complexity
from ..core.fields import DmyDateField, VersionField, WholeNumberField, optional_int
from ..core.forms import AppForm
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from ..units.models import Unit
from .calendar import DOCUMENT_MAX, FIRST_YEAR, LAST_YEAR
from .models import Clock, DayUnit, DeadlineRule, RuleKind, Stage
from .overrides import override_of
from .rules import (
    LEGAL_BASIS_MAX,
    RULE_CONDITIONS,
    RULE_EDITABLE_FIELDS,
    RULE_EXTENSIONS_MAX,
    RULE_LIMIT_MAX,
    RULE_SITES_MAX,
    TEXT_MAX,
    overlap_message,
    overlapping_rule,
    rule_problems,
)

T = TypeVar("T")


class _ClockForm(AppForm):
    """A form about one clock of a case, carrying the case's version; element ids get ``id_prefix``."""

    id_prefix = ""
    version = VersionField()

    def __init__(self, case: Case, clock: Clock, *args: Any, **kwargs: Any) -> None:
        self.case, self.clock = case, clock
        super().__init__(*args, **kwargs)
        # Two notice forms may be on the page at once (acceptance and conclusion): ids by the clock's stage.
        prefix = self.id_prefix if self.id_prefix != "notice" else f"notice-{clock.stage.value}"
        if kwargs.get("formdata", True) is None:  # a fresh form, at the case's current version
            self.version.data = case.version
        for f in self:
            f.id = f"{prefix}-{f.name}"
            f.label.field_id = f.id

    def _check_day(self, field: Field, message: str | LazyText) -> None:
        if field.data is not None and (field.data > local_today() or field.data < self.clock.started_on):
            raise ValidationError(message)


class ExtendResolutionForm(_ClockForm):
    id_prefix = "extend"
    decision_no = StringField(
        _l("Number of the extension decision"),
        validators=[DataRequired(_l("Enter the number of the extension decision.")), Length(max=60)],
    )
    decided_on = DmyDateField(
        _l("Date of the extension decision"), validators=[DataRequired(_l("Enter the date of the extension decision."))]
    )
    #: At most the rule's length of an extension (set per case below).
    days = WholeNumberField(_l("Days of extension"), min=1, max=RULE_LIMIT_MAX, validators=[Optional()])

    def __init__(self, case: Case, clock: Clock, *args: Any, **kwargs: Any) -> None:
        super().__init__(case, clock, *args, **kwargs)
        limit = clock.rule.extension_days if clock.rule else None
        if limit:
            self.days.description = _("At most %(n)d days; the extension runs on from the current due date.", n=limit)
            self.days.max = min(limit, RULE_LIMIT_MAX)
        if kwargs.get("formdata", True) is None:
            self.days.data = limit

    def validate_decided_on(self, field: Field) -> None:
        self._check_day(field, _l("The extension decision date must lie between acceptance and today."))

    def operation_fields(self) -> dict[str, Any]:
        return {"decision_no": self.decision_no.data, "decided_on": self.decided_on.data, "days": self.days.data}


class NoticeForm(_ClockForm):
    id_prefix = "notice"
    sent_on = DmyDateField(
        _l("Date the notice was sent"), validators=[DataRequired(_l("Enter the date the notice was sent."))]
    )

    def __init__(self, case: Case, clock: Clock, *args: Any, **kwargs: Any) -> None:
        super().__init__(case, clock, *args, **kwargs)
        if kwargs.get("formdata", True) is None:
            self.sent_on.data = local_today()

    def validate_sent_on(self, field: Field) -> None:
        self._check_day(field, _l("The notice date must lie between the start of the period and today."))


# ---- The rule table and the working-day calendar --------------------------------------------------------


def blank_to_none(value: T) -> T | None:
    return value if value not in ("", None) else None


def tri_state(value: object) -> bool | None:
    """A select of yes / no / any: "1", "0" or "" (or garbage) -> True, False, None."""
    return {"1": True, "0": False, True: True, False: False}.get(value)


def working_choice(value: object) -> bool | None:
    return {"1": True, "0": False, True: True, False: False}.get(value)


class RuleFilterForm(Form):  # type: ignore[misc]  # WTForms ships no type information
    """The filter above the rule table (a GET form: nothing changes, so no CSRF token)."""

    on = DmyDateField(_l("In force on"), validators=[Optional()])
    verify = BooleanField(_l("Only rules to verify"))


class RuleForm(AppForm):
    """What an administrator may change on a rule; the reason is kept in the rule's history."""

    # The bounds and messages of rule_problems (which the operations check too), on the fields themselves.
    limit_days = WholeNumberField(
        _l("Limit"),
        validators=[InputRequired(_l("Enter the limit."))],
        min=0,
        max=RULE_LIMIT_MAX,
        range_message=_l("The limit must be between 0 and %(max)d days.", max=RULE_LIMIT_MAX),
    )
    day_unit = SelectField(
        _l("Counted in"), choices=DayUnit.lazy_choices(), validators=[DataRequired(_l("Choose working days or days."))]
    )
    max_extensions = WholeNumberField(
        _l("Extensions allowed"),
        default=0,
        validators=[InputRequired(_l("Enter how many extensions are allowed (0 for none)."))],
        min=0,
        max=RULE_EXTENSIONS_MAX,
        range_message=_l("The number of extensions must be between 0 and %(max)d.", max=RULE_EXTENSIONS_MAX),
    )
    extension_days = WholeNumberField(
        _l("Length of an extension"),
        filters=[blank_to_none],
        description=_l("In the rule's unit; only when extensions are allowed."),
        validators=[Optional()],
        min=1,
        max=RULE_LIMIT_MAX,
        range_message=_l("An extension must be between 1 and %(max)d days.", max=RULE_LIMIT_MAX),
    )
    legal_basis = StringField(
        _l("Legal basis"),
        filters=[strip],
        description=_l("The law and article, as officers cite it."),
        validators=[
            DataRequired(_l("Enter the legal basis (law, article), or say that there is none.")),
            Length(max=LEGAL_BASIS_MAX),
        ],
    )
    is_verified = BooleanField(_l("Verified against the legal text"), default=True)
    note = TextAreaField(_l("Note"), filters=[strip, blank_to_none], validators=[Optional(), Length(max=TEXT_MAX)])
    effective_from = DmyDateField(
        _l("In force from"), validators=[InputRequired(_l("Enter the date from which the rule applies."))]
    )
    effective_to = DmyDateField(
        _l("No longer in force from"),
        validators=[Optional()],
        description=_l("The first day the rule no longer applies; leave empty while it stays in force."),
    )
    is_active = BooleanField(_l("Active (an inactive rule is kept with its history but no longer applied)"))
    reason = TextAreaField(
        _l("Reason for the change"),
        filters=[strip],
        description=_l("E.g. the legal document that changed the limit."),
        validators=[
            DataRequired(_l("Give the reason for the change (e.g. the legal document).")),
            Length(max=TEXT_MAX),
        ],
    )
    version = VersionField()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args: Any, rule: DeadlineRule | None = None, **kwargs: Any) -> None:
        self.rule = rule
        super().__init__(*args, **kwargs)

    def condition_values(self) -> dict[str, object]:
        """The conditions the rule applies under (fixed once the rule exists), for the checks across fields."""
        return {name: getattr(self.rule, name) for name in RULE_CONDITIONS}

    def values(self) -> dict[str, object]:
        """The editable fields, as the operation takes them."""
        return {
            name: getattr(self, name).data for name in RULE_EDITABLE_FIELDS if getattr(self, name, None) is not None
        }

    def all_values(self) -> dict[str, object]:
        return {**self.condition_values(), "is_active": True, **self.values()}

    def validate(self, extra_validators: Mapping[str, list[Any]] | None = None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        values = self.all_values()
        for name, message in rule_problems(values).items():
            target = getattr(self, name, None)
            if target is not None:
                target.errors.append(message)
            else:
                self.form_errors.append(message)
        if self.errors or self.form_errors:
            return False
        other = overlapping_rule(values, exclude_id=self.rule.id if self.rule is not None else None)
        if other is not None:
            self.form_errors.append(overlap_message(other))
            return False
        return True


class RuleCreateForm(RuleForm):
    """A new rule: its conditions too; ``units`` are the units the administrator manages."""

    kind = SelectField(
        _l("Applies to"),
        choices=RuleKind.lazy_choices(),
        default=RuleKind.RECOMMENDATION.value,
        validators=[DataRequired(_l("Choose what the rule applies to."))],
    )
    stage = SelectField(
        _l("Stage"),
        choices=Stage.lazy_choices(),
        default=Stage.RESOLUTION.value,
        validators=[DataRequired(_l("Choose the stage the rule times."))],
    )
    # Blank means "any instance" and "a national rule": garbage or a number out of range is refused
    # (optional_int), not read as blank.
    instance = SelectField(
        _l("Complaint instance"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose the first or the second instance."),
        choices=lambda: [("", _l("Any")), ("1", _l("First instance")), ("2", _l("Second instance"))],
    )
    complexity = SelectField(
        _l("Complexity"),
        coerce=blank_to_none,
        validate_choice=False,
        choices=lambda: [("", _l("Any"))] + Complexity.choices(),
    )
    is_remote = SelectField(
        _l("Area"),
        coerce=tri_state,
        validate_choice=False,
        choices=lambda: [("", _l("Any")), ("1", _l("Remote areas only")), ("0", _l("Other areas only"))],
    )
    min_sites = WholeNumberField(
        _l("Minimum number of sites to verify"),
        filters=[blank_to_none],
        validators=[Optional()],
        min=1,
        max=RULE_SITES_MAX,
        range_message=_l("The number of sites must be between 1 and %(max)d.", max=RULE_SITES_MAX),
    )
    unit_id = SelectField(
        _l("Unit"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose a unit among the units you manage."),
        description=_l("The rule replaces the general one for this unit and the units below it."),
    )
    # WTForms drops an inherited field set to None (its way of removing one), which mypy reads as an override.
    version = None  # type: ignore[assignment]  # a new rule has no version yet
    is_active = None  # a new rule is active
    reason = TextAreaField(
        _l("Reason"),
        filters=[strip],
        description=_l("E.g. the decision of the unit that set this limit."),
        validators=[
            DataRequired(_l("Give the reason for the change (e.g. the legal document).")),
            Length(max=TEXT_MAX),
        ],
    )

    def __init__(self, *args: Any, units: list[Unit], national: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units_by_id = {u.id: u for u in units}
        self.national = national
        first = [("", _l("All units (national rule)"))] if national else [BLANK]
        self.unit_id.choices = first + [(u.id, unit_label(u)) for u in units]

    def condition_values(self) -> dict[str, object]:
        return {name: getattr(self, name).data for name in RULE_CONDITIONS}

    def values(self) -> dict[str, object]:
        return {**super().values(), **self.condition_values()}

    def validate_unit_id(self, field: Field) -> None:
        if field.data is None:
            if not self.national:
                raise ValidationError(_l("Choose the unit the rule is for."))
        elif field.data not in self.units_by_id:
            raise ValidationError(_l("Choose a unit among the units you manage."))


class OverrideForm(AppForm):
    """A day the government moved: worked or off, and the document that says so."""

    day = DmyDateField(_l("Day"), validators=[InputRequired(_l("Enter the day."))])
    is_working_day = SelectField(
        _l("The day is"),
        coerce=working_choice,
        validate_choice=False,
        choices=lambda: [("", "—"), ("1", _l("A working day")), ("0", _l("A day off"))],
        validators=[InputRequired(_l("Choose whether the day is worked or off."))],
    )
    document = StringField(
        _l("Document"),
        filters=[strip],
        description=_l(
            "The document that announced it, e.g. a notice of the Ministry of Home Affairs with its number and date."
        ),
        validators=[DataRequired(_l("Enter the document that announced the change.")), Length(max=DOCUMENT_MAX)],
    )
    submit = SubmitField(_l("Save"))

    def validate_is_working_day(self, field: Field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose whether the day is worked or off."))

    def validate_day(self, field: Field) -> None:
        if field.data is None:
            return  # not a date: the field already says so
        if not FIRST_YEAR <= field.data.year <= LAST_YEAR:
            raise ValidationError(_l("Enter a date between %(first)d and %(last)d.", first=FIRST_YEAR, last=LAST_YEAR))
        if override_of(field.data) is not None:
            raise ValidationError(
                _("%(day)s is already in the list of changed days: edit it there.", day=f"{field.data:%d/%m/%Y}")
            )


class OverrideEditForm(OverrideForm):
    """Change an override: the day itself stays (add another day instead)."""

    day = None  # type: ignore[assignment]  # WTForms removes a field of the base form this way
