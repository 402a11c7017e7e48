"""Issuing a document from a petition's or a case's page, its print page, DOCX and PDF, the redaction's
sign-off, and a unit's letterhead and DOCX templates (administrators)."""

import io
import re
import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..cases.models import Case
from ..cases.queries import get_case
from ..core.roles import Role, roles_required
from ..core.timeutil import local_today
from ..core.transaction import show_again
from ..petitions.models import Petition
from ..petitions.queries import get_petition
from ..units.queries import units_in_scope
from . import operations
from .content import PLACEHOLDERS, draft, letterhead, must_redact, subject_petition
from .forms import IssueForm, SettingsForm, SignOffForm, TemplateUploadForm
from .kinds import KINDS, DocumentKind, Recipient
from .models import DocumentState, IssuedDocument
from .policy import can_issue, can_read, can_sign_off
from .queries import current_templates, document_by_id, documents_panel, settings_of, template_in_scope, unit_template
from .render import TemplateFailed, default_template, docx, html, pdf

bp = Blueprint("documents", __name__, url_prefix="/documents")

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def _kind(code: str, subject: str) -> DocumentKind:
    kind = KINDS.get(code)
    if kind is None or kind.subject != subject:
        abort(404)
    return kind


def _subject_url(subject: Petition | Case) -> str:
    if isinstance(subject, Petition):
        return url_for("petitions.petition_detail", petition_id=subject.id)
    return url_for("cases.case_detail", case_id=subject.id)


def _issue(kind: DocumentKind, subject: Petition | Case) -> ResponseReturnValue:
    user = current_user._get_current_object()
    if not can_issue(kind, subject, user):
        abort(403)
    form = IssueForm()
    head = letterhead(subject_petition(subject).unit)
    if not form.is_submitted():
        form.form_token.data = secrets.token_urlsafe(24)
        today = local_today()
        proposed = draft(kind, subject, today, head)
        form.issued_on.data = today
        form.addressee.data = proposed.addressee
        form.recipient.data = _recipient(kind, subject, proposed.addressee)
        form.body.data = "\n\n".join(p for p in proposed.paragraphs if p)
        form.recipients.data = "\n".join(proposed.recipients)
        form.signer_authority.data = head.signer_authority
        form.signer_title.data = head.signer_title
        form.signer_name.data = head.signer_name
        if kind.code == "receipt":  # the receiving officer signs the receipt, in their own name
            with force_locale(current_app.config["DOCUMENT_LOCALE"]):
                form.signer_title.data = _("RECEIVING OFFICER")
            form.signer_authority.data = ""
            form.signer_name.data = user.full_name
    redact = must_redact(kind, subject)

    def page() -> str:
        return render_template(
            "documents/new.html", form=form, kind=kind, subject=subject, redact=redact, back=_subject_url(subject)
        )

    if form.validate_on_submit():
        show_again(page, form)
        document = operations.issue_document(
            kind,
            subject,
            user,
            on=form.issued_on.data,
            recipient=form.recipient.data,
            addressee=form.addressee.data or "",
            body=form.body.data,
            recipients=form.recipients.data or "",
            enclosures=(form.enclosures.data or "") if kind.has_enclosures else "",
            signer_authority=form.signer_authority.data or "",
            signer_title=form.signer_title.data or "",
            signer_name=form.signer_name.data or "",
            form_token=form.form_token.data if _TOKEN.fullmatch(form.form_token.data or "") else None,
        )
        if document.state is DocumentState.AWAITING_SIGNOFF:
            flash(_("The redacted copy waits for a second officer or the head to sign the redaction off."), "info")
        else:
            flash(_("%(doc)s no. %(no)s was issued.", doc=str(kind.label), no=document.number), "success")
        return redirect(url_for("documents.show_document", document_id=document.id))
    return page()


def _recipient(kind: DocumentKind, subject: Petition | Case, addressee: str) -> str:
    if kind.recipient is Recipient.PETITIONER:
        return addressee or draft_name(subject)
    if isinstance(subject, Petition) and subject.transferred_to:
        return subject.transferred_to
    if isinstance(subject, Case) and subject.handler:
        return subject.handler.full_name
    return addressee


def draft_name(subject: Petition | Case) -> str:
    petition = subject_petition(subject)
    return petition.petitioner_names or _("the petitioner")


@bp.route("/petition/<int:petition_id>/<code>/new", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.HEAD)
def new_petition_document(petition_id: int, code: str) -> ResponseReturnValue:
    return _issue(_kind(code, "petition"), get_petition(petition_id, current_user))


@bp.route("/case/<int:case_id>/<code>/new", methods=["GET", "POST"])
@roles_required(Role.HEAD, Role.HANDLER)
def new_case_document(case_id: int, code: str) -> ResponseReturnValue:
    return _issue(_kind(code, "case"), get_case(case_id, current_user))


def _document(document_id: int) -> tuple[IssuedDocument, Petition | Case]:
    """The document if its petition or case is visible to the user and it may be read by them (else 404)."""
    document = document_by_id(document_id)
    if document is None:
        abort(404)
    subject: Petition | Case
    if document.petition_id is not None:
        subject = get_petition(document.petition_id, current_user)
    else:
        assert document.case_id is not None, "a document has a petition or a case (has_subject)"
        subject = get_case(document.case_id, current_user)
    if not can_read(document, subject, current_user):
        abort(404)
    return document, subject


