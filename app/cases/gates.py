"""The petition gates that read cases, registered with the petitions' gates (petitions import no cases)."""

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from ..extensions import db
from ..petitions.models import Petition, PetitionKind, PetitionState
from ..petitions.procedure import Gate, Lodging, register_gate, same_matter
from .models import Case
from .procedure import ALREADY_RESOLVED


def finally_resolved_case(petition: Petition) -> tuple[Case, Petition] | None:
    """The earliest complaint case of the same matter as ``petition`` (petitions.procedure.same_matter) whose
    decision is in force (a first-instance decision that took legal effect, or a second-instance decision),
    and its petition that matched (not another petitioner's joined to it)."""
    conditions = same_matter(petition)
    if not conditions:
        return None
    matter = select(Petition.case_id).where(*conditions, Petition.case_id.is_not(None))
    case = db.session.scalars(
        select(Case)
        .where(
            Case.id.in_(matter),
            Case.kind == PetitionKind.COMPLAINT,
            or_(Case.legally_effective_on.is_not(None), and_(Case.instance == 2, Case.decision_on.is_not(None))),
        )
        .order_by(Case.decision_on, Case.id)
        .limit(1)
    ).first()
    if case is None:
        return None
    matched = db.session.scalars(
        select(Petition).where(*conditions, Petition.case_id == case.id).order_by(Petition.id).limit(1)
    ).one()
    return case, matched


def already_resolved_gate(petition: Petition, decision: PetitionState, lodging: Lodging | None) -> Gate | None:
    """ALREADY_RESOLVED if ``petition``, a complaint being accepted, raises a matter already finally resolved."""
    if decision is not PetitionState.ACCEPTED or petition.kind is not PetitionKind.COMPLAINT:
        return None
    found = finally_resolved_case(petition)
    if found is None:
        return None
    case, earlier = found
    return Gate(ALREADY_RESOLVED, earlier=earlier, detail=case_detail(case))


def case_detail(case: Case) -> str:
    """The earlier case and its decision, as the refusal names them."""
    text: str = _(
        "Case %(number)s, decision %(no)s of %(date)s.",
        number=case.number,
        no=case.decision_no or "—",
        date=case.decision_on.strftime("%d/%m/%Y") if case.decision_on else "—",
    )
    return text


def connect() -> None:
    """Register the gates (the app factory calls it; calling again is harmless)."""
    register_gate(already_resolved_gate)
