"""User roles and the role-checking decorator."""

from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager
from .enums import LabeledEnum
from .i18n import lazy_gettext as _l


class Role(LabeledEnum):
    RECEPTION = "reception"
    HANDLER = "handler"
    HEAD = "head"
    INSPECTOR = "inspector"
    ADMIN = "admin"

    __labels__ = {
        "reception": _l("Reception officer"),
        "handler": _l("Handling officer"),
        "head": _l("Head of unit"),
        "inspector": _l("Inspector"),
        "admin": _l("Administrator"),
    }


def roles_required(*roles: Role):
    """Allow the view only to logged-in users holding at least one of ``roles`` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
