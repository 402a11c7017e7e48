"""Links between petitions never tie a name to a denunciation; a handler assigned across units sees the
petitions of their case (to reveal and to read the scans)."""

from app.cases.models import CaseAction, CaseState
from app.cases.operations import perform
from app.core.locking import UNCHECKED
from app.extensions import db
from app.petitions.models import PetitionKind
from tests.factories import create_case, create_petition, person
from tests.privacy.helpers import NAME, reveal


def test_an_open_petition_cannot_be_marked_a_duplicate_of_a_confidential_one(login_en, world, denunciation):
    complaint = create_petition(
        world, kind=PetitionKind.COMPLAINT, summary="Cùng nội dung", petitioners=[person("Người Khác", "079000111222")]
    )
    db.session.commit()
    head = login_en("head")
    page = f"/petitions/{complaint.id}"
    resp = head.post(
        f"{page}/duplicate",
        {"original_receipt_no": denunciation.petition.receipt_no, "version": str(complaint.version)},
        token_from=page,
    )
    assert "confidential petition can only duplicate another confidential one" in resp.get_data(as_text=True)
    db.session.rollback()
    assert db.session.get(type(complaint), complaint.id).duplicate_of_id is None


def test_a_handler_of_a_unit_below_sees_and_may_reveal_the_petition_of_their_case(login_en, world):
    case = create_case(
        world, CaseState.ACCEPTED, kind=PetitionKind.DENUNCIATION, petitioners=[person(NAME, "079987654321")]
    )
    perform(
        case, CaseAction.ASSIGN, world.users["head"], handler_id=world.users["handler2"].id, expected_version=UNCHECKED
    )
    db.session.commit()
    petition = case.petitions[0]
    handler2 = login_en("handler2")  # of TKVP, below TK
    assert handler2.get(f"/petitions/{petition.id}").status_code == 200
    assert NAME not in handler2.get(f"/petitions/{petition.id}").get_data(as_text=True)
    assert reveal(handler2, petition).status_code == 302
    assert NAME in handler2.get(f"/petitions/{petition.id}").get_data(as_text=True)
    # Another TKVP user, not assigned, still cannot see it.
    assert login_en("handler2").get("/petitions/999999").status_code == 404
