"""Forms of the notifications page (no fields: they carry the CSRF token)."""

from flask_wtf import FlaskForm


class MarkReadForm(FlaskForm):
    """Mark one notification, or all of them, as read."""
