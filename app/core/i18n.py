"""Translated text for the UI: lazy messages that templates escape like any other text.

Flask-Babel's ``LazyString`` declares itself safe HTML (its ``__html__`` returns the text as it is), so
Jinja and ``markupsafe.escape`` would print a lazy message unescaped, together with any value formatted
into it. Every lazy message of TiepDan is made here instead, as text. Lazy messages are for texts
defined before a request knows its language (form labels, module constants); a message that quotes
a value is formatted at call time with ``gettext``, never lazily (tests/security/test_markup.py).
"""

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import escape


class LazyText(LazyString):  # type: ignore[misc]  # flask_babel ships no type information: LazyString is Any
    """A lazily translated message that is text, not markup."""

    def __html__(self) -> str:
        return str(escape(str(self)))


def lazy_gettext(string: str, **constants: object) -> LazyText:
    """Translate ``string`` when it is shown; ``constants`` are fixed numbers, never user input."""
    return LazyText(gettext, string, **constants)
