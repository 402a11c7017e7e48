"""Petitions (đơn): written submissions received at the desk, by post, online or by transfer."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    exists,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import EnumStr
from ..core.enums import LabeledEnum
from ..core.events import EventMixin
from ..core.i18n import lazy_gettext as _l
from ..core.mixins import TimestampMixin
from ..core.roles import Role
from ..core.scope import in_scope
from ..extensions import Model
from ..persons.models import Person, hides_identity
from ..search.sync import track
from ..search.text import petition_documents
from ..subjects.models import SubjectArea
from ..units.models import Unit
from ..users.models import User

if TYPE_CHECKING:
    from ..reception.models import ReceptionSession


class PetitionKind(LabeledEnum):
    COMPLAINT = "complaint"
    DENUNCIATION = "denunciation"
    RECOMMENDATION = "recommendation"
    FEEDBACK = "feedback"

    __labels__ = {
        "complaint": _l("Complaint"),
        "denunciation": _l("Denunciation"),
        "recommendation": _l("Recommendation"),
        "feedback": _l("Feedback"),
    }


class Channel(LabeledEnum):
    DESK = "desk"
    POST = "post"
    ONLINE = "online"
    TRANSFERRED = "transferred"
    DEPUTY = "deputy"
    FATHERLAND_FRONT = "front"

    __labels__ = {
        "desk": _l("In person at the reception desk"),
        "post": _l("By post"),
        "online": _l("Online"),
        "transferred": _l("Transferred from another agency"),
        "deputy": _l("From a National Assembly or People's Council deputy"),
        "front": _l("From the Fatherland Front"),
    }


class PetitionState(LabeledEnum):
    RECEIVED = "received"
    ACCEPTED = "accepted"
    TRANSFERRED = "transferred"
    GUIDED = "guided"
    FILED = "filed"
    WITHDRAWN = "withdrawn"
    #: A petition of several contents (đơn có nhiều nội dung), split into one petition per content: each
    #: part is decided, timed and kept confidential on its own.
    SPLIT = "split"

    __labels__ = {
        "received": _l("Received, awaiting processing"),
        "accepted": _l("Accepted for resolution"),
        "transferred": _l("Transferred"),
        "guided": _l("Citizen guided"),
        "filed": _l("Filed without action"),
        "withdrawn": _l("Withdrawn"),
        "split": _l("Split into its contents"),
    }


class FiledReason(LabeledEnum):
    DUPLICATE = "duplicate"
    ANONYMOUS = "anonymous"
    ALREADY_RESOLVED = "already_resolved"
    ALREADY_GUIDED = "already_guided"
    NOT_ELIGIBLE = "not_eligible"
    ILLEGIBLE = "illegible"

    __labels__ = {
        "duplicate": _l("Duplicate of a petition already being handled"),
        "anonymous": _l("Anonymous or false name"),
        "already_resolved": _l("Already finally resolved, no new facts"),
        "already_guided": _l("Same content, the citizen already guided once"),
        "not_eligible": _l("Does not meet the conditions for handling"),
        "illegible": _l("Illegible or unclear content"),
    }


class CompetentBody(LabeledEnum):
    """The kind of body a petition outside the unit's competence is transferred or the citizen guided to:
    the categories of the national database on citizen reception and petitions (Decree 55/2022 art. 6)."""

    ELECTED = "elected"
    ADMINISTRATION = "administration"
    JUDICIARY = "judiciary"
    STATE_AUDIT = "state_audit"
    ORGANISATIONS = "organisations"
    PUBLIC_SERVICE = "public_service"

    __labels__ = {
        "elected": _l("National Assembly, People's Councils and their bodies"),
        "administration": _l("State administrative bodies"),
        "judiciary": _l("Courts, procuracies and civil judgment enforcement bodies"),
        "state_audit": _l("State Audit"),
        "organisations": _l("Political and socio-political organisations"),
        "public_service": _l("Public service units and state enterprises"),
    }


#: A denunciation's acceptance decision is due 7 working days after receipt, 10 when the information has to
#: be verified at several sites (Law on Denunciations 2018 art. 24, 29: the rule table's
#: ``denunciation.acceptance.sites``). The number of sites is recorded with the petition.
MAX_SITES = 1000


class PetitionParty(Model):
    __tablename__ = "petition_parties"
    #: A person's petitions (repeated petitions, reuse of a person row): the key leads with the petition.
    __table_args__ = (Index("ix_petition_parties_person_id", "person_id"),)

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    #: Listed first on the petition / chosen representative.
    is_representative: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship(lazy="joined")


#: The processing decisions open to a petition in each state (one table, checked by one function).
PETITION_TRANSITIONS: dict[PetitionState, set[PetitionState]] = {
    PetitionState.RECEIVED: {
        PetitionState.ACCEPTED,
        PetitionState.TRANSFERRED,
        PetitionState.GUIDED,
        PetitionState.FILED,
        PetitionState.WITHDRAWN,
        PetitionState.SPLIT,
    },
    PetitionState.ACCEPTED: set(),
    PetitionState.TRANSFERRED: set(),
    PetitionState.GUIDED: set(),
    PetitionState.FILED: set(),
    PetitionState.WITHDRAWN: set(),
    PetitionState.SPLIT: set(),
}


class Petition(TimestampMixin, Model):
    __tablename__ = "petitions"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "seq", name="uq_petitions_unit_year_seq"),
        CheckConstraint("signatory_count >= 1", name="signatories_positive"),
        CheckConstraint("state <> 'filed' OR filed_reason IS NOT NULL", name="filed_has_reason"),
        CheckConstraint("state <> 'transferred' OR transferred_to IS NOT NULL", name="transfer_has_target"),
        CheckConstraint("state <> 'accepted' OR case_id IS NOT NULL", name="accepted_has_case"),
        CheckConstraint("obstacle_days IS NULL OR obstacle_days >= 0", name="obstacle_days_not_negative"),
        CheckConstraint("sites_to_verify IS NULL OR sites_to_verify >= 1", name="sites_to_verify_positive"),
        CheckConstraint("instance IS NULL OR instance IN (1, 2)", name="instance_first_or_second"),
        # The register is sorted newest received first and paged by (received_on, id): see cases.models.
        Index("ix_petitions_received_on_id", "received_on", "id"),
        Index("ix_petitions_unit_sort", "unit_id", "received_on", "id"),
        Index("ix_petitions_state_sort", "state", "received_on", "id"),
        Index("ix_petitions_kind_sort", "kind", "received_on", "id"),
        Index("ix_petitions_channel_sort", "channel", "received_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The unit that received the petition (its register).
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    #: Receipt number, e.g. "TK-2026-000123": unique per unit and year.
    receipt_no: Mapped[str] = mapped_column(String(40), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(EnumStr(Channel))
    #: Sending agency and its dispatch number (công văn) for transferred/deputy/Front petitions.
    source_agency: Mapped[str | None] = mapped_column(String(300))
    source_dispatch_no: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[PetitionKind] = mapped_column(EnumStr(PetitionKind))
    #: A complaint: first (1) or second (2) complaint, as registered (None: first); its acceptance period
    #: is the instance's (Law on Complaints 2011 art. 27, 36), and the acceptance decision starts from it.
    instance: Mapped[int | None] = mapped_column(Integer)
    #: The subject area (lĩnh vực) it is classified under at the desk (Decree 55/2022 art. 6); empty only
    #: on petitions registered before the areas were kept.
    subject_area_id: Mapped[int | None] = mapped_column(ForeignKey("subject_areas.id"), index=True)
    is_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The petitioners' identity is confidential: always for a denunciation (Law on Denunciations 2018
    #: art. 8, 9, 47, 56), for a complaint or other petition when the petitioner asked for it.
    is_identity_confidential: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Number of people who signed (many people: 5 or more).
    signatory_count: Mapped[int] = mapped_column(Integer, default=1)
    summary: Mapped[str] = mapped_column(String(500))
    content: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[PetitionState] = mapped_column(EnumStr(PetitionState), default=PetitionState.RECEIVED)
    #: Processing decision details.
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    transferred_to: Mapped[str | None] = mapped_column(String(300))
    transfer_dispatch_no: Mapped[str | None] = mapped_column(String(60))
    guidance: Mapped[str | None] = mapped_column(Text)
    #: Outside the unit's competence (transferred or guided): the kind of body that is competent.
    competent_body: Mapped[CompetentBody | None] = mapped_column(EnumStr(CompetentBody))
    #: A denunciation: the number of sites its information has to be verified at (None: one).
    sites_to_verify: Mapped[int | None] = mapped_column(Integer)
    filed_reason: Mapped[FiledReason | None] = mapped_column(EnumStr(FiledReason))
    decision_note: Mapped[str | None] = mapped_column(Text)
    #: A complaint's lodging period (Law on Complaints 2011 art. 9), recorded at acceptance: the day the
    #: complainant received or learned of the decision or act, and the days an objective obstacle (illness,
    #: disaster, travel or study far away…) took from the period, with what it was.
    learned_on: Mapped[date | None] = mapped_column(Date)
    obstacle_days: Mapped[int | None] = mapped_column(Integer)
    obstacle_reason: Mapped[str | None] = mapped_column(Text)
    #: A part of a petition of several contents: the petition it was split from.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    #: An earlier petition with the same petitioner(s) and content.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("petitions.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    reception_session_id: Mapped[int | None] = mapped_column(ForeignKey("reception_sessions.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: Folded words for the search (see app/search): receipt number, text and, unless the identity is
    #: confidential, the petitioners' names and CCCDs. Kept up to date on every flush.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: For a confidential petition only: search_text with the petitioners, searched only where they are shown.
    search_private: Mapped[str | None] = mapped_column(Text)
    #: Imported from a register kept in Excel before TiepDan: the digest of its row (a second import of the
    #: same file adds nothing; see app/imports).
    import_key: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    #: Optimistic-locking version: a save from a stale form is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit] = relationship(lazy="joined")
    subject_area: Mapped[SubjectArea | None] = relationship(lazy="joined")
    parties: Mapped[list[PetitionParty]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    duplicate_of: Mapped[Optional["Petition"]] = relationship(remote_side="Petition.id", foreign_keys=[duplicate_of_id])
    parent: Mapped[Optional["Petition"]] = relationship(
        remote_side="Petition.id", foreign_keys=[parent_id], back_populates="parts"
    )
    parts: Mapped[list["Petition"]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Petition.id"
    )
    case = relationship("Case", back_populates="petitions", foreign_keys=[case_id])
    reception_session: Mapped[Optional["ReceptionSession"]] = relationship(back_populates="petitions")
    events: Mapped[list["PetitionEvent"]] = relationship(order_by="PetitionEvent.id", back_populates="petition")

    def __repr__(self) -> str:
        return f"<Petition {self.receipt_no}>"

    @property
    def petitioners(self) -> list[Person]:
        return [p.person for p in sorted(self.parties, key=lambda p: not p.is_representative)]

    @property
    def petitioner_names(self) -> str:
        return ", ".join(p.full_name for p in self.petitioners)

    @property
    def is_many_people(self) -> bool:
        return self.signatory_count >= 5

    @property
    def is_in_competence(self) -> bool | None:
        """Within the unit's competence: accepted (True); transferred or guided (False); else not decided."""
        if self.state is PetitionState.ACCEPTED:
            return True
        if self.state in (PetitionState.TRANSFERRED, PetitionState.GUIDED):
            return False
        return None

    @property
    def is_eligible(self) -> bool | None:
        """Meets the conditions for handling: False once filed (the reason says which), None undecided."""
        if self.state is PetitionState.FILED:
            return False
        if self.state in (PetitionState.RECEIVED, PetitionState.WITHDRAWN):
            return None
        return True

    @property
    def complaint_instance(self) -> int | None:
        """1 or 2 for a complaint (first unless registered as a second complaint), None for other kinds."""
        return (self.instance or 1) if self.kind is PetitionKind.COMPLAINT else None

    @property
    def sites(self) -> int:
        """The sites a denunciation's information is verified at (one unless recorded)."""
        return self.sites_to_verify or 1

    def can_record_sites(self, user: User) -> bool:
        """``user`` may record how many sites a received denunciation's information is verified at."""
        return self.kind is PetitionKind.DENUNCIATION and self.can_decide(user)

    def allowed_next(self) -> set[PetitionState]:
        return PETITION_TRANSITIONS[self.state]

    # --- Permissions: may ``user`` do this now? (the operations raise the refusal when not) -------------

    def can_decide(self, user: User) -> bool:
        """``user`` may take the processing decision on this petition now (received, in their units)."""
        return (
            self.state is PetitionState.RECEIVED
            and user.has_any_role(Role.RECEPTION, Role.HEAD)
            and user.oversees(self.unit)
        )

    def can_mark_duplicate(self, user: User) -> bool:
        """``user`` may link this petition to an earlier one it repeats."""
        return user.has_any_role(Role.RECEPTION, Role.HEAD) and user.oversees(self.unit)


