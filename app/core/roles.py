"""User roles and the role-checking decorator."""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from flask import abort
from flask.typing import ResponseReturnValue
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


P = ParamSpec("P")
R = TypeVar("R")


def roles_required(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R | ResponseReturnValue]]:
    """Allow the view only to logged-in users holding at least one of ``roles`` (403 otherwise)."""

    def decorator(view: Callable[P, R]) -> Callable[P, R | ResponseReturnValue]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R | ResponseReturnValue:
            if not current_user.is_authenticated:
                login: ResponseReturnValue = login_manager.unauthorized()  # Flask-Login is untyped: the redirect
                return login
            if not current_user.has_any_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


if TYPE_CHECKING:

    def login_required(view: Callable[P, R]) -> Callable[P, R | ResponseReturnValue]:
        """Flask-Login's ``login_required``, typed: Flask-Login ships no type information."""

else:
    from flask_login import login_required as login_required  # the very same decorator at run time
