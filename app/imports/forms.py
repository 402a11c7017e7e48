"""The forms of the register import: the workbook, its register and its unit, then the columns of each field."""

from functools import cache
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField
from wtforms.validators import ValidationError

from ..core.fields import optional_int
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from ..petitions.forms import ReceivingUnitMixin
from .registers import REGISTERS, Register


class ImportUploadForm(ReceivingUnitMixin, AppForm):
    register = SelectField(
        _l("Register"),
        choices=lambda: [(r.name, str(r.label)) for r in REGISTERS.values()],
        default="visits",
        validate_choice=True,
        invalid_choice_message=_l("Choose a register from the list."),
    )
    file = FileField(
        _l("Excel workbook (.xlsx)"),
        validators=[FileRequired(_l("Choose the workbook of the register."))],
        render_kw={"accept": ".xlsx"},
        description=_l("The first sheet is read; its column headers are found among its top rows."),
    )

    def __init__(self, units, default_unit=None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_units(units, default_unit)

    def validate_file(self, field) -> None:
        name = (getattr(field.data, "filename", "") or "").lower()
        if name and not name.endswith(".xlsx"):
            raise ValidationError(_l("Choose an Excel workbook (.xlsx); save an older .xls as .xlsx first."))


class MappingForm(AppForm):
    """One select per field of the register: the column it is read from (or none)."""

    register: Register

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(-1, "—")] + [(i, h or f"#{i + 1}") for i, h in enumerate(headers)]
        for f in self.register.fields:
            getattr(self, f.name).choices = choices

    def mapping(self) -> dict[str, int | None]:
        out: dict[str, int | None] = {}
        for f in self.register.fields:
            value = getattr(self, f.name).data
            out[f.name] = None if value is None or value < 0 else value
        return out


@cache
def mapping_form(name: str) -> type[MappingForm]:
    """The mapping form of the register ``name`` (one class per register, made once)."""
    register = REGISTERS[name]
    fields = {
        f.name: SelectField(
            f.label,
            coerce=optional_int,
            validate_choice=True,
            invalid_choice_message=_l("Choose a column from the list."),
        )
        for f in register.fields
    }
    return type(f"{name.title()}MappingForm", (MappingForm,), {"register": register, **fields})
