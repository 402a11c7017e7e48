"""Writes of the privacy domain: revealing a confidential identity, granting and revoking permissions."""

from ..audit.operations import record
from ..core.errors import PermissionRefused, TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.roles import Role
from ..extensions import db
from . import policy
from .forms import REASON_MAX, REASON_MIN
from .models import Permission, RolePermission


def reveal_identity(petition, actor, reason: str):
    """Record that ``actor`` reveals the petitioners of ``petition`` for ``reason`` (an audit event).

    The identity then shows for IDENTITY_REVEAL_MINUTES in the actor's login session (see policy).
    """
    reason = (reason or "").strip()
    if not petition.is_identity_confidential:
        raise TransitionRefused(_l("This petitioner's identity is not confidential."))
    if not policy.can_view_identity(actor, petition):
        raise PermissionRefused(_l("You are not entitled to see this petitioner's identity."))
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise TransitionRefused(
            _l("Write the reason in %(min)d to %(max)d characters.", min=REASON_MIN, max=REASON_MAX)
        )
    event = record(policy.REVEAL_ACTION, actor=actor, petition=petition, case=petition.case_id, reason=reason)
    policy.forget_reveals_cache()
    return event


def _check_grantor(actor, unit) -> None:
    """Only an administrator, and only within their own unit subtree, changes who holds a permission."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionRefused(_l("Only an administrator can change permissions."))
    if unit is None or not actor.oversees(unit):
        raise PermissionRefused(_l("You can change permissions only for your own unit and the units below it."))


def _audit_detail(role: Role, permission: Permission, unit) -> dict:
    return {"role": role.value, "permission": permission.value, "unit_id": unit.id, "unit": unit.code}


def grant_permission(role: Role, permission: Permission, unit, actor) -> RolePermission:
    """Give ``role`` the ``permission`` within the subtree of ``unit`` (audited)."""
    role, permission = Role(role), Permission(permission)
    _check_grantor(actor, unit)
    if db.session.get(RolePermission, (role, permission, unit.id)) is not None:
        raise TransitionRefused(_l("This role already holds this permission in this unit."))
    row = RolePermission(role=role, permission=permission, unit_id=unit.id, granted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("permission.grant", actor=actor, detail=_audit_detail(role, permission, unit))
    policy.forget_permissions_cache()
    return row


def revoke_permission(role: Role, permission: Permission, unit, actor) -> None:
    """Take ``permission`` from ``role`` in ``unit``'s subtree (the row goes; the audit log keeps the grant
    and the revocation)."""
    role, permission = Role(role), Permission(permission)
    _check_grantor(actor, unit)
    row = db.session.get(RolePermission, (role, permission, unit.id))
    if row is None:
        raise TransitionRefused(_l("This role does not hold this permission in this unit."))
    db.session.delete(row)
    db.session.flush()
    record("permission.revoke", actor=actor, detail=_audit_detail(role, permission, unit))
    policy.forget_permissions_cache()
