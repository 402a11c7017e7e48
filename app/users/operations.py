"""Writes on users."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import TransitionRefused
from ..core.roles import Role
from ..extensions import db
from .models import User

MIN_PASSWORD_LENGTH = 8
#: Usernames are typed at login (lower-cased there): 3-64 characters of a-z, 0-9, '.', '_' and '-'.
USERNAME_RE = re.compile(r"^[a-z0-9._-]{3,64}$")


def check_username(username: str) -> None:
    """Refuse a username outside the allowed characters or length."""
    if not USERNAME_RE.match(username or ""):
        raise TransitionRefused(_l("The username must have 3 to 64 characters: "
                                   "letters a-z, digits 0-9, '.', '_' and '-'."))


def check_self_edit(user: User, actor: User, *, roles, is_active: bool) -> None:
    """Refuse an administrator locking themselves out (deactivating or dropping their own admin role)."""
    if actor is None or user.id != actor.id:
        return
    if not is_active:
        raise TransitionRefused(_l("You cannot deactivate your own account."))
    if actor.has_role(Role.ADMIN) and Role.ADMIN not in {Role(r) for r in roles}:
        raise TransitionRefused(_l("You cannot remove your own administrator role."))


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise TransitionRefused(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(*, username: str, full_name: str, unit, roles, password: str, title: str | None = None) -> User:
    """Create an active user with the given roles."""
    username = username.strip().lower()
    if not username:
        raise TransitionRefused(_l("Enter a username."))
    check_username(username)
    if db.session.execute(select(User.id).where(User.username == username)).first():
        raise TransitionRefused(_l("The username %(name)s is taken.", name=username))
    if not roles:
        raise TransitionRefused(_l("Give the user at least one role."))
    check_password_rules(password)
    user = User(username=username, full_name=full_name.strip(), unit=unit, title=title, is_active_user=True)
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, full_name: str, unit, roles, is_active: bool, title: str | None = None,
                password: str | None = None, actor: User | None = None) -> User:
    """Change a user's details, roles, unit or active flag (and optionally reset the password)."""
    if not roles:
        raise TransitionRefused(_l("Give the user at least one role."))
    check_self_edit(user, actor, roles=roles, is_active=is_active)
    if password:
        check_password_rules(password)  # refuse before changing anything
    user.full_name, user.unit, user.title, user.is_active_user = full_name.strip(), unit, title, is_active
    user.set_roles(roles)
    if password:
        user.set_password(password)
    db.session.flush()
    return user
