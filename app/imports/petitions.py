"""Import of a unit's existing petition register (sổ theo dõi đơn) from an Excel workbook.

Each row is a petition: its number and date in the register, its petitioner, kind and source, and how it
was handled. What the register says was done is recorded as done, on its own dates, so years of settled
petitions do not come in as overdue:

- no handling (or "chưa xử lý", "đang xử lý"): the petition is still to be processed; its clocks run from
  the day it was received, as any petition's (the dry run says so of each such row);
- transferred ("chuyển…"), guided ("hướng dẫn…", "trả lại đơn"), filed ("lưu đơn", "không thụ lý"…) or
  withdrawn ("rút đơn"): that decision, on the handling date (else the received date);
- accepted ("thụ lý", "giải quyết"): its case is opened on the handling date; when the row also gives the
  number, date and result of the decision that concluded it, the case is closed with that decision (no clock
  runs on), else it stays open and its clock runs from its acceptance (the dry run says so).

A petition keeps its number in the register (the year's numbering in TiepDan goes on after it); a row
without one gets the next number of its year. Denunciations keep their petitioners confidential, as at the
desk.
"""

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from ..audit.operations import record
from ..cases.models import Outcome
from ..cases.operations import Conclusion, accept_imported
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..core.text import fold
from ..core.timeutil import local_today
from ..extensions import db
from ..persons.operations import PersonData
from ..petitions.models import Channel, FiledReason, Petition, PetitionKind, PetitionState
from ..petitions.operations import record_decision, register_petition
from .workbook import (
    ImportField,
    Plan,
    RowResult,
    Sheet,
    birth_year,
    cells_reader,
    check_mapping,
    citizen_id,
    day,
    mark_already,
    name,
    not_a_date,
    people,
    row_key,
    saving,
    text,
)

FIELDS = (
    ImportField(
        "received_on",
        _l("Date received"),
        True,
        ("Ngày nhận đơn", "Ngày nhận", "Ngày tiếp nhận", "Ngày vào sổ", "Ngày đến", "Ngày tiếp nhận đơn"),
    ),
    ImportField("number", _l("Number in the register"), False, ("Số đơn", "Số vào sổ", "Số hiệu đơn", "Số tiếp nhận")),
    ImportField(
        "full_name",
        _l("Petitioner's full name"),
        True,
        (
            "Họ và tên",
            "Họ tên",
            "Người viết đơn",
            "Họ tên người viết đơn",
            "Người gửi đơn",
            "Họ tên người gửi đơn",
            "Người đứng đơn",
            "Tên người viết đơn",
        ),  # fmt: skip
    ),
    ImportField("birth_year", _l("Year of birth"), False, ("Năm sinh", "Ngày sinh", "Ngày tháng năm sinh")),
    ImportField("citizen_id", _l("Citizen ID (CCCD)"), False, ("CCCD", "Số CCCD", "CCCD/CMND", "CMND", "Số CMND")),
    ImportField("address", _l("Address"), False, ("Địa chỉ", "Địa chỉ người viết đơn", "Nơi cư trú", "Nơi ở")),
    ImportField(
        "content",
        _l("Content"),
        True,
        ("Nội dung đơn", "Nội dung", "Tóm tắt nội dung", "Tóm tắt nội dung đơn", "Nội dung chính"),
    ),
    ImportField("kind", _l("Kind of petition"), True, ("Phân loại đơn", "Loại đơn", "Phân loại", "Loại")),
    ImportField("channel", _l("Source"), False, ("Nguồn đơn", "Nguồn", "Hình thức nhận", "Hình thức nhận đơn")),
    ImportField(
        "source_agency", _l("Agency that sent it"), False, ("Cơ quan chuyển đơn", "Đơn vị chuyển đơn", "Cơ quan gửi")
    ),
    ImportField("people_count", _l("Number of people"), False, ("Số người", "Số người đứng đơn", "Số người ký đơn")),
    ImportField(
        "handling",
        _l("Handling"),
        False,
        ("Hướng xử lý", "Kết quả xử lý", "Xử lý", "Hướng xử lý đơn", "Kết quả xử lý đơn", "Phân loại xử lý"),
    ),
    ImportField(
        "transferred_to",
        _l("Transferred or guided to"),
        False,
        ("Chuyển đến", "Nơi nhận", "Cơ quan nhận", "Chuyển cho"),
    ),
    ImportField(
        "decided_on", _l("Date handled"), False, ("Ngày xử lý", "Ngày xử lý đơn", "Ngày thụ lý", "Ngày chuyển")
    ),
    ImportField(
        "decision_no",
        _l("Number of the document issued"),
        False,
        ("Số văn bản", "Số quyết định", "Số văn bản giải quyết", "Số QĐ", "Văn bản giải quyết"),
    ),
    ImportField(
        "decision_on", _l("Date of that document"), False, ("Ngày giải quyết", "Ngày quyết định", "Ngày ban hành")
    ),
    ImportField("outcome", _l("Result of the resolution"), False, ("Kết quả giải quyết", "Kết luận", "Kết quả")),
    ImportField("note", _l("Note"), False, ("Ghi chú",)),
)
KEY_COLUMN: InstrumentedAttribute = Petition.import_key

