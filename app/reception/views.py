"""The reception desk: today's visits and the quick form that records a visit and its petition."""

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from ..cases import queries as case_queries
from ..cases.queries import case_by_number
from ..core.db import writes_on_get
from ..core.roles import Role, roles_required
from ..core.scope import get_or_404
from ..core.text import fold
from ..core.timeutil import local_today, to_local
from ..core.transaction import show_again
from ..core.validation import is_citizen_id, parse_id, parse_int
from ..persons.forms import MIN_BIRTH_YEAR
from ..petitions.operations import mark_duplicate
from ..petitions.queries import petition_by_receipt_no
from ..units.queries import units_in_scope
from ..users.queries import hosts_for
from . import corrections, operations, queries
from . import register as register_export
from .forms import VisitCorrectionForm, VisitForm
from .models import ReceptionKind, ReceptionOutcome, ReceptionSession
from .queries import page_of_register, parse_register_filters, register_rows, sessions_on, visible_sessions
from .register import MAX_REGISTER_ROWS

bp = Blueprint("reception", __name__, url_prefix="/reception")


def _render_desk(form: VisitForm, status: int = 200):
    today = local_today()
    sessions = sessions_on(current_user, today)
    earlier = case_queries.numbers_of((s.earlier_case_id for s in sessions), current_user)
    return render_template(
        "reception/desk.html", form=form, sessions=sessions, today=today, earlier_cases=earlier
    ), status


def _visit_form() -> VisitForm:
    return VisitForm(
        units_in_scope(current_user),
        default_unit=current_user.unit,
        hosts=hosts_for(current_user),
        default_host=current_user,
    )


@bp.get("/")
@roles_required(Role.RECEPTION, Role.HEAD)
def desk():
    return _render_desk(_visit_form())


@bp.post("/visits")
@roles_required(Role.RECEPTION, Role.HEAD)
def record_visit():
    form = _visit_form()
    if not form.validate_on_submit():
        if not form.restored:
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
    same_matter = None
    if form.same_matter_no.data and form.outcome.data == ReceptionOutcome.PETITION_RECEIVED:
        same_matter = petition_by_receipt_no(form.same_matter_no.data, current_user)
        if same_matter is None:
            form.same_matter_no.errors.append(_("No petition with this receipt number in your units."))
            flash(_("The visit was not saved: correct the fields marked below."), "danger")
            return _render_desk(form)
    _session, petition = operations.record_visit(
        unit=form.unit,
        actor=current_user._get_current_object(),
        earlier_case_id=earlier.id if earlier is not None else None,
        **form.visit_data(),
    )
    if petition is not None and same_matter is not None:
        mark_duplicate(petition, same_matter, current_user._get_current_object())  # "same matter" at the desk
    if petition is not None:
        flash(_("Visit recorded; petition %(no)s received.", no=petition.receipt_no), "success")
        return redirect(url_for("petitions.receipt", petition_id=petition.id))
    flash(_("Visit recorded."), "success")
    return redirect(url_for("reception.desk"))


def _register_context(filters):
    return dict(
        filters=filters,
        units=units_in_scope(current_user),
        hosts=hosts_for(current_user),
        kinds=ReceptionKind,
        outcomes=ReceptionOutcome,
        export_url=url_for("reception.export_register", **_filter_args()),
        print_url=url_for("reception.register", print=1, **_filter_args()),
        back_url=url_for("reception.register", **_filter_args()),
        can_correct_visit=lambda visit: corrections.can_correct_visit(current_user, visit),
    )


def _filter_args() -> dict[str, Any]:
    return {k: v for k, v in request.args.items() if k not in ("page", "after", "before", "print")}


@bp.get("/register")
@login_required
def register():
    """The reception register (sổ tiếp công dân): every visit of the user's units, filtered and searched;
    ``?print=1`` gives the whole selection in the register's layout, oldest first and numbered."""
    filters = parse_register_filters(request.args, current_user)
    if request.args.get("print") == "1":
        visits, total = register_rows(current_user, filters, MAX_REGISTER_ROWS)
        return render_template(
            "reception/register_print.html", visits=visits, total=total, **_register_context(filters)
        )
    page = page_of_register(
        current_user,
        filters,
        parse_id(request.args.get("page"), max_digits=6) or 1,
        int(current_app.config["PAGE_SIZE"]),
        current_app.config["LIST_COUNT_CAP"],
    )
    return render_template("reception/register.html", page=page, **_register_context(filters))


@bp.get("/register.xlsx")
@writes_on_get
@login_required
def export_register():
    """The register as an Excel workbook, with the page's filters (identities masked as on screen)."""
    filters = parse_register_filters(request.args, current_user)
    result = register_export.export_register(current_user._get_current_object(), filters)  # audited
    resp = send_file(
        result.content, mimetype=result.mimetype, as_attachment=True, download_name=result.filename, max_age=0
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/visits/<int:visit_id>/edit", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def edit_visit(visit_id: int):
    """Correct a saved visit (its visitors are corrected on their own page)."""
    visit = get_or_404(visible_sessions(current_user).where(ReceptionSession.id == visit_id))
    form = VisitCorrectionForm(obj=visit, hosts=hosts_for(current_user))
    if not form.is_submitted():
        form.received_at.data = to_local(visit.received_at).replace(tzinfo=None)

    def page():
        return render_template("reception/visit_edit.html", visit=visit, form=form)

    if form.validate_on_submit():
        show_again(page, form)
        changed = corrections.correct_visit(
            visit, current_user._get_current_object(), expected_version=form.version.data, **form.values()
        )
        flash(
            ngettext(
                "The visit was corrected (%(num)d field).", "The visit was corrected (%(num)d fields).", len(changed)
            ),
            "success",
        )
        return redirect(url_for("reception.register"))
    return page()


@bp.get("/history")
@roles_required(Role.RECEPTION, Role.HEAD)
def person_history():
    """The earlier visits and petitions of the citizen with a CCCD, or with a name and year of birth (one
    who gives no CCCD), in the user's units (a fragment of the desk page, loaded as they are typed:
    app/static/history.js)."""
    cccd = (request.args.get("cccd") or "").strip()
    name = " ".join((request.args.get("name") or "").split())[:200]
    year = parse_int(request.args.get("birth_year"))
    if is_citizen_id(cccd):
        history = queries.person_history(current_user, cccd)
        return render_template("reception/_history.html", history=history, cccd=cccd)
    if fold(name) and year is not None and MIN_BIRTH_YEAR <= year <= local_today().year:
        history = queries.person_history(current_user, name=name, birth_year=year)
        return render_template("reception/_history.html", history=history, cccd="", name=name, birth_year=year)
    return render_template("reception/_history.html", history=None, cccd=""), 400
