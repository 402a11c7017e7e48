"""Login form."""

from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..core.forms import AppForm
from ..core.i18n import lazy_gettext as _l


class LoginForm(AppForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter your username.")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password.")), Length(max=200)])
    submit = SubmitField(_l("Log in"))
