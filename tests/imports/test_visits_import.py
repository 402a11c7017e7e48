"""Import of a unit's Excel reception register: headers recognised, every row checked (nothing saved while
one is wrong), idempotent, by the screen and by `flask import register`."""

import io
import re
from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from app.audit.models import AuditEvent
from app.core.timeutil import local_today, to_local
from app.imports.visits import FIELDS
from app.imports.workbook import guess_mapping
from app.reception.models import ReceptionKind, ReceptionOutcome, ReceptionSession
from tests.petitions.helpers import row_counts, text

HEADERS = ["STT", "Ngày tiếp", "Họ và tên", "Số CCCD", "Địa chỉ", "Nội dung vụ việc", "Số người", "Hình thức tiếp",
           "Hướng xử lý", "Người tiếp"]  # fmt: skip
LAST_YEAR = local_today().year - 1


def rows(*overrides):
    base = [
        [1, datetime(LAST_YEAR, 3, 4, 9, 30), "Nguyễn Văn Cũ", "079123400001", "Ấp 2, xã Tân Khai",
         "Hỏi về cấp giấy chứng nhận", 1, "Thường xuyên", "Hướng dẫn đến bộ phận một cửa", ""],
        [2, f"15/06/{LAST_YEAR}", "Trần Thị Xưa", "", "", "Kiến nghị sửa đường", "6", "Định kỳ",
         "Tiếp nhận đơn kiến nghị", "Phạm Văn Trưởng"],
        [3, date(LAST_YEAR, 9, 1), "Lê Văn Trước", "123456789", "", "Khiếu nại bồi thường", None, "",
         "Chuyển Thanh tra", None],
    ]  # fmt: skip
    for i, changes in overrides:
        base[i] = [changes.get(n, v) for n, v in zip(HEADERS, base[i], strict=True)]
    return base


def workbook(data) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND XÃ TÂN KHAI"])  # the title rows above the headers are not the headers
    ws.append(["SỔ TIẾP CÔNG DÂN NĂM " + str(LAST_YEAR)])
    ws.append(HEADERS)
    for row in data:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def visits(db) -> list[ReceptionSession]:
    db.session.rollback()
    return list(db.session.execute(select(ReceptionSession).order_by(ReceptionSession.received_at)).scalars())


def upload(client, world, content: bytes, filename="so-tiep-cong-dan.xlsx"):
    return client.post(
        "/reception/import/",
        {"unit_id": str(world.units["TK"].id), "file": (io.BytesIO(content), filename)},
        token_from="/reception/import/",
        content_type="multipart/form-data",
    )


def mapping_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'<select[^>]*name="([a-z_]+)"[^>]*>.*?<option selected value="(-?\d+)"', page, re.S))


def test_the_usual_headers_are_recognised():
    with force_locale("vi"):
        mapping = guess_mapping(HEADERS, FIELDS)
    assert mapping == {
        "received_at": 1,
        "full_name": 2,
        "birth_year": None,
        "citizen_id": 3,
        "address": 4,
        "content": 5,
        "people_count": 6,
        "kind": 7,
        "handling": 8,
        "host": 9,
    }
    assert guess_mapping(["ngay tiep", "HO VA TEN", "Nội  dung"], FIELDS)["full_name"] == 1


def test_a_register_is_checked_then_imported_once(login_en, world, db):
    desk = login_en("reception")
    resp = upload(desk, world, workbook(rows()))
    assert resp.status_code == 302
    url = resp.headers["Location"]
    page = desk.get(url).get_data(as_text=True)
    mapping = mapping_of(page)
    assert mapping["received_at"] == "1" and mapping["host"] == "9"
    assert "Nguyễn Văn Cũ" in text(desk.get(url))  # the preview
    form = {**mapping, "action": "check"}
    page = text(desk.post(url, form, token_from=url))
    assert "Every row is right: 3 to import, 0 imported before" in page
    assert visits(db) == []  # a dry run saves nothing
    resp = desk.post(url, {**mapping, "action": "import"}, token_from=url)
    assert resp.status_code == 302
    saved = visits(db)
    assert [(v.kind, v.people_count, v.outcome) for v in saved] == [
        (ReceptionKind.REGULAR, 1, ReceptionOutcome.GUIDED),
        (ReceptionKind.PERIODIC, 6, ReceptionOutcome.PETITION_RECEIVED),
        (ReceptionKind.REGULAR, 1, ReceptionOutcome.REFERRED),
    ]
    first, second, third = saved
    assert to_local(first.received_at).strftime("%d/%m/%Y %H:%M") == f"04/03/{LAST_YEAR} 09:30"  # its own date
    assert first.visitors[0].person.citizen_id == "079123400001"
    assert first.visitors[0].person.address_line == "Ấp 2, xã Tân Khai"
    assert second.host_id == world.users["head"].id and second.is_delegation
    assert third.visitors[0].person.citizen_id is None and "CMND 123456789" in third.outcome_note
    assert all(v.import_key for v in saved) and all(v.created_by_id == world.users["reception"].id for v in saved)
    register = text(desk.get("/reception/register"))
    assert register.count('data-testid="imported"') == 3
    db.session.rollback()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "import.register")).scalar_one()
    assert '"imported": 3' in event.detail

    # The same file again adds nothing.
    url = upload(desk, world, workbook(rows())).headers["Location"]
    page = text(desk.post(url, {**mapping, "action": "check"}, token_from=url))
    assert "0 to import, 3 imported before" in page and 'data-testid="import-run"' not in page
    desk.post(url, {**mapping, "action": "import"}, token_from=url)
    assert len(visits(db)) == 3


