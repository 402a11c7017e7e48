"""The legal gates that need the rule table and the calendar, registered with the petitions' gates.

The lodging period (thời hiệu, Law on Complaints 2011 art. 9) is a rule of the table (stage ``lodging``):
a complaint lodged after it is not accepted (art. 11), unless the head of the unit decides otherwise.
"""

from dataclasses import replace

from flask_babel import gettext as _

from ..core.i18n import lazy_gettext as _l
from ..core.procedure import LegalRule
from ..petitions.models import Petition, PetitionKind, PetitionState
from ..petitions.procedure import Gate, Lodging, register_gate
from .calendar import load_calendar
from .engine import compute_due, find_rule, petition_facts
from .models import Stage

APPEAL_PASSED = LegalRule(
    "complaint.appeal_passed",
    _l("Law on Complaints 2011, art. 33 and 11"),
    _l(
        "The second complaint was lodged after its period, counted from the day the complainant received the "
        "first-instance decision, without the time an objective obstacle took: it is not accepted."
    ),
)
LODGING_PASSED = LegalRule(
    "complaint.lodging_passed",
    _l("Law on Complaints 2011, art. 9 and 11"),
    _l(
        "The complaint was lodged after its lodging period, counted from the day the complainant received "
        "or learned of the decision or act, without the time an objective obstacle took: it is not accepted."
    ),
)


def lodging_gate(petition: Petition, decision: PetitionState, lodging: Lodging | None) -> Gate | None:
    """LODGING_PASSED if ``petition``, a complaint being accepted, was received after its lodging period
    (APPEAL_PASSED for a second complaint, after the period to appeal the first-instance decision)."""
    if decision is not PetitionState.ACCEPTED or lodging is None or petition.kind is not PetitionKind.COMPLAINT:
        return None
    # The periods are the first-instance decision's (the appeal) or the decision complained of (lodging):
    # their rules are first instance's, whatever instance the petition was registered as.
    facts = replace(petition_facts(petition), instance=1)
    second = lodging.instance == 2
    rule = find_rule(Stage.APPEAL if second else Stage.LODGING, facts, lodging.learned_on)
    if rule is None:
        return None
    last_day = compute_due(
        lodging.learned_on, rule.limit_days, rule.day_unit, load_calendar(), suspended_days=lodging.obstacle_days
    )
    if petition.received_on <= last_day:
        return None
    return Gate(
        APPEAL_PASSED if second else LODGING_PASSED,
        detail=_("The period ended on %(date)s.", date=last_day.strftime("%d/%m/%Y")),
    )


def connect() -> None:
    """Register the gates (the app factory calls it with the clock receivers; calling again is harmless)."""
    register_gate(lodging_gate)
