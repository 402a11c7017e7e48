"""The petition page, shared by the blueprints whose forms are shown on it (petitions, privacy's reveal)."""

from typing import Any

from flask import render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from ..deadlines.queries import deadlines_of_petition
from ..flags.models import FlagSubject
from ..flags.queries import active_flags
from ..privacy import policy
from ..privacy.forms import RevealForm
from ..reception import corrections
from .forms import DECISIONS, DecisionForm, DuplicateForm, SitesForm, SplitForm
from .models import Petition, PetitionKind
from .procedure import Gate, gates_of


def _case_url(petition: Petition) -> str | None:
    """The link to the petition's case, if the cases blueprint offers a detail page."""
    if petition.case_id is None:
        return None
    try:
        return url_for("cases.case_detail", case_id=petition.case_id)
    except BuildError:
        return None


def render_detail(
    petition: Petition,
    decision_form: DecisionForm | None = None,
    duplicate_form: DuplicateForm | None = None,
    reveal_form: RevealForm | None = None,
    sites_form: SitesForm | None = None,
    split_form: SplitForm | None = None,
) -> str:
    """The petition page; a form given (after a failed submission) is shown with its errors."""
    user = current_user._get_current_object()
    if decision_form is None and petition.can_decide(user):
        decision_form = DecisionForm(petition, formdata=None)
    if duplicate_form is None and petition.can_mark_duplicate(user):
        duplicate_form = DuplicateForm(petition, formdata=None)
    if split_form is None and petition.can_decide(user):
        split_form = SplitForm(petition, formdata=None)
    if sites_form is None and petition.can_record_sites(user):
        sites_form = SitesForm(petition, formdata=None)
    if reveal_form is None and policy.can_reveal_identity(user, petition):
        reveal_form = RevealForm(formdata=None)
        reveal_form.next.data = request.args.get("next", "")[:300]  # e.g. back to the case (checked on use)
    gate_notes = _gate_notes(petition) if decision_form is not None else {}
    return render_template(
        "petitions/detail.html",
        petition=petition,
        case_url=_case_url(petition),
        decision_form=decision_form,
        duplicate_form=duplicate_form,
        reveal_form=reveal_form,
        sites_form=sites_form,
        split_form=split_form,
        parts=parts_of(petition, user),
        deadlines=deadlines_of_petition(petition),
        flags=active_flags(FlagSubject.PETITION, [petition.id]).get(petition.id, []),
        can_correct=corrections.can_correct_petition(user, petition),
        gate_notes=gate_notes,
        # A head may set a rule aside: a decision a rule forbids, and a complaint's acceptance (its period).
        override_for=sorted(set(gate_notes) | ({"accept"} if petition.kind is PetitionKind.COMPLAINT else set())),
    )


def parts_of(petition: Petition, user: object) -> dict[str, Any]:
    """The petition it was split from and its sibling parts, or its own parts; a confidential part is listed
    only to those who see the identity of the petition split (the parts name the same people)."""
    whole = petition.parent or (petition if petition.parts else None)
    if whole is None:
        return {}
    if not policy.shows_identity(user, petition):
        return {}  # a masked part lists nothing: its open siblings name the same people
    shown = policy.shows_identity(user, whole)
    parts = [p for p in whole.parts if shown or not p.is_identity_confidential]
    return {"whole": whole if (petition.parent is None or shown) else None, "parts": parts}


def _gate_notes(petition: Petition) -> dict[str, Gate]:
    """The decision form's choices that a legal rule forbids, with the rule (warned of beside the choice)."""
    gates = gates_of(petition)
    return {key: gates[state] for key, state in DECISIONS.items() if state in gates}
