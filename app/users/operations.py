"""Writes on users."""

import re

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.operations import record
from ..core.errors import TransitionRefused
from ..core.i18n import lazy_gettext as _l
from ..core.locking import check_version
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..extensions import db
from ..units.queries import names_around
from .models import User
from .passwords import MIN_PASSWORD_LENGTH, check_password_rules  # noqa: F401  (admin forms use both)
from .sessions import current_session_id, end_user_sessions

#: Usernames are typed at login (lower-cased there): 3-64 characters of a-z, 0-9, '.', '_' and '-'.
USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,64}$")


def check_username(username: str) -> None:
    """Refuse a username outside the allowed characters or length."""
    if not USERNAME_RE.match(username or ""):
        raise TransitionRefused(
            _l("The username must have 3 to 64 characters: letters a-z, digits 0-9, '.', '_' and '-'.")
        )


def check_self_edit(user: User, actor: User | None, *, roles, is_active: bool) -> None:
    """Refuse an administrator locking themselves out (deactivating or dropping their own admin role)."""
    if actor is None or user.id != actor.id:
        return
    if not is_active:
        raise TransitionRefused(_l("You cannot deactivate your own account."))
    if actor.has_role(Role.ADMIN) and Role.ADMIN not in {Role(r) for r in roles}:
        raise TransitionRefused(_l("You cannot remove your own administrator role."))


def password_context(username: str, full_names, units) -> list[str]:
    """The user's own words, which their password must not be built on: their username and full name(s),
    and the names of their unit(s), the units above and the province (units.queries.names_around)."""
    words = [username, *full_names]
    for unit in {u.id: u for u in units if u is not None}.values():
        words += names_around(unit)
    return words


#: An e-mail address as the reminders need it: one "@", a dotted domain, no spaces.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
EMAIL_MAX = 200


def clean_email(value: str | None) -> str | None:
    """The address trimmed and checked (None when empty); TransitionRefused when it is not one."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > EMAIL_MAX or not EMAIL_RE.match(value):
        raise TransitionRefused(_l("Enter an e-mail address such as name@example.gov.vn, or leave it empty."))
    return value


def create_user(
    *,
    username: str,
    full_name: str,
    unit,
    roles,
    password: str,
    title: str | None = None,
    email: str | None = None,
    actor: User | None = None,
) -> User:
    """Create an active user with the given roles (an audit event names who created them)."""
    username = username.strip().lower()
    if not username:
        raise TransitionRefused(_l("Enter a username."))
    check_username(username)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise TransitionRefused(_("The username %(name)s is taken.", name=username))
    if not roles:
        raise TransitionRefused(_l("Give the user at least one role."))
    check_password_rules(password, username=username, context=password_context(username, [full_name], [unit]))
    user = User(
        username=username,
        full_name=full_name.strip(),
        unit=unit,
        title=title,
        email=clean_email(email),
        is_active_user=True,
    )
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    record(
        "user.create",
        actor=actor,
        target_user=user,
        detail={"unit": unit.code, "roles": sorted(r.value for r in user.roles)},
    )
    return user


def update_user(
    user: User,
    *,
    full_name: str,
    unit,
    roles,
    is_active: bool,
    title: str | None = None,
    email: str | None = None,
    password: str | None = None,
    actor: User | None = None,
    expected_version,
) -> User:
    """Change a user's details, roles, unit or active flag (and optionally reset the password).

    Deactivating a user or resetting their password ends their open login sessions (a password reset
    by the user themselves keeps the session they are using).
    """
    check_version(user, expected_version)  # another administrator saved this user since the form opened
    if not roles:
        raise TransitionRefused(_l("Give the user at least one role."))
    check_self_edit(user, actor, roles=roles, is_active=is_active)
    if password:
        # Refuse before changing anything; the old and the new name and unit are both the user's words.
        check_password_rules(
            password,
            username=user.username,
            context=password_context(user.username, [full_name, user.full_name], [unit, user.unit]),
        )
    was_active = user.is_active
    before = _account_facts(user)
    user.full_name, user.unit, user.title, user.is_active_user = full_name.strip(), unit, title, is_active
    user.email = clean_email(email)
    user.set_roles(roles)
    if password:
        user.set_password(password)
    user.updated_at = utcnow()  # a change of roles alone touches only user_roles: still move the version on
    db.session.flush()
    after = _account_facts(user)
    changes: dict[str, object] = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
    if password:
        changes["password"] = "reset"
    if changes:
        record("user.update", actor=actor, target_user=user, detail=changes)
    if was_active and not is_active:
        end_user_sessions(user, "deactivated", actor=actor)
    elif password:
        keep = current_session_id() if actor is not None and actor.id == user.id else None
        end_user_sessions(user, "password_changed", actor=actor, keep=keep)
    return user


def _account_facts(user: User) -> dict:
    """What an account change is audited on (who can do what where; never the password)."""
    return {
        "full_name": user.full_name,
        "title": user.title,
        "email": user.email,
        "unit": user.unit.code,
        "roles": sorted(r.value for r in user.roles),
        "is_active": bool(user.is_active_user),
    }


def open_session_count(user: User) -> int:
    """How many login sessions of ``user`` are open (not ended; idle ones end on their next request)."""
    from sqlalchemy import func

    from .models import UserSession

    return db.session.execute(
        select(func.count())
        .select_from(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    ).scalar_one()


def end_sessions_by_admin(user: User, actor: User) -> int:
    """End every open session of ``user`` (an administrator's act, audited); the count ended."""
    keep = current_session_id() if actor.id == user.id else None  # not the admin's own current one
    return end_user_sessions(user, "admin", actor=actor, keep=keep)
