"""Writes on users."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.errors import TransitionRefused
from ..extensions import db
from .models import User

MIN_PASSWORD_LENGTH = 8


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise TransitionRefused(_l("The password must have at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def create_user(*, username: str, full_name: str, unit, roles, password: str, title: str | None = None) -> User:
    """Create an active user with the given roles."""
    username = username.strip().lower()
    if not username:
        raise TransitionRefused(_l("Enter a username."))
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
                password: str | None = None) -> User:
    """Change a user's details, roles, unit or active flag (and optionally reset the password)."""
    if not roles:
        raise TransitionRefused(_l("Give the user at least one role."))
    user.full_name, user.unit, user.title, user.is_active_user = full_name.strip(), unit, title, is_active
    user.set_roles(roles)
    if password:
        check_password_rules(password)
        user.set_password(password)
    db.session.flush()
    return user
