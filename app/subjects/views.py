"""The list of subject areas: administrators and inspectors read it; administrators of a top unit keep it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from ..core.roles import Role, roles_required
from ..core.transaction import show_again
from . import operations
from .forms import SubjectCreateForm, SubjectEditForm
from .models import SubjectArea
from .queries import all_subjects, get_subject

bp = Blueprint("subjects", __name__, url_prefix="/admin/subjects")

READERS = (Role.ADMIN, Role.INSPECTOR)


def _require_keeper() -> None:
    if not current_user.keeps_national_data:
        abort(403)


@bp.get("/")
@roles_required(*READERS)
def subjects() -> ResponseReturnValue:
    return render_template("subjects/list.html", subjects=all_subjects(), can_edit=current_user.keeps_national_data)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_subject() -> ResponseReturnValue:
    _require_keeper()
    form = SubjectCreateForm()

    def page() -> ResponseReturnValue:
        return render_template("subjects/form.html", form=form, area=None), 200 if request.method == "GET" else 422

    if form.validate_on_submit():
        show_again(page, form)
        area = operations.create_subject(current_user, code=form.code.data, **form.values())
        flash(_("Subject area %(name)s was created.", name=area.name), "success")
        return redirect(url_for(".subjects"))
    return page()


@bp.route("/<int:subject_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_subject(subject_id: int) -> ResponseReturnValue:
    _require_keeper()
    area: SubjectArea = get_subject(subject_id)
    form = SubjectEditForm(obj=area)
    if request.method == "GET":
        form.group.data = area.group.value
        form.version.data = area.version

    def page() -> ResponseReturnValue:
        return render_template("subjects/form.html", form=form, area=area), 200 if request.method == "GET" else 422

    if form.validate_on_submit():
        show_again(page, form)
        changes = operations.update_subject(area, current_user, expected_version=form.version.data, **form.values())
        if changes:
            flash(_("Subject area %(name)s was saved.", name=area.name), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return redirect(url_for(".subjects"))
    return page()
