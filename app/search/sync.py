"""Keep the folded search columns of petitions and cases in step with what they are computed from.

The package owning a searchable model registers it, with the function computing its folded columns
(``track``, called by petitions.models and cases.models at import): search imports no higher package.
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

#: The searchable models, each with the function of a row that yields its folded columns (name -> text).
_TRACKED: dict[type, Callable[[Any], dict[str, str | None]]] = {}


def track(model: type, columns: Callable[[Any], dict[str, str | None]]) -> None:
    """Keep the folded columns of ``model``'s rows at what ``columns(row)`` computes, at every flush."""
    _TRACKED[model] = columns


def _refresh(session: Session, flush_context, instances) -> None:
    # Adding a petitioner goes through petition.parties, which puts the petition itself in session.dirty.
    for obj in list(session.new) + list(session.dirty):
        for model, columns in _TRACKED.items():
            if isinstance(obj, model):
                for name, value in columns(obj).items():
                    if getattr(obj, name) != value:
                        setattr(obj, name, value)
                break


def init_app(app) -> None:
    if not event.contains(Session, "before_flush", _refresh):
        event.listen(Session, "before_flush", _refresh)
