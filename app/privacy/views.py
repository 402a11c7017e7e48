"""The privacy blueprint: revealing a confidential identity, the reveal trail, permission administration.

It also gives every template the identity helpers (``shows_identity(petition)`` ...), so templates never
decide on their own whether a petitioner is shown.
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.roles import Role, roles_required
from ..core.transaction import on_refusal
from ..core.urls import safe_next
from ..petitions.pages import render_detail
from ..petitions.queries import get_petition
from ..units.queries import units_in_scope
from . import masking, operations, policy, queries
from .forms import PermissionForm, RevealForm
from .models import Permission

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

#: Roles that may read the reveal trail of a petition they can see.
TRAIL_ROLES = (Role.HEAD, Role.INSPECTOR, Role.ADMIN)


def _user():
    return current_user._get_current_object() if current_user.is_authenticated else None


def may_read_reveals(petition) -> bool:
    user = _user()
    return user is not None and petition.is_identity_confidential and user.has_any_role(*TRAIL_ROLES)


@bp.app_context_processor
def identity_helpers():
    """Template globals: whether a petition's (or a visit's) people are shown now, and the masks."""
    return {
        "shows_identity": lambda petition: policy.shows_identity(_user(), petition),
        "shows_identity_on_receipt": lambda petition: policy.shows_identity_on_receipt(_user(), petition),
        "session_shows_identity": lambda visit: masking.session_shows_identity(_user(), visit),
        "may_read_reveals": may_read_reveals,
        "can_reveal_identity": lambda petition: policy.can_reveal_identity(_user(), petition),
        "identity_mask": masking.identity_mask,
        "visitors_mask": masking.visitors_mask,
    }


@bp.post("/petitions/<int:petition_id>/reveal")
@login_required
def reveal(petition_id: int):
    petition = get_petition(petition_id, current_user)
    user = current_user._get_current_object()
    back = url_for("petitions.petition_detail", petition_id=petition.id)
    if not petition.is_identity_confidential:
        flash(_("This petitioner's identity is not confidential."), "info")
        return redirect(back)
    if not policy.can_view_identity(user, petition):
        abort(403)
    form = RevealForm()
    if not form.validate_on_submit():
        if not form.restored:
            flash(_("The identity was not revealed: correct the fields marked below."), "danger")
        return render_detail(petition, reveal_form=form)
    if not session.get("sid"):
        flash(_("Your login session cannot hold a revealed identity: log out and log in again."), "danger")
        return redirect(back)
    on_refusal(back)
    operations.reveal_identity(petition, user, form.reason.data)
    flash(
        _(
            "The identity is shown for %(n)d minutes in this login session. Your reason was recorded.",
            n=int(current_app.config["IDENTITY_REVEAL_MINUTES"]),
        ),
        "success",
    )
    return redirect(safe_next(form.next.data, back))


@bp.get("/petitions/<int:petition_id>/reveals")
@roles_required(*TRAIL_ROLES)
def reveals(petition_id: int):
    petition = get_petition(petition_id, current_user)
    return render_template("privacy/reveals.html", petition=petition, events=queries.reveals_of(petition))


@bp.get("/permissions")
@roles_required(Role.ADMIN)
def permissions():
    user = current_user._get_current_object()
    return render_template(
        "privacy/permissions.html",
        grants=queries.grants_for(user),
        form=PermissionForm(units_in_scope(user)),
        roles=list(Role),
        permissions=list(Permission),
    )


@bp.post("/permissions/<any(grant, revoke):action>")
@roles_required(Role.ADMIN)
def change_permission(action: str):
    user = current_user._get_current_object()
    form = PermissionForm(units_in_scope(user, active_only=False))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "danger")
        return redirect(url_for("privacy.permissions"))
    change = operations.grant_permission if action == "grant" else operations.revoke_permission
    role, permission, unit = Role(form.role.data), Permission(form.permission.data), form.unit
    on_refusal(url_for("privacy.permissions"))
    change(role, permission, unit, user)
    if action == "grant":
        flash(
            _(
                "%(role)s of %(unit)s and the units below it may now: %(permission)s.",
                role=role.label,
                unit=unit.name,
                permission=permission.label,
            ),
            "success",
        )
    else:
        flash(
            _(
                "%(role)s of %(unit)s and the units below it may no longer: %(permission)s.",
                role=role.label,
                unit=unit.name,
                permission=permission.label,
            ),
            "success",
        )
    return redirect(url_for("privacy.permissions"))
