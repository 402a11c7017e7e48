"""Fold Vietnamese text into plain lower-case ASCII words ("Nguyễn Văn Ân" -> "nguyen van an").

Low-level (no import from the rest of the app): the search indexes (app.search.text) and the password
rules (app.users.passwords, which compare a password with the user's and the units' names) both fold.
"""

import re
import unicodedata

#: Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _fold_char(c: str) -> str:
    """What one character becomes: its base letters without marks, lower-cased; anything else a space."""
    decomposed = unicodedata.normalize("NFKD", c.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NOT_WORD.sub(" ", stripped)


class _FoldTable(dict[int, str]):
    """A str.translate table of _fold_char, filled as characters are met.

    Decomposing, dropping marks and lower-casing act on each character alone (marks are dropped, so their
    reordering by NFKD does not matter), so folding a text is translating it character by character at C
    speed, then collapsing the spaces: a million petitions fold in seconds (flask seed-bulk).
    """

    def __missing__(self, code: int) -> str:
        value = self[code] = _fold_char(chr(code))
        return value


_TABLE = _FoldTable()


def fold(value: str | None) -> str:
    """Lower-case ASCII words of ``value`` separated by single spaces: marks dropped, đ -> d, punctuation out."""
    return " ".join(value.translate(_TABLE).split()) if value else ""
