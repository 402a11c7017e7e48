"""Optimistic locking against stale forms."""
from flask_babel import lazy_gettext as _l

from .errors import StaleObject

STALE_MESSAGE = _l("Someone else changed this record after you opened it. "
                   "Nothing was saved: reload the page to see their changes, then try again.")


def check_version(obj, expected_version) -> None:
    """Refuse the write if the record changed since the form showing ``expected_version`` was opened."""
    if expected_version is None:
        return
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        expected = -1
    if expected != obj.version:
        raise StaleObject(STALE_MESSAGE)
