"""Import every model so that Alembic and the mappers see the whole schema."""
from .cases.models import Case, CaseEvent, CaseTally  # noqa: F401
from .core.sequences import SequenceCounter  # noqa: F401
from .persons.models import Person  # noqa: F401
from .petitions.models import Petition, PetitionEvent, PetitionParty  # noqa: F401
from .reception.models import ReceptionSession, ReceptionVisitor  # noqa: F401
from .units.models import Unit  # noqa: F401
from .users.models import User, UserRole, UserSession  # noqa: F401
from .deadlines.models import CalendarOverride, Clock, DeadlineRule, DeadlineRuleChange, Extension  # noqa: F401
from .flags.models import Flag  # noqa: F401
from .notifications.models import Notification  # noqa: F401
from .scheduler.models import SchedulerLease  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .privacy.models import RolePermission  # noqa: F401
from .attachments.models import Attachment  # noqa: F401
