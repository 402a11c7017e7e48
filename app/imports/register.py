"""Import of a unit's existing reception register (sổ tiếp công dân) from an Excel workbook.

Units kept years of visits in Excel. The first sheet is read; its first non-empty row holds the headers,
which are matched to the register's fields by their usual names ("Ngày tiếp", "Họ và tên", "CCCD", "Nội
dung vụ việc", "Hướng xử lý", "Người tiếp"...; diacritics and case ignored), and the officer may change
the mapping. A dry run checks every row and lists each row's errors; nothing is saved while any row is
wrong. Each imported visit keeps its original date and carries a digest of its row (``import_key``), so
importing the same file twice adds nothing.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from flask_babel import gettext as _
from openpyxl import load_workbook
from sqlalchemy import select

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.text import fold
from ..core.timeutil import local_to_utc, to_local, utcnow
from ..extensions import db
from ..persons.forms import MAX_PEOPLE
from ..persons.operations import PersonData, find_or_create_person
from ..reception.models import (
    ReceptionKind,
    ReceptionOutcome,
    ReceptionSession,
    ReceptionVisitor,
    RefusalReason,
)
from ..users.queries import hosts_for

#: A workbook holds at most this many rows to import (a larger register is split by year).
MAX_ROWS = 20_000
#: Rows shown in the preview of the mapping screen.
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class ImportField:
    name: str
    label: Any
    required: bool
    #: The headers registers use for it (matched folded: lower case, no diacritics, no punctuation).
    aliases: tuple[str, ...]


FIELDS = (
    ImportField(
        "received_at",
        _l("Date (and time) of the visit"),
        True,
        ("Ngày tiếp", "Ngày", "Thời gian", "Ngày giờ tiếp", "Ngày tiếp công dân", "Thời gian tiếp"),
    ),
    ImportField("full_name", _l("Visitor's full name"), True, ("Họ và tên", "Họ tên", "Họ tên người đến", "Người đến")),
    ImportField("citizen_id", _l("Citizen ID (CCCD)"), False, ("CCCD", "Số CCCD", "CCCD/CMND", "CMND", "Số CMND")),
    ImportField("address", _l("Address"), False, ("Địa chỉ", "Nơi cư trú", "Nơi ở")),
    ImportField("content", _l("Content"), True, ("Nội dung", "Nội dung vụ việc", "Nội dung tiếp", "Tóm tắt nội dung")),
    ImportField("people_count", _l("Number of people"), False, ("Số người", "Số lượng người", "Số người đến")),
    ImportField("kind", _l("Kind of reception"), False, ("Hình thức tiếp", "Loại tiếp", "Hình thức")),
    ImportField(
        "handling", _l("Handling"), False, ("Hướng xử lý", "Kết quả", "Kết quả tiếp", "Kết quả xử lý", "Xử lý")
    ),
    ImportField("host", _l("Received by"), False, ("Người tiếp", "Cán bộ tiếp", "Người chủ trì", "Lãnh đạo tiếp")),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


@dataclass
class Sheet:
    filename: str
    headers: list[str]
    #: (row number in the workbook, the cells as read).
    rows: list[tuple[int, list[Any]]]


def read_sheet(stream: IO[bytes], filename: str) -> Sheet:
    """The first sheet of an .xlsx workbook: its header row (the first non-empty one) and the rows below."""
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
    # The header row: the first of the top rows naming two fields or more (a register often has its title
    # above), else the first non-empty row.
    at = next((i for i, (_n, values) in enumerate(filled[:HEADER_SEARCH]) if _known(values) >= 2), 0)
    headers = ["" if v is None else str(v).strip() for v in filled[at][1]]
    return Sheet(filename=filename, headers=headers, rows=filled[at + 1 :])


#: The header row is looked for among this many top rows.
HEADER_SEARCH = 10


def _known(values: Sequence[Any]) -> int:
    return sum(col is not None for col in guess_mapping(["" if v is None else str(v) for v in values]).values())


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """{field: the column whose header is one of its usual names, or None}."""
    folded = [fold(h) for h in headers]
    mapping: dict[str, int | None] = {}
    for f in FIELDS:
        names = {fold(a) for a in f.aliases} | {fold(str(f.label))}
        mapping[f.name] = next((i for i, h in enumerate(folded) if h and h in names), None)
    return mapping


@dataclass
class RowResult:
    number: int
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    key: str = ""
    #: Already in the database (imported before), or met earlier in this file: skipped, not an error.
    already: bool = False


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
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _when(value: Any) -> datetime | None:
    """The local date and time of a cell: an Excel date, or text as dd/mm/yyyy [hh:mm] or yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, second=0, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time(8, 0))
    text = _text(value)
    for fmt in ("%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return parsed if "%H" in fmt else datetime.combine(parsed.date(), time(8, 0))
    return None


def _kind(text: str) -> ReceptionKind | None:
    words = fold(text)
    if not words or "thuong xuyen" in words:
        return ReceptionKind.REGULAR
    if "dinh ky" in words:
        return ReceptionKind.PERIODIC
    if "dot xuat" in words:
        return ReceptionKind.ADHOC
    return None


def _outcome(text: str) -> ReceptionOutcome:
    words = fold(text)
    if "tu choi" in words:
        return ReceptionOutcome.REFUSED
    if "nhan don" in words:
        return ReceptionOutcome.PETITION_RECEIVED
    if "chuyen" in words:
        return ReceptionOutcome.REFERRED
    return ReceptionOutcome.GUIDED


def row_key(unit_id: int, received_at: datetime, name: str, citizen_id: str | None, content: str) -> str:
    raw = "|".join((str(unit_id), received_at.isoformat(), fold(name), citizen_id or "", fold(content)))
    return hashlib.sha256(raw.encode()).hexdigest()


def plan_import(sheet: Sheet, mapping: dict[str, int | None], unit, actor) -> Plan:
    """Check every row of ``sheet`` read through ``mapping``: what would be imported, and each row's errors."""
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(unit):
        raise PermissionRefused(_l("You cannot record reception sessions for this unit."))
    for f in FIELDS:
        if f.required and mapping.get(f.name) is None:
            raise TransitionRefused(_("Choose the column of “%(field)s”.", field=str(f.label)))
    hosts = {fold(u.full_name): u for u in hosts_for(actor)}
    now = to_local(utcnow()).replace(tzinfo=None)
    results: list[RowResult] = []
    for number, cells in sheet.rows:

        def cell(name: str, cells: list[Any] = cells) -> Any:
            col = mapping.get(name)
            return cells[col] if col is not None and col < len(cells) else None

        r = RowResult(number)
        when = _when(cell("received_at"))
        if when is None:
            r.errors.append(_("The date “%(value)s” is not a date (dd/mm/yyyy).", value=_text(cell("received_at"))))
        elif when > now:
            r.errors.append(_("The visit cannot be in the future."))
        name = _text(cell("full_name"))
        if not name:
            r.errors.append(_("The visitor's name is missing."))
        elif len(name) > 200:
            r.errors.append(_("The visitor's name is too long."))
        cid = "".join(ch for ch in _text(cell("citizen_id")) if ch.isalnum())
        note_parts = []
        if (cid and not cid.isdigit()) or len(cid) not in (0, 9, 12):
            r.errors.append(_("The CCCD “%(value)s” must be 12 digits (or an old ID card of 9).", value=cid))
        elif len(cid) == 9:
            note_parts.append(f"CMND {cid}")  # an old 9-digit card: kept in the note (the record's words), not a CCCD
            cid = ""
        content = _text(cell("content"))
        if not content:
            r.errors.append(_("The content is missing."))
        raw_count = _text(cell("people_count"))
        count = 1
        if raw_count:
            if raw_count.isdigit() and 1 <= int(raw_count) <= MAX_PEOPLE:
                count = int(raw_count)
            else:
                r.errors.append(_("The number of people “%(value)s” is not a whole number.", value=raw_count))
        kind_text = _text(cell("kind"))
        kind = _kind(kind_text)
        if kind is None:
            r.errors.append(_("The kind of reception “%(value)s” is not regular, periodic or ad hoc.", value=kind_text))
        host_text = _text(cell("host"))
        host = hosts.get(fold(host_text)) if host_text else actor
        if host is None:
            r.errors.append(_("No officer of your units is called “%(value)s”.", value=host_text))
        elif kind is ReceptionKind.PERIODIC and not host.has_role(Role.HEAD):
            r.errors.append(_("A periodic reception is the head's: choose the head who received the citizens."))
        handling = _text(cell("handling"))
        if handling:
            note_parts.append(handling)
        address = _text(cell("address"))[:300]
        if not r.errors:
            assert when is not None and kind is not None and host is not None
            received_at = local_to_utc(when)
            r.key = row_key(unit.id, received_at, name, cid or None, content)
            r.data = dict(
                received_at=received_at,
                full_name=name,
                citizen_id=cid or None,
                address_line=address or None,
                content=content,
                people_count=count,
                kind=kind,
                outcome=_outcome(handling),
                note="; ".join(note_parts) or None,
                host=host,
            )
        results.append(r)
    _mark_already(results)
    return Plan(rows=results, filename=sheet.filename)


def _mark_already(results: Iterable[RowResult]) -> None:
    keyed = [r for r in results if r.key]
    known = set(
        db.session.execute(
            select(ReceptionSession.import_key).where(ReceptionSession.import_key.in_([r.key for r in keyed]))
        ).scalars()
    )
    seen: set[str] = set()
    for r in keyed:
        r.already = r.key in known or r.key in seen
        seen.add(r.key)


def run_import(plan: Plan, unit, actor) -> int:
    """Save the rows of a plan without errors (all of them: a plan with one wrong row saves nothing)."""
    if not plan.ok:
        raise TransitionRefused(_l("Nothing was imported: correct the rows with errors first."))
    for r in plan.ready:
        d = r.data
        visit = ReceptionSession(
            unit=unit,
            received_at=d["received_at"],
            kind=d["kind"],
            host_id=d["host"].id,
            is_delegation=d["people_count"] >= 5,
            people_count=d["people_count"],
            content=d["content"],
            outcome=d["outcome"],
            refusal_reason=RefusalReason.OTHER if d["outcome"] is ReceptionOutcome.REFUSED else None,
            outcome_note=d["note"],
            created_by_id=actor.id,
            import_key=r.key,
        )
        person = find_or_create_person(
            PersonData(full_name=d["full_name"], citizen_id=d["citizen_id"], address_line=d["address_line"]), actor
        )
        visit.visitors.append(ReceptionVisitor(person=person, is_representative=d["people_count"] >= 5))
        db.session.add(visit)
    db.session.flush()
    record(
        "import.register",
        actor=actor,
        object_type="unit",
        object_id=unit.id,
        detail={"file": plan.filename, "imported": len(plan.ready), "already": len(plan.already)},
    )
    return len(plan.ready)
