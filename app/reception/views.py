"""The reception desk: today's visits and the quick form that records a visit and its petition."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..cases import queries as case_queries
from ..cases.queries import case_by_number
from ..core.roles import Role, roles_required
from ..core.timeutil import local_today
from ..core.transaction import show_again
from ..units.queries import units_in_scope
from . import operations
from .forms import VisitForm
from .queries import sessions_on

bp = Blueprint("reception", __name__, url_prefix="/reception")


def _render_desk(form: VisitForm, status: int = 200):
    today = local_today()
    sessions = sessions_on(current_user, today)
    earlier = case_queries.numbers_of((s.earlier_case_id for s in sessions), current_user)
    return render_template(
        "reception/desk.html", form=form, sessions=sessions, today=today, earlier_cases=earlier
    ), status


def _visit_form() -> VisitForm:
    return VisitForm(units_in_scope(current_user), default_unit=current_user.unit)


@bp.get("/")
@roles_required(Role.RECEPTION, Role.HEAD)
def desk():
    return _render_desk(_visit_form())


@bp.post("/visits")
@roles_required(Role.RECEPTION, Role.HEAD)
def record_visit():
    form = _visit_form()
    if not form.validate_on_submit():
        flash(_("The visit was not saved: correct the fields marked below."), "danger")
        return _render_desk(form)
    earlier = None
    if form.refused_as_resolved:
        earlier = case_by_number(form.earlier_case_no.data, current_user)
        if earlier is None:
            form.earlier_case_no.errors.append(_("No case with this number in your units."))
        elif not earlier.is_finally_resolved:
            form.earlier_case_no.errors.append(
                _("Case %(number)s has no decision in force: the matter is not resolved yet.", number=earlier.number)
            )
        if form.earlier_case_no.errors:
            flash(_("The visit was not saved: correct the fields marked below."), "danger")
            return _render_desk(form)
    show_again(lambda: _render_desk(form))
    _session, petition = operations.record_visit(
        unit=form.unit,
        actor=current_user._get_current_object(),
        earlier_case_id=earlier.id if earlier is not None else None,
        **form.visit_data(),
    )
    if petition is not None:
        flash(_("Visit recorded; petition %(no)s received.", no=petition.receipt_no), "success")
        return redirect(url_for("petitions.receipt", petition_id=petition.id))
    flash(_("Visit recorded."), "success")
    return redirect(url_for("reception.desk"))
