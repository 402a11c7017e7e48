"""Forms of the administration screens: units and users."""

from flask_babel import gettext as _
from wtforms import BooleanField, Form, PasswordField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.errors import DomainError
from ..core.fields import VersionField, int_or_none
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..persons.divisions import provinces, wards_of
from ..persons.forms import province_field, ward_field
from ..units.models import Unit, UnitKind
from ..units.operations import check_division, check_unit_code
from ..units.queries import unit_by_code
from ..users.models import User
from ..users.operations import EMAIL_MAX, MIN_PASSWORD_LENGTH, check_self_edit, check_username, clean_email
from ..users.queries import user_by_username

BLANK = ("", "—")


def strip(value):
    return value.strip() if isinstance(value, str) else value


def strip_upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def strip_lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def blank_to_none(value):
    return value or None


def unit_label(unit: Unit) -> str:
    return f"{unit.code} – {unit.name}"


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _raise_domain(check, *args, **kwargs) -> None:
    """Run an operation's rule check and turn its refusal into a message next to the field."""
    try:
        check(*args, **kwargs)
    except DomainError as err:
        raise ValidationError(str(err.message)) from err


class _UnitForm(AppForm):
    """Fields shared by the create and edit forms of a unit.

    ``units`` are the units the administrator may choose as parent (their subtree).
    """

    name = StringField(
        _l("Name"), filters=[strip], validators=[DataRequired(_l("Enter the name of the unit.")), Length(max=200)]
    )
    kind = SelectField(
        _l("Kind"), choices=UnitKind.lazy_choices(), validators=[DataRequired(_l("Choose the kind of unit."))]
    )
    parent_id = SelectField(
        _l("Parent unit"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Choose the parent unit."))],
    )
    is_remote = BooleanField(_l("Remote or especially difficult area (longer complaint time limits)"))
    # Optional: garbage or a number out of range is refused (optional_int), not read as "none".
    province_code = province_field(_l("Province"))
    ward_code = ward_field()
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_id = {u.id: u for u in units}
        self.parent_id.choices = [BLANK] + [(u.id, unit_label(u)) for u in units]
        self.province_code.choices = [BLANK] + provinces()
        # The wards offered are those of the province shown; a stale ward is then refused with a message.
        province = self.province_code.data
        self.ward_code.choices = [BLANK] + (wards_of(province) if province else [])

    @property
    def parent(self) -> Unit | None:
        return self.units_by_id.get(self.parent_id.data)

    def values(self) -> dict:
        """The keyword arguments that creating and editing a unit share (``parent`` as each form resolves it)."""
        return dict(
            name=self.name.data,
            kind=self.kind.data,
            parent=self.parent,
            is_remote=self.is_remote.data,
            province_code=self.province_code.data,
            ward_code=self.ward_code.data,
        )

    def validate_parent_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose the parent unit."))
        if field.data not in self.units_by_id:
            raise ValidationError(_l("Choose a parent unit among the units you manage."))

    def validate_province_code(self, field) -> None:
        if field.data is not None and field.data not in dict(provinces()):
            raise ValidationError(_l("Choose a province from the list."))

    def validate_ward_code(self, field) -> None:
        _raise_domain(check_division, self.province_code.data, field.data)


class UnitCreateForm(_UnitForm):
    code = StringField(
        _l("Code"),
        filters=[strip_upper],
        description=_l("Used in receipt numbers; it cannot be changed later."),
        validators=[DataRequired(_l("Enter a code.")), Length(max=20)],
    )

    def validate_code(self, field) -> None:
        _raise_domain(check_unit_code, field.data)
        if unit_by_code(field.data) is not None:
            raise ValidationError(_("Another unit already uses the code %(code)s.", code=field.data))


class UnitEditForm(_UnitForm):
    """Edit a unit; ``own_unit`` is set when it is the administrator's own unit (its parent is not theirs)."""

    is_active = BooleanField(_l("Active (an inactive unit is kept with its history but no longer offered)"))
    #: The unit's version when the form was opened (optimistic locking).
    version = VersionField()

    def __init__(self, *args, unit: Unit, own_unit: bool = False, **kwargs):
        self.unit = unit
        self.own_unit = own_unit
        super().__init__(*args, **kwargs)
        if own_unit:
            del self.parent_id  # the administrator's own unit: moving it would leave their subtree

    @property
    def parent(self) -> Unit | None:
        if self.own_unit:
            return self.unit.parent
        return super().parent

    def validate_parent_id(self, field) -> None:
        super().validate_parent_id(field)
        parent = self.parent
        assert parent is not None, "the check above keeps parent_id among units_by_id"
        if parent.is_within(self.unit):
            raise ValidationError(_l("A unit cannot be placed under itself or one of its own units."))

    def validate_is_active(self, field) -> None:
        if not field.data and self.own_unit:
            raise ValidationError(_l("You cannot deactivate the unit you belong to."))


class _UserForm(AppForm):
    """Fields shared by the create and edit forms of a user; ``units`` are the units in scope."""

    full_name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(_l("Enter the full name.")), Length(max=200)]
    )
    title = StringField(
        _l("Position"),
        filters=[strip, blank_to_none],
        description=_l("Position shown on documents, e.g. Chairman of the commune People's Committee."),
        validators=[Optional(), Length(max=200)],
    )
    email = StringField(
        _l("E-mail"),
        filters=[strip, blank_to_none],
        description=_l("Deadline reminders are also sent here (leave empty for none)."),
        validators=[Optional(), Length(max=EMAIL_MAX)],
    )
    unit_id = SelectField(
        _l("Unit"),
        coerce=int_or_none,
        validate_choice=False,
        validators=[InputRequired(_l("Choose the unit of the user."))],
    )
    roles = MultiCheckboxField(_l("Roles"), choices=Role.lazy_choices())
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.units_by_id = {u.id: u for u in units}
        self.unit_id.choices = [BLANK] + [(u.id, unit_label(u)) for u in units]

    @property
    def unit(self) -> Unit | None:
        return self.units_by_id.get(self.unit_id.data)

    def values(self) -> dict:
        """The keyword arguments that creating and editing a user share."""
        return dict(
            full_name=self.full_name.data,
            title=self.title.data,
            email=self.email.data,
            unit=self.unit,
            roles=self.roles.data,
        )

    def validate_email(self, field) -> None:
        _raise_domain(clean_email, field.data)

    def validate_unit_id(self, field) -> None:
        if field.data is None:
            raise ValidationError(_l("Choose the unit of the user."))
        if field.data not in self.units_by_id:
            raise ValidationError(_l("Choose a unit among the units you manage."))

    def validate_roles(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one role."))


def _check_passwords(password, confirm) -> None:
    if len(password.data or "") < MIN_PASSWORD_LENGTH:
        password.errors.append(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    elif password.data != confirm.data:
        confirm.errors.append(_l("The two passwords do not match."))


class UserCreateForm(_UserForm):
    username = StringField(_l("Username"), filters=[strip_lower], validators=[DataRequired(_l("Enter a username."))])
    password = PasswordField(_l("Password"), validators=[InputRequired(_l("Enter a password.")), Length(max=200)])
    confirm = PasswordField(_l("Repeat the password"), validators=[Length(max=200)])

    def validate_username(self, field) -> None:
        _raise_domain(check_username, field.data)
        if user_by_username(field.data) is not None:
            raise ValidationError(_("The username %(name)s is taken.", name=field.data))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.password.errors and not self.confirm.errors:
            _check_passwords(self.password, self.confirm)
        return ok and not self.password.errors and not self.confirm.errors


class UserEditForm(_UserForm):
    """Edit a user; ``user`` is the one edited and ``actor`` the administrator (who may not lock themselves out)."""

    is_active = BooleanField(_l("Active (an inactive user cannot log in)"))
    #: The user's version when the form was opened (optimistic locking).
    version = VersionField()
    password = PasswordField(
        _l("New password"), description=_l("Leave empty to keep the current password."), validators=[Length(max=200)]
    )
    confirm = PasswordField(_l("Repeat the new password"), validators=[Length(max=200)])

    def __init__(self, *args, user: User, actor: User, **kwargs):
        self.user = user
        self.actor = actor
        super().__init__(*args, **kwargs)

    def validate_is_active(self, field) -> None:
        if not field.data and self.user.id == self.actor.id:
            _raise_domain(check_self_edit, self.user, self.actor, roles=self.roles.data or [], is_active=False)

    def validate_roles(self, field) -> None:
        super().validate_roles(field)
        _raise_domain(check_self_edit, self.user, self.actor, roles=field.data, is_active=True)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if (self.password.data or self.confirm.data) and not self.password.errors and not self.confirm.errors:
            _check_passwords(self.password, self.confirm)
        return ok and not self.password.errors and not self.confirm.errors


class UserFilterForm(Form):
    """The filter above the user list (a GET form: nothing changes, so no CSRF token)."""

    unit = SelectField(_l("Unit"), coerce=int_or_none, validate_choice=False)
    q = StringField(_l("Name or username"), filters=[strip])

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.unit.choices = [("", _l("All units"))] + [(u.id, unit_label(u)) for u in units]


class EndSessionsForm(AppForm):
    """A button (POST with CSRF) that ends every open login session of a user."""

    submit = SubmitField(_l("Log out everywhere"))
