"""Import of a unit's Excel petition register (sổ theo dõi đơn): numbers and dates kept, what the register
says was done recorded as done on its own dates (so settled petitions bring no running clock), only what it
leaves open left open; every row checked, nothing saved while one is wrong, a second import adds nothing."""

import io
import re
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.cases.models import CaseState, Outcome
from app.core.timeutil import local_today, to_local, utcnow
from app.deadlines.jobs import flag_deadlines
from app.deadlines.models import CITIZEN_PERIODS, Clock
from app.flags.models import Flag, FlagKind
from app.imports.petitions import FIELDS
from app.imports.workbook import guess_mapping
from app.petitions.models import Channel, FiledReason, Petition, PetitionEvent, PetitionKind, PetitionState
from tests.factories import create_petition, person
from tests.petitions.helpers import row_counts, text

HEADERS = ["STT", "Ngày nhận đơn", "Số đơn", "Họ tên người viết đơn", "CCCD", "Địa chỉ", "Nội dung đơn",
           "Phân loại đơn", "Nguồn đơn", "Số người", "Hướng xử lý", "Chuyển đến", "Ngày xử lý", "Số văn bản",
           "Ngày giải quyết", "Kết quả giải quyết", "Ghi chú"]  # fmt: skip
YEAR = local_today().year - 1


def d(month: int, day_: int) -> date:
    return date(YEAR, month, day_)


def rows(*overrides):
    base = [
        # Still to process: open, its clocks running from its received date.
        [1, d(2, 3), "12", "Nguyễn Văn Chờ", "079123400011", "Ấp 1", "Đề nghị cấp lại sổ đỏ", "Kiến nghị",
         "Trực tiếp", 1, "", "", None, "", None, "", ""],
        # Transferred on its own date, with the dispatch number.
        [2, d(2, 5), "13", "Trần Thị Chuyển", "", "", "Tranh chấp đất với hàng xóm", "Khiếu nại", "Bưu điện",
         1, "Chuyển đơn", "Tòa án nhân dân huyện", d(2, 10), "45/UBND-TCD", None, "", ""],
        # Guided.
        [3, f"07/02/{YEAR}", "14", "Lê Văn Dẫn", "", "", "Hỏi về chế độ chính sách", "Phản ánh", "", 1,
         "Hướng dẫn", "Phòng Lao động", f"09/02/{YEAR}", "", None, "", ""],
        # Filed as a duplicate.
        [4, d(3, 1), "15", "Phạm Văn Trùng", "", "", "Đề nghị cấp lại sổ đỏ", "Kiến nghị", "", 1,
         "Lưu đơn (trùng nội dung)", "", d(3, 2), "", None, "", ""],
        # Accepted, and concluded before TiepDan: its case closed with the decision.
        [5, d(3, 10), "16", "Hoàng Văn Xong", "079123400015", "", "Khiếu nại quyết định thu hồi đất",
         "Khiếu nại lần đầu", "Trực tiếp", 7, "Thụ lý giải quyết", "", d(3, 15), "15/QĐ-UBND", d(5, 20),
         "Khiếu nại đúng một phần", ""],
        # Accepted and still being resolved: its case open.
        [6, d(11, 2), "17", "Vũ Thị Tố", "079123400016", "", "Tố cáo cán bộ địa chính", "Tố cáo", "",
         1, "Thụ lý", "", d(11, 9), "", None, "", ""],
        # No number: the next of its year.
        [7, d(12, 1), "", "nặc danh", "", "", "Phản ánh ô nhiễm", "Phản ánh", "Thư điện tử", 1,
         "Chưa xử lý", "", None, "", None, "", "Không ký tên"],
    ]  # fmt: skip
    for i, changes in overrides:
        base[i] = [changes.get(n, v) for n, v in zip(HEADERS, base[i], strict=True)]
    return base


def workbook(data) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND XÃ TÂN KHAI"])
    ws.append(["SỔ THEO DÕI ĐƠN NĂM " + str(YEAR)])
    ws.append(HEADERS)
    for row in data:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, world, content: bytes):
    return client.post(
        "/reception/import/",
        {
            "register": "petitions",
            "unit_id": str(world.units["TK"].id),
            "file": (io.BytesIO(content), "so-theo-doi-don.xlsx"),
        },
        token_from="/reception/import/",
        content_type="multipart/form-data",
    )