def test_rows_with_errors_are_listed_and_nothing_is_saved(login_en, world, db):
    desk = login_en("reception")
    future = (local_today() + timedelta(days=3)).strftime("%d/%m/%Y")
    bad = rows(
        (0, {"Ngày tiếp": "32/13/2025"}),
        (1, {"Số CCCD": "07912", "Người tiếp": "Nguyễn Văn Lạ"}),
        (2, {"Ngày tiếp": future, "Hình thức tiếp": "Hằng tuần", "Số người": "nhiều"}),
    )
    url = upload(desk, world, workbook(bad)).headers["Location"]
    mapping = mapping_of(desk.get(url).get_data(as_text=True))
    before = row_counts()
    page = text(desk.post(url, {**mapping, "action": "import"}, token_from=url))
    assert "3 rows have errors" in page and 'data-testid="import-run"' not in page
    errors = dict(re.findall(r'<tr data-row="(\d+)"><td>\d+</td><td>([^<]+)</td>', page))
    # Rows as numbered in the workbook (two title rows, then the headers on row 3).
    assert "“32/13/2025” is not a date" in errors["4"]
    assert "must be 12 digits" in errors["5"] and "No officer of your units is called “Nguyễn Văn Lạ”" in errors["5"]
    assert "cannot be in the future" in errors["6"] and "“Hằng tuần”" in errors["6"] and "“nhiều”" in errors["6"]
    assert visits(db) == [] and row_counts() == before


def test_a_required_field_without_a_column_is_refused(login_en, world, db):
    desk = login_en("reception")
    url = upload(desk, world, workbook(rows())).headers["Location"]
    mapping = mapping_of(desk.get(url).get_data(as_text=True))
    page = text(desk.post(url, {**mapping, "content": "-1", "action": "check"}, token_from=url))
    assert "Choose the column of “Content”" in page
    assert visits(db) == []


def test_a_file_that_is_not_a_workbook_is_refused(login_en, world, db):
    desk = login_en("reception")
    resp = upload(desk, world, b"not a workbook", filename="so.xlsx")
    assert resp.status_code == 200 and "This file is not an Excel workbook (.xlsx)." in text(resp)
    resp = upload(desk, world, b"a,b", filename="so.csv")
    assert resp.status_code == 200 and "Choose an Excel workbook (.xlsx)" in text(resp)


def test_an_upload_belongs_to_its_session(login_en, world):
    url = upload(login_en("reception"), world, workbook(rows())).headers["Location"]
    assert login_en("head").get(url).status_code == 404
    assert login_en("reception").get("/reception/import/not-a-token").status_code == 404
    assert login_en("handler").get("/reception/import/").status_code == 403


def test_the_command_imports_a_register(app, world, db, tmp_path):
    path = tmp_path / "so.xlsx"
    path.write_bytes(workbook(rows()))
    runner = app.test_cli_runner()
    with force_locale("en"):
        dry = runner.invoke(args=["import", "register", str(path), "--unit", "TK", "--dry-run"])
        assert dry.exit_code == 0, dry.output
        assert "3 rows to import, 0 already imported, 0 with errors." in dry.output
        assert db.session.scalar(select(func.count()).select_from(ReceptionSession)) == 0
        done = runner.invoke(args=["import", "register", str(path), "--unit", "TK", "--user", "reception"])
        assert done.exit_code == 0, done.output
        assert "3 visits imported into the register of TK." in done.output
        again = runner.invoke(args=["import", "register", str(path), "--unit", "TK"])
        assert "0 rows to import, 3 already imported" in again.output
        bad_path = tmp_path / "bad.xlsx"
        bad_path.write_bytes(workbook(rows((0, {"Ngày tiếp": "hôm qua"}))))
        bad = runner.invoke(args=["import", "register", str(bad_path), "--unit", "TK"])
        assert bad.exit_code != 0 and "Row 4:" in bad.output and "Nothing was imported" in bad.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ReceptionSession)) == 3


@pytest.mark.parametrize("unit", ["XX"])
def test_the_command_names_an_unknown_unit(app, world, tmp_path, unit):
    path = tmp_path / "so.xlsx"
    path.write_bytes(workbook(rows()))
    result = app.test_cli_runner().invoke(args=["import", "register", str(path), "--unit", unit])
    assert result.exit_code != 0 and "No unit with code 'XX'" in result.output
