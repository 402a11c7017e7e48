"""The Excel export of the petition register: filters and scope of the list, masks, formula injection, audit."""

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.persons.operations import PersonData
from app.petitions import export as export_module
from app.petitions.models import PetitionKind
from tests.factories import create_petition
from tests.petitions.helpers import text
from tests.privacy.helpers import CCCD, NAME, leaked, reveal, workbook_text

URL = "/petitions/export.xlsx"


def rows_of(resp) -> list[tuple]:
    wb = load_workbook(io.BytesIO(resp.data))
    return [tuple("" if v is None else v for v in row) for row in wb.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def register(world, db, denunciation):
    made = {
        "land": create_petition(
            world,
            kind=PetitionKind.COMPLAINT,
            received_on=date(2025, 3, 1),
            summary='=HYPERLINK("http://evil.example","click")',
            petitioners=[PersonData("+Nguyễn Văn An", "079123456789", phone="0912345678")],
        ),
        "road": create_petition(
            world,
            kind=PetitionKind.RECOMMENDATION,
            received_on=date(2025, 5, 20),
            summary="@SUM(A1:A2) sửa đường\x07",
            petitioners=[PersonData("-Lê Văn Bảo")],
        ),
        "other": create_petition(
            world,
            unit="TL",
            actor="tl_reception",
            received_on=date(2025, 4, 1),
            petitioners=[PersonData("Hồ Văn Khánh", "079888999000")],
        ),
    }
    db.session.commit()
    return {"denunciation": denunciation.petition, **made}


def test_export_is_an_attachment_with_the_scoped_rows_and_masks(login_en, register):
    resp = login_en("reception").get(URL)
    assert resp.status_code == 200
    assert resp.mimetype == export_module.MIMETYPE
    assert (
        resp.headers["Content-Disposition"].startswith("attachment;") and ".xlsx" in resp.headers["Content-Disposition"]
    )
    assert "no-store" in resp.headers["Cache-Control"]
    rows = rows_of(resp)
    assert rows[0][0] == "Receipt number"
    numbers = [r[0] for r in rows[1:]]
    assert set(numbers) == {register[k].receipt_no for k in ("denunciation", "land", "road")}  # not TL's
    book = workbook_text(resp)
    assert leaked(book) == [] and "Identity protected (1 petitioner)" in book
    assert "079123456789" in book  # a complaint's petitioner is not confidential


def test_formula_injection_is_defused(login_en, register):
    rows = rows_of(login_en("head").get(URL))
    cells = [c for r in rows for c in r if isinstance(c, str)]
    formulas = [c for c in cells if c and c[0] in "=+-@"]
    assert formulas == []
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "'+Nguyễn Văn An" in cells and "'-Lê Văn Bảo" in cells
    assert "'@SUM(A1:A2) sửa đường" in cells  # the control character is dropped, not a 500
    wb = load_workbook(io.BytesIO(login_en("head").get(URL).data))
    assert all(cell.data_type != "f" for row in wb.worksheets[0].iter_rows() for cell in row)


def test_export_uses_the_list_filters(login_en, register):
    rows = rows_of(login_en("head").get(URL + "?kind=complaint&page=3"))
    assert [r[0] for r in rows[1:]] == [register["land"].receipt_no]
    head = login_en("head")
    link = text(head.get("/petitions/?kind=complaint&page=1"))
    assert 'href="/petitions/export.xlsx?kind=complaint"' in link


def test_export_searching_a_confidential_name_finds_nothing_until_revealed(login_en, register):
    rows = rows_of(login_en("reception").get(URL + f"?q={NAME}"))
    assert rows[1:] == []
    head = login_en("head")  # entitled, but has not revealed
    assert rows_of(head.get(URL + f"?q={CCCD}"))[1:] == []
    assert leaked(workbook_text(head.get(URL))) == []
    assert reveal(head, register["denunciation"]).status_code == 302
    rows = rows_of(head.get(URL + f"?q={CCCD}"))
    assert [r[0] for r in rows[1:]] == [register["denunciation"].receipt_no]
    assert {NAME, CCCD} <= set(leaked(workbook_text(head.get(URL))))


def test_export_is_audited_without_the_search_text(login_en, world, register, db):
    login_en("head").get(URL + f"?kind=complaint&q={NAME[:5]}")
    db.session.rollback()
    event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "export.petitions")).scalar_one()
    assert event.actor_id == world.users["head"].id
    detail = json.loads(event.detail)
    assert detail["rows"] == 0 and detail["filters"]["kind"] == "complaint"
    assert detail["filters"]["search_text_given"] is True and NAME[:5] not in event.detail


def test_export_is_truncated_with_a_note(login_en, register, monkeypatch):
    monkeypatch.setattr(export_module, "MAX_EXPORT_ROWS", 2)
    resp = login_en("head").get(URL)
    rows = rows_of(resp)
    assert len(rows) == 1 + 2 + 1
    assert "Only the first 2 of 3 matching petitions were exported" in rows[-1][0]
    assert "Truncated" in workbook_text(resp)


def test_export_needs_login(client, world):
    resp = client.get(URL)
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
