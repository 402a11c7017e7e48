"""Forms of the deadline actions on a case: extending the resolution period, recording a notice."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.fields import VersionField, WholeNumberField
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from .models import Clock
from .rules import RULE_LIMIT_MAX


class _ClockForm(FlaskForm):
    """A form about one clock of a case, carrying the case's version; element ids get ``id_prefix``."""

    id_prefix = ""
    version = VersionField()

    def __init__(self, case, clock: Clock, *args, **kwargs):
        self.case, self.clock = case, clock
        super().__init__(*args, **kwargs)
        if kwargs.get("formdata", True) is None:  # a fresh form, at the case's current version
            self.version.data = case.version
        for f in self:
            f.id = f"{self.id_prefix}-{f.name}"
            f.label.field_id = f.id

    def _check_day(self, field, message) -> None:
        if field.data is not None and (field.data > local_today() or field.data < self.clock.started_on):
            raise ValidationError(message)


class ExtendResolutionForm(_ClockForm):
    id_prefix = "extend"
    decision_no = StringField(
        _l("Number of the extension decision"),
        validators=[DataRequired(_l("Enter the number of the extension decision.")), Length(max=60)],
    )
    decided_on = DateField(
        _l("Date of the extension decision"), validators=[DataRequired(_l("Enter the date of the extension decision."))]
    )
    #: At most the rule's length of an extension (set per case below).
    days = WholeNumberField(_l("Days of extension"), min=1, max=RULE_LIMIT_MAX, validators=[Optional()])

    def __init__(self, case, clock: Clock, *args, **kwargs):
        super().__init__(case, clock, *args, **kwargs)
        limit = clock.rule.extension_days if clock.rule else None
        if limit:
            self.days.description = _("At most %(n)d days; the extension runs on from the current due date.", n=limit)
            self.days.max = min(limit, RULE_LIMIT_MAX)
        if kwargs.get("formdata", True) is None:
            self.days.data = limit

    def validate_decided_on(self, field) -> None:
        self._check_day(field, _l("The extension decision date must lie between acceptance and today."))

    def operation_fields(self) -> dict:
        return {"decision_no": self.decision_no.data, "decided_on": self.decided_on.data, "days": self.days.data}


class NoticeForm(_ClockForm):
    id_prefix = "notice"
    sent_on = DateField(
        _l("Date the notice was sent"), validators=[DataRequired(_l("Enter the date the notice was sent."))]
    )

    def __init__(self, case, clock: Clock, *args, **kwargs):
        super().__init__(case, clock, *args, **kwargs)
        if kwargs.get("formdata", True) is None:
            self.sent_on.data = local_today()

    def validate_sent_on(self, field) -> None:
        self._check_day(field, _l("The notice date must lie between the start of the period and today."))