def mapping_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>.*?<option selected value="(-?\d+)"', page, re.S))


def petitions(db) -> list[Petition]:
    db.session.rollback()
    return list(db.session.execute(select(Petition).order_by(Petition.seq)).scalars())


def open_clocks(db, petition: Petition) -> list[Clock]:
    ids = [petition.id]
    conditions = Clock.petition_id.in_(ids)
    if petition.case_id:
        conditions = conditions | (Clock.case_id == petition.case_id)
    return [
        c
        for c in db.session.execute(select(Clock).where(conditions)).scalars()
        if c.is_open and c.stage not in CITIZEN_PERIODS
    ]


def test_the_usual_headers_are_recognised():
    with force_locale("vi"):
        mapping = guess_mapping(HEADERS, FIELDS)
    assert mapping == {
        "received_on": 1,
        "number": 2,
        "full_name": 3,
        "birth_year": None,
        "citizen_id": 4,
        "address": 5,
        "content": 6,
        "kind": 7,
        "channel": 8,
        "source_agency": None,
        "people_count": 9,
        "handling": 10,
        "transferred_to": 11,
        "decided_on": 12,
        "decision_no": 13,
        "decision_on": 14,
        "outcome": 15,
        "note": 16,
    }


def test_a_petition_register_is_imported_as_it_was_handled(login_en, world, db):
    desk = login_en("reception")
    resp = upload(desk, world, workbook(rows()))
    assert resp.status_code == 302
    url = resp.headers["Location"]
    page = desk.get(url).get_data(as_text=True)
    assert "Petition register" in page
    mapping = mapping_of(page)
    checked = text(desk.post(url, {**mapping, "action": "check"}, token_from=url))
    assert "Every row is right: 7 to import, 0 imported before" in checked
    # The dry run names the rows that will be open, their deadlines running.
    notes = dict(
        re.findall(
            r'<li data-row="(\d+)">[^:]+: ([^<]+)</li>',
            desk.post(url, {**mapping, "action": "check"}, token_from=url).get_data(as_text=True),
        )
    )
    assert set(notes) == {"4", "9", "10"}
    assert "Its case stays open" in notes["9"] and "Still to process" in notes["4"]
    assert petitions(db) == []  # a dry run saves nothing
    resp = desk.post(url, {**mapping, "action": "import"}, token_from=url)
    assert resp.status_code == 302 and "/petitions/" in resp.headers["Location"]

    waiting, moved, guided, filed, concluded, open_case, anonymous = petitions(db)
    # The register's numbers and dates are kept; a row without a number takes the next of its year.
    assert [p.receipt_no for p in petitions(db)] == [f"TK-{YEAR}-{n:06d}" for n in (12, 13, 14, 15, 16, 17, 18)]
    assert waiting.received_on == d(2, 3) and waiting.channel is Channel.DESK
    assert waiting.state is PetitionState.RECEIVED and open_clocks(db, waiting)  # still to process
    assert waiting.petitioners[0].citizen_id == "079123400011"

    assert moved.state is PetitionState.TRANSFERRED and moved.transferred_to == "Tòa án nhân dân huyện"
    assert moved.transfer_dispatch_no == "45/UBND-TCD" and moved.channel is Channel.POST
    assert to_local(moved.decided_at).date() == d(2, 10)  # on its own date
    assert guided.state is PetitionState.GUIDED and "Phòng Lao động" in guided.guidance
    assert guided.kind is PetitionKind.FEEDBACK
    assert filed.state is PetitionState.FILED and filed.filed_reason is FiledReason.DUPLICATE

    case = concluded.case
    assert concluded.state is PetitionState.ACCEPTED and concluded.signatory_count == 7
    assert case.state is CaseState.CLOSED and case.accepted_on == d(3, 15)
    assert (case.decision_no, case.decision_on, case.outcome) == ("15/QĐ-UBND", d(5, 20), Outcome.PARTLY_UPHELD)
    assert open_case.case.state is CaseState.ACCEPTED and open_case.is_identity_confidential
    assert anonymous.is_anonymous and anonymous.parties == [] and anonymous.channel is Channel.ONLINE
    assert anonymous.state is PetitionState.RECEIVED and "Không ký tên" in anonymous.events[0].note

    # What was settled brings no running duty clock (the wait for the old decision's legal effect is the
    # citizen's period, which the scheduler ends): only the three rows left open have one, and only they are
    # flagged overdue by the scheduler's job.
    assert [p.seq for p in petitions(db) if open_clocks(db, p)] == [12, 17, 18]
    flag_deadlines(utcnow())
    db.session.commit()
    flagged = db.session.execute(
        select(Flag.subject, Flag.subject_id).where(Flag.kind == FlagKind.OVERDUE, Flag.cleared_at.is_(None))
    ).all()
    open_ids = {("petition", waiting.id), ("petition", anonymous.id), ("case", open_case.case_id)}
    assert flagged and {(str(s), i) for s, i in flagged} <= open_ids

    # Marked as imported on their timelines, with the file and row.
    page = text(desk.get(f"/petitions/{moved.id}"))
    assert "Imported from the Excel register" in page and "so-theo-doi-don.xlsx, row 5" in page
    case_page = text(login_en("head").get(f"/cases/{case.id}"))
    assert "Concluded before TiepDan" in case_page
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "import.register")).scalar_one()
    assert '"register": "petitions"' in event.detail and '"imported": 7' in event.detail

    # The same file again adds nothing.
    url = upload(desk, world, workbook(rows())).headers["Location"]
    page = text(desk.post(url, {**mapping, "action": "check"}, token_from=url))
    assert "0 to import, 7 imported before" in page and 'data-testid="import-run"' not in page
    assert len(petitions(db)) == 7

    # The year's numbering goes on after the register's numbers.
    later = create_petition(world, received_on=d(12, 20), petitioners=[person("Người Sau", "079123400099")])
    assert later.seq == 19