@bp.get("/<int:document_id>")
@login_required
def show_document(document_id: int) -> ResponseReturnValue:
    """The document's print page (A4 or A5), with its DOCX and PDF; a redacted copy awaiting its sign-off
    shows the sign-off instead."""
    document, subject = _document(document_id)
    if document.state is DocumentState.ISSUED:
        operations.record_output(document, current_user, "print")
    signoff = SignOffForm(data={"version": document.version}) if can_sign_off(document, subject, current_user) else None
    return html(document.content, toolbar=True, document=document, signoff=signoff, back=_subject_url(subject))


def _download(document_id: int, output: str) -> ResponseReturnValue:
    document, _subject = _document(document_id)
    if document.state is not DocumentState.ISSUED:
        abort(404)
    if output == "docx":
        template = unit_template(document.unit_id, document.kind)
        try:
            data = docx(document.content, template.data if template else None)
        except TemplateFailed as err:  # the unit's template fails on this document: the default layout instead
            current_app.logger.warning("document %s: its unit's template failed (%s)", document.id, err)
            data = docx(document.content, None)
        mimetype = DOCX_TYPE
    else:
        data, mimetype = pdf(document.content), "application/pdf"
    operations.record_output(document, current_user, output)
    name = f"{document.kind}-{re.sub(r'[^A-Za-z0-9]+', '-', document.number or str(document.id)).strip('-')}.{output}"
    resp = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name, max_age=0)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/<int:document_id>/docx")
@login_required
def download_docx(document_id: int) -> ResponseReturnValue:
    return _download(document_id, "docx")


@bp.get("/<int:document_id>/pdf")
@login_required
def download_pdf(document_id: int) -> ResponseReturnValue:
    return _download(document_id, "pdf")


@bp.post("/<int:document_id>/signoff")
@roles_required(Role.RECEPTION, Role.HEAD, Role.HANDLER)
def signoff(document_id: int) -> ResponseReturnValue:
    document, subject = _document(document_id)
    form = SignOffForm()
    if not form.validate_on_submit():
        abort(400)
    show_again(lambda: show_document(document_id), None)
    operations.sign_off(document, subject, KINDS[document.kind], current_user, version=form.version.data)
    flash(_("The redaction was signed off: %(no)s was issued.", no=document.number), "success")
    return redirect(url_for("documents.show_document", document_id=document.id))


# --- Administration: the letterhead and the templates of a unit -------------------------------------------


def _admin_unit():
    units = [u for u in units_in_scope(current_user) if u.body.id == u.id]
    if "unit" in request.args:
        unit = next((u for u in units if str(u.id) == request.args["unit"]), None)  # another unit's: not found
    else:
        unit = next((u for u in units if u.id == current_user.unit.body.id), units[0] if units else None)
    if unit is None:
        abort(404)
    return unit, units


def sample_content(kind: DocumentKind, unit) -> dict:
    """A document of ``kind`` with made-up facts, to try a template on."""
    head = letterhead(unit)
    return {
        **dict.fromkeys(PLACEHOLDERS, "…"),
        "paragraphs": ["…", "…"],
        "recipients": ["…"],
        "issuer": head.issuer,
        "issuer_parent": head.issuer_parent,
        "title": str(kind.title),
        "labels": {},
        "motto": "",
        "motto_country": "",
    }


@bp.route("/templates", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_templates() -> ResponseReturnValue:
    unit, units = _admin_unit()
    settings = settings_of(unit.id)
    form = SettingsForm(obj=settings, prefix="settings")
    upload = TemplateUploadForm(prefix="upload")
    templates = {t.kind: t for t in current_templates(unit.id)}

    def page() -> str:
        return render_template(
            "documents/templates.html",
            unit=unit,
            units=units,
            form=form,
            upload=upload,
            kinds=list(KINDS.values()),
            templates=templates,
            head=letterhead(unit),
            placeholders=PLACEHOLDERS,
        )

    action = request.form.get("action")
    if action == "settings" and form.validate_on_submit():
        show_again(page, form)
        operations.save_settings(unit, current_user, version=form.settings_version.data, **form.values())
        flash(_("The letterhead of %(unit)s was saved.", unit=unit.name), "success")
        return redirect(url_for("documents.edit_templates", unit=unit.id))
    if action == "upload" and upload.validate_on_submit():
        show_again(page, upload)
        kind = KINDS.get(request.form.get("kind", ""))
        if kind is None:
            abort(400)
        data = upload.file.data.read()
        operations.upload_template(unit, kind, current_user, upload.file.data.filename or "template.docx", data,
                                   sample_content(kind, unit))  # fmt: skip
        flash(_("The template of “%(kind)s” for %(unit)s was saved.", kind=str(kind.label), unit=unit.name), "success")
        return redirect(url_for("documents.edit_templates", unit=unit.id))
    if settings is not None and not form.is_submitted():
        form.settings_version.data = settings.version
    return page()


@bp.get("/templates/default.docx")
@roles_required(Role.ADMIN)
def default_docx() -> ResponseReturnValue:
    """The default layout, to start a unit's own template from."""
    return send_file(io.BytesIO(default_template()), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name="tiepdan-mau-van-ban.docx", max_age=0)  # fmt: skip


@bp.get("/templates/<int:template_id>.docx")
@roles_required(Role.ADMIN)
def template_docx(template_id: int) -> ResponseReturnValue:
    template = template_in_scope(template_id, {u.id for u in units_in_scope(current_user)})
    if template is None:
        abort(404)
    return send_file(io.BytesIO(template.data), mimetype=DOCX_TYPE, as_attachment=True,
                     download_name=template.filename, max_age=0)  # fmt: skip


@bp.app_context_processor
def inject_panel():
    return {"documents_panel": documents_panel}
