"""The legal rules that gate a case's workflow actions (beyond its state, the actor's role and scope).

``Case.procedure_refusal`` applies them, for ``Case.can_perform`` (the buttons shown) and for
``cases.operations.check_transition`` (the refusal of a post), so the two never disagree.
"""

from ..core.i18n import lazy_gettext as _l
from ..core.procedure import LegalRule

COMPLAINTS_ART_44 = _l("Law on Complaints 2011, art. 44")

#: A complaint decision takes legal effect when the period for a second complaint (first instance) or a
#: lawsuit has passed without one; until then it is not carried out and the case stays open.
NOT_YET_EFFECTIVE = LegalRule(
    "complaint.not_yet_effective",
    COMPLAINTS_ART_44,
    _l(
        "The complaint decision has not taken legal effect yet: it does when the period for a second "
        "complaint or a lawsuit has passed without one (its date is under Deadlines). Enforcement and "
        "closing wait until then."
    ),
)
#: A first-instance decision that was appealed never takes effect: the second-instance decision is the one
#: carried out; the first-instance case may be closed, its outcome lies in the second-instance case.
APPEALED = LegalRule(
    "complaint.appealed",
    COMPLAINTS_ART_44,
    _l(
        "The first-instance decision was appealed: it does not take legal effect, and the second-instance "
        "decision is the one enforced. Close this case; its outcome is in the second-instance case."
    ),
)

#: A complaint decision taken to an administrative court is not carried out: the administrative route stops
#: and the court's judgment decides. The case may be closed; the judgment is recorded on it.
IN_COURT = LegalRule(
    "complaint.in_court",
    _l("Law on Complaints 2011, art. 33"),
    _l(
        "The complainant took the decision to an administrative court: the administrative route stops and "
        "the decision is not enforced. Record the judgment when it comes; the case may be closed."
    ),
)

#: A complaint is decided after a dialogue where the law requires one: always at second instance (art. 39),
#: at first instance when the verification found other than the complainant claims (art. 30).
DIALOGUE_REQUIRED = LegalRule(
    "complaint.dialogue_required",
    _l("Law on Complaints 2011, art. 30 and 39"),
    _l(
        "Hold and record the dialogue with the complainant before the decision: it is required at second "
        "instance, and at first instance when the verification found other than the complainant claims."
    ),
)

COMPLAINTS_ART_11 = _l("Law on Complaints 2011, art. 11")

#: A second complaint is not accepted against a first-instance decision that has taken legal effect, that the
#: complainant took to court, or that another open second-instance case already handles.
APPEAL_AFTER_EFFECT = LegalRule(
    "complaint.appeal_after_effect",
    COMPLAINTS_ART_11,
    _l("The first-instance decision has taken legal effect: a second complaint against it is not accepted."),
)
APPEAL_IN_COURT = LegalRule(
    "complaint.appeal_in_court",
    COMPLAINTS_ART_11,
    _l("The complainant took the first-instance decision to court: a second complaint is not accepted."),
)
ALREADY_APPEALED = LegalRule(
    "complaint.already_appealed",
    COMPLAINTS_ART_11,
    _l("This first-instance decision is already handled at second instance: join the petition to that case."),
)

#: A matter already resolved by a decision in force (a first-instance decision that took legal effect, or a
#: second-instance decision), raised again without new facts, is not accepted; new facts are the head's to
#: weigh (the override's reason says what they are).
ALREADY_RESOLVED = LegalRule(
    "complaint.already_resolved",
    _l("Law on Complaints 2011, art. 11; Law on Citizen Reception 2013, art. 9"),
    _l(
        "The same complainant's complaint of the same subject area was already resolved by a decision in "
        "force: raised again without new facts, it is not accepted. File it as already resolved; if it "
        "brings new facts, the head of the unit can accept it, naming them."
    ),
)
