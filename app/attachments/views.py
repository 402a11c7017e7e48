"""Attachments: upload to a petition or case, download (never inline), mark removed; the panel's data."""

import logging
import os
from dataclasses import dataclass, field

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..cases.queries import get_case
from ..core.db import writes_on_get
from ..core.transaction import on_refusal, on_rollback
from ..petitions.queries import get_petition
from . import operations, queries, storage
from .filetypes import ACCEPT, ALLOWED_LIST, type_label
from .forms import RemoveForm, UploadForm
from .models import Attachment

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
log = logging.getLogger(__name__)

#: A download is never rendered: were a browser to open it anyway, it would run nothing and load nothing.
DOWNLOAD_CSP = "default-src 'none'; sandbox"
#: Headers of every download: never rendered or sniffed by the browser, never cached.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": DOWNLOAD_CSP,
    "Cache-Control": "no-store",
}


def security_headers(**options):
    """Per-view Flask-Talisman options (as ``@talisman(...)`` sets them), so its CSP does not replace ours."""

    def decorator(view):
        view.talisman_view_options = options
        return view

    return decorator


def human_size(size: int | None) -> str:
    """1234567 -> "1,2 MB" in Vietnamese, "1.2 MB" in English."""
    amount: float = size or 0  # bytes (an int), then KB, MB or GB (floats)
    if amount < 1024:
        return f"{amount} B"
    for unit in ("KB", "MB", "GB"):
        amount /= 1024
        if amount < 1024 or unit == "GB":
            return f"{format_decimal(round(amount, 1), format='#,##0.#')} {unit}"
    return ""  # pragma: no cover


@dataclass
class PanelItem:
    att: Attachment
    #: The owner's petitioner identity is confidential and not revealed to this user: no link.
    is_locked: bool
    can_remove: bool


@dataclass
class Panel:
    items: list[PanelItem] = field(default_factory=list)
    can_upload: bool = False
    upload_url: str | None = None
    form: UploadForm | None = None
    accept: str = ACCEPT
    allowed: str = ALLOWED_LIST


def attachment_panel(owner_petition=None, owner_case=None) -> Panel:
    """What templates/attachments/_panel.html shows for a petition or case the view already loaded (scoped)."""
    user = current_user._get_current_object()
    if not getattr(user, "is_authenticated", False) or (owner_petition is None and owner_case is None):
        return Panel()
    petition = owner_petition
    case = owner_case if owner_petition is None else None
    locked = queries.identity_locked(user, petition, case)
    items = [
        PanelItem(att, locked, queries.can_remove(user, att, petition, case))
        for att in queries.attachments_of(petition=petition, case=case)
    ]
    panel = Panel(items=items, can_upload=queries.can_upload(user, petition, case))
    if panel.can_upload:
        panel.form = UploadForm(formdata=None)
        if petition:
            panel.upload_url = url_for("attachments.upload_to_petition", petition_id=petition.id)
        else:
            assert case is not None, "a panel has a petition or a case (checked on entry)"
            panel.upload_url = url_for("attachments.upload_to_case", case_id=case.id)
    return panel


@bp.app_context_processor
def inject_panel():
    return {"attachment_panel": attachment_panel, "attachment_size": human_size, "attachment_type": type_label}


def _owner_url(petition, case) -> str:
    if petition is not None:
        return url_for("petitions.petition_detail", petition_id=petition.id) + "#attachments"
    return url_for("cases.case_detail", case_id=case.id) + "#attachments"


def _flash_form_errors(form) -> None:
    for errors in form.errors.values():
        for message in errors:
            flash(str(message), "danger")


@bp.post("/petition/<int:petition_id>")
@login_required
def upload_to_petition(petition_id: int):
    return _upload(petition=get_petition(petition_id, current_user))


@bp.post("/case/<int:case_id>")
@login_required
def upload_to_case(case_id: int):
    return _upload(case=get_case(case_id, current_user))


def _upload(petition=None, case=None):
    user = current_user._get_current_object()
    if not queries.can_upload(user, petition, case):
        abort(403)
    back = _owner_url(petition, case)
    form = UploadForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back)
    on_refusal(back)
    att = operations.upload_attachment(
        form.file.data, user, petition=petition, case=case, description=form.description.data
    )
    on_rollback(lambda: storage.discard(att.stored_name))  # a file no row records is not kept
    flash(_("The file “%(name)s” was attached.", name=att.original_name), "success")
    return redirect(back)


@bp.get("/<int:attachment_id>")
@writes_on_get
@security_headers(content_security_policy=DOWNLOAD_CSP)
@login_required
def download(attachment_id: int):
    user = current_user._get_current_object()
    att = queries.get_attachment(attachment_id, user)
    if att.is_removed:
        abort(404)
    petition, case = queries.owners_of(att)
    if queries.identity_locked(user, petition, case):
        message = _(
            "This file belongs to a petition whose petitioner's identity is confidential. "
            "Reveal the identity on the petition's page first (your reason is recorded), "
            "then download the file."
        )
        return render_template("errors/error.html", code=403, message=message), 403
    path = storage.path_of(att.stored_name)
    if not os.path.isfile(path):
        log.error("attachment %s: file %s is missing", att.id, att.stored_name)
        abort(404)
    operations.record_download(att, user)
    resp = send_file(
        path,
        mimetype=att.content_type,
        as_attachment=True,
        download_name=att.original_name,
        etag=False,
        max_age=None,
        conditional=False,
    )
    resp.headers.update(DOWNLOAD_HEADERS)
    return resp


@bp.post("/<int:attachment_id>/remove")
@login_required
def remove(attachment_id: int):
    user = current_user._get_current_object()
    att = queries.get_attachment(attachment_id, user)
    petition, case = queries.owners_of(att)
    back = _owner_url(petition, case)
    if att.is_removed:
        flash(_("This file has already been removed."), "warning")
        return redirect(back)
    if not queries.can_remove(user, att, petition, case):
        abort(403)
    form = RemoveForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back)
    on_refusal(back)
    operations.remove_attachment(att, user, form.reason.data)
    flash(_("The file was marked removed; it stays on record."), "success")
    return redirect(back)
