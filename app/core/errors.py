"""Domain errors: refusals a user can understand, shown as a message, never as a 500."""

from .i18n import LazyText


class DomainError(Exception):
    """A refused operation; ``message`` is already translated (or lazily translatable)."""

    def __init__(self, message: str | LazyText) -> None:
        super().__init__(str(message))
        self.message = message


class TransitionRefused(DomainError):
    pass


class PermissionRefused(DomainError):
    pass


class StaleObject(DomainError):
    """Someone else saved this record after the form was opened."""
