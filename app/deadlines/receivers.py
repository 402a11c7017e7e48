"""The clocks follow the petitions and the cases: receivers of their domain events.

Connected once by the app factory (``connect``); each runs inside the sender's transaction.
"""

from datetime import date

from ..cases.models import Case, CaseAction
from ..cases.signals import case_decision_delivered, case_opened, case_taken_to_court, case_transitioned
from ..petitions.models import Petition, PetitionState
from ..petitions.signals import petition_corrected, petition_decided, petition_reclassified, petition_registered
from . import clocks, procedure


def _petition_registered(petition: Petition, **_: object) -> None:
    clocks.on_petition_registered(petition)


def _petition_decided(petition: Petition, *, on: date, **_: object) -> None:
    if petition.state is PetitionState.SPLIT:
        clocks.on_petition_split(petition, on)
        return
    clocks.on_petition_decided(petition, accepted=petition.state is PetitionState.ACCEPTED, on=on)


def _petition_reclassified(petition: Petition, **_: object) -> None:
    clocks.refresh_petition_rules(petition)


def _petition_corrected(petition: Petition, **_: object) -> None:
    clocks.on_petition_corrected(petition)


def _case_opened(case: Case, **_: object) -> None:
    clocks.on_case_opened(case)


def _case_transitioned(case: Case, *, action: CaseAction, on: date, **_: object) -> None:
    clocks.on_case_transition(case, action, on)


def _case_decision_delivered(case: Case, *, on: date, **_: object) -> None:
    clocks.on_decision_delivered(case, on)


def _case_taken_to_court(case: Case, *, on: date, **_: object) -> None:
    clocks.on_court_filing(case, on)


def connect() -> None:
    """Connect the clock receivers (blinker keeps one connection per receiver: calling again is harmless)
    and register the gates that need the rule table (the lodging period)."""
    procedure.connect()
    petition_registered.connect(_petition_registered)
    petition_decided.connect(_petition_decided)
    petition_reclassified.connect(_petition_reclassified)
    petition_corrected.connect(_petition_corrected)
    case_opened.connect(_case_opened)
    case_transitioned.connect(_case_transitioned)
    case_taken_to_court.connect(_case_taken_to_court)
    case_decision_delivered.connect(_case_decision_delivered)
