"""Base for workflow and classification enums: stored as plain strings, shown with translated labels."""

import enum
from collections.abc import Callable

from .i18n import LazyText, lazy_gettext


class LabeledEnum(enum.StrEnum):
    """A StrEnum whose members carry a translatable display label.

    Subclasses define ``__labels__ = {MEMBER_VALUE: lazy_gettext("...")}``.
    """

    @property
    def label(self) -> str:
        return str(type(self).labels().get(self.value, self.value))

    @classmethod
    def labels(cls) -> dict[str, LazyText]:
        labels: dict[str, LazyText] = getattr(cls, "__labels__", {})
        return labels

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def lazy_choices(cls) -> Callable[[], list[tuple[str, str]]]:
        """Choices evaluated at form render time, so the label follows the request's language."""
        return lambda: cls.choices()


_ = lazy_gettext