#: The folded names a register writes for a petition without a name (đơn nặc danh).
ANONYMOUS_NAMES = {"nac danh", "an danh", "khong ro", "khong ro ten", "khong ten", "khong ro ho ten"}
MAX_NUMBER = 999_999


def _has(words: str, *phrases: str) -> bool:
    padded = f" {words} "
    return any(f" {p} " in padded for p in phrases)


def _kind(words: str) -> tuple[PetitionKind, int | None] | None:
    """The kind a register names (the first named, for "kiến nghị, phản ánh") and a complaint's instance."""
    found = [
        (padded.index(f" {phrase} "), kind)
        for phrase, kind in (
            ("khieu nai", PetitionKind.COMPLAINT),
            ("to cao", PetitionKind.DENUNCIATION),
            ("kien nghi", PetitionKind.RECOMMENDATION),
            ("phan anh", PetitionKind.FEEDBACK),
        )
        if f" {phrase} " in (padded := f" {words} ")
    ]
    if not found:
        return None
    kind = min(found, key=lambda f: f[0])[1]
    instance = (
        2 if kind is PetitionKind.COMPLAINT and _has(words, "lan 2", "lan hai", "lan thu hai", "lan ii") else None
    )
    return kind, instance


def _channel(words: str, has_agency: bool) -> Channel | None:
    if not words:
        return Channel.TRANSFERRED if has_agency else Channel.POST
    for phrases, channel in (
        (("dai bieu", "dbqh", "hdnd", "quoc hoi", "dai bieu quoc hoi"), Channel.DEPUTY),
        (("mat tran", "mttq", "uy ban mttq"), Channel.FATHERLAND_FRONT),
        (("truc tiep", "tai tru so", "tiep cong dan"), Channel.DESK),
        (("truc tuyen", "cong thong tin", "email", "thu dien tu", "mang", "dien tu"), Channel.ONLINE),
        (("buu dien", "buu chinh", "qua buu dien", "gui qua buu dien", "thu"), Channel.POST),
        (("chuyen", "chuyen den", "co quan chuyen", "chuyen don"), Channel.TRANSFERRED),
    ):
        if _has(words, *phrases):
            return channel
    return None


def _state(words: str) -> PetitionState | None:
    """The decision a register's handling column records (None: words it does not know). "Chưa thụ lý" is
    not yet decided, "Đã chuyển, chưa có kết quả" is transferred."""
    if not words or _has(words, "chua xu ly", "chua thu ly", "chua giai quyet", "chua chuyen", "chua huong dan"):
        return PetitionState.RECEIVED
    for phrases, state in (
        (("rut", "rut don"), PetitionState.WITHDRAWN),
        (("luu", "luu don", "khong thu ly", "khong du dieu kien", "khong xu ly", "xep don"), PetitionState.FILED),
        (("chuyen", "chuyen don"), PetitionState.TRANSFERRED),
        (("huong dan", "tra lai don", "tra don", "tra lai"), PetitionState.GUIDED),
        (("thu ly", "giai quyet", "dang giai quyet", "da giai quyet"), PetitionState.ACCEPTED),
    ):
        if _has(words, *phrases):
            return state
    if _has(words, "chua", "dang xu ly", "cho xu ly", "dang nghien cuu"):
        return PetitionState.RECEIVED
    return None


