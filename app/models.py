"""Import every model so that Alembic and the mappers see the whole schema."""

from .attachments.models import Attachment
from .audit.models import AuditEvent
from .cases.models import Case, CaseEvent, CaseTally
from .core.sequences import SequenceCounter
from .deadlines.models import CalendarOverride, Clock, DeadlineRule, DeadlineRuleChange, Extension
from .documents.models import DocumentSettings, DocumentTemplate, IssuedDocument
from .flags.models import Flag
from .mediation.models import MediationRecord
from .notifications.models import Notification
from .persons.models import Person
from .petitions.models import Petition, PetitionEvent, PetitionParty
from .privacy.models import RolePermission
from .reception.models import ReceptionSession, ReceptionVisitor
from .scheduler.models import SchedulerLease
from .subjects.models import SubjectArea
from .units.models import Unit
from .users.models import User, UserRole, UserSession

__all__ = [
    "Attachment",
    "AuditEvent",
    "CalendarOverride",
    "Case",
    "CaseEvent",
    "CaseTally",
    "Clock",
    "DeadlineRule",
    "DeadlineRuleChange",
    "DocumentSettings",
    "DocumentTemplate",
    "Extension",
    "Flag",
    "IssuedDocument",
    "MediationRecord",
    "Notification",
    "Person",
    "Petition",
    "PetitionEvent",
    "PetitionParty",
    "ReceptionSession",
    "ReceptionVisitor",
    "RolePermission",
    "SchedulerLease",
    "SequenceCounter",
    "SubjectArea",
    "Unit",
    "User",
    "UserRole",
    "UserSession",
]
