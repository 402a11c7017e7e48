"""Writing audit events (the only write path; there is no update or delete)."""

import json

from flask import has_request_context, request, session

from ..extensions import db
from .models import AuditEvent


def record(
    action: str,
    *,
    actor=None,
    petition=None,
    case=None,
    target_user=None,
    object_type=None,
    object_id=None,
    reason=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit event in the current transaction (it commits or rolls back with the operation)."""
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", actor),
        petition_id=getattr(petition, "id", petition),
        case_id=getattr(case, "id", case),
        target_user_id=getattr(target_user, "id", target_user),
        object_type=object_type,
        object_id=object_id,
        reason=reason,
        detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str) if detail else None,
    )
    if has_request_context():
        event.ip = (request.remote_addr or "")[:45] or None
        event.session_id = session.get("sid")
    db.session.add(event)
    db.session.flush()
    return event
