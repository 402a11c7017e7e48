"""Administration: the unit tree and the users of the administrator's own subtree."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..core.roles import Role, roles_required
from ..core.transaction import show_again
from ..core.validation import parse_id
from ..persons.divisions import wards_of
from ..units import operations as unit_ops
from ..units.queries import get_unit, unit_tree, units_in_scope
from ..users import operations as user_ops
from ..users.queries import get_user, search_users, user_counts_by_unit
from .forms import EndSessionsForm, UnitCreateForm, UnitEditForm, UserCreateForm, UserEditForm, UserFilterForm

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with(units: list, extra) -> list:
    """``units`` plus ``extra`` (e.g. a current parent that was deactivated) so the form can show it."""
    if extra is None or any(u.id == extra.id for u in units):
        return units
    return units + [extra]


# ---- units -------------------------------------------------------------------------------------------


@bp.get("/")
@bp.get("/units")
@roles_required(Role.ADMIN)
def units():
    return render_template(
        "admin/units.html", tree=unit_tree(current_user), user_counts=user_counts_by_unit(current_user)
    )


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_unit():
    form = UnitCreateForm(units=units_in_scope(current_user))
    if request.method == "GET":
        form.province_code.data = current_user.unit.province_code or current_app.config["DEFAULT_PROVINCE_CODE"]
        form.ward_code.choices = [form.ward_code.choices[0]] + wards_of(form.province_code.data)
        if (parent_id := parse_id(request.args.get("parent"))) in form.units_by_id:
            form.parent_id.data = parent_id

    def page():
        return render_template("admin/unit_form.html", form=form, unit=None)

    if form.validate_on_submit():
        show_again(page, form)
        unit = unit_ops.create_unit(code=form.code.data, **form.values())
        flash(_("Unit %(code)s was created.", code=unit.code), "success")
        return redirect(url_for(".units"))
    return page()


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_unit(unit_id: int):
    unit = get_unit(unit_id, current_user)
    own_unit = unit.id == current_user.unit_id
    form = UnitEditForm(
        obj=unit,
        unit=unit,
        own_unit=own_unit,
        units=_with(units_in_scope(current_user), None if own_unit else unit.parent),
    )

    def page():
        return render_template("admin/unit_form.html", form=form, unit=unit)

    if form.validate_on_submit():
        show_again(page, form)
        unit_ops.update_unit(unit, **form.values(), is_active=form.is_active.data, expected_version=form.version.data)
        flash(_("Unit %(code)s was saved.", code=unit.code), "success")
        return redirect(url_for(".units"))
    return page()


# ---- users -------------------------------------------------------------------------------------------


@bp.get("/users")
@roles_required(Role.ADMIN)
def users():
    scope = units_in_scope(current_user, active_only=False)
    form = UserFilterForm(request.args, units=scope)
    unit_id = form.unit.data if form.unit.data in {u.id for u in scope} else None
    page = search_users(
        current_user,
        unit_id=unit_id,
        q=form.q.data,
        page=parse_id(request.args.get("page"), max_digits=6) or 1,
        per_page=current_app.config["PAGE_SIZE"],
    )
    return render_template("admin/users.html", form=form, page=page)


@bp.route("/users/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_user():
    form = UserCreateForm(units=units_in_scope(current_user))
    if request.method == "GET" and (unit_id := parse_id(request.args.get("unit"))) in form.units_by_id:
        form.unit_id.data = unit_id

    def page():
        return render_template("admin/user_form.html", form=form, user=None)

    if form.validate_on_submit():
        show_again(page, form)
        user = user_ops.create_user(
            username=form.username.data,
            password=form.password.data,
            actor=current_user._get_current_object(),
            **form.values(),
        )
        flash(_("User %(name)s was created.", name=user.username), "success")
        return redirect(url_for(".users"))
    return page()


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_user(user_id: int):
    user = get_user(user_id, current_user)
    form = UserEditForm(obj=user, user=user, actor=current_user, units=_with(units_in_scope(current_user), user.unit))

    def page():
        return render_template(
            "admin/user_form.html",
            form=form,
            user=user,
            open_sessions=user_ops.open_session_count(user),
            end_form=EndSessionsForm(),
        )

    if form.validate_on_submit():
        show_again(page, form)
        user_ops.update_user(
            user,
            **form.values(),
            is_active=form.is_active.data,
            password=form.password.data or None,
            actor=current_user,
            expected_version=form.version.data,
        )
        flash(_("User %(name)s was saved.", name=user.username), "success")
        return redirect(url_for(".users"))
    return page()


@bp.post("/users/<int:user_id>/end-sessions")
@roles_required(Role.ADMIN)
def end_sessions(user_id: int):
    """Log a user out everywhere (a lost laptop, a shared password): their open sessions end now."""
    user = get_user(user_id, current_user)
    if not EndSessionsForm().validate_on_submit():
        abort(400)
    actor = current_user._get_current_object()
    ended = user_ops.end_sessions_by_admin(user, actor)
    flash(
        ngettext(
            "%(num)d open session of %(name)s was ended.",
            "%(num)d open sessions of %(name)s were ended.",
            ended,
            name=user.username,
        ),
        "success" if ended else "info",
    )
    return redirect(url_for(".edit_user", user_id=user.id))
