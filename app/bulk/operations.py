"""Bulk data for measuring TiepDan at scale: N realistic cases with everything that belongs to them.

``seed_bulk(n)`` extends the demo (app/demo.py) into a province: one commune/ward unit per real ward of
Đồng Nai with its staff, then ten years of cases up to today, each with its petition(s), petitioners,
history (petition and case events), and legal clocks, plus the petitions that never became cases.

The rows are written directly rather than through the operations: generator.py plans each case and
makes its rows as the operations would have made them; loaders.py writes them fast (COPY on PostgreSQL,
executemany on SQLite), in one transaction: a failed or interrupted load leaves the database as it was.

Memory stays bounded: rows are generated in batches, written, and dropped; only small lookup tables
survive a batch (units, a bounded pool of petitioners for reuse, the pending repeated petitions and
appeals of the coming weeks, the calendar and rule caches).
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from time import perf_counter

from sqlalchemy import func, select, text

from ..core.timeutil import local_today
from ..deadlines.rules import sync_default_rules
from ..demo import seed_demo
from ..extensions import db
from ..units.models import Unit
from .generator import Generator, ensure_province
from .loaders import PostgresLoader, SqliteLoader

DEFAULT_SEED = 20260701
DEFAULT_BATCH_SIZE = 10_000


@dataclass
class BulkResult:
    cases: int = 0
    petitions: int = 0
    persons: int = 0
    events: int = 0
    clocks: int = 0
    units_added: int = 0
    users_added: int = 0
    indexes_rebuilt: int = 0
    seconds: float = 0.0


# --- Entry point -----------------------------------------------------------------------------------------


def seed_bulk(
    cases: int,
    *,
    seed: int = DEFAULT_SEED,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress=None,
    rebuild_indexes: bool | None = None,
    today: date | None = None,
) -> BulkResult:
    """Add ``cases`` cases (and their petitions, people, history and clocks) in one transaction; commit.

    ``rebuild_indexes``: on PostgreSQL, drop the big tables' indexes that back no constraint, and their
    foreign keys, for the load, and recreate them from their saved definitions after the commit (None:
    when the load is large next to what is there: at least 20,000 cases and a quarter of those there).
    """

    if cases < 1:
        raise ValueError("cases must be at least 1")
    started = perf_counter()
    say = progress or (lambda _msg: None)
    result = BulkResult()
    if db.engine.dialect.name == "postgresql":
        PostgresLoader.recover(say)
    sync_default_rules()
    if db.session.scalar(select(func.count(Unit.id))) == 0:
        seed_demo()
        say("Demo data loaded (units, users, demo petitions and cases).")
    units, result.units_added, result.users_added = ensure_province(say)
    db.session.flush()

    loader = PostgresLoader() if db.engine.dialect.name == "postgresql" else SqliteLoader()
    loader.lock()
    existing = db.session.scalar(select(func.count()).select_from(text("cases")))
    assert existing is not None, "COUNT(*) always returns a row"
    if rebuild_indexes is None:
        rebuild_indexes = cases >= 20_000 and cases >= existing // 4
    gen = Generator(
        units,
        seed=seed,
        today=today or local_today(),
        next_ids=loader.next_ids(),
        counters=loader.counters(),
        cccd_counts=loader.cccd_counts(),
    )
    dropped = loader.drop_indexes() if rebuild_indexes else []
    if dropped:
        say(
            f"Dropped {len(dropped)} indexes and foreign keys of the big tables for the load "
            f"(recreated after it; if interrupted, by the next run)."
        )
    written = 0
    batch_started = perf_counter()

    def report(batch_cases: int) -> None:
        nonlocal written, batch_started
        written += batch_cases
        now = perf_counter()
        say(
            f"{written:>10,} / {cases:,} cases   {batch_cases / max(now - batch_started, 1e-9):,.0f} cases/s   "
            f"{now - started:,.1f} s"
        )
        batch_started = now

    if loader.threaded:
        # Rows are generated while the previous batch is copied: PostgreSQL works on the other core.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="seed-bulk-copy") as pool:
            pending = None
            for batch in gen.batches(cases, batch_size):
                if pending is not None:
                    report(pending.result())
                pending = pool.submit(loader.write, batch)
            if pending is not None:
                report(pending.result())
    else:
        for batch in gen.batches(cases, batch_size):
            report(loader.write(batch))
    loader.write_counters(gen.counters)
    loader.finish_ids(gen.next_id)
    db.session.commit()
    if dropped:
        # VACUUM first: it sets the hint bits and the visibility map of the new rows once, so the index
        # builds read the tables without writing them; ANALYZE after, for the full-text indexes' statistics.
        t = perf_counter()
        loader.analyze("VACUUM")
        say(f"Vacuumed the tables in {perf_counter() - t:,.1f} s.")
        t = perf_counter()
        timings = loader.restore_indexes(dropped)
        result.indexes_rebuilt = sum(1 for kind, *_ in dropped if kind == "index")
        longest = ", ".join(f"{name} {seconds:,.1f} s" for seconds, name in timings[:3])
        say(
            f"Recreated {len(dropped)} indexes and foreign keys in {perf_counter() - t:,.1f} s "
            f"(two sessions; longest: {longest})."
        )
    t = perf_counter()
    loader.analyze("ANALYZE" if dropped else "VACUUM ANALYZE")
    say(f"Analyzed the tables in {perf_counter() - t:,.1f} s.")
    result.cases, result.petitions, result.persons = gen.cases_done, gen.petitions_done, gen.persons_done
    result.events, result.clocks = gen.events_done, gen.clocks_done
    result.seconds = perf_counter() - started
    return result
