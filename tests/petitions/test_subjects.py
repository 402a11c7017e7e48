"""Every petition is classified by subject area (lĩnh vực) at the desk; its case inherits it; the lists,
the export and the API filter and show it."""

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.cases.models import Case
from app.petitions.models import Petition, PetitionKind
from app.reception.models import ReceptionSession
from tests.factories import create_case, create_petition, subject, subject_id
from tests.petitions.helpers import field_errors, row_counts, text
from tests.petitions.test_new import NEW, petition_form
from tests.reception.test_desk import POST_URL, visit


@pytest.fixture
def officer(login_en):
    return login_en("reception")


def test_the_form_offers_the_active_areas_by_group(officer, world):
    page = text(officer.get(NEW))
    assert f'<option value="{subject_id("admin.land")}">Administrative · Land</option>' in page
    assert "Anti-corruption" in page and "Party and mass organisations" in page


def test_the_chosen_area_is_kept_and_shown_and_the_case_inherits_it(officer, login_en, world, db):
    resp = officer.post(NEW, petition_form(world, kind="complaint", subject_area_id=subject_id("admin.compensation")))
    assert resp.status_code == 302
    petition = db.session.execute(select(Petition)).scalar_one()
    assert petition.subject_area.code == "admin.compensation"
    label = "Administrative · Compensation, support and resettlement"
    assert label in text(officer.get(f"/petitions/{petition.id}"))
    assert label in text(officer.get(f"/petitions/{petition.id}/receipt"))
    case = create_case(world, subject_area=subject("anti_corruption"))
    db.session.commit()
    assert case.subject_area.code == "anti_corruption"
    assert "Anti-corruption" in text(login_en("head").get(f"/cases/{case.id}"))


def test_the_vietnamese_receipt_names_the_area(login_as, world, db):
    petition = create_petition(world, subject_area=subject("admin.land"))
    db.session.commit()
    page = text(login_as("reception").get(f"/petitions/{petition.id}/receipt"))
    assert "Lĩnh vực" in page and "Hành chính · Đất đai" in page


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Choose the subject area."),
        ("999999", "Choose a subject area from the list."),
        ("đất", "Choose a subject area from the list."),
    ],
)
def test_a_petition_without_a_valid_area_is_not_saved(officer, world, value, message):
    before = row_counts()
    resp = officer.post(NEW, petition_form(world, subject_area_id=value))
    assert resp.status_code == 200
    assert message in field_errors(text(resp))
    assert row_counts() == before


def test_an_area_taken_out_of_use_is_not_offered_nor_accepted(officer, world, db):
    housing = subject("admin.housing")
    housing.is_active = False
    db.session.commit()
    assert "Housing and property" not in text(officer.get(NEW))
    before = row_counts()
    resp = officer.post(NEW, petition_form(world, subject_area_id=str(housing.id)))
    assert "Choose a subject area from the list." in field_errors(text(resp))
    assert row_counts() == before


def test_the_desk_asks_for_the_area_of_a_petition_received(login_en, world, db):
    desk = login_en("reception")
    before = row_counts()
    resp = desk.post(POST_URL, visit(world, subject_area_id=""), token_from="/reception/")
    assert "Choose the subject area." in field_errors(text(resp))
    assert row_counts() == before
    # A visit that brings no petition needs none.
    refused = visit(world, outcome="guided", outcome_note="Hướng dẫn đến UBND huyện", subject_area_id="")
    assert desk.post(POST_URL, refused, token_from="/reception/").status_code == 302
    assert db.session.scalar(select(ReceptionSession.id)) is not None
    assert db.session.scalar(select(Petition.id)) is None
    resp = desk.post(POST_URL, visit(world, subject_area_id=subject_id("justice")), token_from="/reception/")
    assert resp.status_code == 302
    assert db.session.execute(select(Petition)).scalar_one().subject_area.code == "justice"


@pytest.fixture
def classified(world, db):
    """Petitions and cases of three areas (land and compensation are administrative)."""
    made = {
        "land": create_case(world, subject_area=subject("admin.land")),
        "compensation": create_case(world, subject_area=subject("admin.compensation")),
        "corruption": create_case(world, kind=PetitionKind.DENUNCIATION, subject_area=subject("anti_corruption")),
    }
    db.session.commit()
    return {k: (c.id, c.petitions[0].receipt_no, c.number) for k, c in made.items()}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"subject": "admin.land"}, {"land"}),
        ({"subject_group": "administrative"}, {"land", "compensation"}),
        ({"subject_group": "anti_corruption"}, {"corruption"}),
        ({"subject_group": "administrative", "subject": "anti_corruption"}, set()),
    ],
)
def test_both_lists_and_the_api_filter_by_area_and_group(login_en, classified, query, expected):
    head = login_en("head")
    args = {k: (subject_id(v) if k == "subject" else v) for k, v in query.items()}
    petitions = text(head.get("/petitions/", query_string=args))
    cases = text(head.get("/cases/", query_string=args))
    for key, (_id, receipt_no, number) in classified.items():
        assert (receipt_no in petitions) is (key in expected), (key, "petitions")
        assert (number in cases) is (key in expected), (key, "cases")
    api = json.loads(head.get("/api/v1/cases", query_string=args).data)
    assert {c["number"] for c in api["items"]} == {classified[k][2] for k in expected}
    assert all(
        c["subject_area"]["code"] in {"admin.land", "admin.compensation", "anti_corruption"} for c in api["items"]
    )


@pytest.mark.parametrize("url", ["/petitions/", "/cases/"])
def test_an_unknown_area_or_group_is_ignored_with_a_warning(login_en, classified, url):
    head = login_en("head")
    page = text(head.get(url, query_string={"subject": "abc", "subject_group": "army"}))
    assert "Unknown subject area: that filter was ignored." in page
    assert "Unknown group of subject areas “army”: that filter was ignored." in page
    shown = [receipt_no if url == "/petitions/" else number for _id, receipt_no, number in classified.values()]
    assert all(n in page for n in shown)  # the filters were dropped, not the rows


def test_the_export_and_the_api_carry_the_area(login_en, classified, db):
    head = login_en("head")
    wb = load_workbook(io.BytesIO(head.get("/petitions/export.xlsx").data))
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    column = rows[0].index("Subject area")
    by_receipt = {r[0]: r[column] for r in rows[1:]}
    assert by_receipt[classified["land"][1]] == "Administrative · Land"
    petition_id = db.session.scalar(select(Petition.id).where(Petition.receipt_no == classified["land"][1]))
    data = json.loads(head.get(f"/api/v1/petitions/{petition_id}").data)
    assert data["subject_area"] == {
        "id": subject("admin.land").id,
        "code": "admin.land",
        "group": "administrative",
        "name": "Land",
        "label": "Administrative · Land",
    }
    case = db.session.get(Case, classified["corruption"][0])
    assert json.loads(head.get(f"/api/v1/cases/{case.id}").data)["subject_area"]["code"] == "anti_corruption"
