"""The visitor's history at the desk: typing a CCCD shows their earlier visits and petitions in the user's
units (never a confidential petitioner's), and "same matter" links the new petition to the earlier one."""

from datetime import timedelta

from sqlalchemy import select

from app.core.timeutil import utcnow
from app.persons.models import Person
from app.persons.operations import PersonData
from app.petitions.models import Petition, PetitionKind
from app.reception.models import ReceptionKind, ReceptionOutcome
from app.reception.operations import record_visit
from tests.factories import create_petition, person
from tests.petitions.helpers import row_counts, text
from tests.reception.test_desk import DESK, POST_URL, visit

CCCD = "079123456789"  # the desk form's visitor (tests.reception.test_desk.visit)


def test_the_history_lists_earlier_petitions_and_visits_of_the_cccd(login_en, world, db):
    earlier = create_petition(world, petitioners=[person("Nguyễn Văn An", CCCD)], summary="Khiếu nại lần đầu")
    record_visit(
        unit=world.units["TK"],
        actor=world.users["reception"],
        received_at=utcnow() - timedelta(days=40),
        kind=ReceptionKind.REGULAR,
        visitors=[person("Nguyễn Văn An", CCCD)],
        people_count=1,
        content="Hỏi về tiến độ giải quyết",
        outcome=ReceptionOutcome.GUIDED,
        outcome_note="Hướng dẫn chờ kết quả",
    )
    secret = create_petition(
        world,
        kind=PetitionKind.DENUNCIATION,
        petitioners=[person("Nguyễn Văn An", CCCD)],
        is_identity_confidential=True,
    )
    other_unit = create_petition(world, unit="TL", actor="tl_reception", petitioners=[person("Nguyễn Văn An", CCCD)])
    db.session.commit()
    page = text(login_en("reception").get(f"/reception/history?cccd={CCCD}"))
    assert f'data-history-petition="{earlier.receipt_no}"' in page and "Khiếu nại lần đầu" in page
    assert "Hỏi về tiến độ giải quyết" in page
    assert secret.receipt_no not in page and other_unit.receipt_no not in page
    assert "Same matter" in page


def test_an_unknown_or_bad_cccd(login_en, world):
    desk = login_en("reception")
    assert "No earlier visit or petition of CCCD 079000000000" in text(desk.get("/reception/history?cccd=079000000000"))
    assert desk.get("/reception/history?cccd=12ab").status_code == 400
    assert login_en("handler").get(f"/reception/history?cccd={CCCD}").status_code == 403


def test_same_matter_links_the_new_petition_to_the_earlier_one(login_en, world, db):
    earlier = create_petition(world, petitioners=[person("Nguyễn Văn An", CCCD)])
    db.session.commit()
    desk = login_en("reception")
    resp = desk.post(POST_URL, visit(world, same_matter_no=earlier.receipt_no.lower()), token_from=DESK)
    assert resp.status_code == 302
    db.session.rollback()
    new = db.session.execute(select(Petition).where(Petition.id != earlier.id)).scalar_one()
    assert new.duplicate_of_id == earlier.id
    assert earlier.receipt_no in text(desk.get(f"/petitions/{new.id}"))


def test_same_matter_with_an_unknown_receipt_number_saves_nothing(login_en, world, db):
    desk = login_en("reception")
    before = row_counts()
    resp = desk.post(POST_URL, visit(world, same_matter_no="TK-1999-000001"), token_from=DESK)
    assert resp.status_code == 200
    assert "No petition with this receipt number in your units." in text(resp)
    assert row_counts() == before


def test_a_visitor_without_a_cccd_is_found_by_name_and_year_of_birth(login_en, world, db):
    no_card = PersonData(full_name="Trần Thị Bình", birth_year=1958)
    earlier = create_petition(world, petitioners=[no_card], summary="Kiến nghị cấp sổ đỏ")
    namesake = create_petition(world, petitioners=[PersonData(full_name="Trần Thị Bình", birth_year=1990)])
    secret = create_petition(
        world, kind=PetitionKind.DENUNCIATION, petitioners=[PersonData(full_name="Trần Thị Bình", birth_year=1958)]
    )
    db.session.commit()
    desk = login_en("reception")
    # Diacritics, case and spaces as typed do not matter; the year does.
    page = text(desk.get("/reception/history?name=tran  thi BINH&birth_year=1958"))
    assert f'data-history-petition="{earlier.receipt_no}"' in page and "born 1958" in page
    assert namesake.receipt_no not in page and secret.receipt_no not in page  # never a denunciator
    assert "No earlier visit or petition of Trần Thị Bình, born 1957" in text(
        desk.get("/reception/history?name=Trần Thị Bình&birth_year=1957")
    )
    for bad in ("name=Trần Thị Bình", "name=Trần Thị Bình&birth_year=19x8", "name=&birth_year=1958",
                "name=Trần Thị Bình&birth_year=3000"):  # fmt: skip
        assert desk.get(f"/reception/history?{bad}").status_code == 400


def test_the_desk_records_the_year_of_birth(login_en, world, db):
    desk = login_en("reception")
    resp = desk.post(POST_URL, visit(world, birth_year="1962"), token_from=DESK)
    assert resp.status_code == 302
    db.session.rollback()
    assert db.session.execute(select(Person).where(Person.citizen_id == CCCD)).scalar_one().birth_year == 1962
    before = row_counts()
    for year, message in (("62a", "as four digits"), ("2999", "cannot be in the future"), ("1850", "from 1900")):
        page = text(desk.post(POST_URL, visit(world, birth_year=year, citizen_id=""), token_from=DESK))
        assert message in page, year
    assert row_counts() == before