def _filed_reason(words: str) -> FiledReason:
    for phrases, reason in (
        (("trung", "trung lap", "trung noi dung"), FiledReason.DUPLICATE),
        (("nac danh", "mao danh", "khong ro ten", "an danh"), FiledReason.ANONYMOUS),
        (("da duoc giai quyet", "da giai quyet"), FiledReason.ALREADY_RESOLVED),
        (("da huong dan", "da duoc huong dan"), FiledReason.ALREADY_GUIDED),
        (("khong ro noi dung", "khong doc duoc", "khong ro rang"), FiledReason.ILLEGIBLE),
    ):
        if _has(words, *phrases):
            return reason
    return FiledReason.NOT_ELIGIBLE


def _outcome(words: str, kind: PetitionKind) -> Outcome | None:
    """The result of a resolution as a register words it (right / partly right / wrong), by kind."""
    if kind in (PetitionKind.RECOMMENDATION, PetitionKind.FEEDBACK):
        return Outcome.ANSWERED
    upheld, partly, rejected = (
        (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.REJECTED)
        if kind is PetitionKind.COMPLAINT
        else (Outcome.TRUE, Outcome.PARTLY_TRUE, Outcome.UNTRUE)
    )
    if _has(words, "mot phan", "co dung co sai", "dung mot phan", "sai mot phan"):
        return partly
    if _has(words, "sai", "khong dung", "bac", "bac don", "khong co co so", "sai toan bo"):
        return rejected
    if _has(words, "dung", "dung toan bo", "co co so"):
        return upheld
    return None


def _number(value, r: RowResult, year: int | None) -> int | None:
    """The petition's number in the register: "125", "125/2025", "Số 125", "TK-2025-000125" all give 125
    (a group of digits that is the year received is the year, not the number)."""
    raw = text(value)
    if not raw:
        return None
    groups = [int(g) for g in re.findall(r"[0-9]+", raw)]
    numbers = [g for g in groups if g != year] or groups
    if not numbers or not 1 <= numbers[0] <= MAX_NUMBER:
        r.errors.append(_("The number “%(value)s” is not a number of the register.", value=raw))
        return None
    return numbers[0]


def check_actor(unit, actor) -> None:
    if not actor.has_any_role(Role.RECEPTION, Role.HEAD) or not actor.oversees(unit):
        raise PermissionRefused(_l("You cannot register petitions for this unit."))


