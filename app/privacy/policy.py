"""Who may see a confidential petitioner's identity, and whether it is shown now.

The rule (Law on Denunciations 2018 art. 8, 9, 47, 56; Law on Complaints 2011 for a complainant who asked):
the identity of the petitioners of a confidential petition is masked for everyone except

- the handler assigned to the petition's case,
- a head of the unit that received the petition or holds its case,
- a user holding a role granted ``view_identity`` in a unit subtree that holds both the user's own unit
  and the petition (see RolePermission: an administrator grants only within their own subtree).

Even they see it masked until they *reveal* it with a typed reason; each reveal is an audit event and
shows the identity for IDENTITY_REVEAL_MINUTES in that login session. One exception: the officer who
registered the petition (and so met the petitioner) can print the receipt slip with the names for
IDENTITY_CREATOR_MINUTES after registering it.

Everything that renders, searches or exports petitioners goes through this module.
"""

from datetime import timedelta

from flask import current_app, g, has_request_context, session
from sqlalchemy import and_, false, or_, select

from ..audit.models import AuditEvent
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import db
from ..petitions.models import Petition, handled_case_ids
from ..units.models import Unit

REVEAL_ACTION = "identity.reveal"


def user_permissions(user) -> dict:
    """Permission -> the unit subtrees (paths of their roots) where one of ``user``'s roles holds it.

    A grant counts only for a user whose own unit lies in the grant's subtree (cached for the request).
    """
    from .models import RolePermission

    if user is None or not getattr(user, "is_authenticated", False):
        return {}
    cache = g.setdefault("_tiepdan_perms", {}) if has_request_context() else {}
    if user.id not in cache:
        roles = [r.value for r in user.roles]
        rows = (
            db.session.execute(
                select(RolePermission.permission, Unit.path)
                .join(Unit, Unit.id == RolePermission.unit_id)
                .where(RolePermission.role.in_(roles))
            ).all()
            if roles
            else []
        )
        grants: dict = {}
        for permission, path in rows:
            if user.unit.path.startswith(path):
                grants.setdefault(permission, set()).add(path)
        cache[user.id] = {p: frozenset(paths) for p, paths in grants.items()}
    return cache[user.id]


def permission_paths(user, permission) -> frozenset:
    """The roots of the unit subtrees where ``user`` holds ``permission`` (empty: nowhere)."""
    return user_permissions(user).get(permission, frozenset())


def has_permission(user, permission, unit) -> bool:
    """True if ``user`` holds ``permission`` for records of ``unit``."""
    return unit is not None and any(unit.path.startswith(p) for p in permission_paths(user, permission))


def forget_permissions_cache() -> None:
    """Drop the request's cached permissions (after a grant or a revocation)."""
    if has_request_context():
        g.pop("_tiepdan_perms", None)
        g.pop("_tiepdan_shown", None)


def can_view_identity(user, petition) -> bool:
    """True if ``user`` is entitled to see (after revealing) the petitioners of ``petition``."""
    from .models import Permission

    if not petition.is_identity_confidential:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if has_permission(user, Permission.VIEW_IDENTITY, petition.unit):
        return True
    case = petition.case
    if case is not None and case.handler_id == user.id:
        return True
    if user.has_role(Role.HEAD):
        units = {petition.unit_id} | ({case.unit_id} if case is not None else set())
        if user.unit_id in units:
            return True
    return False


def entitled_condition(user):
    """SQL condition on Petition: ``user`` may see its petitioners (same rule as can_view_identity)."""
    from .models import Permission

    if user is None or not getattr(user, "is_authenticated", False):
        return Petition.is_identity_confidential.is_(false())
    granted = granted_condition(user, Permission.VIEW_IDENTITY)
    # Uncorrelated: used inside a subquery over cases (the case search), these selects must not be
    # correlated to the enclosing query's cases.
    if user.has_role(Role.HEAD):
        return or_(
            Petition.is_identity_confidential.is_(false()),
            Petition.unit_id == user.unit_id,
            Petition.case_id.in_(handled_case_ids(user.id, unit_id=user.unit_id)),
            granted,
        )
    return or_(Petition.is_identity_confidential.is_(false()), Petition.case_id.in_(handled_case_ids(user.id)), granted)


def granted_condition(user, permission):
    """SQL condition on Petition: it lies in a subtree where ``user`` holds ``permission``."""
    paths = sorted(permission_paths(user, permission))
    if not paths:
        return false()
    return Petition.unit_id.in_(select(Unit.id).where(or_(*(Unit.path.startswith(p) for p in paths))).correlate(None))


def revealed_petition_ids(user) -> frozenset:
    """Petitions whose identity ``user`` revealed in this login session within the reveal window."""

    if not has_request_context() or user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    sid = session.get("sid")
    if not sid:
        return frozenset()
    # Keyed by user and session: the cache must never answer for another user in the same context.
    cache = g.setdefault("_tiepdan_revealed", {})
    key = (user.id, sid)
    if key not in cache:
        cutoff = utcnow() - timedelta(minutes=int(current_app.config["IDENTITY_REVEAL_MINUTES"]))
        cache[key] = frozenset(
            db.session.execute(
                select(AuditEvent.petition_id).where(
                    and_(
                        AuditEvent.action == REVEAL_ACTION,
                        AuditEvent.actor_id == user.id,
                        AuditEvent.session_id == sid,
                        AuditEvent.at >= cutoff,
                        AuditEvent.petition_id.is_not(None),
                    )
                )
            ).scalars()
        )
    return cache[key]


def shown_petition_ids(user) -> frozenset:
    """The revealed petitions that ``user`` is still entitled to (one query for any number of rows)."""
    revealed = revealed_petition_ids(user)
    if not revealed:
        return frozenset()
    cache = g.setdefault("_tiepdan_shown", {})
    key = (user.id, revealed)
    if key not in cache:
        # The same rule as can_view_identity, in SQL: a list does not load each petition's case.
        cache[key] = frozenset(
            db.session.execute(
                select(Petition.id).where(Petition.id.in_(sorted(revealed)), entitled_condition(user))
            ).scalars()
        )
    return cache[key]


def forget_reveals_cache() -> None:
    if has_request_context():
        g.pop("_tiepdan_revealed", None)
        g.pop("_tiepdan_shown", None)


def shows_identity(user, petition) -> bool:
    """True if the petitioners of ``petition`` are shown to ``user`` now (not confidential, or revealed)."""
    if not petition.is_identity_confidential:
        return True
    return petition.id in shown_petition_ids(user)


def shows_identity_on_receipt(user, petition) -> bool:
    """The receipt slip: also shown to the registering officer shortly after registration."""
    if shows_identity(user, petition):
        return True
    window = timedelta(minutes=int(current_app.config["IDENTITY_CREATOR_MINUTES"]))
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and petition.created_by_id == user.id
        and petition.created_at is not None
        and utcnow() - petition.created_at <= window
    )


def can_reveal_identity(user, petition) -> bool:
    """``user`` is entitled to reveal the petitioners of this confidential petition, and has not (yet) in this
    login session."""
    return (
        petition.is_identity_confidential
        and bool(petition.parties)
        and not shows_identity(user, petition)
        and can_view_identity(user, petition)
    )
