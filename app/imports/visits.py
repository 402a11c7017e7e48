"""Import of a unit's existing reception register (sổ tiếp công dân) from an Excel workbook.

Its headers are matched to the register's fields by their usual names ("Ngày tiếp", "Họ và tên", "CCCD",
"Nội dung vụ việc", "Hướng xử lý", "Người tiếp"...; diacritics and case ignored), and the officer may change
the mapping (see ``workbook``). Each imported visit keeps its original date.
"""

from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.text import fold
from ..core.timeutil import local_to_utc, to_local, utcnow
from ..extensions import db
from ..persons.operations import PersonData, find_or_create_person
from ..reception.models import (
    ReceptionKind,
    ReceptionOutcome,
    ReceptionSession,
    ReceptionVisitor,
    RefusalReason,
)
from ..users.queries import hosts_for
from .workbook import (
    ImportField,
    Plan,
    RowResult,
    Sheet,
    birth_year,
    cells_reader,
    check_mapping,
    citizen_id,
    mark_already,
    name,
    not_a_date,
    people,
    row_key,
    saving,
    text,
    when,
)

FIELDS = (
    ImportField(
        "received_at",
        _l("Date (and time) of the visit"),
        True,
        ("Ngày tiếp", "Ngày", "Thời gian", "Ngày giờ tiếp", "Ngày tiếp công dân", "Thời gian tiếp"),
    ),
    ImportField("full_name", _l("Visitor's full name"), True, ("Họ và tên", "Họ tên", "Họ tên người đến", "Người đến")),
    ImportField("birth_year", _l("Year of birth"), False, ("Năm sinh", "Ngày sinh", "Ngày tháng năm sinh")),
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
KEY_COLUMN: InstrumentedAttribute = ReceptionSession.import_key


def _kind(words: str) -> ReceptionKind | None:
    if not words or "thuong xuyen" in words:
        return ReceptionKind.REGULAR
    if "dinh ky" in words:
        return ReceptionKind.PERIODIC
    if "dot xuat" in words:
        return ReceptionKind.ADHOC
    return None


def _outcome(words: str) -> ReceptionOutcome:
    if "tu choi" in words:
        return ReceptionOutcome.REFUSED
    if "nhan don" in words:
        return ReceptionOutcome.PETITION_RECEIVED
    if "chuyen" in words:
        return ReceptionOutcome.REFERRED
    return ReceptionOutcome.GUIDED


def check_actor(unit, actor) -> None:
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(unit):
        raise PermissionRefused(_l("You cannot record reception sessions for this unit."))


def plan_import(sheet: Sheet, mapping: dict[str, int | None], unit, actor) -> Plan:
    """Check every row of ``sheet`` read through ``mapping``: what would be imported, and each row's errors."""
    check_actor(unit, actor)
    check_mapping(mapping, FIELDS)
    hosts = {fold(u.full_name): u for u in hosts_for(actor)}
    now = to_local(utcnow()).replace(tzinfo=None)
    results: list[RowResult] = []
    for number, cells in sheet.rows:
        cell = cells_reader(mapping, cells)
        r = RowResult(number)
        at = when(cell("received_at"))
        if at is None:
            r.errors.append(not_a_date(cell("received_at")))
        elif at > now:
            r.errors.append(_("The visit cannot be in the future."))
        full_name = name(cell("full_name"), r, _("The visitor's name is missing."))
        note_parts: list[str] = []
        cid = citizen_id(cell("citizen_id"), r, note_parts)
        born = birth_year(cell("birth_year"), r)
        content = text(cell("content"))
        if not content:
            r.errors.append(_("The content is missing."))
        count = people(cell("people_count"), r)
        kind_text = text(cell("kind"))
        kind = _kind(fold(kind_text))
        if kind is None:
            r.errors.append(_("The kind of reception “%(value)s” is not regular, periodic or ad hoc.", value=kind_text))
        host_text = text(cell("host"))
        host = hosts.get(fold(host_text)) if host_text else actor
        if host is None:
            r.errors.append(_("No officer of your units is called “%(value)s”.", value=host_text))
        elif kind is ReceptionKind.PERIODIC and not host.has_role(Role.HEAD):
            r.errors.append(_("A periodic reception is the head's: choose the head who received the citizens."))
        handling = text(cell("handling"))
        if handling:
            note_parts.append(handling)
        address = text(cell("address"))[:300]
        if not r.errors:
            assert at is not None and kind is not None and host is not None
            received_at = local_to_utc(at)
            r.key = row_key(str(unit.id), received_at.isoformat(), fold(full_name), cid or "", fold(content))
            r.data = dict(
                received_at=received_at,
                full_name=full_name,
                citizen_id=cid,
                birth_year=born,
                address_line=address or None,
                content=content,
                people_count=count,
                kind=kind,
                outcome=_outcome(fold(handling)),
                note="; ".join(note_parts) or None,
                host=host,
            )
        results.append(r)
    mark_already(results, KEY_COLUMN)
    return Plan(rows=results, filename=sheet.filename)


def run_import(plan: Plan, unit, actor) -> int:
    """Save the rows of a plan without errors (all of them: a plan with one wrong row saves nothing)."""
    if not plan.ok:
        raise TransitionRefused(_l("Nothing was imported: correct the rows with errors first."))
    with saving():
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
                PersonData(
                    full_name=d["full_name"],
                    citizen_id=d["citizen_id"],
                    address_line=d["address_line"],
                    birth_year=d["birth_year"],
                ),
                actor,
            )
            visit.visitors.append(ReceptionVisitor(person=person, is_representative=d["people_count"] >= 5))
            db.session.add(visit)
        db.session.flush()
    record(
        "import.register",
        actor=actor,
        object_type="unit",
        object_id=unit.id,
        detail={"file": plan.filename, "register": "visits", "imported": len(plan.ready), "already": len(plan.already)},
    )
    return len(plan.ready)
