"""Reading a register kept in Excel: the first sheet, its header row, the columns mapped to a register's
fields, and the checks every kind of register shares (dates, CCCD, numbers of people).

A register is imported in two steps: a plan (every row checked, each row's errors listed, nothing written)
and, only when no row is wrong, the import. Each imported record carries a digest of its row
(``import_key``), so importing the same file twice adds nothing.
"""

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from ..core.errors import TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.text import fold
from ..core.timeutil import local_today
from ..extensions import db
from ..persons.forms import MAX_PEOPLE, MIN_BIRTH_YEAR

#: A workbook holds at most this many rows to import (a larger register is split by year).
MAX_ROWS = 20_000
#: Rows shown in the preview of the mapping screen.
PREVIEW_ROWS = 5
#: The header row is looked for among this many top rows.
HEADER_SEARCH = 10
#: No register kept in Excel goes back further: an earlier date is a typing error.
MIN_YEAR = 1990
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class ImportField:
    name: str
    label: Any
    required: bool
    #: The headers registers use for it (matched folded: lower case, no diacritics, no punctuation).
    aliases: tuple[str, ...]


@dataclass
class Sheet:
    filename: str
    headers: list[str]
    #: (row number in the workbook, the cells as read).
    rows: list[tuple[int, list[Any]]]


def read_sheet(stream: IO[bytes], filename: str, fields: Sequence[ImportField]) -> Sheet:
    """The first sheet of an .xlsx workbook: its header row (the first of the top rows naming two of
    ``fields`` or more: a register often has its title above, else the first non-empty row) and the rows below."""
    try:
        wb = load_workbook(stream, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds (zip, XML, key errors) for a file that is not .xlsx
        raise TransitionRefused(_l("This file is not an Excel workbook (.xlsx).")) from err
    try:
        ws = wb.worksheets[0]
        filled: list[tuple[int, list[Any]]] = []
        for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
            values = list(cells)
            if any(v not in (None, "") for v in values):
                filled.append((number, values))
            if len(filled) > MAX_ROWS + HEADER_SEARCH:
                raise TransitionRefused(_l("The sheet has more than %(n)d rows: split it by year.", n=MAX_ROWS))
    finally:
        wb.close()
    if not filled:
        raise TransitionRefused(_l("The first sheet of the workbook is empty."))
    at = next((i for i, (_n, values) in enumerate(filled[:HEADER_SEARCH]) if known(values, fields) >= 2), 0)
    headers = ["" if v is None else str(v).strip() for v in filled[at][1]]
    return Sheet(filename=filename, headers=headers, rows=filled[at + 1 :])


def known(values: Sequence[Any], fields: Sequence[ImportField]) -> int:
    """How many of ``fields`` a row of headers names."""
    headers = ["" if v is None else str(v) for v in values]
    return sum(col is not None for col in guess_mapping(headers, fields).values())


def guess_mapping(headers: Sequence[str], fields: Sequence[ImportField]) -> dict[str, int | None]:
    """{field: the column whose header is one of its usual names, or None}."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int | None] = {}
    for f in fields:
        names = {fold(a) for a in f.aliases} | {fold(str(f.label))}
        mapping[f.name] = next((i for i, h in enumerate(folded) if h and h in names), None)
    return mapping


def check_mapping(mapping: dict[str, int | None], fields: Sequence[ImportField]) -> None:
    for f in fields:
        if f.required and mapping.get(f.name) is None:
            raise TransitionRefused(_("Choose the column of “%(field)s”.", field=str(f.label)))


@dataclass
class RowResult:
    number: int
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    #: Already in the database (imported before), or met earlier in this file: skipped, not an error.
    already: bool = False
    #: Said of the row without stopping it (e.g. "its clock is already past its deadline").
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    rows: list[RowResult]
    filename: str

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def ready(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors and not r.already]

    @property
    def already(self) -> list[RowResult]:
        return [r for r in self.rows if r.already and not r.errors]

    @property
    def noted(self) -> list[RowResult]:
        return [r for r in self.ready if r.notes]

    @property
    def ok(self) -> bool:
        return not self.errors


def cells_reader(mapping: dict[str, int | None], cells: list[Any]):
    """cell(name): the value of the row's cell mapped to field ``name`` (None when unmapped or short)."""

    def cell(name: str) -> Any:
        col = mapping.get(name)
        return cells[col] if col is not None and col < len(cells) else None

    return cell


def text(value: Any) -> str:
    """A cell as one line of text (a whole float as an integer: Excel stores 125 as 125.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def when(value: Any) -> datetime | None:
    """The local date and time of a cell: an Excel date, or text as dd/mm/yyyy [hh:mm] or yyyy-mm-dd (a
    date alone is taken at 8:00, the opening of the desk); None for anything else or before MIN_YEAR."""
    moment = _when(value)
    return moment if moment is not None and moment.year >= MIN_YEAR else None


def _when(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(8, 0))
    raw = text(value)
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return parsed if "%H" in fmt else datetime.combine(parsed.date(), time(8, 0))
    return None


def day(value: Any) -> date | None:
    moment = when(value)
    return moment.date() if moment is not None else None


def not_a_date(value: Any) -> str:
    return _("The date “%(value)s” is not a date (dd/mm/yyyy) from %(year)d on.", value=text(value), year=MIN_YEAR)


def citizen_id(value: Any, r: RowResult, notes: list[str]) -> str | None:
    """A row's CCCD (12 digits), or None; an old 9-digit ID card goes into ``notes`` (the record's words);
    anything else is the row's error."""
    cid = "".join(ch for ch in text(value) if ch.isalnum())
    if (cid and not _DIGITS.fullmatch(cid)) or len(cid) not in (0, 9, 12):
        r.errors.append(_("The CCCD “%(value)s” must be 12 digits (or an old ID card of 9).", value=cid))
        return None
    if len(cid) == 9:
        notes.append(f"CMND {cid}")
        return None
    return cid or None


