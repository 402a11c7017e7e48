"""Fold Vietnamese text into the plain words the search indexes hold ("Nguyễn Văn Ân" -> "nguyen van an")."""
import re
import unicodedata

#: Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")
#: A search takes at most this many words (each one must match).
MAX_TERMS = 8


def _fold_char(c: str) -> str:
    """What one character becomes: its base letters without marks, lower-cased; anything else a space."""
    decomposed = unicodedata.normalize("NFKD", c.translate(_LETTERS))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return _NOT_WORD.sub(" ", stripped)


class _FoldTable(dict):
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


def join_folded(*parts: str | None) -> str:
    return " ".join(f for f in (fold(p) for p in parts) if f)


def query_terms(q: str | None) -> list[str]:
    """The distinct words of a search, folded, in order (at most MAX_TERMS)."""
    terms: list[str] = []
    for word in fold(q).split():
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def petition_documents(petition) -> tuple[str, str | None]:
    """The folded ``search_text`` and ``search_private`` of a petition.

    The petitioners' names and CCCDs go into ``search_text`` only when the identity is not confidential;
    for a confidential petition they are in ``search_private`` (with the rest of the text), which a search
    consults only for users to whom the identity is shown.
    """
    text = join_folded(petition.receipt_no, petition.summary, petition.content, petition.source_agency,
                       petition.source_dispatch_no)
    people = " ".join(join_folded(party.person.full_name, party.person.citizen_id)
                      for party in petition.parties if party.person is not None)
    if petition.is_identity_confidential:
        return text, join_folded(text, people)
    return join_folded(text, people), None


def case_document(case) -> str:
    return join_folded(case.number, case.title, case.decision_no)
