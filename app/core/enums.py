"""Base for workflow and classification enums: stored as plain strings, shown with translated labels."""

import enum
from collections.abc import Callable
from typing import TypeVar

from .i18n import LazyText, lazy_gettext

E = TypeVar("E", bound=enum.Enum)


def parse_enum(enum_cls: type[E], value: object) -> E | None:
    """The member of ``enum_cls`` whose value is exactly ``value``, else None (a StrEnum's
    member is its own value).

    For input read from a request, a form or a stored row: never raises, unlike ``enum_cls(value)``.
    """
    try:
        member = enum_cls._value2member_map_.get(value)
        return member if isinstance(member, enum_cls) else None
    except TypeError:  # an unhashable value is no member's value
        return None


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
