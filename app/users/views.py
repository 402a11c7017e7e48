"""Login and logout."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.urls import safe_next
from ..extensions import login_manager
from ..security import limiter
from .forms import LoginForm
from .passwords import dummy_check
from .queries import user_by_username
from .sessions import log_in, log_out, record_failed_login, user_for_session

bp = Blueprint("users", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    # Only a cookie naming an open session of this (active) user logs in: a replayed cookie does not.
    return user_for_session(user_id, session.get("sid"))


def _account_key() -> str:
    """Throttling key of the account a login attempt is for (the name as typed, lower-cased)."""
    return "account:" + (request.form.get("username") or "").strip().lower()[:64]


def _ip_key() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _failed(_response) -> bool:
    """Count an attempt against the limits only when the password was checked and refused."""
    return bool(g.get("login_failed"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_IP"], key_func=_ip_key, methods=["POST"], deduct_when=_failed
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"], key_func=_account_key, methods=["POST"], deduct_when=_failed
)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_by_username(form.username.data)
        if user is None:
            dummy_check(form.password.data)  # as slow as a real check: timing does not reveal the name
            ok = False
        else:
            ok = user.check_password(form.password.data) and user.is_active
        if not ok:
            g.login_failed = True
            record_failed_login(user)
            flash(_("Wrong username or password."), "danger")
        else:
            assert user is not None, "ok is False when no user has the name"
            log_in(user)
            return redirect(safe_next(request.args.get("next"), url_for("index")))
    return render_template("users/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    log_out(current_user._get_current_object())
    flash(_("You have logged out."), "info")
    return redirect(url_for("users.login"))
