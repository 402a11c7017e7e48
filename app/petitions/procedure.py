"""The legal rules that gate a petition's processing decision, and who may set one aside.

A rule that applies refuses the decision with its legal basis. The head of the unit may decide otherwise,
giving the reason: the petition's history and the audit log record the rule set aside and the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from ..core.i18n import lazy_gettext as _l
from ..core.procedure import LegalRule
from ..extensions import db
from ..persons.models import Person
from ..units.models import Unit
from .models import Channel, Petition, PetitionKind, PetitionParty, PetitionState

CIRCULAR_05_2021 = _l("Circular 05/2021/TT-TTCP")

#: A denunciation outside the unit's competence is transferred once only: the unit that received it by
#: transfer does not pass it on again (it resolves it, or returns it to the sender with the reason).
TRANSFERRED_ONCE = LegalRule(
    "denunciation.transferred_once",
    CIRCULAR_05_2021,
    _l(
        "This denunciation reached the unit by transfer, and a denunciation is transferred once only: "
        "do not transfer it again. If it is not within the unit's competence, return it to the agency "
        "that sent it, with the reason."
    ),
)

#: A citizen is guided to the competent body once for the same content: a later petition of the same
#: content is not guided again (it is filed, the citizen told it was answered before).
GUIDED_ONCE = LegalRule(
    "petition.guided_once",
    CIRCULAR_05_2021,
    _l(
        "This citizen was already guided on a petition of the same kind and subject area, and a petition "
        "of the same content is guided once only: file it as already guided."
    ),
)

#: Who may set a rule aside, and what they must give.
OVERRIDE_HINT = _l("Only the head of the unit can decide otherwise, giving the reason.")


@dataclass(frozen=True)
class Lodging:
    """A complaint's lodging period as recorded at acceptance (Law on Complaints 2011 art. 9): the day the
    complainant received or learned of the decision or act, and the days an objective obstacle took."""

    learned_on: date
    obstacle_days: int = 0
    obstacle_reason: str | None = None
    #: 2 for a second complaint: the day learned is the day the first-instance decision was received, and
    #: the period is the appeal's (Law on Complaints 2011 art. 33).
    instance: int = 1


@dataclass(frozen=True)
class Gate:
    """A rule that forbids a decision on a petition, and the earlier petition it concerns (if any)."""

    rule: LegalRule
    earlier: Petition | None = None
    #: A translated sentence with the facts of this petition (e.g. the day its period ended).
    detail: str | None = None

    def message(self) -> str:
        """The refusal with its basis, then its facts and the earlier petition when there are some."""
        parts = [self.rule.message()]
        if self.detail:
            parts.append(self.detail)
        if self.earlier is not None:
            parts.append(_("Earlier petition: %(no)s.", no=self.earlier.receipt_no))
        return " ".join(parts)


#: A gate of a package above petitions, e.g. the lodging period (deadlines: it needs the rule table and the
#: calendar): called with the petition, the decision and its lodging period (None if not recorded).
GateCheck = Callable[[Petition, PetitionState, "Lodging | None"], "Gate | None"]
_REGISTERED: list[GateCheck] = []


def register_gate(check: GateCheck) -> GateCheck:
    """Add a gate that a package above petitions decides (registered when that package is imported)."""
    if check not in _REGISTERED:
        _REGISTERED.append(check)
    return check


def same_matter(petition: Petition) -> list[ColumnElement[bool]]:
    """The conditions that select the earlier petitions of the same matter as ``petition``: one of its
    petitioners by CCCD, the same kind and subject area, received no later, in the register of its unit or
    of a unit below it; never from or to a petition whose petitioners are confidential (their CCCD links
    nothing).
    Empty if the petition has no petitioner with a CCCD or no subject area: then nothing is the same matter."""
    if petition.is_identity_confidential:
        return []  # a confidential petitioner's CCCD links nothing either: the refusal would name their record
    cccds = sorted({p.person.citizen_id for p in petition.parties if p.person.citizen_id})
    if not cccds or petition.subject_area_id is None or petition.id is None:
        return []
    people = select(PetitionParty.petition_id).join(Person).where(Person.citizen_id.in_(cccds))
    subtree = select(Unit.id).where(Unit.path.startswith(petition.unit.path))
    return [
        Petition.id != petition.id,
        Petition.id.in_(people),
        Petition.kind == petition.kind,
        Petition.subject_area_id == petition.subject_area_id,
        Petition.received_on <= petition.received_on,
        Petition.is_identity_confidential.is_(False),
        Petition.unit_id.in_(subtree),
    ]


def earlier_guided(petition: Petition) -> Petition | None:
    """The first earlier petition of the same matter on which the citizen was guided, or None."""
    conditions = same_matter(petition)
    if not conditions:
        return None
    return db.session.scalars(
        select(Petition)
        .where(*conditions, Petition.state == PetitionState.GUIDED)
        .order_by(Petition.received_on, Petition.id)
        .limit(1)
    ).first()


def decision_gate(petition: Petition, decision: PetitionState, lodging: Lodging | None = None) -> Gate | None:
    """The rule that forbids ``decision`` on ``petition`` (with ``lodging``, for an acceptance), or None."""
    if (
        decision is PetitionState.TRANSFERRED
        and petition.kind is PetitionKind.DENUNCIATION
        and petition.channel is Channel.TRANSFERRED
    ):
        return Gate(TRANSFERRED_ONCE)
    if decision is PetitionState.GUIDED and (earlier := earlier_guided(petition)) is not None:
        return Gate(GUIDED_ONCE, earlier=earlier)
    for check in _REGISTERED:
        gate = check(petition, decision, lodging)
        if gate is not None:
            return gate
    return None


def gates_of(petition: Petition) -> dict[PetitionState, Gate]:
    """The decisions a rule forbids on ``petition`` now, with the rule (the decision form warns of them)."""
    found = {}
    for decision in (d for d in PetitionState if d in petition.allowed_next()):
        gate = decision_gate(petition, decision)
        if gate is not None:
            found[decision] = gate
    return found
