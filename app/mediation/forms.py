"""Forms of mediation records: a new record, and the link to a later petition."""

from typing import Any

from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..core.fields import VersionField
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from ..persons.forms import BlankableDateField, blank_choice, strip
from ..petitions.forms import DATE_FORMATS, ReceivingUnitMixin
from ..subjects.forms import SubjectFieldMixin
from .models import MediationResult

NOTE_MAX = 4000


class MediationForm(ReceivingUnitMixin, SubjectFieldMixin, AppForm):
    """A grassroots mediation: who, when, about what, and the result."""

    held_on = BlankableDateField(
        _l("Date of the mediation"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Enter the date of the mediation."))],
        invalid_value_message=_l("Enter the date as day, month and year."),
    )
    mediators = TextAreaField(
        _l("Mediators"), validators=[DataRequired(_l("Name the mediators.")), Length(max=NOTE_MAX)], filters=[strip]
    )
    parties = TextAreaField(
        _l("Parties"),
        validators=[DataRequired(_l("Name the parties mediated.")), Length(max=NOTE_MAX)],
        filters=[strip],
    )
    matter = TextAreaField(
        _l("Matter in dispute"),
        validators=[DataRequired(_l("Describe the matter mediated.")), Length(max=NOTE_MAX)],
        filters=[strip],
    )
    result = SelectField(
        _l("Result"),
        default="",
        choices=lambda: [blank_choice()] + MediationResult.choices(),
        validators=[DataRequired(_l("Choose the result."))],
        invalid_choice_message=_l("Choose a result from the list."),
    )
    agreement = TextAreaField(_l("What the parties agreed"), validators=[Length(max=NOTE_MAX)], filters=[strip])

    def __init__(self, units: Any, default_unit: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(units, default_unit)
        self.setup_subjects()
        if not self.is_submitted() and self.held_on.data is None:
            self.held_on.data = local_today()

    def subject_required(self) -> bool:
        return False

    def validate_held_on(self, field: Field) -> None:
        if field.data and field.data > local_today():
            raise ValidationError(_l("The mediation cannot be dated in the future."))

    def validate_agreement(self, field: Field) -> None:
        if self.result.data in (MediationResult.RECONCILED, MediationResult.PARTLY) and not field.data:
            raise ValidationError(_l("Write what the parties agreed."))

    def values(self) -> dict[str, Any]:
        return dict(
            unit=self.unit,
            held_on=self.held_on.data,
            mediators=self.mediators.data,
            parties=self.parties.data,
            matter=self.matter.data,
            result=MediationResult(self.result.data),
            agreement=self.agreement.data or None,
            subject_area=self.subject_area,
        )


class LinkForm(AppForm):
    """The receipt number of a later petition of the same matter."""

    version = VersionField()
    receipt_no = StringField(
        _l("Receipt number of the later petition"),
        validators=[DataRequired(_l("Enter the receipt number of the petition.")), Length(max=40)],
        filters=[strip],
    )
