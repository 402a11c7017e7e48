"""The base of every form: a form sent back after a lost session is shown again, never saved unseen.

When a post arrives after the session ended (or with a stale CSRF token), the login page carries what was
typed; after logging in, the browser sends it once more to the same URL with ``RESTORED_FIELD`` set and a
fresh CSRF token (app/users/drafts.py). ``validate_on_submit`` is then False: the view shows its form
filled in, as after any refused save, and the officer checks it and saves once.
"""

from flask import flash, g, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm

#: The field that marks a post as a restored draft (never a form field of its own).
RESTORED_FIELD = "_restored"


class AppForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no type information
    @property
    def restored(self) -> bool:
        """True when this post is typed work given back after logging in again (not a save)."""
        return request.method == "POST" and request.form.get(RESTORED_FIELD) == "1"

    def validate_on_submit(self, extra_validators: object = None) -> bool:
        if self.restored:
            flash_restored()
            return False
        return bool(super().validate_on_submit(extra_validators=extra_validators))


def flash_restored() -> None:
    """Once per request: tell the officer the form holds what they typed and is not yet saved."""
    if g.get("restored_flashed"):
        return
    g.restored_flashed = True
    message = _("You are logged in again. What you typed is back in the form below, not yet saved: check it and save.")
    if request.form.get("_files_dropped") == "1":
        message += " " + _("Attached files could not be kept: choose them again.")
    flash(message, "warning")
