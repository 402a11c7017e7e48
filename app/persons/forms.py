"""Person fields shared by the reception desk and the petition forms, with server-side address checks."""

from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..core.fields import DmyDateField, DmyDateTimeField, VersionField, WholeNumberField, optional_int
from ..core.forms import AppForm
from ..core.i18n import LazyText
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import local_today
from ..core.validation import is_citizen_id, is_phone
from . import divisions
from .operations import PersonData

#: Most people one line-per-person textarea may list (a delegation chooses at most 5 representatives).
MAX_PERSON_LINES = 20
#: Most people a visit or a petition may count (signatories, a delegation).
MAX_PEOPLE = 100_000
#: The earliest year of birth a form takes.
MIN_BIRTH_YEAR = 1900


def strip(value: object) -> object:
    """Trim surrounding whitespace from submitted text (None stays None)."""
    return value.strip() if isinstance(value, str) else value


class _BlankIsNone(Field):
    """An empty input means "no value" (a required-validator's business), not "not a valid date"."""

    #: What the field parsed, as on every WTForms field (untyped): a date or datetime, or None when blank.
    data: Any

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and not "".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class BlankableDateField(_BlankIsNone, DmyDateField):
    pass


class BlankableDateTimeField(_BlankIsNone, DmyDateTimeField):
    pass


def blank_choice() -> tuple[str, str]:
    return ("", _("— choose —"))


class PersonLinesField(TextAreaField):
    """A textarea of further people, one a line: ``Full name`` or ``Full name; CCCD``.

    After validation ``field.persons`` holds the parsed :class:`PersonData` rows.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, filters=[strip], **kwargs)
        self.persons: list[PersonData] = []

    def pre_validate(self, form: object) -> None:
        self.persons = []
        errors = []
        lines = [line.strip() for line in (self.data or "").splitlines()]
        numbered = [(n, line) for n, line in enumerate(lines, start=1) if line]
        if len(numbered) > MAX_PERSON_LINES:
            raise ValidationError(_l("List at most %(n)d people here.", n=MAX_PERSON_LINES))
        for n, line in numbered:
            parts = [p.strip() for p in line.split(";")]
            if len(parts) > 2:
                errors.append(_("Line %(n)d: write “Full name” or “Full name; CCCD”.", n=n))
                continue
            name = parts[0]
            citizen_id = parts[1] if len(parts) == 2 else ""
            if not name:
                errors.append(_("Line %(n)d: the full name is missing.", n=n))
            elif len(name) > 200:
                errors.append(_("Line %(n)d: the full name is too long.", n=n))
            elif citizen_id and not is_citizen_id(citizen_id):
                errors.append(_("Line %(n)d: the citizen ID (CCCD) must be exactly 12 digits.", n=n))
            else:
                self.persons.append(PersonData(full_name=name, citizen_id=citizen_id or None))
        if errors:
            self.persons = []
            self.errors.extend(errors[:-1])
            raise ValidationError(errors[-1])


def full_name_field(label=_l("Full name"), *validators) -> StringField:
    """The citizen's full name (at most 200 characters, trimmed); a form may relabel it or require it."""
    return StringField(label, validators=[*validators, Length(max=200)], filters=[strip])


def province_field(label: str | LazyText = _l("Province / city")) -> SelectField:
    """A province, from the list (a value out of it is refused with a message, not read as none)."""
    return SelectField(
        label, coerce=optional_int, validate_choice=False, invalid_value_message=_l("Choose a province from the list.")
    )


def ward_field() -> SelectField:
    """A commune or ward, from the list of the province chosen beside it."""
    return SelectField(
        _l("Commune / ward"),
        coerce=optional_int,
        validate_choice=False,
        invalid_value_message=_l("Choose a commune or ward from the list."),
    )


