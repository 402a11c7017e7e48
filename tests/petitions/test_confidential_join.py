"""A confidential and an open petition never share a case, nor a first and second instance.

The hole this closes: a confidential complaint and an open one of the same person were joined into one
case, and the case page and /api/v1/cases/<id> showed the masked petitioner next to the same person by
name, CCCD, phone and address.
"""

import pytest

from app.cases.models import CaseState
from app.core.timeutil import local_today
from app.extensions import db
from app.petitions.models import Petition, PetitionKind, PetitionState
from tests.factories import LEARNED_ON, create_case, create_petition, person
from tests.petitions.helpers import text
from tests.petitions.test_decide import _refused, page_of, url

NAME, CCCD, PHONE = "Lâm Thị Kín", "079555666777", "0905666777"
JOIN_REFUSED = "A confidential petition can only join a case whose petitions are all confidential"
APPEAL_REFUSED = "The appealed case and this petition differ in confidentiality"


def petition_of_the_person(world, *, confidential: bool, kind=PetitionKind.COMPLAINT):
    p = create_petition(
        world, kind=kind, is_identity_confidential=confidential, petitioners=[person(NAME, CCCD, phone=PHONE)]
    )
    db.session.commit()
    return p


def case_of_the_person(world, state=CaseState.ASSIGNED, *, confidential: bool, kind=PetitionKind.COMPLAINT):
    case = create_case(
        world, state, kind=kind, is_identity_confidential=confidential, petitioners=[person(NAME, CCCD, phone=PHONE)]
    )
    db.session.commit()
    return case


def accept(client, petition, **fields):
    return client.post(
        url(petition),
        {
            "decision": "accept",
            "version": petition.version,
            "instance": "1",
            "learned_on": LEARNED_ON,
            "accepted_on": local_today().isoformat(),
            **fields,
        },
        token_from=page_of(petition),
    )


@pytest.mark.parametrize("case_confidential, petition_confidential", [(False, True), (True, False)])
def test_joining_across_confidentiality_is_refused(login_en, world, case_confidential, petition_confidential):
    case = case_of_the_person(world, confidential=case_confidential)
    petition = petition_of_the_person(world, confidential=petition_confidential)
    client = login_en("head")
    _refused(
        client,
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "join_case_no": case.number,
        },
        JOIN_REFUSED,
    )
    # The case's API answer still lists only its own petition.
    api = client.get(f"/api/v1/cases/{case.id}").get_json()
    assert [p["id"] for p in api["petitions"]] == [case.petitions[0].id]


@pytest.mark.parametrize("kind", [PetitionKind.COMPLAINT, PetitionKind.DENUNCIATION])
def test_petitions_of_the_same_confidentiality_still_join(login_en, world, kind):
    confidential = kind is PetitionKind.COMPLAINT  # a denunciation is always confidential
    case = case_of_the_person(world, confidential=confidential, kind=kind)
    petition = petition_of_the_person(world, confidential=confidential, kind=kind)
    assert accept(login_en("head"), petition, join_case_no=case.number).status_code == 302
    db.session.expire_all()
    joined = db.session.get(Petition, petition.id)
    assert joined.state is PetitionState.ACCEPTED and joined.case_id == case.id
    # Both are masked on the case page of an officer who is not entitled.
    page = text(login_en("reception").get(f"/cases/{case.id}"))
    assert NAME not in page and CCCD not in page and PHONE not in page


def test_open_petitions_still_join(login_en, world):
    case = case_of_the_person(world, confidential=False)
    petition = petition_of_the_person(world, confidential=False)
    assert accept(login_en("head"), petition, join_case_no=case.number).status_code == 302
    db.session.expire_all()
    assert db.session.get(Petition, petition.id).case_id == case.id


@pytest.mark.parametrize("first_confidential, second_confidential", [(False, True), (True, False)])
def test_an_appeal_across_confidentiality_is_refused(login_en, world, first_confidential, second_confidential):
    first = case_of_the_person(world, CaseState.RESOLVED, confidential=first_confidential)
    petition = petition_of_the_person(world, confidential=second_confidential)
    _refused(
        login_en("phead"),
        petition,
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "2",
            "learned_on": LEARNED_ON,
            "appeal_of_case_no": first.number,
        },
        APPEAL_REFUSED,
    )


def test_an_appeal_of_the_same_confidentiality_links(login_en, world):
    first = case_of_the_person(world, CaseState.RESOLVED, confidential=True)
    petition = petition_of_the_person(world, confidential=True)
    assert accept(login_en("phead"), petition, instance="2", appeal_of_case_no=first.number).status_code == 302
    db.session.expire_all()
    assert db.session.get(Petition, petition.id).case.parent_case_id == first.id
