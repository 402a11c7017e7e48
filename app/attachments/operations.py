"""Attaching files, recording downloads and marking files removed (never deleted)."""

import logging
import os

from ..audit import operations as audit
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.timeutil import utcnow
from ..extensions import db
from . import queries, storage
from .filetypes import AttachmentRefused, detect, sanitise_name
from .models import Attachment

log = logging.getLogger(__name__)


def _size_of(stream) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def upload_attachment(file, actor, *, petition=None, case=None, description: str | None = None) -> Attachment:
    """Check the file against the allowlist, store it under a random name and add its row (flushed).

    The file and the row go together: a refused or unwritable file leaves no row, and a row that
    cannot be saved removes its file. The caller must call ``storage.discard`` too if its commit fails.
    """
    if (petition is None) == (case is None):
        raise ValueError("an attachment belongs to exactly one petition or one case")
    stream = file.stream
    original_name = sanitise_name(file.filename)
    if _size_of(stream) == 0:
        raise AttachmentRefused(_l("The file is empty."))
    spec = detect(stream, original_name)
    try:
        stored_name, size, sha256 = storage.save(stream)
    except OSError:
        log.exception("could not store an attachment")
        raise AttachmentRefused(
            _l("The file could not be stored. Nothing was saved; please try again or tell the administrator.")
        ) from None
    att = Attachment(
        petition_id=getattr(petition, "id", None),
        case_id=getattr(case, "id", None),
        stored_name=stored_name,
        original_name=original_name,
        content_type=spec.mime,
        size_bytes=size,
        sha256=sha256,
        description=(description or "").strip() or None,
        uploaded_at=utcnow(),
        uploaded_by_id=actor.id,
        is_removed=False,
    )
    try:
        db.session.add(att)
        db.session.flush()
        # The file name may name the petitioner: the audit detail carries only facts about the bytes.
        audit.record(
            "attachment.upload",
            actor=actor,
            petition=petition,
            case=case,
            object_type="attachment",
            object_id=att.id,
            detail={"content_type": spec.mime, "size": size, "sha256": sha256},
        )
    except BaseException:
        storage.discard(stored_name)
        raise
    return att


def record_download(att: Attachment, actor) -> None:
    audit.record(
        "attachment.download",
        actor=actor,
        petition=att.petition_id,
        case=att.case_id,
        object_type="attachment",
        object_id=att.id,
    )


def remove_attachment(att: Attachment, actor, reason: str) -> None:
    """Mark the file removed (uploaded by mistake); the row and the file stay."""
    if att.is_removed:
        raise TransitionRefused(_l("This file has already been removed."))
    if not queries.can_remove(actor, att, *queries.owners_of(att)):
        raise PermissionRefused(_l("Only the officer who attached the file or the head of the unit can remove it."))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionRefused(_l("Say why the file is removed."))
    att.is_removed = True
    att.removed_at = utcnow()
    att.removed_by_id = actor.id
    att.removed_reason = reason
    db.session.flush()
    audit.record(
        "attachment.remove",
        actor=actor,
        petition=att.petition_id,
        case=att.case_id,
        object_type="attachment",
        object_id=att.id,
        reason=reason,
    )
