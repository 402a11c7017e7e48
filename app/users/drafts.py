"""Typed work that outlives a lost session: the form a post carried, kept through the login page.

A post that arrives after the session ended (or with a stale CSRF token) is not saved and not dropped:
the login page carries it (hidden fields, in the officer's own browser, stored nowhere else), and after
logging in the browser sends it back to the URL it was meant for, with a fresh CSRF token and
``RESTORED_FIELD`` set, so the view shows its form filled in for the officer to check and save once
(app/core/forms.py). Files cannot be carried: the form says to choose them again. Password fields are
never carried.
"""

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import request

from ..core.forms import RESTORED_FIELD
from ..core.urls import safe_next

#: At most this many fields are carried (a real form has a few dozen; the request size limit caps the rest).
MAX_FIELDS = 2000
#: Fields never carried: the token is renewed, the marker is set again.
DROPPED = {"csrf_token", RESTORED_FIELD, "_files_dropped"}
#: Posts that are buttons, not typed work (their views have no form to show again): never carried.
NOT_KEPT = {"users.logout", "users.login", "set_language"}


@dataclass
class Draft:
    action: str  # the path (and query) the form was posted to
    fields: list[tuple[str, str]] = field(default_factory=list)
    files_dropped: bool = False

    def encode(self) -> str:
        return json.dumps({"action": self.action, "fields": self.fields, "files": self.files_dropped})


def _carried(name: str) -> bool:
    return name not in DROPPED and "password" not in name.lower()


def from_this_site() -> bool:
    """True when the post came from a page of this site (its Origin, or else its Referer, names this host).

    Only such a post is carried through the login page: a form another site made a browser send is refused
    as before, never offered back filled in.
    """
    origin = request.headers.get("Origin")
    source = origin if origin and origin != "null" else request.referrer
    return bool(source) and urlsplit(source).netloc == request.host


def capture() -> Draft | None:
    """The draft of the current request: a form post from and to a page of this site; None for anything else."""
    if request.method != "POST" or request.path.startswith("/api/") or request.endpoint in NOT_KEPT:
        return None
    if not request.form or not from_this_site():
        return None
    action = safe_next(request.full_path.rstrip("?"), "")
    if not action:
        return None
    fields = [(name, value) for name, values in request.form.lists() if _carried(name) for value in values]
    dropped = any(f.filename for f in request.files.values())
    if not fields:
        return None  # nothing typed to give back
    return Draft(
        action=action, fields=fields[:MAX_FIELDS], files_dropped=dropped or bool(request.form.get("_files_dropped"))
    )


def decode(text: object) -> Draft | None:
    """The draft a login form carried back, or None when it is missing or not one of ours."""
    if not isinstance(text, str) or not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    action = safe_next(data.get("action"), "")
    raw = data.get("fields")
    if not action or action.startswith("/login") or not isinstance(raw, list) or len(raw) > MAX_FIELDS:
        return None
    fields: list[tuple[str, str]] = []
    for pair in raw:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
            return None
        if _carried(pair[0]):
            fields.append((pair[0], pair[1]))
    return Draft(action=action, fields=fields, files_dropped=data.get("files") is True)
