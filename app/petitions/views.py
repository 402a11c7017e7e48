"""Petitions: the register (list and search), registering one, its detail, receipt slip and decision."""

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement

from ..cases import queries as case_queries
from ..cases.operations import accept_petition
from ..cases.queries import case_by_number
from ..core.db import writes_on_get
from ..core.errors import DomainError
from ..core.locking import STALE_MESSAGE
from ..core.roles import Role, login_required, roles_required
from ..core.timeutil import local_today
from ..core.transaction import is_stale, on_refusal, show_again
from ..deadlines import queries as deadline_queries
from ..documents.content import answer_by, letterhead, place_date
from ..flags.models import FlagSubject
from ..flags.queries import active_flags
from ..reception import corrections
from ..subjects.models import SubjectGroup
from ..subjects.queries import all_subjects
from ..units.queries import units_in_scope
from . import operations
from .export import export_petitions
from .forms import DecisionForm, DuplicateForm, PetitionCorrectionForm, PetitionForm, SitesForm, SplitForm
from .models import Channel, Petition, PetitionKind, PetitionState
from .pages import render_detail
from .queries import (
    PetitionFilters,
    get_petition,
    page_of_petitions,
    parse_petition_filters,
    petition_by_receipt_no,
    petitions_in_order,
)

bp = Blueprint("petitions", __name__, url_prefix="/petitions")


def _stale_message() -> str:
    return str(STALE_MESSAGE)


@bp.get("/")
@login_required
def list_petitions() -> ResponseReturnValue:
    filters = parse_petition_filters(request.args, current_user)
    today = local_today()
    until = deadline_queries.due_soon_threshold(today)
    if request.args.get("print") == "1":
        return _print_register(filters, today, until)
    page = page_of_petitions(
        current_user,
        filters,
        request.args,
        int(current_app.config["PAGE_SIZE"]),
        current_app.config["LIST_COUNT_CAP"],
        extra=_deadline_conditions(filters, today, until),
    )
    filters.warnings.extend(page.warnings)
    # The list's filters for its export and its printed register (never a paging or print argument).
    export_args: dict[str, Any] = {
        k: v for k, v in request.args.items() if k not in ("page", "after", "before", "print")
    }
    export_url = url_for("petitions.export", **export_args)
    print_url = url_for("petitions.list_petitions", print=1, **export_args)
    return render_template(
        "petitions/list.html",
        page=page,
        filters=filters,
        units=units_in_scope(current_user),
        kinds=PetitionKind,
        states=PetitionState,
        channels=Channel,
        visible_cases=case_queries.visible_ids((p.case_id for p in page.items), current_user),
        subjects=all_subjects(),
        subject_groups=list(SubjectGroup),
        export_url=export_url,
        print_url=print_url,
        deadline_filters=deadline_queries.DEADLINE_FILTERS,
        nearest_due=deadline_queries.nearest_petition_due(p.id for p in page.items),
        deadline_status=lambda due: deadline_queries.deadline_status(due, today, until),
        flags=active_flags(FlagSubject.PETITION, (p.id for p in page.items)),
        today=today,
    )


#: At most this many petitions are printed at once (the page says so when more matched).
MAX_PRINTED = 2_000


def _print_register(filters: PetitionFilters, today: date, until: date) -> str:
    """The petition register (sổ theo dõi đơn) as printed: the list's selection, oldest first, numbered."""
    petitions, truncated = petitions_in_order(
        current_user, filters, MAX_PRINTED, _deadline_conditions(filters, today, until)
    )
    args: dict[str, Any] = {k: v for k, v in request.args.items() if k not in ("page", "after", "before", "print")}
    return render_template(
        "petitions/register_print.html",
        petitions=petitions,
        truncated=truncated,
        filters=filters,
        back_url=url_for("petitions.list_petitions", **args),
    )


def _deadline_conditions(filters: PetitionFilters, today: date, until: date) -> list[ColumnElement[bool]]:
    """The deadline filter of the list (and its export), which reads the petitions' clocks."""
    if not filters.deadline:
        return []
    return [Petition.id.in_(deadline_queries.petitions_with_deadline(filters.deadline, today, until))]


