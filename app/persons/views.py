"""Address look-ups for the person fields of the forms, and the correction of a citizen's details."""

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.roles import Role, roles_required
from ..core.transaction import show_again
from ..core.urls import safe_next
from ..core.validation import parse_id
from ..reception import corrections
from . import divisions
from .forms import PersonCorrectionForm

bp = Blueprint("persons", __name__, url_prefix="/persons")


@bp.get("/wards")
@login_required
def wards():
    """The communes and wards of one province, as JSON, for app/static/address.js."""
    raw = request.args.get("province", "")
    code = parse_id(raw)
    if code is None or divisions.province_name(code) is None:
        return jsonify(error=_("Unknown province code."), wards=[]), 400
    return jsonify(province=code, wards=[{"code": c, "name": n} for c, n in divisions.wards_of(code)])


@bp.route("/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def edit_person(person_id: int):
    """Correct a citizen's name, CCCD, phone or address on every record of the unit they appear on."""
    person = corrections.person_in_scope(person_id, current_user)
    if person is None:
        abort(404)
    back = safe_next(request.values.get("next"), url_for("reception.register"))
    refusal = corrections.correction_refusal(current_user, person)
    form = PersonCorrectionForm(obj=person)

    def page():
        return render_template(
            "persons/edit.html",
            person=person,
            form=form,
            back=back,
            refusal=refusal,
            petitions=corrections.petitions_of(person),
            visits=corrections.visits_of(person),
        )

    if refusal is None and form.validate_on_submit():
        show_again(page, form)
        changed = corrections.correct_person(
            person, current_user._get_current_object(), expected_version=form.version.data, **form.values()
        )
        fields = ", ".join(str(form[name].label.text) for name in changed)  # the form's own labels
        flash(
            _("The details of %(name)s were corrected: %(fields)s.", name=person.full_name, fields=fields),
            "success",
        )
        return redirect(back)
    return page()
