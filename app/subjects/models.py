"""The subject areas (lĩnh vực) of the inspectorate's statistics, kept as data (Decree 55/2022 art. 6,
Circular 05/2021/TT-TTCP): administrative areas (land; compensation, support and resettlement; housing and
property; policies; civil service; finance and others), justice, Party and mass organisations,
anti-corruption, other. Areas are never deleted: one no longer used is deactivated and keeps its records.
"""

from flask_babel import get_locale
from sqlalchemy import Boolean, CheckConstraint, Integer, String, true
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..extensions import Model


class SubjectGroup(LabeledEnum):
    """The heading a subject area is counted under in the statistics."""

    ADMINISTRATIVE = "administrative"
    JUSTICE = "justice"
    PARTY = "party"
    ANTI_CORRUPTION = "anti_corruption"
    OTHER = "other"

    __labels__ = {
        "administrative": _l("Administrative"),
        "justice": _l("Justice"),
        "party": _l("Party and mass organisations"),
        "anti_corruption": _l("Anti-corruption"),
        "other": _l("Other"),
    }


class SubjectArea(TimestampMixin, Model):
    __tablename__ = "subject_areas"
    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A stable code, e.g. "admin.land": reports and integrators refer to areas by it.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    group: Mapped[SubjectGroup] = mapped_column(EnumStr(SubjectGroup))
    #: The area's name in Vietnamese (the official term) and in English.
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    #: Position in lists and reports (within its group).
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    #: Optimistic-locking version: a save from a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<SubjectArea {self.code}>"

    @property
    def name(self) -> str:
        """The name in the request's language (Vietnamese unless the user chose English)."""
        locale = get_locale()
        return self.name_en if locale is not None and locale.language == "en" else self.name_vi

    @property
    def label(self) -> str:
        """The group and the name, e.g. "Hành chính · Đất đai" (the group alone when they are the same)."""
        group = self.group.label
        return self.name if self.name == group else f"{group} · {self.name}"