@bp.get("/export.xlsx")
@writes_on_get
@login_required
def export() -> ResponseReturnValue:
    """The register as an Excel workbook, with the list's filters (identities masked as on screen)."""
    filters = parse_petition_filters(request.args, current_user)
    today = local_today()
    extra = _deadline_conditions(filters, today, deadline_queries.due_soon_threshold(today))
    result = export_petitions(current_user._get_current_object(), filters, extra)  # audited: the request commits it
    resp = send_file(
        result.content, mimetype=result.mimetype, as_attachment=True, download_name=result.filename, max_age=0
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def new_petition() -> ResponseReturnValue:
    form = PetitionForm(units_in_scope(current_user), default_unit=current_user.unit)

    def page() -> str:
        return render_template("petitions/new.html", form=form)

    if form.validate_on_submit():
        show_again(page)
        unit = form.unit
        assert unit is not None, "validate_unit_id keeps unit_id among the form's units"
        petition = operations.register_petition(
            unit=unit, actor=current_user._get_current_object(), **form.petition_data()
        )
        flash(_("Petition %(no)s registered.", no=petition.receipt_no), "success")
        return redirect(url_for("petitions.petition_detail", petition_id=petition.id))
    if form.is_submitted() and not form.restored:
        flash(_("The petition was not saved: correct the fields marked below."), "danger")
    return page()


@bp.get("/<int:petition_id>")
@login_required
def petition_detail(petition_id: int) -> ResponseReturnValue:
    return render_detail(get_petition(petition_id, current_user))


@bp.get("/<int:petition_id>/receipt")
@login_required
def receipt(petition_id: int) -> ResponseReturnValue:
    """The receipt slip handed over at the desk (A5); the receipt as a document (Word, PDF, on the timeline)
    is issued from the petition's documents panel."""
    petition = get_petition(petition_id, current_user)
    head = letterhead(petition.unit)
    return render_template(
        "petitions/receipt.html",
        petition=petition,
        place_date=place_date(head.place, petition.received_on),
        answer_by=answer_by(petition),
    )


def _refuse(petition_id: int, message: str) -> str:
    """Show the petition's page (reloaded) with ``message``."""
    flash(message, "danger")
    return render_detail(get_petition(petition_id, current_user))


def _show_refusal(petition_id: int, **forms: Any) -> None:
    """Answer a refusal with the petition's page: the message and the submitted form; a stale save without it."""

    def answer(err: DomainError) -> ResponseReturnValue:
        if is_stale(err):
            return _refuse(petition_id, _stale_message())
        flash(str(err.message), "danger")
        return render_detail(get_petition(petition_id, current_user), **forms)

    on_refusal(answer)


@bp.post("/<int:petition_id>/decide")
@roles_required(Role.RECEPTION, Role.HEAD)
def decide(petition_id: int) -> ResponseReturnValue:
    petition = get_petition(petition_id, current_user)
    user = current_user._get_current_object()
    form = DecisionForm(petition)
    if petition.state is not PetitionState.RECEIVED:
        return _refuse(petition_id, _("This petition has already been processed."))
    if not form.validate_on_submit():
        if not form.restored:
            flash(_("The decision was not saved: correct the fields marked below."), "danger")
        return render_detail(petition, decision_form=form)
    linked = {}
    if form.chosen is PetitionState.ACCEPTED:
        for name, field in (("join_case", form.join_case_no), ("appeal_of", form.appeal_of_case_no)):
            if field.data:
                linked[name] = case_by_number(field.data, current_user)
                if linked[name] is None:
                    field.errors.append(_("No case with this number in your units."))
                    return render_detail(petition, decision_form=form)
    _show_refusal(petition_id, decision_form=form)
    data = form.decision_data(**linked)
    if data.pop("decision") is PetitionState.ACCEPTED:
        accept_petition(petition, user, **data)  # a case opens (or the petition joins one)
    else:
        chosen = form.chosen
        assert chosen is not None, "a validated decision is one of DECISIONS"
        operations.decide_petition(petition, user, chosen, on=local_today(), **data)
    flash(_("Decision recorded: %(state)s.", state=petition.state.label), "success")
    return redirect(url_for("petitions.petition_detail", petition_id=petition.id))


@bp.post("/<int:petition_id>/split")
@roles_required(Role.RECEPTION, Role.HEAD)
def split(petition_id: int) -> ResponseReturnValue:
    """Split a petition of several contents into one petition per content."""
    petition = get_petition(petition_id, current_user)
    user = current_user._get_current_object()
    if not petition.can_decide(user):
        return _refuse(petition_id, _("This petition has already been processed."))
    form = SplitForm(petition)
    if not form.validate_on_submit():
        return render_detail(petition, split_form=form)
    _show_refusal(petition_id, split_form=form)
    parts = operations.split_petition(
        petition, user, form.parts_data(), expected_version=form.version.data, on=local_today()
    )
    flash(
        _("Split into %(parts)s.", parts=", ".join(p.receipt_no for p in parts)),
        "success",
    )
    return redirect(url_for("petitions.petition_detail", petition_id=petition.id))


@bp.post("/<int:petition_id>/sites")
@roles_required(Role.RECEPTION, Role.HEAD)
def record_sites(petition_id: int) -> ResponseReturnValue:
    petition = get_petition(petition_id, current_user)
    user = current_user._get_current_object()
    if not petition.can_record_sites(user):
        abort(403)
    form = SitesForm(petition)
    if not form.validate_on_submit():
        return render_detail(petition, sites_form=form)
    _show_refusal(petition_id, sites_form=form)
    sites = form.sites.data
    assert sites is not None, "InputRequired keeps the number of sites"
    if operations.record_sites(petition, user, sites, expected_version=form.version.data):
        flash(_("Sites to verify recorded: %(n)d. The deadlines follow.", n=petition.sites), "success")
    else:
        flash(_("Nothing was changed."), "info")
    return redirect(url_for("petitions.petition_detail", petition_id=petition.id))


@bp.post("/<int:petition_id>/duplicate")
@roles_required(Role.RECEPTION, Role.HEAD)
def mark_duplicate(petition_id: int) -> ResponseReturnValue:
    petition = get_petition(petition_id, current_user)
    user = current_user._get_current_object()
    if not petition.can_mark_duplicate(user):
        abort(403)
    form = DuplicateForm(petition)
    if not form.validate_on_submit():
        return render_detail(petition, duplicate_form=form)
    original = petition_by_receipt_no(form.original_receipt_no.data, current_user)
    if original is None:
        form.original_receipt_no.errors.append(_("No petition with this receipt number in your units."))
        return render_detail(petition, duplicate_form=form)

    def answer(err: DomainError) -> ResponseReturnValue:
        if is_stale(err):
            return _refuse(petition_id, _stale_message())
        form.original_receipt_no.errors.append(str(err.message))  # the refusal is about the number typed
        return render_detail(get_petition(petition_id, current_user), duplicate_form=form)

    on_refusal(answer)
    operations.link_duplicate(petition, original, user, expected_version=form.version.data)
    flash(_("Marked as a duplicate of %(no)s.", no=original.receipt_no), "success")
    return redirect(url_for("petitions.petition_detail", petition_id=petition.id))


@bp.route("/<int:petition_id>/edit", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def edit_petition(petition_id: int) -> ResponseReturnValue:
    """Correct a petition's summary, content, sender, signatories or subject area."""
    petition = get_petition(petition_id, current_user)
    if not corrections.can_correct_petition(current_user, petition):
        abort(403)
    form = PetitionCorrectionForm(petition)
    locked = corrections.decided_fields_locked(petition)

    def page() -> str:
        return render_template("petitions/edit.html", petition=petition, form=form, locked=locked)

    if form.validate_on_submit():
        show_again(page, form)
        corrections.correct_petition(
            petition, current_user._get_current_object(), expected_version=form.version.data, **form.values()
        )
        flash(_("Petition %(no)s was corrected.", no=petition.receipt_no), "success")
        return redirect(url_for("petitions.petition_detail", petition_id=petition.id))
    return page()
