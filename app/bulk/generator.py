"""What a bulk load writes: the province's units and staff, and the plan of each case (its petitions,
petitioners, history and clocks), generated day by day from one seeded random.Random.

The rows reproduce what the operations would have done: receipt and case numbers and their sequence
counters, the folded search columns (app/search/text.py), the action names and states of the history
rows, and the clocks of the lifecycle table (app/deadlines/lifecycle.py) with the rules of the rule
table and the working-day calendar. No flags: the scheduler's sweep raises them. The folded search text
and the working-day arithmetic use exact fast equivalents of app.search.text.fold and the WorkCalendar.
How the rows are written is loaders.py's.
"""

import heapq
import math
import random
from bisect import bisect_right
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any, cast

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..audit.operations import record
from ..core.roles import Role
from ..core.timeutil import utcnow
from ..deadlines.calendar import load_calendar
from ..deadlines.engine import Facts, best_rule
from ..deadlines.lifecycle import ACTION_EVENTS, LIFECYCLE, ClockEvent, replay, started_by
from ..deadlines.models import ClockStatus, DeadlineRule, Stage
from ..demo import DEMO_PASSWORD
from ..extensions import db
from ..persons.divisions import wards_of
from ..search.text import fold, join_folded
from ..subjects.models import SubjectArea
from ..units.models import Unit, UnitKind
from ..units.operations import create_unit
from ..users.models import User, UserRole
from ..users.passwords import check_password_rules
from . import names as N
from . import texts as T
from .rows import TABLES
from .texts import subject_code_for

PROVINCE = 75
PROVINCE_UNIT = "DN"
YEARS = 10
#: Vietnam has kept UTC+7 without daylight saving since 1975: local times are converted with a fixed offset.
UTC_OFFSET = timedelta(hours=7)

# Shares (rough, from the brief and the demo): kinds of a new case, channels, decisions ...
KIND_WEIGHTS = (("complaint", 42.5), ("denunciation", 15.5), ("recommendation", 25.0), ("feedback", 17.0))
CHANNEL_WEIGHTS = (("desk", 40), ("post", 25), ("online", 20), ("transferred", 8), ("deputy", 4), ("front", 3))
#: Share of new cases at the province itself (the rest go to the communes by their weights).
PROVINCE_SHARE = 0.03
#: Of a first-instance complaint decided against the citizen (rejected or partly upheld): appealed.
APPEAL_SHARE = 0.16
#: A second petition with the same content joined to the case while it is open (about 10% of the cases
#: get one: a share of the planned ones come after the decision and are dropped).
JOIN_SHARE = 0.14
#: Petitions that never became cases, per case: (state, weight).
OTHER_PETITIONS_PER_CASE = 0.3
OTHER_DECISIONS = (("transferred", 40), ("guided", 33), ("filed", 22), ("withdrawn", 5))
FILED_REASONS = (("duplicate", 40), ("anonymous", 18), ("already_resolved", 17), ("not_eligible", 17), ("illegible", 8))
#: A non-denunciation petition whose petitioner asked for confidentiality.
CONFIDENTIAL_SHARE = 0.03
#: Petitioner slots filled by someone who petitioned before (never for a confidential petition).
REUSE_SHARE = 0.12
PERSON_POOL_PER_UNIT = 400
COMPLEXITY_WEIGHTS = (("normal", 80), ("complex", 15), ("especially_complex", 5))
OUTCOMES = {
    "complaint": (("upheld", 20), ("partly_upheld", 30), ("rejected", 50)),
    "denunciation": (("true", 20), ("partly_true", 30), ("untrue", 50)),
    "recommendation": (("answered", 1),),
    "feedback": (("answered", 1),),
}
#: Days from receipt to acceptance (thụ lý) and from acceptance to assignment.
ACCEPT_LAGS = (0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 10, 12)
ASSIGN_LAGS = (0, 1, 1, 1, 2, 2, 3, 4, 5, 7)
#: Resolution time as a share of the legal limit: (cumulative probability, low, high). About one case in
#: five finishes late; with the growth of recent years this leaves roughly 12% of the open cases overdue.
DURATION_BANDS = ((0.80, 0.20, 0.95), (0.93, 0.95, 1.40), (0.99, 1.40, 2.50), (1.00, 2.50, 6.00))
#: Resolution time assumed when no rule is in force (denunciations before the 2018 law took effect).
LIMIT_WITHOUT_RULE = 60

#: A deadline rule as the clocks need it: id, limit and day unit ("wd" or "d").
Rule = namedtuple("Rule", "id limit_days day_unit")


@dataclass
class UnitInfo:
    """What the generator needs of a unit: ids of its staff, its place names, how busy it is."""

    id: int
    code: str
    path: str
    is_remote: bool
    ward_code: int | None
    #: "phường Biên Hòa", "xã Tân Khai", "tỉnh Đồng Nai": how petitions name the place.
    ward_label: str
    is_urban: bool
    reception_id: int
    head_id: int
    #: (user id, unit id, full name) of the handling officers of the unit and its offices.
    handlers: list
    weight: float
    pool: list = field(default_factory=list)
    recent: list = field(default_factory=list)


# --- Units and staff (through the ORM: a hundred rows) ----------------------------------------------------


def _code_for(name: str, taken: set[str]) -> str:
    """A unit code from the ward's name: "Phường Biên Hòa" -> "BIENHOA" (unique among ``taken``)."""
    base = fold(name.split(" ", 1)[1] if " " in name else name).replace(" ", "").upper()[:16]
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


def _ward_label(name: str) -> str:
    """ "Phường Biên Hòa" -> "phường Biên Hòa" (as it reads inside a sentence)."""
    return name[:1].lower() + name[1:]


def _person_name(rng: random.Random, male: bool) -> str:
    surname = _draw(rng, _SURNAMES)
    middle = _draw(rng, _MIDDLE_MALE if male else _MIDDLE_FEMALE)
    given = rng.choice(N.GIVEN_MALE if male else N.GIVEN_FEMALE)
    if rng.random() < 0.16:
        middle += " " + rng.choice(N.SECOND_MIDDLE_MALE if male else N.SECOND_MIDDLE_FEMALE)
    return f"{surname} {middle} {given}"


def _draw(rng: random.Random, table: "Weighted"):
    return table.values[bisect_right(table.cum, rng.random() * table.total)]


STAFF = (  # (role, username prefix, title in a commune, title at the province)
    (Role.HEAD, "chutich", "Chủ tịch UBND {level}", "Chủ tịch UBND tỉnh"),
    (Role.RECEPTION, "tiepdan", "Công chức Văn phòng - Thống kê", "Chuyên viên Ban Tiếp công dân tỉnh"),
    (Role.HANDLER, "xuly", "Công chức Địa chính - Xây dựng", "Thanh tra viên, Thanh tra tỉnh"),
)


