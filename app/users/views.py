"""Login and logout, the keep-alive of a page being worked on, and the way back for a post that came too late."""

import time

from flask import Blueprint, current_app, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_login.utils import login_url

from ..core.urls import safe_next
from ..extensions import login_manager
from ..security import limiter
from . import drafts
from .forms import LoginForm
from .passwords import dummy_check
from .queries import user_by_username
from .sessions import log_in, log_out, record_failed_login, user_for_session

bp = Blueprint("users", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    # Only a cookie naming an open session of this (active) user logs in: a replayed cookie does not.
    return user_for_session(user_id, session.get("sid"))


@login_manager.unauthorized_handler
def unauthorized():
    """Not logged in: a form post keeps what was typed through the login page; anything else goes to it."""
    draft = drafts.capture()
    if draft is not None:
        return _login_page(LoginForm(formdata=None), draft), 401
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.full_path.rstrip("?")))


def lost_post():
    """A post whose CSRF token is stale or missing: show its form again (logging in first if need be)."""
    draft = drafts.capture()
    if request.endpoint == "users.login":
        flash(_("The login form expired. Please log in again."), "warning")
        return _login_page(LoginForm(formdata=None), drafts.decode(request.form.get("draft"))), 400
    if draft is None:
        return None
    if current_user.is_authenticated:
        return _restore_page(draft)
    return _login_page(LoginForm(formdata=None), draft), 401


def _login_page(form, draft: "drafts.Draft | None"):
    return render_template("users/login.html", form=form, draft=draft)


def _restore_page(draft: "drafts.Draft"):
    """A page that sends the draft back to its URL at once (a button without JavaScript)."""
    return render_template("users/restore.html", draft=draft)


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
    draft = drafts.decode(request.form.get("draft")) if request.method == "POST" else None
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
            if draft is not None:
                # A new session holds a new CSRF secret: the token Flask-WTF cached for this request
                # (the login form's) would not match it.
                g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
                return _restore_page(draft)
            return redirect(safe_next(request.args.get("next"), url_for("index")))
    return _login_page(form, draft)


@bp.get("/session/alive")
def session_alive():
    """How many seconds the login session has left; ``?touch=1`` (typing in a form) renews it first.

    A check (no ``touch``) does not count as activity: an open page left alone still ends its session.
    """
    if not current_user.is_authenticated:
        return jsonify(remaining=0), 401
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    now = int(time.time())
    if request.args.get("touch") == "1":
        session["seen"] = now
    seen = session.get("seen")
    remaining = idle - (now - seen) if isinstance(seen, int) else idle
    return jsonify(remaining=max(0, remaining), idle=idle)


@bp.post("/logout")
@login_required
def logout():
    log_out(current_user._get_current_object())
    flash(_("You have logged out."), "info")
    return redirect(url_for("users.login"))