def people(value: Any, r: RowResult) -> int:
    raw = text(value)
    if not raw:
        return 1
    if _DIGITS.fullmatch(raw) and 1 <= int(raw) <= MAX_PEOPLE:
        return int(raw)
    r.errors.append(_("The number of people “%(value)s” is not a whole number.", value=raw))
    return 1


def name(value: Any, r: RowResult, missing: str) -> str:
    full = text(value)
    if not full:
        r.errors.append(missing)
    elif len(full) > 200:
        r.errors.append(_("The name “%(value)s…” is too long.", value=full[:40]))
    return full


def birth_year(value: Any, r: RowResult) -> int | None:
    """A year of birth: a year (1965), or a date of birth whose year is taken; never in the future."""
    if value is None or text(value) == "":
        return None
    raw = text(value)
    year = int(raw) if _DIGITS.fullmatch(raw) and len(raw) == 4 else None
    if year is None:
        born = day(value)
        year = born.year if born is not None else None
    if year is None or not MIN_BIRTH_YEAR <= year <= local_today().year:
        r.errors.append(_("The year of birth “%(value)s” is not a year (e.g. 1965).", value=raw))
        return None
    return year


def row_key(*parts: str) -> str:
    """The digest that makes an imported row's record findable again (the caller folds the texts, so the
    case and diacritics of a retyped cell do not make the row new)."""
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@contextmanager
def saving() -> Iterator[None]:
    """Save an import as one savepoint: a row another officer saved meanwhile (the same number, the same
    key) refuses the whole import with a message, never a failed request."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as err:
        raise TransitionRefused(_l("The register changed while you checked it: check every row again.")) from err


def mark_already(results: Iterable[RowResult], column: InstrumentedAttribute) -> None:
    """Mark the rows whose key is already in ``column`` (imported before); a row the same as an earlier
    row of the file is an error (two records of one visit or petition, or two that must be told apart)."""
    keyed = [r for r in results if r.key]
    known_keys: set[str] = set()
    keys = [r.key for r in keyed]
    for start in range(0, len(keys), 500):  # SQLite allows a bounded number of parameters in one IN
        known_keys.update(db.session.execute(select(column).where(column.in_(keys[start : start + 500]))).scalars())
    seen: dict[str, int] = {}
    for r in keyed:
        if r.key in seen:
            r.errors.append(_("This row is the same as row %(row)d: remove one, or tell them apart.", row=seen[r.key]))
            r.data = {}
            continue
        r.already = r.key in known_keys
        seen[r.key] = r.number
