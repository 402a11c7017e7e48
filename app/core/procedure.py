"""Rules of the legal procedure: a step the law forbids in some situation, with the article that says so.

Each domain declares its rules as ``LegalRule`` constants beside the code that applies them (e.g.
``cases.procedure``). A refusal names the rule and its legal basis, in the user's language, and changes
nothing (it is raised before any write).
"""

from dataclasses import dataclass
from typing import NoReturn

from flask_babel import gettext as _

from .errors import TransitionRefused
from .i18n import LazyText


@dataclass(frozen=True)
class LegalRule:
    """One rule: ``code`` (stable, for tests and logs), the legal ``basis`` and the refusal ``text``."""

    code: str
    basis: LazyText
    text: LazyText

    def message(self) -> str:
        """The refusal with its legal basis, e.g. "… (Luật Khiếu nại 2011, Điều 44)"."""
        return str(_("%(rule)s (%(basis)s)", rule=str(self.text), basis=str(self.basis)))

    def refuse(self) -> NoReturn:
        raise TransitionRefused(self.message())
