"""The petition page and its receipt slip: what they show, and who may see them."""

from datetime import date

import pytest

from app.persons.operations import PersonData
from app.petitions.models import PetitionKind
from tests.factories import create_case, create_petition
from tests.petitions.helpers import text


@pytest.fixture
def tk_petition(world, db):
    # A complaint: a denunciator's identity is masked (see tests/privacy).
    p = create_petition(
        world,
        kind=PetitionKind.COMPLAINT,
        received_on=date(2025, 8, 4),
        summary="Tố cáo cán bộ thu tiền trái phép",
        petitioners=[
            PersonData(
                "Nguyễn Văn An",
                "079123456789",
                phone="0912345678",
                province_code=75,
                ward_code=25357,
                address_line="Ấp 3",
            )
        ],
    )
    db.session.commit()
    return p


@pytest.mark.parametrize(
    "username, status",
    [
        ("reception", 200),
        ("head", 200),
        ("handler", 200),
        ("handler2", 404),
        ("phead", 200),
        ("inspector", 200),
        ("admin", 200),
        ("tl_reception", 404),
        ("tl_head", 404),
        ("tl_handler", 404),
    ],
)
def test_visibility_follows_the_unit_tree(login_as, tk_petition, username, status):
    client = login_as(username)
    assert client.get(f"/petitions/{tk_petition.id}").status_code == status
    assert client.get(f"/petitions/{tk_petition.id}/receipt").status_code == status
    listed = tk_petition.receipt_no in text(client.get("/petitions/"))
    assert listed is (status == 200)


def test_unknown_petition_is_404(login_as, world):
    assert login_as("phead").get("/petitions/999999").status_code == 404
    assert login_as("phead").get("/petitions/999999/receipt").status_code == 404


def test_detail_shows_fields_petitioners_and_history(login_en, tk_petition):
    page = text(login_en("handler").get(f"/petitions/{tk_petition.id}"))
    assert tk_petition.receipt_no in page
    assert "Tố cáo cán bộ thu tiền trái phép" in page and "Complaint" in page
    assert "Nguyễn Văn An" in page and "079123456789" in page and "0912345678" in page
    assert "Ấp 3, Xã Tân Khai, Đồng Nai" in page
    assert "Registered" in page and "Nguyễn Thị Tiếp" in page
    assert "04/08/2025" in page


def test_receipt_slip(login_en, tk_petition):
    page = text(login_en("inspector").get(f"/petitions/{tk_petition.id}/receipt"))
    assert f'data-testid="receipt-no">{tk_petition.receipt_no}<' in page
    for expected in (
        "PETITION RECEIPT",
        "SOCIALIST REPUBLIC OF VIETNAM",
        "Independence – Freedom – Happiness",
        "UBND xã Tân Khai",
        "UBND tỉnh Đồng Nai",
        "04/08/2025",
        "Nguyễn Văn An",
        "Complaint",
        "Tố cáo cán bộ thu tiền trái phép",
        "Nguyễn Thị Tiếp",
    ):
        assert expected in page, expected
    assert '<button type="button" class="btn btn-primary btn-sm" data-action="print">' in page
    assert "onclick" not in page and "/static/print.js" in page
    assert "receipt-slip" in page and "d-print-none" in page


def test_receipt_is_vietnamese_by_default(login_as, tk_petition):
    page = text(login_as("reception").get(f"/petitions/{tk_petition.id}/receipt"))
    assert '<html lang="vi">' in page and tk_petition.receipt_no in page


def test_print_script_is_served(client):
    resp = client.get("/static/print.js")
    assert resp.status_code == 200 and b"window.print()" in resp.data
    resp.close()


def test_detail_of_desk_petition_shows_its_reception_session(login_en, world, db):
    from app.core.timeutil import utcnow
    from app.reception.models import ReceptionKind, ReceptionOutcome
    from app.reception.operations import record_visit

    _, petition = record_visit(
        unit=world.units["TK"],
        actor=world.users["head"],
        received_at=utcnow(),
        kind=ReceptionKind.PERIODIC,
        visitors=[PersonData("Lý Thị Mai")],
        people_count=6,
        content="Đoàn kiến nghị về ô nhiễm",
        outcome=ReceptionOutcome.PETITION_RECEIVED,
        petition_kind=PetitionKind.RECOMMENDATION,
    )
    db.session.commit()
    page = text(login_en("reception").get(f"/petitions/{petition.id}"))
    assert "Reception session" in page and "Periodic reception by the head" in page
    assert "Phạm Văn Trưởng" in page and "Delegation" in page


def test_detail_links_the_case_it_joined(login_en, world, db):
    case = create_case(world)
    db.session.commit()
    petition = case.petitions[0]
    page = text(login_en("head").get(f"/petitions/{petition.id}"))
    assert f'<a href="/cases/{case.id}">{case.number}</a>' in page
    assert "Accepted for resolution" in page