class PersonFieldsMixin:
    """The fields of one citizen: name, year of birth, CCCD, phone, province + ward (validated together),
    address line.

    The petition form and the reception desk's visit form both use it (``templates/persons/_fields.html``
    renders them). A form using it calls :meth:`setup_address_choices` from its ``__init__``; it may
    redeclare ``full_name`` with :func:`full_name_field` (another label, required).
    """

    if TYPE_CHECKING:
        # Provided by the FlaskForm the mixin is combined with.
        def is_submitted(self) -> bool: ...

    full_name = full_name_field()
    citizen_id = StringField(
        _l("Citizen ID (CCCD)"),
        filters=[strip],
        description=_l("12 digits, optional"),
        render_kw={"inputmode": "numeric", "maxlength": 12, "autocomplete": "off"},
    )
    birth_year = WholeNumberField(
        _l("Year of birth"),
        min=MIN_BIRTH_YEAR,
        max=9999,
        range_message=_l("Enter a year of birth from 1900 to this year."),
        validators=[Optional()],
        invalid_value_message=_l("Enter the year of birth as four digits (e.g. 1965)."),
        render_kw={"inputmode": "numeric", "maxlength": 4, "autocomplete": "off"},
    )
    phone = StringField(_l("Phone"), validators=[Length(max=20)], filters=[strip], render_kw={"inputmode": "tel"})
    province_code = province_field()
    ward_code = ward_field()
    address_line = StringField(_l("House number, street, hamlet"), validators=[Length(max=300)], filters=[strip])

    def setup_address_choices(self) -> None:
        """Offer every province, and the wards of the chosen one (the configured default on a new form)."""
        if not self.is_submitted() and self.province_code.data is None:
            self.province_code.data = int(current_app.config["DEFAULT_PROVINCE_CODE"])
        self.province_code.choices = [blank_choice()] + divisions.provinces()
        wards = divisions.wards_of(self.province_code.data) if self._province_known() else []
        self.ward_code.choices = [blank_choice()] + wards

    def _province_known(self) -> bool:
        code = self.province_code.data
        return code is not None and divisions.province_name(code) is not None

    def validate_citizen_id(self, field: Field) -> None:
        if field.data and not is_citizen_id(field.data):
            raise ValidationError(_l("The citizen ID (CCCD) must be exactly 12 digits."))

    def validate_birth_year(self, field: Field) -> None:
        if field.data is not None and field.data > local_today().year:
            raise ValidationError(_l("The year of birth cannot be in the future."))

    def validate_phone(self, field: Field) -> None:
        if field.data and not is_phone(field.data):
            raise ValidationError(_l("Enter a valid phone number (digits, 8 to 15 characters)."))

    def validate_province_code(self, field: Field) -> None:
        if field.data is not None and not self._province_known():
            raise ValidationError(_l("Choose a province from the list."))

    def validate_ward_code(self, field: Field) -> None:
        if field.data is None or field.process_errors:
            return
        if self.province_code.data is None:
            raise ValidationError(_l("Choose the province before the commune or ward."))
        if self._province_known() and not divisions.ward_in_province(field.data, self.province_code.data):
            raise ValidationError(_l("This commune or ward is not in the chosen province."))

    def has_person_details(self) -> bool:
        return any(
            [
                self.full_name.data,
                self.birth_year.data,
                self.citizen_id.data,
                self.phone.data,
                self.ward_code.data,
                self.address_line.data,
            ]
        )

    def people_named(self, lines_field: PersonLinesField) -> list[PersonData]:
        """The citizen of the person fields (if named) and the further people of ``lines_field``."""
        main = self.person_data()
        return ([main] if main else []) + lines_field.persons

    def check_people(self, count_field: Field, lines_field: PersonLinesField, too_few_message: str | LazyText) -> bool:
        """After field validation: the count covers everyone named, and no CCCD is entered twice."""
        people = self.people_named(lines_field)
        if count_field.data < len(people):
            count_field.errors.append(too_few_message)
            return False
        message = check_distinct_citizen_ids(people)
        if message:
            lines_field.errors.append(message)
            return False
        return True

    def person_data(self) -> PersonData | None:
        """The citizen entered in the form, or None if no name was given."""
        if not self.full_name.data:
            return None
        return PersonData(
            full_name=self.full_name.data,
            citizen_id=self.citizen_id.data or None,
            phone=self.phone.data or None,
            province_code=self.province_code.data,
            ward_code=self.ward_code.data,
            address_line=self.address_line.data or None,
            birth_year=self.birth_year.data,
        )


def check_distinct_citizen_ids(people: list[PersonData]) -> str | None:
    """Return an error message if two of ``people`` carry the same CCCD (they would be one person)."""
    seen = set()
    for p in people:
        if p.citizen_id:
            if p.citizen_id in seen:
                return _("The citizen ID %(id)s is entered twice.", id=p.citizen_id)
            seen.add(p.citizen_id)
    return None


class PersonCorrectionForm(PersonFieldsMixin, AppForm):
    """Correct a citizen's details (a mistyped name, CCCD, phone or address), at the version shown."""

    full_name = full_name_field(_l("Full name"), DataRequired(_l("Enter the full name.")))
    version = VersionField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # As recorded: no default province filled in (saving would "correct" it).
        self.province_code.choices = [blank_choice()] + divisions.provinces()
        wards = divisions.wards_of(self.province_code.data) if self._province_known() else []
        self.ward_code.choices = [blank_choice()] + wards

    def values(self) -> dict[str, Any]:
        """The corrected fields, as ``correct_person`` takes them."""
        data = self.person_data()
        assert data is not None, "the full name is required"
        return {name: getattr(data, name) for name in data.__dataclass_fields__}
