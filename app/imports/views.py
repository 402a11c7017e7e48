"""The import screen: upload a register workbook, map its columns, check every row, then import."""

import io
import re
import secrets
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..core.roles import Role, roles_required
from ..core.transaction import show_again
from ..units.queries import units_in_scope
from .forms import ImportUploadForm, mapping_form
from .registers import REGISTERS
from .workbook import PREVIEW_ROWS, guess_mapping, read_sheet

bp = Blueprint("imports", __name__, url_prefix="/reception/import")

#: The uploads waiting for their mapping, by token, in the uploader's own login session.
SESSION_KEY = "imports"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORTS_DIR") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _upload(token: str) -> tuple[Path, dict]:
    """The stored workbook of one of this session's uploads (404 for any other token)."""
    uploads = session.get(SESSION_KEY) or {}
    if not _TOKEN.match(token) or token not in uploads or uploads[token].get("register", "visits") not in REGISTERS:
        abort(404)
    path = _folder() / f"{token}.xlsx"
    if not path.exists():
        abort(404)
    return path, uploads[token]


@bp.route("/", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def new_import():
    form = ImportUploadForm(units_in_scope(current_user), default_unit=current_user.unit)
    if not form.is_submitted() and request.args.get("register") in REGISTERS:
        form.register.data = request.args["register"]

    def page():
        return render_template("imports/new.html", form=form)

    if form.validate_on_submit():
        show_again(page, form)
        data = form.file.data.read()
        register = REGISTERS[form.register.data]
        # Refused here if it is not a workbook.
        sheet = read_sheet(io.BytesIO(data), form.file.data.filename, register.fields)
        token = secrets.token_urlsafe(24)
        (_folder() / f"{token}.xlsx").write_bytes(data)
        uploads = dict(session.get(SESSION_KEY) or {})
        unit = form.unit
        assert unit is not None, "validate_unit_id keeps unit_id among the form's units"
        uploads[token] = {"unit_id": unit.id, "filename": sheet.filename, "register": register.name}
        session[SESSION_KEY] = uploads
        return redirect(url_for("imports.edit_import", token=token))
    return page()


@bp.route("/<token>", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def edit_import(token: str):
    path, info = _upload(token)
    register = REGISTERS[info.get("register", "visits")]
    unit = next((u for u in units_in_scope(current_user) if u.id == info["unit_id"]), None)
    if unit is None:
        abort(404)
    with path.open("rb") as stream:
        sheet = read_sheet(stream, info["filename"], register.fields)
    form = mapping_form(register.name)(sheet.headers)
    if not form.is_submitted():
        for name, col in guess_mapping(sheet.headers, register.fields).items():
            getattr(form, name).data = -1 if col is None else col
    plan = None

    def page():
        return render_template(
            "imports/mapping.html",
            form=form,
            sheet=sheet,
            unit=unit,
            preview=sheet.rows[:PREVIEW_ROWS],
            plan=plan,
            register=register,
        )

    if form.validate_on_submit():
        show_again(page, form)
        actor = current_user._get_current_object()
        plan = register.plan(sheet, form.mapping(), unit, actor)  # a refusal: the page again
        if request.form.get("action") == "import" and plan.ok:
            n = register.run(plan, unit, actor)
            path.unlink(missing_ok=True)
            uploads = dict(session.get(SESSION_KEY) or {})
            uploads.pop(token, None)
            session[SESSION_KEY] = uploads
            if register.name == "petitions":
                flash(
                    _(
                        "%(n)d petitions imported into the register of %(unit)s (%(already)d were imported before).",
                        n=n,
                        unit=unit.code,
                        already=len(plan.already),
                    ),
                    "success",
                )
                return redirect(url_for("petitions.list_petitions", unit=unit.id))
            flash(
                _(
                    "%(n)d visits imported into the register of %(unit)s (%(already)d were imported before).",
                    n=n,
                    unit=unit.code,
                    already=len(plan.already),
                ),
                "success",
            )
            return redirect(url_for("reception.register", unit=unit.id))
    return page()
