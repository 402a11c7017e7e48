"""Fold Vietnamese text into the plain words the search indexes hold ("Nguyễn Văn Ân" -> "nguyen van an")."""

from ..core.text import fold

#: A search takes at most this many words (each one must match).
MAX_TERMS = 8


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
    text = join_folded(
        petition.receipt_no, petition.summary, petition.content, petition.source_agency, petition.source_dispatch_no
    )
    people = " ".join(
        join_folded(party.person.full_name, party.person.citizen_id)
        for party in petition.parties
        if party.person is not None
    )
    if petition.is_identity_confidential:
        return text, join_folded(text, people)
    return join_folded(text, people), None


def case_document(case) -> str:
    return join_folded(case.number, case.title, case.decision_no)
