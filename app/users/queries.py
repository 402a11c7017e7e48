"""Read-only lookups of users."""

from sqlalchemy import func, or_, select

from ..core.roles import Role
from ..core.scope import get_or_404, in_scope
from ..extensions import db
from ..units.models import Unit
from .models import User, UserRole


def handlers_for(unit: Unit) -> list[User]:
    """Active handling officers of ``unit`` and the units below it (candidates for assignment)."""
    stmt = (
        select(User)
        .join(Unit, User.unit_id == Unit.id)
        .join(UserRole)
        .where(Unit.path.startswith(unit.path), UserRole.role == Role.HANDLER, User.is_active_user.is_(True))
        .order_by(Unit.path, User.full_name)
    )
    return list(db.session.execute(stmt).unique().scalars())


def hosts_for(actor) -> list[User]:
    """Active reception officers and heads of ``actor``'s units and below (who may receive citizens)."""
    stmt = (
        select(User)
        .join(Unit, User.unit_id == Unit.id)
        .where(
            in_scope(User.unit_id, actor),
            User.is_active_user.is_(True),
            User.id.in_(select(UserRole.user_id).where(UserRole.role.in_((Role.RECEPTION, Role.HEAD)))),
        )
        .order_by(Unit.path, User.full_name)
    )
    return list(db.session.execute(stmt).unique().scalars())


def get_user(user_id: int, actor) -> User:
    """The user with ``user_id`` if their unit lies in the actor's subtree; 404 otherwise."""
    return get_or_404(select(User).where(User.id == user_id, in_scope(User.unit_id, actor)))


def user_by_username(username: str) -> User | None:
    return (
        db.session.execute(select(User).where(User.username == username.strip().lower())).unique().scalar_one_or_none()
    )


def user_counts_by_unit(actor) -> dict[int, int]:
    """{unit id: number of users (active or not)} for the units of the actor's subtree."""
    rows = db.session.execute(
        select(User.unit_id, func.count(User.id)).where(in_scope(User.unit_id, actor)).group_by(User.unit_id)
    )
    return dict(rows.all())


def search_users(actor, *, unit_id: int | None = None, q: str | None = None, page: int = 1, per_page: int = 25):
    """A page of the users in the actor's subtree, optionally of one unit and matching a name/username."""
    stmt = select(User).where(in_scope(User.unit_id, actor))
    if unit_id is not None:
        stmt = stmt.where(User.unit_id == unit_id)
    q = (q or "").strip()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(User.username.ilike(pattern, escape="\\"), User.full_name.ilike(pattern, escape="\\")))
    stmt = stmt.order_by(User.username)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)