def test_rows_with_errors_are_listed_and_nothing_is_saved(login_en, world, db):
    taken = create_petition(world, received_on=d(1, 5), petitioners=[person("Đã Có", "079123400098")])
    db.session.commit()
    desk = login_en("reception")
    bad = rows(
        (0, {"Số đơn": str(taken.seq)}),  # a number TiepDan gave already
        (1, {"Phân loại đơn": "Đơn thư khác", "Hướng xử lý": "Đã xem"}),
        (2, {"Số đơn": "13", "Ngày xử lý": f"01/01/{YEAR}"}),  # also on row 5; handled before received
        (4, {"Kết quả giải quyết": ""}),  # a conclusion without its result
        (5, {"Nguồn đơn": "Bồ câu", "Họ tên người viết đơn": ""}),
    )
    url = upload(desk, world, workbook(bad)).headers["Location"]
    mapping = mapping_of(desk.get(url).get_data(as_text=True))
    before = row_counts()
    page = text(desk.post(url, {**mapping, "action": "import"}, token_from=url))
    assert "5 rows have errors" in page and 'data-testid="import-run"' not in page
    errors = dict(re.findall(r'<tr data-row="(\d+)"><td>\d+</td><td>([^<]+)</td>', page))
    assert f"is already petition {taken.receipt_no}" in errors["4"]
    assert "is not a complaint, denunciation" in errors["5"] and "“Đã xem” does not say" in errors["5"]
    assert "also on row 5" in errors["6"] and "cannot be handled before it was received" in errors["6"]
    assert "give all three" in errors["8"]
    assert "“Bồ câu”" in errors["9"] and "name is missing" in errors["9"]
    assert row_counts() == before


def test_the_command_finds_a_petition_register_by_its_headers(app, world, db, tmp_path):
    path = tmp_path / "don.xlsx"
    path.write_bytes(workbook(rows()))
    runner = app.test_cli_runner()
    with force_locale("en"):
        dry = runner.invoke(args=["import", "register", str(path), "--unit", "TK", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "Petition register" in dry.output and "7 rows to import" in dry.output
        assert "Row 9: Its case stays open" in dry.output and "Row 4: Still to process" in dry.output
        assert db.session.scalar(select(func.count()).select_from(Petition)) == 0
        done = runner.invoke(args=["import", "register", str(path), "--unit", "TK", "--register", "petitions"])
        assert done.exit_code == 0, done.output
        assert "7 petitions imported into the register of TK." in done.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Petition)) == 7
    imported = db.session.scalar(
        select(func.count()).select_from(PetitionEvent).where(PetitionEvent.action == "import")
    )
    assert imported == 7


