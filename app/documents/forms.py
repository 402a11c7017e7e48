"""The forms of the documents: issuing one (its draft, edited), a unit's letterhead and a DOCX template."""

import re
from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..core.fields import DATE_FORMATS, DmyDateField, VersionField
from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l

#: Control characters (a NUL, a vertical tab…) pasted into a text: PostgreSQL refuses a NUL, Word files none.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: object) -> object:
    """A text without control characters (line breaks kept), stripped."""
    return _CONTROL.sub("", value).strip() if isinstance(value, str) else value


class IssueForm(AppForm):
    issued_on = DmyDateField(
        _l("Date of the document"),
        format=DATE_FORMATS,
        validators=[InputRequired(_l("Enter the date of the document."))],
        invalid_value_message=_l("Enter the date as day, month and year."),
    )
    recipient = StringField(
        _l("Sent to"),
        validators=[DataRequired(_l("Say who the document is sent to.")), Length(max=300)],
        filters=[clean],
        description=_l("For the timeline and the register: the person or body it goes to."),
    )
    addressee = StringField(_l("Addressed to (Kính gửi)"), validators=[Length(max=300)], filters=[clean])
    body = TextAreaField(
        _l("Text"),
        filters=[clean],
        validators=[DataRequired(_l("Write the text of the document.")), Length(max=20000)],
        description=_l("Paragraphs separated by a blank line. Replace the “…” with what applies."),
    )
    recipients = TextAreaField(
        _l("Recipients (Nơi nhận)"), validators=[Length(max=2000)], filters=[clean], description=_l("One a line.")
    )
    enclosures = TextAreaField(_l("Documents handed in"), validators=[Length(max=2000)], filters=[clean])
    signer_authority = StringField(_l("Signed on behalf of"), validators=[Length(max=100)], filters=[clean])
    signer_title = StringField(_l("Signer's title"), validators=[Length(max=100)], filters=[clean])
    signer_name = StringField(_l("Signer's name"), validators=[Length(max=200)], filters=[clean])
    #: A one-time token: the same form posted twice (a double click) issues one document.
    form_token = HiddenField()


class SignOffForm(AppForm):
    version = VersionField()


class SettingsForm(AppForm):
    body_symbol = StringField(
        _l("Abbreviation of the body in numbers"),
        validators=[Length(max=30)],
        filters=[clean],
        description=_l("“UBND” in “12/TB-UBND”. Empty: derived from the unit."),
    )
    place_name = StringField(_l("Place name of the date line"), validators=[Length(max=100)], filters=[clean])
    signer_authority = StringField(_l("Signed on behalf of"), validators=[Length(max=100)], filters=[clean])
    signer_title = StringField(_l("Signer's title"), validators=[Length(max=100)], filters=[clean])
    signer_name = StringField(_l("Signer's name"), validators=[Length(max=200)], filters=[clean])
    #: The settings' version when they exist (a first save has none: not a VersionField, which requires one).
    settings_version = HiddenField()

    def values(self) -> dict[str, Any]:
        return {n: getattr(self, n).data for n in ("body_symbol", "place_name", "signer_authority", "signer_title",
                                                   "signer_name")}  # fmt: skip


class TemplateUploadForm(AppForm):
    file = FileField(
        _l("DOCX template"),
        validators=[FileRequired(_l("Choose the template (.docx)."))],
        render_kw={"accept": ".docx"},
    )
