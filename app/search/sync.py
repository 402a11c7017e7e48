"""Keep the folded search columns of petitions and cases in step with what they are computed from."""

from sqlalchemy import event
from sqlalchemy.orm import Session

from .text import case_document, petition_documents


def _refresh(session: Session, flush_context, instances) -> None:
    from ..cases.models import Case
    from ..petitions.models import Petition

    # Adding a petitioner goes through petition.parties, which puts the petition itself in session.dirty.
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Petition):
            text, private = petition_documents(obj)
            if obj.search_text != text:
                obj.search_text = text
            if obj.search_private != private:
                obj.search_private = private
        elif isinstance(obj, Case):
            text = case_document(obj)
            if obj.search_text != text:
                obj.search_text = text


def init_app(app) -> None:
    if not event.contains(Session, "before_flush", _refresh):
        event.listen(Session, "before_flush", _refresh)
