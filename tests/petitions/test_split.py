"""A petition of several contents (đơn có nhiều nội dung) is split into one petition per content: each part
has its kind, area, receipt number, clocks and decision, and a denunciation part keeps its confidentiality
even when the other parts do not."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.locking import UNCHECKED
from app.core.timeutil import local_today
from app.deadlines.models import Clock, ClockStatus, Stage
from app.persons.models import Person
from app.petitions.models import Petition, PetitionKind, PetitionState
from app.petitions.operations import Part, split_petition
from tests.factories import create_petition, subject, subject_id
from tests.petitions.helpers import field_errors, text
from tests.petitions.test_decide import stored
from tests.privacy.helpers import leaked

TODAY = local_today()
NAME, CCCD = "Nguyễn Văn An", "079123456789"  # the factories' petitioner


def form(p: Petition, *rows: dict) -> dict:
    data = {"version": p.version}
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"parts-{i}-{key}"] = value
    return data


COMPLAINT = {"kind": "complaint", "subject_area_id": "", "summary": "Khiếu nại quyết định thu hồi đất"}
DENUNCIATION = {"kind": "denunciation", "subject_area_id": "", "summary": "Tố cáo cán bộ địa chính nhận tiền"}


@pytest.fixture
def mixed(world, db):
    p = create_petition(world, kind=PetitionKind.COMPLAINT, received_on=TODAY - timedelta(days=3))
    db.session.commit()
    return p


def _rows():
    return (
        dict(COMPLAINT, subject_area_id=subject_id("admin.land")),
        dict(DENUNCIATION, subject_area_id=subject_id("anti_corruption")),
    )


def test_a_mixed_petition_is_split_into_a_complaint_and_a_denunciation(mixed, login_en, db):
    officer = login_en("reception")
    page = f"/petitions/{mixed.id}"
    assert 'data-testid="split-form"' in text(officer.get(page))
    resp = officer.post(f"{page}/split", form(mixed, *_rows()), token_from=page)
    assert resp.status_code == 302
    db.session.expire_all()
    whole = db.session.get(Petition, mixed.id)
    complaint, denunciation = whole.parts
    assert whole.state is PetitionState.SPLIT and whole.is_identity_confidential
    assert (complaint.kind, complaint.subject_area.code, complaint.is_identity_confidential) == (
        PetitionKind.COMPLAINT,
        "admin.land",
        False,
    )
    assert (denunciation.kind, denunciation.subject_area.code, denunciation.is_identity_confidential) == (
        PetitionKind.DENUNCIATION,
        "anti_corruption",
        True,
    )
    for part in (complaint, denunciation):
        assert part.received_on == whole.received_on and part.receipt_no != whole.receipt_no
        assert part.state is PetitionState.RECEIVED and part.parent_id == whole.id
    # The complaint part keeps the same person; the denunciation part's petitioner is a row of its own.
    assert complaint.petitioners[0].id == whole.petitioners[0].id
    assert denunciation.petitioners[0].id != whole.petitioners[0].id
    assert (denunciation.petitioners[0].full_name, denunciation.petitioners[0].citizen_id) == (NAME, CCCD)
    # Each part has its clocks from the day of receipt; the whole's end with the split.
    clocks = {
        (c.petition_id, c.stage): c
        for c in db.session.scalars(
            select(Clock).where(Clock.petition_id.in_([whole.id, complaint.id, denunciation.id]))
        )
    }
    assert clocks[(whole.id, Stage.CLASSIFICATION)].status is ClockStatus.DONE
    assert clocks[(whole.id, Stage.ACCEPTANCE)].status is ClockStatus.CANCELLED
    assert clocks[(whole.id, Stage.FIRST_ANSWER)].status is ClockStatus.CANCELLED
    assert clocks[(complaint.id, Stage.ACCEPTANCE)].rule.code.startswith("complaint.acceptance")
    assert clocks[(denunciation.id, Stage.ACCEPTANCE)].rule.code == "denunciation.acceptance"
    assert clocks[(denunciation.id, Stage.ACCEPTANCE)].started_on == whole.received_on
    # The whole lists its parts and its history says so; each part links back.
    shown = text(officer.get(page))
    assert "Split into its contents" in shown and complaint.receipt_no in shown
    # The history names no part (the pages list them to whom they may be shown).
    assert (whole.events[-1].action, whole.events[-1].note) == ("split", "Split into 2 parts.")
    # Each part holds its own content only, never the whole's text naming the other contents.
    assert (complaint.content, denunciation.content) == (complaint.summary, denunciation.summary)


def test_a_denunciation_part_stays_confidential_and_the_whole_is_masked(mixed, login_en, db):
    officer = login_en("reception")
    page = f"/petitions/{mixed.id}"
    officer.post(f"{page}/split", form(mixed, *_rows()), token_from=page)
    db.session.expire_all()
    whole = db.session.get(Petition, mixed.id)
    complaint, denunciation = whole.parts
    handler = login_en("handler")  # not entitled to see a confidential identity
    for p in (whole, denunciation):
        assert leaked(text(handler.get(f"/petitions/{p.id}"))) == [], p.receipt_no
    # The open complaint part names its petitioner, and lists no confidential part beside it.
    complaint_page = text(handler.get(f"/petitions/{complaint.id}"))
    assert NAME in complaint_page
    assert denunciation.receipt_no not in complaint_page and 'data-testid="whole-petition"' not in complaint_page
    # The masked denunciation part lists no sibling: the open one names the same person.
    denunciation_page = text(handler.get(f"/petitions/{denunciation.id}"))
    assert complaint.receipt_no not in denunciation_page and 'data-testid="petition-parts"' not in denunciation_page
    whole_page = text(handler.get(f"/petitions/{whole.id}"))
    assert denunciation.receipt_no not in whole_page


@pytest.mark.parametrize(
    "rows, message",
    [
        ((dict(COMPLAINT),), "Split a petition of several contents into at least two parts."),
        ((dict(COMPLAINT), dict(DENUNCIATION, kind="")), "Choose the kind of this content."),
        (
            (dict(COMPLAINT), dict(DENUNCIATION, summary="")),
            "Write a short summary of this content.",
        ),
        ((dict(COMPLAINT), dict(DENUNCIATION)), "Choose the subject area."),
        ((dict(COMPLAINT), dict(DENUNCIATION, kind="rumour")), "Choose the kind of this content."),
    ],
)
def test_a_split_that_is_not_complete_changes_nothing(mixed, login_en, db, rows, message):
    rows = [
        dict(r, subject_area_id=r["subject_area_id"] or (subject_id() if i == 0 else "")) for i, r in enumerate(rows)
    ]
    before = stored(mixed.id)
    count = db.session.scalar(select(func.count(Petition.id)))
    officer = login_en("reception")
    page = f"/petitions/{mixed.id}"
    resp = officer.post(f"{page}/split", form(mixed, *rows), token_from=page)
    shown = text(resp)
    assert message in shown or message in field_errors(shown)
    assert stored(mixed.id) == before and db.session.scalar(select(func.count(Petition.id))) == count


def test_a_petition_is_split_once_and_only_while_received(mixed, world, db, login_en):
    parts = [
        Part(PetitionKind.COMPLAINT, "Khiếu nại", subject()),
        Part(PetitionKind.RECOMMENDATION, "Kiến nghị", subject()),
    ]
    split_petition(mixed, world.users["reception"], parts, on=TODAY, expected_version=UNCHECKED)
    db.session.commit()
    officer = login_en("reception")
    page = f"/petitions/{mixed.id}"
    assert 'data-testid="split-form"' not in text(officer.get(page))
    resp = officer.post(f"{page}/split", form(db.session.get(Petition, mixed.id), *_rows()), token_from=page)
    assert "This petition has already been processed." in text(resp)
    assert len(db.session.get(Petition, mixed.id).parts) == 2
    # The handler cannot split.
    other = create_petition(world)
    db.session.commit()
    assert (
        login_en("handler")
        .post(f"/petitions/{other.id}/split", form(other, *_rows()), token_from="/petitions/")
        .status_code
        == 403
    )
    assert db.session.scalar(select(func.count(Person.id))) >= 1


def test_a_part_of_a_confidential_petition_is_confidential(world, db):
    p = create_petition(world, kind=PetitionKind.COMPLAINT, is_identity_confidential=True)
    parts = [
        Part(PetitionKind.COMPLAINT, "Khiếu nại", subject()),
        Part(PetitionKind.RECOMMENDATION, "Kiến nghị", subject()),
    ]
    complaint, recommendation = split_petition(p, world.users["reception"], parts, on=TODAY, expected_version=UNCHECKED)
    assert complaint.is_identity_confidential and recommendation.is_identity_confidential
    assert {c.petitioners[0].id for c in (complaint, recommendation)}.isdisjoint({p.petitioners[0].id})
