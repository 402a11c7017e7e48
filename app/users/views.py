"""Login and logout."""
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, login_manager
from .forms import LoginForm
from .models import User
from .queries import user_by_username

bp = Blueprint("users", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = user_by_username(form.username.data)
        if user is None or not user.is_active or not user.check_password(form.password.data):
            flash(_("Wrong username or password."), "danger")
        else:
            locale = session.get("locale")
            session.clear()  # a fresh session at login
            if locale:
                session["locale"] = locale
            login_user(user, remember=form.remember.data)
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("index")
            return redirect(target)
    return render_template("users/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have logged out."), "info")
    return redirect(url_for("users.login"))
