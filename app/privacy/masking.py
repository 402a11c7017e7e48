"""What is shown in place of a confidential petitioner: one neutral mask, the same on every surface."""

from flask_babel import ngettext

from . import policy


def identity_mask(petition) -> str:
    """The neutral text shown instead of the petitioners of a masked petition (with their number)."""
    n = max(len(petition.parties), 1)
    return ngettext("Identity protected (%(num)d petitioner)", "Identity protected (%(num)d petitioners)", n)


def visitors_mask(reception_session) -> str:
    """The text shown instead of the visitors of a reception session that produced a masked petition."""
    n = max(len(reception_session.visitors), 1)
    return ngettext("Identity protected (%(num)d visitor)", "Identity protected (%(num)d visitors)", n)


def session_shows_identity(user, reception_session) -> bool:
    """The visitors of a reception session are shown unless one of its petitions is masked for ``user``."""
    return all(policy.shows_identity(user, p) for p in reception_session.petitions)


def petitioner_columns(user, petition, *, on_receipt: bool = False) -> dict[str, str]:
    """Plain-text petitioner columns (names, CCCD, phones, addresses) for exports, masked when due."""
    if petition.is_anonymous and not petition.parties:
        from flask_babel import gettext as _

        return {"names": _("Anonymous"), "citizen_ids": "", "phones": "", "addresses": ""}
    shown = (policy.shows_identity_on_receipt if on_receipt else policy.shows_identity)(user, petition)
    if not shown:
        return {"names": identity_mask(petition), "citizen_ids": "", "phones": "", "addresses": ""}
    people = petition.petitioners
    return {
        "names": ", ".join(p.full_name for p in people),
        "citizen_ids": ", ".join(p.citizen_id for p in people if p.citizen_id),
        "phones": ", ".join(p.phone for p in people if p.phone),
        "addresses": "; ".join(a for a in (p.address for p in people) if a),
    }
