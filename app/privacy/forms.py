"""Forms of the privacy screens: revealing a confidential identity, granting and revoking permissions."""

from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..persons.forms import optional_int, strip
from ..petitions.forms import unit_choices
from .models import Permission

REASON_MIN = 10
REASON_MAX = 500


class RevealForm(AppForm):
    """Reveal the petitioners of a confidential petition: the reason is required and audited."""

    reason = TextAreaField(
        _l("Reason for revealing the identity"),
        validators=[
            DataRequired(_l("Write why you need to see the petitioner's identity.")),
            Length(min=REASON_MIN, max=REASON_MAX, message=_l("Write the reason in %(min)d to %(max)d characters.")),
        ],
        filters=[strip],
        description=_l("Recorded in the audit log with your name and the time."),
    )
    #: Where to go back to (a local path: the petition or its case).
    next = HiddenField()


class PermissionForm(AppForm):
    """Grant or revoke one permission of one role, within the subtree of one of the administrator's units."""

    role = SelectField(
        _l("Role"),
        choices=Role.lazy_choices(),
        validators=[DataRequired(_l("Choose a role."))],
        invalid_choice_message=_l("Choose a role from the list."),
    )
    permission = SelectField(
        _l("Permission"),
        choices=Permission.lazy_choices(),
        validators=[DataRequired(_l("Choose a permission."))],
        invalid_choice_message=_l("Choose a permission from the list."),
    )
    unit_id = SelectField(
        _l("Applies in"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose one of your units."),
        description=_l(
            "The unit and every unit below it. Only an administrator of the root unit can grant for the whole tree."
        ),
    )

    def __init__(self, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {u.id: u for u in units}
        self.unit_id.choices = unit_choices(units)

    def validate_unit_id(self, field):
        if field.data not in self.units:
            raise ValidationError(_l("Choose one of your units."))

    @property
    def unit(self):
        return self.units.get(self.unit_id.data)
