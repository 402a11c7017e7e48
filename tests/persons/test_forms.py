"""The person fields: CCCD, phone and the province/ward pair are checked on the server."""

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import MultiDict

from app.persons.operations import PersonData
from app.reception.forms import VisitForm


def make_form(app, world, **data):
    base = {
        "unit_id": str(world.units["TK"].id),
        "received_at": "2025-01-02T08:00",
        "kind": "regular",
        "full_name": "Nguyễn Văn An",
        "people_count": "1",
        "content": "Nội dung",
        "outcome": "guided",
        "outcome_note": "Hướng dẫn",
        "province_code": "75",
    }
    base.update(data)
    with app.test_request_context("/reception/visits", method="POST", data=MultiDict(base)), force_locale("en"):
        form = VisitForm([world.units["TK"]], meta={"csrf": False})
        ok = form.validate()
        form.messages = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return ok, form


def test_valid_person_gives_person_data(app, world):
    ok, form = make_form(
        app, world, citizen_id="079123456789", phone="+84 912 345 678", ward_code="25357", address_line="  Ấp 3  "
    )
    assert ok, form.messages
    assert form.person_data() == PersonData(
        full_name="Nguyễn Văn An",
        citizen_id="079123456789",
        phone="+84 912 345 678",
        province_code=75,
        ward_code=25357,
        address_line="Ấp 3",
    )


def test_ward_choices_follow_the_submitted_province(app, world):
    ok, form = make_form(app, world, province_code="1", ward_code="")
    assert ok, form.messages
    codes = {c for c, _ in form.ward_code.choices if c != ""}
    assert codes and 25357 not in codes


@pytest.mark.parametrize(
    "lines, persons",
    [
        ("", []),
        ("Trần Thị Bình", [PersonData("Trần Thị Bình")]),
        (
            "  Trần Thị Bình ; 079987654321 \n\n Lê Văn Cường",
            [PersonData("Trần Thị Bình", "079987654321"), PersonData("Lê Văn Cường")],
        ),
        ("Trần Thị Bình;", [PersonData("Trần Thị Bình")]),
    ],
)
def test_people_lines_are_parsed(app, world, lines, persons):
    ok, form = make_form(app, world, representatives=lines, people_count="5")
    assert ok, form.messages
    assert form.representatives.persons == persons


def test_every_bad_line_is_reported(app, world):
    ok, form = make_form(app, world, representatives="; 079987654321\nBình; 12\nAn; 079987654321; x", people_count="9")
    assert not ok
    assert form.messages["representatives"] == [
        "Line 1: the full name is missing.",
        "Line 2: the citizen ID (CCCD) must be exactly 12 digits.",
        "Line 3: write “Full name” or “Full name; CCCD”.",
    ]