def handled_case_ids(user_id: int, *, unit_id: int | None = None) -> Select[tuple[int]]:
    """The ids of the cases ``user_id`` handles (with ``unit_id``: and the cases of that unit), uncorrelated so
    that it may sit inside a query over cases.

    Cases lie above petitions: their model is reached through the link a petition declares to its case
    (``Petition.case``), never imported.
    """
    case = Petition.case.property.mapper.class_
    condition = case.handler_id == user_id
    if unit_id is not None:
        condition = or_(condition, case.unit_id == unit_id)
    return select(case.id).where(condition).correlate(None)


def _search_columns(petition: Petition) -> dict[str, str | None]:
    """The folded search columns of ``petition`` (see app.search)."""
    text, private = petition_documents(petition)
    return {"search_text": text, "search_private": private}


track(Petition, _search_columns)


def _hidden_on_petitions(actor: User | None) -> ColumnElement[bool]:
    """Person reuse (persons.operations): the person is a petitioner of a confidential petition, or of a
    petition outside ``actor``'s units."""
    on_petition: ColumnElement[bool] = Petition.is_identity_confidential.is_(True)
    if actor is not None:
        on_petition = or_(on_petition, ~in_scope(Petition.unit_id, actor))
    return exists().where(PetitionParty.person_id == Person.id, Petition.id == PetitionParty.petition_id, on_petition)


hides_identity(_hidden_on_petitions)


class PetitionEvent(EventMixin, Model):
    __tablename__ = "petition_events"

    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    petition: Mapped[Petition] = relationship(back_populates="events")