def ensure_province(say) -> tuple[list[UnitInfo], int, int]:
    """One commune unit per ward of province 75 under DN, each with a head, a reception and a handling officer.

    Units and users already there (the demo's, or a previous run's) are reused. Every bulk user gets the
    demo password, hashed once; outside the demo (DEPLOYMENT=production) the password rules refuse it.
    """

    province = db.session.execute(select(Unit).where(Unit.code == PROVINCE_UNIT)).scalar_one_or_none()
    if province is None:
        raise RuntimeError(f"No unit {PROVINCE_UNIT}: the bulk data extends the demo province.")
    all_units = list(db.session.execute(select(Unit)).scalars())
    taken = {u.code for u in all_units}
    by_ward = {
        u.ward_code: u
        for u in all_units
        if u.kind is UnitKind.COMMUNE and u.ward_code is not None and u.parent_id == province.id
    }
    units_added = 0
    communes: list[tuple[Unit, str, bool]] = []
    for ward_code, name in sorted(wards_of(PROVINCE)):
        unit = by_ward.get(ward_code)
        if unit is None:
            code = _code_for(name, taken)
            taken.add(code)
            unit = create_unit(
                code=code,
                name=f"UBND {_ward_label(name)}",
                kind=UnitKind.COMMUNE,
                parent=province,
                is_remote=ward_code in N.REMOTE_WARDS,
                province_code=PROVINCE,
                ward_code=ward_code,
            )
            units_added += 1
        communes.append((unit, _ward_label(name), name.startswith("Phường")))
    db.session.flush()

    users = list(db.session.execute(select(User).where(User.is_active_user.is_(True))).scalars())
    usernames = set(db.session.scalars(select(User.username)))
    password_hash = None
    users_added = 0

    def staff(unit: Unit, level: str) -> dict:
        nonlocal password_hash, users_added
        found = {}
        for role, prefix, title, province_title in STAFF:
            have = sorted((u for u in users if u.unit_id == unit.id and role in u.roles), key=lambda u: u.id)
            if have:
                found[role] = have[0]
                continue
            if password_hash is None:  # hashing costs ~0.1 s (scrypt): once for all the bulk users
                check_password_rules(DEMO_PASSWORD)  # outside the demo (production), refused
                password_hash = generate_password_hash(DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"])
            username, n = f"{prefix}.{unit.code.lower()}", 2
            while username in usernames:
                username, n = f"{prefix}{n}.{unit.code.lower()}", n + 1
            rng = random.Random(f"{unit.code}/{prefix}")
            user = User(
                username=username,
                full_name=_person_name(rng, rng.random() < 0.6),
                title=province_title if unit.id == province.id else title.format(level=level),
                unit=unit,
                is_active_user=True,
                password_hash=password_hash,
            )
            user.role_rows = [UserRole(role=role)]
            db.session.add(user)
            db.session.flush()
            record(
                "user.create",
                target_user=user,
                detail={"unit": unit.code, "roles": [role.value], "source": "seed-bulk"},
            )
            usernames.add(username)
            users.append(user)
            found[role] = user
            users_added += 1
        return found

    weights_rng = random.Random(PROVINCE)  # how busy each ward is does not depend on --seed
    infos = []
    province_staff = staff(province, "tỉnh")
    for unit, label, urban in communes:
        s = staff(unit, "phường" if urban else "xã")
        weight = (1.5 if urban else 1.0) * N.BUSY_WARDS.get(unit.ward_code, 1.0) * weights_rng.lognormvariate(0, 0.5)
        infos.append(_info(unit, s, label, urban, weight, users))
    # The province receives appeals (second instance) and a few first-instance cases of its own.
    infos.append(_info(province, province_staff, "tỉnh Đồng Nai", False, 0.0, users))
    if users_added or units_added:
        say(f"Added {units_added} units and {users_added} users (password: the demo password).")
    return infos, units_added, users_added


def _info(unit: Unit, staff: dict, label: str, urban: bool, weight: float, users: list) -> UnitInfo:
    # The unit's own handling officers and those of its offices (xuly2.tk of the demo works in TKVP).
    handlers = sorted(
        (u.id, u.unit_id, u.full_name)
        for u in users
        if Role.HANDLER in u.roles
        and (u.unit_id == unit.id or (u.unit.parent_id == unit.id and u.unit.kind is UnitKind.OFFICE))
    )
    return UnitInfo(
        id=unit.id,
        code=unit.code,
        path=unit.path,
        is_remote=unit.is_remote,
        ward_code=unit.ward_code,
        ward_label=label,
        is_urban=urban,
        reception_id=staff[Role.RECEPTION].id,
        head_id=staff[Role.HEAD].id,
        handlers=handlers or [(staff[Role.HANDLER].id, staff[Role.HANDLER].unit_id, staff[Role.HANDLER].full_name)],
        weight=weight,
    )


# --- Texts ------------------------------------------------------------------------------------------------


def _hamlet(rng, unit) -> str:
    """A quarter (khu phố) of a ward or a hamlet (ấp) of a commune, by number or by name."""
    if unit.is_urban:
        return f"khu phố {rng.randint(1, 12)}" if rng.random() < 0.5 else f"khu phố {rng.choice(N.HAMLETS)}"
    return f"ấp {rng.randint(1, 9)}" if rng.random() < 0.3 else f"ấp {rng.choice(N.HAMLETS)}"


def _money(rng):
    return f"{rng.randrange(5, 900) * 1_000_000:,}".replace(",", ".")


SLOT_MAKERS = {
    "qd": lambda r, u: str(r.randint(1, 2999)),
    "area": lambda r, u: str(r.choice((r.randint(40, 400), r.randint(400, 5000), r.randint(100, 1200)))),
    "parcel": lambda r, u: str(r.randint(1, 1500)),
    "sheet": lambda r, u: str(r.randint(1, 90)),
    "project": lambda r, u: r.choice(N.PROJECTS),
    "hamlet": lambda r, u: _hamlet(r, u),
    "ward": lambda r, u: u.ward_label,
    "office": lambda r, u: r.choice(N.OFFICES),
    "households": lambda r, u: str(r.randint(5, 150)),
    "people": lambda r, u: str(r.randint(2, 9)),
    "road": lambda r, u: r.choice(N.ROADS),
    "river": lambda r, u: r.choice(N.RIVERS),
    "park": lambda r, u: r.choice(N.INDUSTRIAL_PARKS),
    "support": lambda r, u: r.choice(N.SUPPORT_SCHEMES),
    "market": lambda r, u: r.choice(N.HAMLETS),
    "address": lambda r, u: (
        f"số {r.randint(1, 350)} đường {r.choice(N.STREETS)}"
        if u.is_urban
        else f"tổ {r.randint(1, 15)}, ấp {r.choice(N.HAMLETS)}"
    ),
    "price": lambda r, u: f"{r.randrange(150, 9000) * 1000:,}".replace(",", "."),
    "money": lambda r, u: _money(r),
    "year_cert": lambda r, u: str(r.randint(1994, 2018)),
    "year_old": lambda r, u: str(r.randint(1976, 2012)),
    "length": lambda r, u: str(r.randrange(100, 3000, 50)),
    "days": lambda r, u: str(r.choice((10, 15, 20, 30))),
}


class Weighted:
    """A table of (value, weight) pairs to draw from with one random number."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, pairs):
        self.values = [p[0] for p in pairs]
        self.cum = list(accumulate(p[1] for p in pairs))
        self.total = self.cum[-1]


class FastRandom(random.Random):
    """random.Random with randint/choice/randrange drawn from one random() each (several times faster).

    Just as reproducible for a seed; the numbers differ from the standard methods', which is all right here.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        return start + step * int(self.random() * ((stop - start + step - 1) // step))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


class Slots(dict):
    """Placeholder values made on first use, so a template only draws what it names."""

    __slots__ = ("rng", "unit", "day")

    def __init__(self, rng, unit, day):
        super().__init__()
        self.rng, self.unit, self.day = rng, unit, day

    def __missing__(self, key):
        if key in ("month", "year", "date"):
            d = self.day - timedelta(days=self.rng.randint(20, 400))
            self["month"], self["year"], self["date"] = str(d.month), str(d.year), f"{d:%d/%m/%Y}"
            return self[key]
        value = self[key] = SLOT_MAKERS[key](self.rng, self.unit)
        return value


_TOPIC_CUM = list(accumulate(t[1] for t in T.TOPICS))

_SURNAMES, _MIDDLE_MALE, _MIDDLE_FEMALE = Weighted(N.SURNAMES), Weighted(N.MIDDLE_MALE), Weighted(N.MIDDLE_FEMALE)
KIND_TABLE, CHANNEL_TABLE = Weighted(KIND_WEIGHTS), Weighted(CHANNEL_WEIGHTS)
COMPLEXITY_TABLE = Weighted(COMPLEXITY_WEIGHTS)
OTHER_DECISION_TABLE, FILED_REASON_TABLE = Weighted(OTHER_DECISIONS), Weighted(FILED_REASONS)
OUTCOME_TABLES = {kind: Weighted(pairs) for kind, pairs in OUTCOMES.items()}
_MINUTES = [timedelta(minutes=m) for m in range(24 * 60)]

#: Hour of the day (local) an action is usually recorded, and the state it leads to.
ACTION_HOURS = {
    "assign": 13,
    "suspend": 8,
    "resume": 8,
    "resolve": 15,
    "enforce": 9,
    "close": 14,
    "withdraw": 9,
    "terminate": 9,
}
ACTION_TARGETS = {
    "assign": "assigned",
    "suspend": "suspended",
    "resume": "assigned",
    "resolve": "resolved",
    "enforce": "enforced",
    "close": "closed",
    "withdraw": "withdrawn",
    "terminate": "terminated",
}


def _state_on(plan: list, day: date, done_on: dict, *, before: bool = False) -> str:
    """The state of a case at the end of ``day`` (``before``: at its start), from its plan and the steps taken."""
    state = "accepted"
    for on, action in plan:
        if on > day or (before and on == day):
            break
        if action in done_on:
            state = ACTION_TARGETS[action]
    return state


# --- A fast equivalent of the working-day calendar ---------------------------------------------------------


class FastCalendar:
    """WorkCalendar.add and days_between over a range of dates, from tables built once (same answers).

    Dates outside the range are asked of the WorkCalendar itself.
    """

    def __init__(self, cal, first: date, last: date):
        self.cal, self.first = cal, first
        working = [cal.is_working_day(first + timedelta(days=i)) for i in range((last - first).days + 1)]
        #: Working days in [first, first + i].
        self.rank = list(accumulate(working))
        self.working = [i for i, w in enumerate(working) if w]
        self.next_working: list = [None] * len(working)
        upcoming = None
        for i in range(len(working) - 1, -1, -1):
            upcoming = i if working[i] else upcoming
            self.next_working[i] = upcoming

    def add(self, start: date, n: int, unit: str) -> date:
        i = (start - self.first).days
        if unit == "wd":
            if n > 0 and 0 <= i < len(self.rank) and self.rank[i] + n - 1 < len(self.working):
                # The n-th working day after start: start itself is not counted.
                return self.first + timedelta(days=self.working[self.rank[i] + n - 1])
        elif 0 <= i + n < len(self.next_working) and self.next_working[i + n] is not None:
            return self.first + timedelta(days=self.next_working[i + n])
        return self.cal.add(start, n, unit)

    def days_between(self, start: date, end: date, unit: str) -> int:
        i, j = (start - self.first).days, (end - self.first).days
        if unit == "wd" and 0 <= i < len(self.rank) and 0 <= j < len(self.rank):
            return max(self.rank[j] - self.rank[i], 0)
        return self.cal.days_between(start, end, unit)


# --- The generator ----------------------------------------------------------------------------------------


class Generator:
    """Generates the rows day by day over ten years, in batches of cases (see ``batches``)."""

    def __init__(
        self, units: list[UnitInfo], *, seed: int, today: date, next_ids: dict, counters: dict, cccd_counts: dict
    ):
        self.rng = FastRandom(seed)
        self.today = today
        self.now = utcnow()
        self.units = units
        communes = [u for u in units if u.weight > 0]
        self.province = next(u for u in units if u.code == PROVINCE_UNIT)
        self.communes = communes
        self.commune_cum = list(accumulate(u.weight for u in communes))
        self.next_id = dict(next_ids)
        self.counters = dict(counters)
        self.cccd_counts = dict(cccd_counts)
        self.cal = FastCalendar(
            load_calendar(), today - timedelta(days=366 * (YEARS + 1)), today + timedelta(days=366 * 3)
        )
        self._add = self.cal.add
        self._day_base: dict[date, datetime] = {}
        self._rules: dict = {}
        self._rule_rows = list(db.session.scalars(select(DeadlineRule).where(DeadlineRule.is_active.is_(True))))
        self._rule_bounds = sorted(
            {r.effective_from for r in self._rule_rows} | {r.effective_to for r in self._rule_rows if r.effective_to}
        )
        self._rules_of_stage = {s: [r for r in self._rule_rows if r.stage is s] for s in Stage}
        self._unit_specific = any(r.unit_id for r in self._rule_rows)
        self._unit_paths = dict(db.session.execute(select(Unit.id, Unit.path)).all())
        self._subject_ids = dict(db.session.execute(select(SubjectArea.code, SubjectArea.id)).all())
        self.notice_labels = {stage: str(stage.label) for stage in (Stage.NOTIFY_ACCEPTANCE, Stage.NOTIFY_CONCLUSION)}
        self.cases_done = self.petitions_done = self.persons_done = self.events_done = self.clocks_done = 0
        self.batch_cases = 0
        self._pending_appeals: list = []
        self._pending_joins: list = []
        self._tick = 0
        self.rows: dict[str, list] = {t: [] for t in TABLES}

    # -- helpers --

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _seq(self, unit_id: int, series: str, year: int) -> int:
        key = (unit_id, series, year)
        value = self.counters.get(key, 0) + 1
        self.counters[key] = value
        return value

    def _at(self, day: date, hour: int, spread: int = 50) -> datetime:
        """A naive-UTC time on local ``day`` at ``hour``:00 plus up to ``spread`` minutes; never after now."""
        base = self._day_base.get(day)
        if base is None:
            base = self._day_base[day] = datetime(day.year, day.month, day.day) - UTC_OFFSET
        at = base + _MINUTES[hour * 60 + int(self.rng.random() * (spread + 1))]
        return at if at < self.now else self.now

    def _rule(self, stage: Stage, facts: tuple, on: date):
        """The rule deadlines.engine.find_rule picks, chosen the same way from the rules loaded once.

        Cached per stage, facts and period between two validity dates of the rule table; no query (the
        connection is busy with COPY in another thread while rows are generated).
        """
        key = (stage, facts, bisect_right(self._rule_bounds, on))
        found = self._rules.get(key, False)
        if found is False:
            kind, instance, complexity, is_remote, unit_path = facts
            rule_facts = Facts(
                kind=kind, instance=instance, complexity=complexity, is_remote=is_remote, unit_path=unit_path
            )
            best = best_rule(self._rules_of_stage[stage], rule_facts, on, self._unit_paths)
            found = self._rules[key] = Rule(best.id, best.limit_days, best.day_unit.value) if best else None
        return found

    def _facts(self, unit: UnitInfo, kind: str, instance, complexity: str = "normal") -> tuple:
        """The engine's Facts of a case (or petition) as a plain tuple (a cheap cache key)."""
        return (kind, instance, complexity, unit.is_remote, unit.path if self._unit_specific else None)

    def _clock(
        self,
        *,
        petition_id=None,
        case_id=None,
        stage: Stage,
        unit: UnitInfo,
        rule,
        started: date,
        status: str,
        completed=None,
        paused=None,
        suspended_days: int = 0,
        fixed_due=None,
        at=None,
    ):
        """Append one clock row; its due date computed as engine.compute_due does, from the same inputs."""
        if rule is None and fixed_due is None:
            return None
        limit, dunit = (rule.limit_days, rule.day_unit) if rule is not None else (0, "d")
        if fixed_due is not None:
            due = fixed_due
        else:
            due = self._add(started, limit, dunit)
            if suspended_days:
                due = self._add(due, suspended_days, dunit)
        created = at or self._at(started, 10)
        self.rows["clocks"].append(
            (
                self._id("clocks"),
                petition_id,
                case_id,
                stage.value,
                unit.id,
                rule.id if rule is not None else None,
                started,
                limit,
                dunit,
                suspended_days,
                fixed_due,
                due,
                status,
                paused,
                completed,
                created,
                created,
            )
        )
        self.clocks_done += 1
        return due

    def _lived(self, stage: Stage, steps: list, rule) -> tuple:
        """A clock of ``stage`` through ``steps`` ((day, ClockEvent), in order, after it started), as the
        lifecycle table moves it: (status, completed on, paused on, suspended days, the event that ended it)."""
        status, end, turns = replay(stage, [event for _on, event in steps])
        days = [steps[i][0] for i in turns]
        suspended = (
            sum(
                self.cal.days_between(start, stop, rule.day_unit)
                for start, stop in zip(days[::2], days[1::2], strict=False)
            )
            if rule is not None
            else 0
        )
        return (
            status.value,
            steps[end][0] if end is not None else None,
            days[-1] if status is ClockStatus.PAUSED else None,
            suspended,
            steps[end][1] if end is not None else None,
        )

    def _pick_unit(self) -> UnitInfo:
        if self.rng.random() < PROVINCE_SHARE:
            return self.province
        return self.communes[bisect_right(self.commune_cum, self.rng.random() * self.commune_cum[-1])]

    def _pick(self, table: "Weighted"):
        return _draw(self.rng, table)

    # -- people --

    def _new_person(self, unit: UnitInfo, at: datetime, like=None) -> tuple:
        """A new person row (or a copy of ``like``: a confidential petitioner gets a row of their own)."""
        r = self.rng
        pid = self._id("persons")
        if like is not None:
            _, name, cid, folded, phone, ward, line = like
        else:
            male = r.random() < 0.55
            name = _person_name(r, male)
            cid = None
            if r.random() < 0.88:
                born = self.today.year - int(r.triangular(22, 88, 50))
                g = (0 if male else 1) + (2 if born >= 2000 else 0)
                key = (g, born % 100)
                n = self.cccd_counts.get(key, 0)
                self.cccd_counts[key] = n + 1
                # An affine bijection of the per-prefix counter: distinct numbers that do not look sequential.
                cid = f"075{g}{born % 100:02d}{(n * 738_457 + (g * 100 + born % 100) * 104_729) % 1_000_000:06d}"
            folded = join_folded(name, cid)
            phone = f"{r.choice(N.PHONE_PREFIXES)}{r.randint(0, 9_999_999):07d}" if r.random() < 0.85 else None
            ward = unit.ward_code if unit.ward_code is not None else r.choice(self.communes).ward_code
            if unit.is_urban:
                line = f"Số {r.randint(1, 350)}, đường {r.choice(N.STREETS)}, khu phố {r.randint(1, 12)}"
            elif r.random() < 0.5:
                line = f"Tổ {r.randint(1, 15)}, ấp {r.choice(N.HAMLETS)}"
            else:
                line = f"Ấp {r.choice(N.HAMLETS)}"
        self.rows["persons"].append((pid, name, cid, phone, PROVINCE, ward, line, fold(name), at, at))
        self.persons_done += 1
        return (pid, name, cid, folded, phone, ward, line)

    def _petitioners(self, unit: UnitInfo, count: int, confidential: bool, at: datetime) -> list[tuple]:
        """``count`` petitioners, some reused from earlier petitions to the unit, sorted by id.

        The order by id is the order the parties are inserted in (and read back): the first one is the
        representative. A confidential petition never reuses a person, and its people are never reused.
        """
        r = self.rng
        people, ids = [], set()
        pool = unit.pool
        for _ in range(count):
            if not confidential and pool and r.random() < REUSE_SHARE:
                p = pool[r.randrange(len(pool))]
                if p[0] not in ids:
                    people.append(p)
                    ids.add(p[0])
                    continue
            p = self._new_person(unit, at)
            people.append(p)
            ids.add(p[0])
            if not confidential:
                if len(pool) < PERSON_POOL_PER_UNIT:
                    pool.append(p)
                else:
                    pool[r.randrange(PERSON_POOL_PER_UNIT)] = p
        people.sort()
        return people

    def _signatories(self) -> tuple[int, int]:
        """(signatory count, named petitioners): mostly one; some joint; about 5% many people (5-40)."""
        x = self.rng.random()
        if x < 0.92:
            return 1, 1
        if x < 0.95:
            n = self.rng.randint(2, 4)
            return n, n
        return self.rng.randint(5, 40), self.rng.randint(2, 4)

    # -- texts --

    def _text(self, unit: UnitInfo, kind: str, day: date) -> tuple[str, str]:
        r = self.rng
        topic = T.TOPICS[bisect_right(_TOPIC_CUM, r.random() * _TOPIC_CUM[-1])]
        slots = Slots(r, unit, day)
        summary = r.choice(topic[2][kind]).format_map(slots)
        # One to three sentences: what happened (the summary is the officer's abstract of it), the request.
        details = topic[3]
        first = r.randrange(len(details))
        sentences = [details[first].format_map(slots)]
        if len(details) > 1 and r.random() < 0.3:
            sentences.append(details[(first + 1) % len(details)].format_map(slots))
        if r.random() < 0.8:
            sentences.append(r.choice(T.REQUESTS[kind]).format_map(slots))
        return summary, " ".join(sentences)

    def _source(self, channel: str):
        if channel not in N.SOURCE_AGENCIES:
            return None, None
        agency, suffix = self.rng.choice(N.SOURCE_AGENCIES[channel])
        return agency, f"{self.rng.randint(1, 1999)}/{suffix}"

    # -- petitions --

    def _petition(
        self,
        *,
        unit: UnitInfo,
        received: date,
        kind: str,
        channel: str,
        source,
        summary: str,
        content: str,
        people: list,
        confidential: bool,
        signatories: int,
        state: str,
        decided: date,
        case_id=None,
        anonymous: bool = False,
        details: dict | None = None,
        duplicate_of=None,
        accepted_on: date | None = None,
        subject_id: int | None = None,
    ) -> tuple[int, str, datetime]:
        """Append a petition, its parties, its history (register, decide) and its clocks; return its id."""
        rows = self.rows
        pid = self._id("petitions")
        year = received.year
        seq = self._seq(unit.id, "petition", year)
        receipt_no = f"{unit.code}-{year}-{seq:06d}"
        reg_at = self._at(received, 7, 210)
        dec_at = self._at(decided, 10, 60)
        if dec_at < reg_at:
            dec_at = reg_at
        details = details or {}
        agency, dispatch = source
        # As app.search.text.petition_documents computes them (people in party order: by id).
        doc = join_folded(receipt_no, summary, content, agency, dispatch)
        names = " ".join(p[3] for p in people if p[3])
        if confidential:
            search_text, search_private = doc, (f"{doc} {names}" if doc and names else doc or names)
        else:
            search_text, search_private = (f"{doc} {names}" if doc and names else doc or names), None
        reception = unit.reception_id
        rows["petitions"].append(
            (
                pid,
                unit.id,
                year,
                seq,
                receipt_no,
                received,
                channel,
                agency,
                dispatch,
                kind,
                self._subject(summary) if subject_id is None else subject_id,
                anonymous,
                confidential,
                max(signatories, len(people), 1),
                summary,
                content,
                state,
                dec_at,
                reception,
                details.get("transferred_to"),
                details.get("transfer_dispatch_no"),
                details.get("guidance"),
                details.get("filed_reason"),
                details.get("note"),
                duplicate_of[0] if duplicate_of else None,
                case_id,
                reception,
                search_text,
                search_private,
                1,
                reg_at,
                dec_at,
            )
        )
        first = True
        for p in people:
            rows["petition_parties"].append((pid, p[0], first))
            first = False
        events = rows["petition_events"]
        events.append((self._id("petition_events"), pid, reg_at, "register", None, "received", None, reception))
        if duplicate_of is not None:
            events.append(
                (
                    self._id("petition_events"),
                    pid,
                    dec_at,
                    "mark_duplicate",
                    "received",
                    "received",
                    duplicate_of[1],
                    reception,
                )
            )
        events.append(
            (self._id("petition_events"), pid, dec_at, "decide", "received", state, details.get("note"), reception)
        )
        self.events_done += 2 + (duplicate_of is not None)
        self.petitions_done += 1
        # The petition's clocks (lifecycle table): started at receipt, ended by the processing decision.
        on = accepted_on or decided
        instance = 1 if kind == "complaint" else None
        decision = ClockEvent.PETITION_ACCEPTED if state == "accepted" else ClockEvent.PETITION_NOT_ACCEPTED
        facts = self._facts(unit, kind, instance)
        for life in started_by(ClockEvent.PETITION_REGISTERED, kind, instance):
            ended = life.outcome(decision)
            assert ended is not None, "the processing decision ends every clock of a petition (LIFECYCLE)"
            self._clock(
                petition_id=pid,
                stage=life.stage,
                unit=unit,
                rule=self._rule(life.stage, facts, received),
                started=received,
                status=ended.value,
                completed=on,
                at=reg_at,
            )
        return pid, receipt_no, dec_at

    def _other_petition(self, day: date) -> None:
        """A petition that never became a case: transferred, guided, filed or withdrawn."""
        r = self.rng
        unit = self._pick_unit()
        kind = self._pick(KIND_TABLE)
        state = self._pick(OTHER_DECISION_TABLE)
        decided = min(day + timedelta(days=r.choice((0, 1, 2, 3, 3, 5, 7, 10))), self.today)
        details, duplicate_of, anonymous = {}, None, False
        confidential = kind == "denunciation" or r.random() < CONFIDENTIAL_SHARE
        channel = self._pick(CHANNEL_TABLE)
        if state == "transferred" and kind == "denunciation" and channel == "transferred":
            channel = "post"  # a denunciation is transferred once only (petitions.procedure.TRANSFERRED_ONCE)
        summary = content = None
        people = None
        signatories, named = self._signatories()
        at = self._at(day, 7, 210)
        if state == "transferred":
            details = {
                "transferred_to": r.choice(N.TRANSFER_TARGETS),
                "transfer_dispatch_no": f"{r.randint(1, 1999)}/UBND-TCD",
            }
        elif state == "guided":
            details = {"guidance": r.choice(T.GUIDANCE).format(ward=unit.ward_label)}
        elif state == "withdrawn":
            details = {"note": r.choice(T.PETITION_WITHDRAW_NOTES)}
        else:
            reason = self._pick(FILED_REASON_TABLE)
            details = {"filed_reason": reason}
            if reason == "duplicate":
                # Same petitioner, same content as a recent open petition of the unit (never a confidential one).
                same = [p for p in unit.recent if p[2] == kind] if not confidential else []
                if same:
                    original = r.choice(same)
                    duplicate_of = (original[0], original[1])
                    summary, content, people = original[3], original[4], original[5]
                    signatories, channel = 1, "post"
                else:
                    details["filed_reason"] = "not_eligible"
            elif reason == "anonymous":
                anonymous, people, confidential, signatories = True, [], kind == "denunciation", 1
        if summary is None:
            summary, content = self._text(unit, kind, day)
        if people is None:
            people = self._petitioners(unit, named, confidential, at)
        self._petition(
            unit=unit,
            received=day,
            kind=kind,
            channel=channel,
            source=self._source(channel),
            summary=summary,
            content=cast(str, content),  # set with summary: from the duplicated petition or from _text
            people=people,
            confidential=confidential,
            signatories=signatories,
            state=state,
            decided=decided,
            anonymous=anonymous,
            details=details,
            duplicate_of=duplicate_of,
        )

    # -- cases --

    def _case(
        self,
        day: date,
        unit: UnitInfo,
        kind: str,
        instance,
        *,
        summary: str,
        content: str,
        people: list,
        confidential: bool,
        signatories: int,
        channel: str,
        parent=None,
        subject_of: str | None = None,
    ) -> tuple[int, date]:
        """One case with its first petition, its workflow up to today, its history and its clocks.

        ``subject_of``: the text its subject area is read from (the summary unless given).
        """
        r, rows, today, add = self.rng, self.rows, self.today, self._add
        subject_id = self._subject(subject_of or summary)
        received = day
        accepted = min(received + timedelta(days=r.choice(ACCEPT_LAGS)), today)
        year = accepted.year
        seq = self._seq(unit.id, "case", year)
        case_id = self._id("cases")
        number = f"{unit.code}-VV-{year}-{seq:05d}"
        pet_id, receipt_no, open_at = self._petition(
            unit=unit,
            received=received,
            kind=kind,
            channel=channel,
            source=self._source(channel),
            summary=summary,
            content=content,
            people=people,
            confidential=confidential,
            signatories=signatories,
            state="accepted",
            decided=accepted,
            case_id=case_id,
            accepted_on=accepted,
            subject_id=subject_id,
        )
        reception, head = unit.reception_id, unit.head_id
        handler_id, handling_unit_id, handler_name = r.choice(unit.handlers)
        complexity = self._pick(COMPLEXITY_TABLE)

        # The plan: when each step would happen; what happened by today is what is recorded.
        res_rule = self._rule(Stage.RESOLUTION, self._facts(unit, kind, instance, complexity), accepted)
        if res_rule is not None:
            limit_days = (add(accepted, res_rule.limit_days, res_rule.day_unit) - accepted).days
        else:
            limit_days = LIMIT_WITHOUT_RULE
        x = r.random()
        for cum, low, high in DURATION_BANDS:
            if x <= cum:
                duration = max(1, int(limit_days * r.uniform(low, high)))
                break
        assign_on = accepted + timedelta(days=r.choice(ASSIGN_LAGS))
        plan = [(assign_on, "assign")]
        suspend_on = resume_on = None
        if r.random() < 0.07:
            suspend_on = assign_on + timedelta(days=max(1, int(duration * r.uniform(0.2, 0.6))))
            resume_on = suspend_on + timedelta(days=r.randint(20, 120))
            plan += [(suspend_on, "suspend"), (resume_on, "resume")]
            duration += (resume_on - suspend_on).days
        decision_on = max(accepted + timedelta(days=duration), (resume_on or assign_on) + timedelta(days=1))
        x = r.random()
        end_action = "withdraw" if x < 0.03 else "terminate" if x < 0.042 else None
        outcome = decision_no = decision_summary = enforcement = enforcement_due = None
        effective_on = enforced_on = close_on = None
        appeal_on = None
        if end_action:
            end_on = accepted + timedelta(days=max(1, int((decision_on - accepted).days * r.uniform(0.1, 0.9))))
            if end_on == assign_on:
                end_on += timedelta(days=1)
            plan.append((end_on, end_action))
        else:
            outcome = self._pick(OUTCOME_TABLES[kind])
            prefix = {"complaint": "QĐ", "denunciation": "KL"}.get(kind, "TL")
            decision_no = f"{seq:02d}/{prefix}-UBND"
            decision_summary = r.choice(T.DECISION_SUMMARIES[outcome])
            plan.append((decision_on, "resolve"))
            if (
                kind in ("complaint", "denunciation")
                and outcome not in ("rejected", "untrue")
                and r.random() < (0.7 if kind == "complaint" else 0.6)
            ):
                enforcement = r.choice(T.ENFORCEMENT_REQUIRED[kind]).format_map(Slots(r, unit, decision_on))
                enforcement_due = decision_on + timedelta(days=r.randint(30, 60))
            if kind == "complaint":
                le_rule = self._rule(Stage.LEGAL_EFFECT, self._facts(unit, kind, instance, complexity), decision_on)
                effective_on = add(decision_on, le_rule.limit_days, le_rule.day_unit) if le_rule else None
                if instance == 1 and outcome != "upheld" and r.random() < APPEAL_SHARE:
                    appeal_on = decision_on + timedelta(days=r.randint(5, 40))
                    if appeal_on > today or decision_on > today:
                        appeal_on = None
                    else:
                        enforcement = enforcement_due = None  # the first decision does not take effect
                if enforcement:
                    if effective_on:  # enforced once the decision has taken legal effect; closed after that
                        enforced_on = effective_on + timedelta(days=r.randint(3, 90))
                        if r.random() < 0.85:
                            close_on = enforced_on + timedelta(days=r.randint(1, 30))
                elif r.random() < 0.92:
                    # Closed once the decision took legal effect, or once it was appealed (Law on
                    # Complaints art. 44; cases.procedure).
                    close_on = (appeal_on or effective_on or decision_on) + timedelta(days=r.randint(3, 60))
            elif kind == "denunciation":
                if enforcement:
                    enforced_on = decision_on + timedelta(days=r.randint(3, 45))
                    if r.random() < 0.85:
                        close_on = enforced_on + timedelta(days=r.randint(1, 30))
                elif r.random() < 0.95:
                    close_on = decision_on + timedelta(days=r.randint(1, 12))
            elif r.random() < 0.9:
                close_on = decision_on + timedelta(days=r.randint(1, 45))
            if enforced_on:
                plan.append((enforced_on, "enforce"))
            if close_on:
                plan.append((close_on, "close"))
        plan.sort(key=lambda step: step[0])

        # Play the plan up to today: state, *_at stamps, events.
        state = "accepted"
        stamps = {}
        last_at = open_at
        case_events = rows["case_events"]
        new_event = self._id
        case_events.append(
            (new_event("case_events"), case_id, open_at, "open", None, "accepted", receipt_no, reception)
        )
        n_events = 1
        done_on = {}
        steps = []  # (day, ClockEvent) of the actions recorded, in order
        for on, action in plan:
            if on > today:
                break
            if action == "assign" and state != "accepted":
                continue
            at = self._at(on, ACTION_HOURS[action], 120)
            if at <= last_at:
                at = min(last_at + timedelta(minutes=1), self.now)
            if action == "assign":
                # Without a note, perform() logs the handler's name (cases.operations._describe).
                actor, note = head, (r.choice(T.ASSIGN_NOTES) if r.random() < 0.6 else handler_name)
            elif action == "suspend":
                actor, note = head, r.choice(T.SUSPEND_NOTES)
            elif action == "resume":
                actor, note = head, None
            elif action == "terminate":
                actor, note = head, r.choice(T.TERMINATE_NOTES)
            elif action == "resolve":
                actor = handler_id if r.random() < 0.7 else head
                note = f"{decision_no} ({decision_on:%d/%m/%Y})"
            elif action == "enforce":
                actor, note = handler_id, None
            elif action == "close":
                actor, note = (
                    (head if r.random() < 0.6 else handler_id),
                    (r.choice(T.CLOSE_NOTES) if r.random() < 0.7 else None),
                )
            else:  # withdraw
                actor, note = (handler_id if state != "accepted" else head), r.choice(T.WITHDRAW_NOTES)
            target = ACTION_TARGETS[action]
            case_events.append((new_event("case_events"), case_id, at, action, state, target, note, actor))
            n_events += 1
            stamps[target] = at
            done_on[action] = on
            steps.append((on, ACTION_EVENTS[action]))
            state = target
            last_at = at
            if action in ("withdraw", "terminate"):
                break
        assigned = "assign" in done_on
        resolved = "resolve" in done_on
        enforced = "enforce" in done_on
        ended_on = done_on.get("withdraw") or done_on.get("terminate")

        # The case's clocks, as the lifecycle table moves them through the steps taken: resolution, the
        # notice to a denunciator (sent on its own day, before that day's other steps), after the decision.
        final_complexity = complexity if assigned else "normal"
        facts = self._facts(unit, kind, instance, final_complexity)
        for life in started_by(ClockEvent.CASE_ACCEPTED, kind, instance):
            rule = self._rule(life.stage, facts, accepted)
            lived, notice_on = steps, None
            if life.stage is Stage.NOTIFY_ACCEPTANCE:
                if rule is None:
                    continue
                lived, notice_on = self._with_notice(
                    steps, accepted, ClockEvent.NOTICE_SENT, until=decision_on if resolved else None
                )
            status, completed, paused_on, suspended_days, ended_by = self._lived(life.stage, lived, rule)
            if ended_by is ClockEvent.NOTICE_SENT and notice_on is not None:
                n_events += self._notice_event(case_id, life.stage, notice_on, plan, done_on, handler_id, head)
            self._clock(
                case_id=case_id,
                stage=life.stage,
                unit=unit,
                rule=rule,
                started=accepted,
                status=status,
                completed=completed,
                paused=paused_on,
                suspended_days=suspended_days,
                at=open_at,
            )
        legally_effective_on = None
        if resolved:
            k = next(i for i, (_on, event) in enumerate(steps) if event is ClockEvent.CASE_RESOLVED)
            after = steps[k + 1 :]
            for life in started_by(ClockEvent.CASE_RESOLVED, kind, instance, bool(enforcement)):
                rule = self._rule(life.stage, facts, decision_on)
                if life.stage is Stage.LEGAL_EFFECT and appeal_on is not None:
                    # Written when the appeal is accepted (its acceptance cancels this clock).
                    heapq.heappush(
                        self._pending_appeals,
                        (
                            appeal_on,
                            self._next_tick(),
                            dict(
                                case_id=case_id,
                                unit=unit,
                                decision_on=decision_on,
                                decision_no=decision_no,
                                title=summary,
                                people=people,
                                confidential=confidential,
                                rule=rule,
                                at=stamps["resolved"],
                            ),
                        ),
                    )
                    continue
                lived, notice_on = after, None
                if life.stage is Stage.NOTIFY_CONCLUSION and rule is not None:
                    lived, notice_on = self._with_notice(after, decision_on, ClockEvent.CONCLUSION_NOTIFIED)
                if appeal_on is not None:
                    # The appeal's acceptance (written later, from the pending appeals) ends the appeal period.
                    lived = sorted([*after, (appeal_on, ClockEvent.CASE_APPEALED)], key=lambda step: step[0])
                elif effective_on is not None and effective_on < today:
                    # What the scheduler's mark_legally_effective has done by now.
                    lived = sorted([*after, (effective_on, ClockEvent.DECISION_EFFECTIVE)], key=lambda step: step[0])
                status, completed, paused_on, suspended_days, ended_by = self._lived(life.stage, lived, rule)
                if ended_by is ClockEvent.CONCLUSION_NOTIFIED and notice_on is not None:
                    n_events += self._notice_event(case_id, life.stage, notice_on, plan, done_on, handler_id, head)
                self._clock(
                    case_id=case_id,
                    stage=life.stage,
                    unit=unit,
                    rule=rule,
                    started=decision_on,
                    status=status,
                    completed=completed,
                    paused=paused_on,
                    suspended_days=suspended_days,
                    at=stamps["resolved"],
                )
                if life.stage is not Stage.LEGAL_EFFECT or ended_by is not ClockEvent.DECISION_EFFECTIVE:
                    continue
                assert effective_on is not None, "only a decision with a legal-effect day takes effect"
                legally_effective_on = effective_on
                later = [step for step in after if step[0] >= effective_on]
                for effect in started_by(ClockEvent.DECISION_EFFECTIVE, kind, instance, bool(enforcement)):
                    rule = self._rule(effect.stage, facts, effective_on)
                    status, completed, paused_on, suspended_days, _end = self._lived(effect.stage, later, rule)
                    self._clock(
                        case_id=case_id,
                        stage=effect.stage,
                        unit=unit,
                        rule=rule,
                        started=effective_on,
                        status=status,
                        completed=completed,
                        paused=paused_on,
                        suspended_days=suspended_days,
                        fixed_due=enforcement_due if enforcement_due and enforcement_due >= effective_on else None,
                    )

        # A repeated petition joined to the case while it is open.
        if r.random() < JOIN_SHARE:
            join_on = accepted + timedelta(days=r.randint(2, 30))
            open_until = decision_on if resolved else ended_on or today
            if join_on <= today and join_on < open_until:
                join_state = _state_on(plan, join_on, done_on, before=True)
                heapq.heappush(
                    self._pending_joins,
                    (
                        join_on,
                        self._next_tick(),
                        dict(
                            case_id=case_id,
                            unit=unit,
                            kind=kind,
                            summary=summary,
                            content=content,
                            people=people,
                            confidential=confidential,
                            state=join_state,
                        ),
                    ),
                )

        outcome_row: tuple[object, ...]
        if not resolved:
            outcome_row = (None, None, None, None, None, None)
        else:
            outcome_row = (decision_no, decision_on, outcome, decision_summary, enforcement, enforcement_due)
        rows["cases"].append(
            (
                case_id,
                unit.id,
                year,
                seq,
                number,
                kind,
                subject_id,
                instance,
                parent,
                summary,
                state,
                received,
                accepted,
                reception,
                handling_unit_id if assigned else None,
                handler_id if assigned else None,
                final_complexity,
                unit.is_remote,
                stamps.get("assigned"),
                stamps.get("suspended"),
                stamps.get("resolved"),
                stamps.get("enforced"),
                stamps.get("closed"),
                stamps.get("withdrawn"),
                stamps.get("terminated"),
                *outcome_row,
                enforced_on if enforced else None,
                r.choice(T.ENFORCEMENT_RESULTS) if enforced else None,
                legally_effective_on,
                join_folded(number, summary, outcome_row[0]),
                1,
                open_at,
                last_at,
            )
        )
        self.events_done += n_events
        self.cases_done += 1
        self.batch_cases += 1
        if not confidential:
            unit.recent.append((pet_id, receipt_no, kind, summary, content, people))
            if len(unit.recent) > 30:
                del unit.recent[0]
        return case_id, accepted

    def _with_notice(
        self, steps: list, start: date, event: ClockEvent, until: date | None = None
    ) -> tuple[list, date | None]:
        """``steps`` with a notice (``event``) sent 1 to 6 working days after ``start``, not after ``until``,
        among them in date order, and the day it was sent; unchanged (None) if that day is after today."""
        notice_on = self._add(start, self.rng.randint(1, 6), "wd")
        if until is not None and notice_on > until:
            notice_on = until
        if notice_on > self.today:
            return steps, None
        k = next((i for i, (on, _e) in enumerate(steps) if on >= notice_on), len(steps))
        return [*steps[:k], (notice_on, event), *steps[k:]], notice_on

    def _notice_event(self, case_id: int, stage: Stage, on: date, plan, done_on, handler_id, head) -> int:
        """Append the history event of a notice sent ``on`` (as clocks.record_notice logs it); returns 1."""
        at = self._at(on, 7, 50)  # first thing that day: before the day's other steps
        then = _state_on(plan, on, done_on, before=True)
        self.rows["case_events"].append(
            (
                self._id("case_events"),
                case_id,
                at,
                "notice",
                then,
                then,
                f"{self.notice_labels[stage]} ({on:%d/%m/%Y})",
                handler_id if then != "accepted" else head,
            )
        )
        return 1

    def _subject(self, summary: str) -> int | None:
        return self._subject_ids.get(subject_code_for(summary))

    def _next_tick(self) -> int:
        self._tick += 1
        return self._tick

    def _fresh_case(self, day: date) -> None:
        r = self.rng
        unit = self._pick_unit()
        kind = self._pick(KIND_TABLE)
        confidential = kind == "denunciation" or r.random() < CONFIDENTIAL_SHARE
        summary, content = self._text(unit, kind, day)
        signatories, named = self._signatories()
        people = self._petitioners(unit, named, confidential, self._at(day, 7, 210))
        self._case(
            day,
            unit,
            kind,
            1 if kind == "complaint" else None,
            summary=summary,
            content=content,
            people=people,
            confidential=confidential,
            signatories=signatories,
            channel=self._pick(CHANNEL_TABLE),
        )
        if r.random() < OTHER_PETITIONS_PER_CASE:
            self._other_petition(day)

    def _appeal(self, day: date, parent: dict) -> None:
        """A second-instance complaint at the province against a commune's first decision."""
        r = self.rng
        unit = self.province
        summary = (
            f"Khiếu nại lần hai đối với Quyết định giải quyết khiếu nại số {parent['decision_no']} "
            f"của Chủ tịch UBND {parent['unit'].ward_label}"
        )
        content = (
            f"{summary}. Nội dung khiếu nại lần đầu: {parent['title']}. "
            f"Đề nghị Chủ tịch UBND tỉnh xem xét, giải quyết lần hai."
        )
        at = self._at(day, 7, 210)
        if parent["confidential"]:  # the same petitioner, but in rows of their own
            people = sorted(self._new_person(unit, at, like=p) for p in parent["people"])
        else:
            people = parent["people"]
        _case_id, accepted_on = self._case(
            day,
            unit,
            "complaint",
            2,
            summary=summary,
            content=content,
            people=people,
            confidential=parent["confidential"],
            signatories=len(people) or 1,
            channel=r.choice(("desk", "post")),
            parent=parent["case_id"],
            subject_of=parent["title"],
        )
        # Accepting the appeal cancelled the first decision's legal-effect clock.
        cancelled = LIFECYCLE[Stage.LEGAL_EFFECT].outcome(ClockEvent.CASE_APPEALED)
        assert cancelled is not None, "an appeal ends the legal-effect clock (LIFECYCLE)"
        self._clock(
            case_id=parent["case_id"],
            stage=Stage.LEGAL_EFFECT,
            unit=parent["unit"],
            rule=parent["rule"],
            started=parent["decision_on"],
            status=cancelled.value,
            completed=accepted_on,
            at=parent["at"],
        )

    def _join(self, join: dict, day: date) -> None:
        """A further petition with the same content, joined to the open case (cases.operations.join_petition)."""
        unit = join["unit"]
        at = self._at(day, 7, 120)
        people = (
            sorted(self._new_person(unit, at, like=p) for p in join["people"])
            if join["confidential"]
            else join["people"]
        )
        channel = self.rng.choice(("post", "online", "desk"))
        pet_id, receipt_no, dec_at = self._petition(
            unit=unit,
            received=day,
            kind=join["kind"],
            channel=channel,
            source=self._source(channel),
            summary=join["summary"],
            content="Công dân tiếp tục gửi đơn với nội dung như đơn đã được thụ lý. " + join["content"],
            people=people,
            confidential=join["confidential"],
            signatories=max(len(people), 1),
            state="accepted",
            decided=day,
            case_id=join["case_id"],
        )
        self.rows["case_events"].append(
            (
                self._id("case_events"),
                join["case_id"],
                dec_at,
                "join",
                join["state"],
                join["state"],
                receipt_no,
                unit.reception_id,
            )
        )
        self.events_done += 1

    def _drain_joins(self, until: date) -> None:
        while self._pending_joins and self._pending_joins[0][0] <= until:
            on, _tick, join = heapq.heappop(self._pending_joins)
            self._join(join, on)

    def _flush_appeals(self) -> None:
        """Appeals not yet due when the run ends: their parents' legal-effect clocks are still running."""
        for _on, _tick, parent in self._pending_appeals:
            self._clock(
                case_id=parent["case_id"],
                stage=Stage.LEGAL_EFFECT,
                unit=parent["unit"],
                rule=parent["rule"],
                started=parent["decision_on"],
                status="running",
                at=parent["at"],
            )
        self._pending_appeals = []

    # -- the run --

    def _days(self, n: int) -> tuple[date, list[int]]:
        """The first day and the number of new cases accepted on each day: more each year, few on days off."""
        today = self.today
        try:
            start = today.replace(year=today.year - YEARS) + timedelta(days=1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - YEARS, day=28) + timedelta(days=1)
        count = (today - start).days + 1
        growth = math.log(3.0) / YEARS  # three times as many petitions as ten years ago
        weights = []
        for i in range(count):
            day = start + timedelta(days=i)
            w = math.exp(growth * i / 365.25)
            if not self.cal.cal.is_working_day(day):
                w *= 0.12 if day.weekday() == 5 else 0.05
            weights.append(w)
        cum = list(accumulate(weights))
        per_day = [0] * count
        total = cum[-1]
        rnd = self.rng.random
        for _ in range(n):
            per_day[bisect_right(cum, rnd() * total)] += 1
        return start, per_day

    def batches(self, n: int, batch_size: int):
        """Yield dicts of rows per table, each holding about ``batch_size`` cases (a repeated petition or an
        appeal lands in the batch of the day it arrives)."""
        start, per_day = self._days(n)
        self.batch_cases = 0
        for i, quota in enumerate(per_day):
            day = start + timedelta(days=i)
            for _ in range(quota):
                if self._pending_appeals and self._pending_appeals[0][0] <= day:
                    _on, _tick, parent = heapq.heappop(self._pending_appeals)
                    self._appeal(day, parent)
                else:
                    self._fresh_case(day)
                if self.batch_cases >= batch_size:
                    yield self._take()
            self._drain_joins(day)
        self._drain_joins(self.today)
        self._flush_appeals()
        if any(self.rows.values()):
            yield self._take()

    def _take(self) -> dict[str, Any]:
        """The batch's rows by table, and its number of cases under ``cases_in_batch``."""
        rows: dict[str, Any] = self.rows
        self.rows = {t: [] for t in TABLES}
        rows["cases_in_batch"] = self.batch_cases
        self.batch_cases = 0
        return rows
