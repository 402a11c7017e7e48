"""Forms of the notifications page (no fields: they carry the CSRF token)."""

from ..core.forms import AppForm


class MarkReadForm(AppForm):
    """Mark one notification, or all of them, as read."""
