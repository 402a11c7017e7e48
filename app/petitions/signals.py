"""Domain events of petitions, sent after the write (inside its transaction) for other domains to follow.

Receivers (e.g. ``deadlines.receivers``: the clocks) run synchronously in the same transaction, so a
refusal they raise undoes the whole operation. Petitions import no receiver.
"""

from blinker import Namespace

_events = Namespace()

#: A petition was entered in the register. Sender: the Petition.
petition_registered = _events.signal("petition-registered")

#: A received petition was decided (accepted, transferred, guided, filed, withdrawn). Sender: the Petition;
#: ``on``: the date of the decision (for an acceptance, the acceptance date).
petition_decided = _events.signal("petition-decided")

#: A fact a petition's deadlines depend on changed (a denunciation's sites to verify). Sender: the Petition.
petition_reclassified = _events.signal("petition-reclassified")

#: A petition's date received, kind or instance was corrected (a petition on which no case is opened).
#: Sender: the Petition.
petition_corrected = _events.signal("petition-corrected")