def plan_import(sheet: Sheet, mapping: dict[str, int | None], unit, actor) -> Plan:
    """Check every row of ``sheet`` read through ``mapping``: what would be imported, and each row's errors."""
    check_actor(unit, actor)
    check_mapping(mapping, FIELDS)
    today = local_today()
    results: list[RowResult] = []
    numbered: list[tuple[RowResult, int, int]] = []
    for number, cells in sheet.rows:
        cell = cells_reader(mapping, cells)
        r = RowResult(number)
        received_on = day(cell("received_on"))
        if received_on is None:
            r.errors.append(not_a_date(cell("received_on")))
        elif received_on > today:
            r.errors.append(_("A petition cannot be received in the future."))
        seq = _number(cell("number"), r, received_on.year if received_on else None)
        if seq is not None and received_on is not None:
            numbered.append((r, received_on.year, seq))
        full_name = name(
            cell("full_name"), r, _("The petitioner's name is missing (write “nặc danh” if there is none).")
        )
        anonymous = fold(full_name) in ANONYMOUS_NAMES
        note_parts: list[str] = []
        old_card: list[str] = []
        cid = citizen_id(cell("citizen_id"), r, old_card)
        born = birth_year(cell("birth_year"), r)
        content = text(cell("content"))
        if not content:
            r.errors.append(_("The content is missing."))
        kind_text = text(cell("kind"))
        kind_instance = _kind(fold(kind_text))
        if kind_instance is None:
            r.errors.append(
                _(
                    "The kind “%(value)s” is not a complaint, denunciation, recommendation or feedback.",
                    value=kind_text,
                )
            )
        agency = text(cell("source_agency"))[:300]
        channel_text = text(cell("channel"))
        channel = _channel(fold(channel_text), bool(agency))
        if channel is None:
            r.errors.append(
                _(
                    "The source “%(value)s” is not one TiepDan knows (in person, by post, online, transferred, "
                    "from a deputy, from the Fatherland Front).",
                    value=channel_text,
                )
            )
        count = people(cell("people_count"), r)
        handling = text(cell("handling"))
        state = _state(fold(handling))
        if state is None:
            r.errors.append(
                _(
                    "The handling “%(value)s” does not say whether the petition was accepted, transferred, "
                    "guided, filed or withdrawn (leave it empty for a petition still to process).",
                    value=handling,
                )
            )
        decided_on = day(cell("decided_on")) if text(cell("decided_on")) else received_on
        if decided_on is None:
            r.errors.append(not_a_date(cell("decided_on")))
        elif received_on is not None and decided_on < received_on:
            r.errors.append(_("The petition cannot be handled before it was received."))
        elif decided_on > today:
            r.errors.append(_("The handling date cannot be in the future."))
        decision_no = text(cell("decision_no"))[:60]
        decision_on = day(cell("decision_on")) if text(cell("decision_on")) else None
        if text(cell("decision_on")) and decision_on is None:
            r.errors.append(not_a_date(cell("decision_on")))
        result_text = text(cell("outcome"))
        conclusion = None
        if (
            state is PetitionState.ACCEPTED
            and kind_instance is not None
            and (decision_no or decision_on or result_text)
        ):
            outcome = _outcome(fold(result_text), kind_instance[0])
            if not (decision_no and decision_on and (result_text or outcome is Outcome.ANSWERED)):
                r.errors.append(
                    _("A concluded case needs the number, the date and the result of its decision: give all three.")
                )
            elif outcome is None:
                r.errors.append(
                    _("The result “%(value)s” does not say right, partly right or wrong.", value=result_text)
                )
            elif decided_on is not None and decision_on < decided_on:
                r.errors.append(_("The decision date cannot be before the case was accepted."))
            elif decision_on > today:
                r.errors.append(_("The decision date cannot be in the future."))
            else:
                conclusion = Conclusion(decision_no, decision_on, outcome, result_text or None)
        elif decision_no or decision_on or result_text:
            document = " ".join(
                part
                for part in (decision_no, decision_on.strftime("%d/%m/%Y") if decision_on else "", result_text)
                if part
            )
            if state is not PetitionState.TRANSFERRED or not decision_no:
                note_parts.append(document)
        extra = text(cell("note"))
        if extra:
            note_parts.append(extra)
        if not r.errors:
            assert received_on is not None and kind_instance is not None and state is not None and channel is not None
            assert decided_on is not None
            if old_card and kind_instance[0] is PetitionKind.DENUNCIATION:
                # The note is shown where the petitioner is not: a denunciator's old ID card is not kept.
                r.notes.append(_("The old ID card number is not kept: a denunciator's identity is confidential."))
            else:
                note_parts[:0] = old_card
            if state is PetitionState.RECEIVED:
                r.notes.append(_("Still to process: its clocks run from the day it was received."))
            elif state is PetitionState.ACCEPTED and conclusion is None:
                r.notes.append(_("Its case stays open: its clock runs from its acceptance."))
            r.key = row_key(
                str(unit.id), received_on.isoformat(), str(seq or ""), fold(full_name), cid or "", fold(content)
            )
            r.data = dict(
                received_on=received_on,
                number=seq,
                person=None
                if anonymous
                else PersonData(
                    full_name=full_name,
                    citizen_id=cid,
                    address_line=text(cell("address"))[:300] or None,
                    birth_year=born,
                ),
                content=content,
                kind=kind_instance[0],
                instance=kind_instance[1],
                channel=channel,
                source_agency=agency or None,
                people_count=count,
                state=state,
                decided_on=decided_on,
                handling=handling,
                transferred_to=text(cell("transferred_to"))[:300] or None,
                decision_no=decision_no or None,
                conclusion=conclusion,
                note="; ".join(note_parts) or None,
            )
        results.append(r)
    mark_already(results, KEY_COLUMN)
    _check_numbers([n for n in numbered if not n[0].already], unit)
    return Plan(rows=results, filename=sheet.filename)