def import_rows(desk, world, data, action="import"):
    url = upload(desk, world, workbook(data)).headers["Location"]
    mapping = mapping_of(desk.get(url).get_data(as_text=True))
    return desk.post(url, {**mapping, "action": action}, token_from=url)


def test_a_denunciators_old_id_card_is_never_written_where_the_name_is_hidden(login_en, world, db):
    denunciation = [1, d(11, 2), "17", "Vũ Thị Tố", "123456789", "", "Tố cáo cán bộ địa chính", "Tố cáo", "", 1,
                    "Chuyển đơn", "Công an huyện", d(11, 5), "", None, "", ""]  # fmt: skip
    complaint = [2, d(11, 3), "18", "Lê Văn Khiếu", "987654321", "", "Khiếu nại bồi thường", "Khiếu nại", "", 1,
                 "", "", None, "", None, "", ""]  # fmt: skip
    desk = login_en("reception")
    page = text(import_rows(desk, world, [denunciation, complaint], action="check"))
    assert "The old ID card number is not kept" in page
    assert import_rows(desk, world, [denunciation, complaint]).status_code == 302
    hidden, shown = petitions(db)
    assert hidden.is_identity_confidential
    page = text(login_en("head").get(f"/petitions/{hidden.id}"))
    assert "Vũ Thị Tố" not in page and "123456789" not in page
    assert "CMND 987654321" in text(login_en("head").get(f"/petitions/{shown.id}"))  # kept where it may be


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"Số người": "①"}, "is not a whole number"),
        ({"Số người": "²"}, "is not a whole number"),
        ({"CCCD": "０７９１２３４０００１１"}, "must be 12 digits"),  # full-width digits
        ({"Ngày nhận đơn": "01/01/0001"}, "is not a date"),
        ({"Ngày nhận đơn": "01/01/1980"}, "from 1990 on"),
    ],
)
def test_odd_cells_are_row_errors(login_en, world, db, changes, message):
    page = text(import_rows(login_en("reception"), world, rows((0, changes)), action="check"))
    assert message in page and "1 row has errors" in page


def test_a_long_handling_text_fits_the_transfer_target(login_en, world, db):
    long = "Chuyển đơn " + "đến cơ quan có thẩm quyền giải quyết " * 12
    assert import_rows(login_en("reception"), world, rows((1, {"Hướng xử lý": long, "Chuyển đến": ""})))
    moved = petitions(db)[1]
    assert moved.state is PetitionState.TRANSFERRED and len(moved.transferred_to) == 300


def test_two_identical_rows_are_an_error_not_one_record(login_en, world, db):
    twice = rows()[6:7] * 2
    page = text(import_rows(login_en("reception"), world, twice, action="check"))
    assert "This row is the same as row 4" in page and petitions(db) == []


@pytest.mark.parametrize(
    "value, number",
    [("125", 125), (f"125/{YEAR}", 125), ("Số 125", 125), (f"TK-{YEAR}-000125", 125), (f"{YEAR}", YEAR)],
)
def test_the_number_is_read_from_the_usual_spellings(login_en, world, db, value, number):
    import_rows(login_en("reception"), world, [rows((0, {"Số đơn": value}))[0]])
    assert [p.seq for p in petitions(db)] == [number]


@pytest.mark.parametrize(
    "handling, state",
    [
        ("Chưa thụ lý", PetitionState.RECEIVED),
        ("Đã chuyển, chưa có kết quả", PetitionState.TRANSFERRED),
        ("Đang xử lý", PetitionState.RECEIVED),
        ("Rút đơn", PetitionState.WITHDRAWN),
        ("Không thụ lý", PetitionState.FILED),
    ],
)
def test_the_handling_words(login_en, world, db, handling, state):
    import_rows(login_en("reception"), world, [rows((0, {"Hướng xử lý": handling}))[0]])
    assert petitions(db)[0].state is state
