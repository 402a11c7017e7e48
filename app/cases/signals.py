"""Domain events of cases, sent after the write (inside its transaction) for other domains to follow.

Receivers (e.g. ``deadlines.receivers``: the clocks) run synchronously in the same transaction, so a
refusal they raise undoes the whole operation. Cases import no receiver.
"""

from blinker import Namespace

_events = Namespace()

#: A case was opened by accepting a petition. Sender: the Case.
case_opened = _events.signal("case-opened")

#: A workflow transition was performed. Sender: the Case; ``action``: the CaseAction; ``on``: its date.
case_transitioned = _events.signal("case-transitioned")

#: The decision (conclusion, answer) was sent to the parties. Sender: the Case; ``on``: the day it was sent.
case_decision_delivered = _events.signal("case-decision-delivered")

#: The complainant filed an administrative lawsuit against the case's decision. Sender: the Case; ``on``:
#: the day it was filed.
case_taken_to_court = _events.signal("case-taken-to-court")
