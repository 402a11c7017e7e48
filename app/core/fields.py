"""Form fields shared by every form, so that bad input is refused in one place.

- ``WholeNumberField``: the one integer input of the forms. A number outside its range (at most what an
  INTEGER column holds) is refused with a message before any validator, operation or query sees it:
  99999999999999999999 never reaches the database (PostgreSQL raises NumericValueOutOfRange, SQLite
  OverflowError) nor the date arithmetic of the deadlines.
- ``optional_int`` / ``int_or_none``: the coercion of the selects whose options are ids or codes, with the
  same bound.
- ``VersionField``: the hidden version of a record's form (optimistic locking), required.
- ``DmyDateField`` / ``DmyDateTimeField``: dates typed and shown as dd/mm/yyyy (hh:mm), never the browser's
  locale.
"""

from collections.abc import Callable, Sequence
from typing import Any

from flask_babel import format_decimal, gettext
from wtforms import DateField, DateTimeField, HiddenField, IntegerField
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from .i18n import LazyText
from .i18n import lazy_gettext as _l
from .locking import MISSING_VERSION_MESSAGE
from .validation import INT_MAX, INT_MIN, in_int_range, parse_int

WHOLE_NUMBER_MESSAGE = _l("Enter a whole number.")


def range_message(minimum: int, maximum: int) -> str:
    """The message for a number out of [minimum, maximum], translated now (it has parameters)."""
    message: str = gettext(
        "Enter a whole number from %(min)s to %(max)s.", min=format_decimal(minimum), max=format_decimal(maximum)
    )
    return message


class WholeNumberField(IntegerField):  # type: ignore[misc]  # WTForms ships no type information: its fields are Any
    """A whole number from ``min`` to ``max``, both within what an INTEGER column holds.

    Text that is not a whole number (ASCII digits with an optional sign) gives ``invalid_value_message``
    ("Enter a whole number." unless the form says better); a number out of range gives ``range_message``
    (a message without parameters from the user, e.g. a lazy string), else "Enter a whole number from
    min to max.". Either way validation of the field stops there: the form's own checks of the field only
    ever see a number in range, or None.
    """

    def __init__(
        self,
        label: str | LazyText | None = None,
        validators: Sequence[Callable[..., object]] | None = None,
        *,
        min: int = INT_MIN,  # noqa: A002  (the names WTForms' NumberRange uses)
        max: int = INT_MAX,  # noqa: A002
        range_message: str | LazyText | None = None,
        **kwargs: Any,
    ) -> None:
        if not INT_MIN <= min <= max <= INT_MAX:
            raise ValueError(f"the bounds {min}..{max} are not within an INTEGER column's")
        kwargs.setdefault("invalid_value_message", WHOLE_NUMBER_MESSAGE)
        super().__init__(label, validators, **kwargs)
        self.min, self.max = min, max
        self.range_message = range_message

    def process_formdata(self, valuelist: Sequence[str]) -> None:
        if not valuelist:
            return
        self.data = parse_int(valuelist[0])
        if self.data is None:
            raise ValueError(self.invalid_value_message)

    def pre_validate(self, form: object) -> None:
        if self.data is not None and not self.min <= self.data <= self.max:
            raise StopValidation(
                str(self.range_message) if self.range_message is not None else range_message(self.min, self.max)
            )


def optional_int(value: object) -> int | None:
    """Coerce a select's value to an int (the empty choice: None). Anything else, a number too large for
    an INTEGER column included, raises ValueError: the select shows its ``invalid_value_message``."""
    if value is None or value == "":
        return None
    number = parse_int(value)
    if not in_int_range(number):
        raise ValueError("not a whole number an INTEGER column holds")
    return number


def int_or_none(value: object) -> int | None:
    """Coerce a select's value to an int; blank, garbage or out of range becomes None (then validated with
    a message)."""
    number = parse_int(value)
    return number if in_int_range(number) else None


class VersionField(HiddenField):  # type: ignore[misc]  # WTForms ships no type information: its fields are Any
    """The version of the record a form was opened at (optimistic locking): required.

    The data is the version number, or None when the post carried none, or anything but a positive whole
    number; then the form is refused with ``MISSING_VERSION_MESSAGE`` and nothing is saved. A missing
    version is never "no check" (``check_version`` refuses it too). Unlike a plain HiddenField, a post
    without the field does not keep the value the form got from its object (``obj=unit``): that is how
    the unit and user forms let a post without a version through.
    """

    def process_formdata(self, valuelist: Sequence[str]) -> None:
        number = parse_int(valuelist[0]) if valuelist else None
        self.data = number if number is not None and 0 < number <= INT_MAX else None

    def pre_validate(self, form: object) -> None:
        if self.data is None:
            raise StopValidation(str(MISSING_VERSION_MESSAGE))


#: Dates as Vietnamese officers write them (dd/mm/yyyy, shown so), and ISO dates as links and scripts send them.
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y"]


class DmyDateField(DateField):  # type: ignore[misc]  # WTForms ships no type information: its fields are Any
    """A date typed and shown as dd/mm/yyyy in a text input, whatever the browser's language.

    A browser's own date input follows the computer's locale (mm/dd/yyyy on an English Windows); this one
    is plain text with a mask (app/static/dates.js), parsed on the server. ISO dates are read too.
    """

    widget = TextInput()

    def __init__(self, *args: Any, format: Sequence[str] | None = None, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("render_kw", {})
        kwargs["render_kw"] = {
            "placeholder": "dd/mm/yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-mask": "date",
            "maxlength": 10,
            **kwargs["render_kw"],
        }
        super().__init__(*args, format=list(format or DATE_FORMATS), **kwargs)


class DmyDateTimeField(DateTimeField):  # type: ignore[misc]  # WTForms ships no type information: its fields are Any
    """A date and time typed and shown as dd/mm/yyyy hh:mm in a text input (see DmyDateField)."""

    widget = TextInput()

    def __init__(self, *args: Any, format: Sequence[str] | None = None, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("render_kw", {})
        kwargs["render_kw"] = {
            "placeholder": "dd/mm/yyyy hh:mm",
            "inputmode": "numeric",
            "autocomplete": "off",
            "data-date-mask": "datetime",
            "maxlength": 16,
            **kwargs["render_kw"],
        }
        super().__init__(*args, format=list(format or DATETIME_FORMATS), **kwargs)
