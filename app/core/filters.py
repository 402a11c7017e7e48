"""The filters of a list page, read from the query string: declared once, parsed the same way everywhere.

A list (petitions, cases) declares its filters as ``Filter`` specs; ``parse_filters`` reads them and
returns the values it could use and a warning for each value it dropped: a bad value is ignored with a
warning, never an error. Warnings quote what the user typed, so each is formatted with ``gettext`` when
the request is served: a plain, already translated ``str`` that Jinja escapes like any other text, never
a lazy message or ``Markup`` (Flask-Babel's lazy strings declare themselves safe HTML).
"""

import enum
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import gettext

from ..extensions import db
from .enums import parse_enum
from .i18n import LazyText
from .validation import parse_date, parse_id

if TYPE_CHECKING:
    from ..users.models import User


def N_(message: str) -> str:  # Babel's default keyword for a message translated later
    """Mark ``message`` for the catalogue; it is translated (and formatted) when a warning is made."""
    return message


class FilterType(enum.StrEnum):
    #: A member of ``Filter.enum_cls`` (its value as typed).
    ENUM = "enum"
    #: One of ``Filter.choices`` (strings), converted with ``Filter.convert``.
    CHOICE = "choice"
    #: A positive whole number (an id).
    ID = "id"
    #: The id of a unit the user oversees (that unit or one below it).
    UNIT = "unit"
    #: A date typed as 2026-11-25 or 25/11/2026 (see ``validation.parse_date``).
    DATE = "date"
    #: Free text, cut to ``Filter.max_length`` characters.
    TEXT = "text"
    #: A checkbox: "1", "true", "on" or "yes" sets it.
    FLAG = "flag"


TRUE_VALUES = ("1", "true", "on", "yes")
#: Values of a list's ``deadline`` filter (cases, petitions): a running clock overdue, due soon, or either.
DEADLINE_CHOICES = ("overdue", "due_soon", "attention")

UNKNOWN_UNIT = N_("That unit is not one of yours: the unit filter was ignored.")
NOT_A_DATE = N_("“%(value)s” is not a date (%(field)s): that filter was ignored.")
SHORTENED = N_("The search text was shortened to %(n)d characters.")
BAD_RANGE = N_("The start of the date range is after its end: the date filter was ignored.")


@dataclass(frozen=True)
class Filter:
    """One filter of a list: the query argument ``name`` read as ``kind``, stored as ``attr``."""

    name: str
    kind: FilterType
    #: The warning for a value that cannot be used (a message id marked with ``N_``); it may quote the
    #: value as ``%(value)s``. Units, dates and text have their own.
    message: str = ""
    #: What the field is called in a warning (dates), a lazy message.
    label: LazyText | str = ""
    enum_cls: type[enum.Enum] | None = None
    choices: tuple[str, ...] = ()
    convert: Callable[[str], object] = str
    max_length: int = 100
    #: The attribute the value goes to (the argument's name by default).
    attr: str = ""
    #: The name of a FLAG filter that, when set, makes this one ignored (``handler`` beside ``mine``).
    unless: str = ""

    @property
    def key(self) -> str:
        return self.attr or self.name


@dataclass(frozen=True)
class DateRange:
    """Two DATE filters that make a range: both are dropped, with a warning, if the start is after the end."""

    start: str
    end: str


def query_arg(args: Mapping[str, str], name: str) -> str:
    """The argument as typed, stripped; NUL characters removed (PostgreSQL text cannot hold them)."""
    return (args.get(name) or "").replace("\x00", "").strip()


def parse_filters(
    args: Mapping[str, str], specs: Sequence[Filter], user: "User", ranges: Sequence[DateRange] = ()
) -> tuple[dict[str, Any], list[str]]:
    """Read ``specs`` from ``args``: the usable values by ``Filter.key``, and the warnings (plain text).

    An argument left empty is not in the values; neither is one that was dropped.
    """
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for spec in specs:
        if spec.unless and query_arg(args, spec.unless) in TRUE_VALUES:
            continue
        raw = query_arg(args, spec.name)
        if not raw:
            continue
        ok, value, warning = _parse(spec, raw, user)
        if ok:
            values[spec.key] = value
        if warning:
            warnings.append(warning)
        for r in ranges:  # checked once both ends are read, so its warning comes next to theirs
            start, end = values.get(r.start), values.get(r.end)
            if spec.key in (r.start, r.end) and isinstance(start, date) and isinstance(end, date) and start > end:
                warnings.append(gettext(BAD_RANGE))
                del values[r.start], values[r.end]
    return values, warnings


def _parse(spec: Filter, raw: str, user: "User") -> tuple[bool, object, str | None]:
    """(usable, value, warning) for one non-empty argument; warnings are formatted now, never lazily."""
    t = spec.kind
    if t is FilterType.ENUM:
        assert spec.enum_cls is not None, "an enum filter names its enum"
        member = parse_enum(spec.enum_cls, raw)
        return (True, member, None) if member is not None else (False, None, gettext(spec.message, value=raw))
    if t is FilterType.CHOICE:
        if raw in spec.choices:
            return True, spec.convert(raw), None
        return False, None, gettext(spec.message, value=raw)
    if t is FilterType.ID:
        number = parse_id(raw)
        return (True, number, None) if number is not None else (False, None, gettext(spec.message, value=raw))
    if t is FilterType.UNIT:
        unit_id = parse_id(raw)
        # The user's unit is a Unit: its class loads the other one (core imports no domain).
        found = db.session.get(type(user.unit), unit_id) if unit_id else None
        if found is not None and user.oversees(found):
            return True, found.id, None
        return False, None, gettext(spec.message or UNKNOWN_UNIT)
    if t is FilterType.DATE:
        parsed = parse_date(raw)
        if parsed is not None:
            return True, parsed, None
        return False, None, gettext(spec.message or NOT_A_DATE, value=raw, field=str(spec.label))
    if t is FilterType.TEXT:
        warning = gettext(SHORTENED, n=spec.max_length) if len(raw) > spec.max_length else None
        return True, raw[: spec.max_length], warning
    if t is FilterType.FLAG:
        return (True, True, None) if raw in TRUE_VALUES else (False, None, None)
    raise ValueError(f"unknown filter type {t!r}")
