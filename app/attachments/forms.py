"""Upload and removal forms."""

from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l
from .filetypes import ACCEPT

MAX_DESCRIPTION = 300
MAX_REASON = 500


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class UploadForm(AppForm):
    file = FileField(
        _l("File"), validators=[FileRequired(_l("Choose a file to upload."))], render_kw={"accept": ACCEPT}
    )
    description = StringField(
        _l("Description"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=MAX_DESCRIPTION, message=_l("The description can be at most %(max)d characters long.")),
        ],
        render_kw={"maxlength": MAX_DESCRIPTION},
    )


class RemoveForm(AppForm):
    reason = TextAreaField(
        _l("Reason for removal"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Say why the file is removed.")),
            Length(max=MAX_REASON, message=_l("The reason can be at most %(max)d characters long.")),
        ],
    )