def _check_numbers(numbered: list[tuple[RowResult, int, int]], unit) -> None:
    """A register's number is the petition's in TiepDan: not twice in the file, not one TiepDan gave already
    (``numbered``: each row with its year and number)."""
    pairs = sorted({(year, seq) for _r, year, seq in numbered})
    taken: dict[tuple[int, int], str] = {}
    for start in range(0, len(pairs), 400):
        taken.update(
            ((year, seq), receipt)
            for year, seq, receipt in db.session.execute(
                select(Petition.year, Petition.seq, Petition.receipt_no).where(
                    Petition.unit_id == unit.id, tuple_(Petition.year, Petition.seq).in_(pairs[start : start + 400])
                )
            )
        )
    seen: dict[tuple[int, int], int] = {}
    for r, year, seq in numbered:
        pair = (year, seq)
        if pair in taken:
            r.errors.append(
                _(
                    "Number %(n)d of %(year)d is already petition %(receipt)s.",
                    n=pair[1],
                    year=pair[0],
                    receipt=taken[pair],
                )
            )
        elif pair in seen:
            r.errors.append(
                _("Number %(n)d of %(year)d is also on row %(row)d.", n=pair[1], year=pair[0], row=seen[pair])
            )
        else:
            seen[pair] = r.number


def run_import(plan: Plan, unit, actor) -> int:
    """Save the rows of a plan without errors (all of them: a plan with one wrong row saves nothing):
    the numbered rows first, so a row without a number never takes one the register gave."""
    if not plan.ok:
        raise TransitionRefused(_l("Nothing was imported: correct the rows with errors first."))
    source = _("Imported from %(file)s, row %(row)d")
    with saving():
        for r in sorted(plan.ready, key=lambda r: r.data["number"] is None):
            d = r.data
            petition = register_petition(
                unit=unit,
                actor=actor,
                received_on=d["received_on"],
                channel=d["channel"],
                kind=d["kind"],
                summary=d["content"] if len(d["content"]) <= 500 else d["content"][:499] + "…",
                content=d["content"] if len(d["content"]) > 500 else "",
                petitioners=[d["person"]] if d["person"] else [],
                signatory_count=d["people_count"],
                is_anonymous=d["person"] is None,
                source_agency=d["source_agency"],
                instance=d["instance"],
                number=d["number"],
                import_key=r.key,
                import_note="; ".join(
                    part
                    for part in (
                        source % {"file": plan.filename, "row": r.number},
                        d["note"] if d["state"] is PetitionState.RECEIVED else None,
                    )
                    if part
                ),
            )
            _decide(petition, actor, d)
    db.session.flush()
    record(
        "import.register",
        actor=actor,
        object_type="unit",
        object_id=unit.id,
        detail={
            "file": plan.filename,
            "register": "petitions",
            "imported": len(plan.ready),
            "already": len(plan.already),
        },
    )
    return len(plan.ready)


def _decide(petition: Petition, actor, d: dict) -> None:
    state: PetitionState = d["state"]
    note = "; ".join(part for part in (d["handling"], d["note"]) if part)
    on: date = d["decided_on"]
    if state is PetitionState.RECEIVED:
        return
    if state is PetitionState.ACCEPTED:
        accept_imported(petition, actor, accepted_on=on, conclusion=d["conclusion"], note=note)
        return
    record_decision(
        petition,
        actor,
        state,
        on=on,
        note=note,
        transferred_to=(d["transferred_to"] or d["handling"])[:300] if state is PetitionState.TRANSFERRED else None,
        transfer_dispatch_no=d["decision_no"] if state is PetitionState.TRANSFERRED else None,
        guidance=(" — ".join(p for p in (d["handling"], d["transferred_to"]) if p))
        if state is PetitionState.GUIDED
        else None,
        filed_reason=_filed_reason(fold(" ".join((d["handling"], d["note"] or ""))))
        if state is PetitionState.FILED
        else None,
        imported=True,
    )
