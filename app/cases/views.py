"""Case screens: the list, the detail with its timeline and action forms, the workflow actions, the caseload."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..core.errors import DomainError
from ..core.roles import Role, roles_required
from ..extensions import db
from ..petitions.models import PetitionKind
from ..units.queries import units_in_scope
from ..users.queries import handlers_for
from . import queries
from .forms import action_form
from .models import OPEN_STATES, CaseAction, CaseState, Complexity
from .operations import check_transition, perform

bp = Blueprint("cases", __name__, url_prefix="/cases")

#: Labels of timeline entries that are not workflow actions.
EVENT_LABELS = {"open": _l("Case opened (accepted)"), "join": _l("Petition joined to the case")}


def event_label(action: str) -> str:
    if action in CaseAction._value2member_map_:
        return CaseAction(action).label
    return str(EVENT_LABELS.get(action, action))


def state_label(value: str | None) -> str:
    if value in CaseState._value2member_map_:
        return CaseState(value).label
    return value or ""


@bp.get("/")
@login_required
def list_cases():
    filters = queries.parse_case_filters(request.args, current_user)
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and len(page) < 7 else 1
    pagination = queries.page_of_cases(current_user, filters, page, current_app.config["PAGE_SIZE"])
    return render_template(
        "cases/list.html", filters=filters, pagination=pagination, states=list(CaseState), open_value=queries.OPEN,
        kinds=list(PetitionKind), complexities=list(Complexity), units=units_in_scope(current_user),
        officers=handlers_for(current_user.unit),
    )


@bp.get("/<int:case_id>")
@login_required
def case_detail(case_id: int):
    case = queries.get_case(case_id, current_user)
    return _render_detail(case)


@bp.post("/<int:case_id>/<action>")
@login_required
def case_action(case_id: int, action: str):
    if action not in CaseAction._value2member_map_:
        abort(404)
    action = CaseAction(action)
    case = queries.get_case(case_id, current_user)
    back = url_for("cases.case_detail", case_id=case.id)
    try:
        check_transition(case, action, current_user)
    except DomainError as err:
        flash(str(err.message), "danger")
        return redirect(back)
    form = action_form(action, case, bound=True)
    if not form.validate_on_submit():
        return _render_detail(case, failed=(action, form)), 422
    try:
        perform(case, action, current_user, expected_version=form.version.data, note=form.note_value,
                **form.operation_fields())
    except DomainError as err:
        message = str(err.message)
        db.session.rollback()
        flash(message, "danger")
        return redirect(back)
    db.session.commit()
    flash(_("“%(action)s” was recorded on case %(number)s.", action=action.label, number=case.number), "success")
    return redirect(back)


def _render_detail(case, failed: tuple | None = None):
    """Render the detail page; ``failed`` is the (action, form) whose submission did not validate."""
    forms = {action: action_form(action, case) for action in case.available_actions(current_user)}
    if failed is not None:
        forms[failed[0]] = failed[1]
    return render_template(
        "cases/detail.html", case=case, forms=forms, failed_action=failed[0] if failed else None,
        children=queries.child_cases(case, current_user),
        parent_visible=queries.is_visible(case.parent_case_id, current_user),
        event_label=event_label, state_label=state_label,
    )


@bp.get("/caseload")
@roles_required(Role.HEAD, Role.INSPECTOR, Role.ADMIN)
def caseload():
    load = queries.caseload(current_user)
    open_states = [s for s in CaseState if s in OPEN_STATES and s is not CaseState.ACCEPTED]
    return render_template("cases/caseload.html", load=load, states=list(CaseState), kinds=list(PetitionKind),
                           officer_states=open_states, root=current_user.unit)
