"""The mediation blueprint: the unit's mediation records, a new record, and the link to a later petition."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..core.roles import Role, login_required, roles_required
from ..core.timeutil import local_today
from ..core.transaction import show_again
from ..petitions.queries import petition_by_receipt_no
from ..privacy.policy import shows_identity
from ..units.queries import units_in_scope
from . import operations, queries
from .forms import LinkForm, MediationForm
from .models import MediationRecord

bp = Blueprint("mediation", __name__, url_prefix="/mediation")


@bp.app_context_processor
def inject_mediations():
    """Give templates ``mediations_of(petition)``: the petition page shows the mediations linked to it."""

    def mediations_of(petition) -> list[MediationRecord]:
        # A masked petition shows no mediation: the record names the parties.
        if not current_user or not current_user.is_authenticated or not shows_identity(current_user, petition):
            return []
        return queries.mediations_of(petition.id, current_user)

    return {"mediations_of": mediations_of}


def petition_shown(item: MediationRecord) -> bool:
    """The record's petition is linked on its pages: in the user's units, and its petitioners shown (a
    petition split later, with a confidential part, is masked: the record names the parties)."""
    petition = item.petition
    return petition is not None and current_user.oversees(petition.unit) and shows_identity(current_user, petition)


@bp.get("/")
@login_required
def list_mediations() -> ResponseReturnValue:
    page = queries.page_of_mediations(
        current_user,
        queries.page_arg(request.args),
        int(current_app.config["PAGE_SIZE"]),
        current_app.config["LIST_COUNT_CAP"],
    )
    return render_template(
        "mediation/list.html", page=page, can_record=operations.can_record(current_user), petition_shown=petition_shown
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def new_mediation() -> ResponseReturnValue:
    form = MediationForm(units_in_scope(current_user), default_unit=current_user.unit)

    def page() -> ResponseReturnValue:
        return render_template("mediation/new.html", form=form), 200 if request.method == "GET" else 422

    if form.validate_on_submit():
        show_again(page, form)
        item = operations.record_mediation(current_user, today=local_today(), **form.values())
        flash(_("The mediation was recorded."), "success")
        return redirect(url_for(".mediation_detail", item_id=item.id))
    return page()


def _detail(item: MediationRecord, form: LinkForm | None = None, status: int = 200) -> ResponseReturnValue:
    if form is None and item.can_edit(current_user) and item.petition_id is None:
        form = LinkForm(formdata=None)
        form.version.data = item.version
    return render_template("mediation/detail.html", item=item, form=form, petition_shown=petition_shown), status


@bp.get("/<int:item_id>")
@login_required
def mediation_detail(item_id: int) -> ResponseReturnValue:
    return _detail(queries.get_mediation(item_id, current_user))


@bp.post("/<int:item_id>/link")
@roles_required(Role.RECEPTION, Role.HEAD)
def link(item_id: int) -> ResponseReturnValue:
    item = queries.get_mediation(item_id, current_user)
    if not item.can_edit(current_user):
        abort(403)
    form = LinkForm()
    if not form.validate_on_submit():
        return _detail(item, form, 422)
    petition = petition_by_receipt_no(form.receipt_no.data, current_user)
    if petition is None:
        form.receipt_no.errors.append(_("No petition with this receipt number in your units."))
        return _detail(item, form, 422)
    show_again(lambda: _detail(queries.get_mediation(item_id, current_user), form, 422), form)
    operations.link_petition(item, petition, current_user, expected_version=form.version.data)
    flash(_("Linked to petition %(no)s.", no=petition.receipt_no), "success")
    return redirect(url_for(".mediation_detail", item_id=item.id))
