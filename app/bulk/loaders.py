"""How the rows of a bulk load are written fast: executemany on SQLite; on PostgreSQL, COPY (in a second
thread while the next batch is generated) and, for a large load, without the big tables' secondary
indexes and foreign keys, recreated after the commit two at a time (what was dropped is listed in the
seed_bulk_dropped table until everything is back; a run interrupted in between has the next run
recreate them first).
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from time import perf_counter

from sqlalchemy import select, text

from ..core.sequences import SequenceCounter
from ..extensions import db
from .rows import ID_TABLES, TABLES

# --- Writing ----------------------------------------------------------------------------------------------


def recreate(engine, saved) -> list[tuple[float, str]]:
    """Create the indexes and foreign keys of ``saved`` that do not exist, in two sessions at once.

    Returns (seconds, name) of each, longest first.
    """
    indexes = [s for s in saved if s[0] == "index"]
    keys = [s for s in saved if s[0] != "index"]
    with engine.connect() as conn:
        pages = dict(
            conn.execute(
                text("SELECT relname, relpages FROM pg_class WHERE relname = ANY(:t)"), {"t": list(TABLES)}
            ).all()
        )
    indexes.sort(key=lambda s: -pages.get(s[1], 0) * (8 if " USING gin " in s[3] else 1))

    timings = []

    def run(items) -> None:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # One core per session: parallel B-tree workers would only slow the GIN build of the other one.
            conn.execute(text("SET maintenance_work_mem = '1GB'"))
            conn.execute(text("SET max_parallel_maintenance_workers = 0"))
            for kind, table, name, definition in items:
                t = perf_counter()
                # The saved DDL is sent as it is (exec_driver_sql: no bind-parameter parsing of "::").
                if kind == "index":
                    if conn.scalar(text("SELECT to_regclass(:n)"), {"n": f'"{name}"'}) is None:
                        conn.exec_driver_sql(definition)
                elif (
                    conn.scalar(
                        text("SELECT 1 FROM pg_constraint WHERE conname = :n AND conrelid = to_regclass(:t)"),
                        {"n": name, "t": table},
                    )
                    is None
                ):
                    conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
                timings.append((perf_counter() - t, name))

    # Each session takes the next index when done with one; the keys come after all the indexes (adding
    # one waits for any index being built on either of its tables).
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="seed-bulk-index") as pool:
        list(pool.map(run, [[s] for s in indexes]))
    run(keys)
    return sorted(timings, reverse=True)


class SqliteLoader:
    """executemany in the session's transaction (SQLite holds the write lock from BEGIN IMMEDIATE)."""

    threaded = False

    def __init__(self):
        self.conn = db.session.connection()

    def lock(self) -> None:
        pass

    def next_ids(self) -> dict[str, int]:
        return {t: (self.conn.execute(text(f"SELECT max(id) FROM {t}")).scalar() or 0) + 1 for t in ID_TABLES}

    def counters(self) -> dict:
        """The last number used per (unit, series, year): the counter, or a higher number already in the table."""
        values = {(r.unit_id, r.series, r.year): r.value for r in db.session.scalars(select(SequenceCounter))}
        for series, table in (("petition", "petitions"), ("case", "cases")):
            for unit_id, year, seq in self.conn.execute(
                text(f"SELECT unit_id, year, max(seq) FROM {table} GROUP BY unit_id, year")
            ):
                key = (unit_id, series, year)
                values[key] = max(values.get(key, 0), seq)
        return values

    def cccd_counts(self) -> dict:
        """How many CCCDs of each prefix (sex/century digit, birth year) the bulk numbering has used."""
        rows = self.conn.execute(
            text("SELECT substr(citizen_id, 4, 3), count(*) FROM persons WHERE citizen_id LIKE '075%' GROUP BY 1")
        )
        return {(int(p[0]), int(p[1:])): n for p, n in rows if p.isdigit()}

    def drop_indexes(self) -> list:
        return []

    def restore_indexes(self, saved) -> list:
        return []

    @staticmethod
    def _plain(value):
        # SQLAlchemy's SQLite storage formats (the sqlite3 default adapters are deprecated).
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, datetime):
            return value.isoformat(" ", "microseconds")
        if isinstance(value, date):
            return value.isoformat()
        return value

    def write(self, batch: dict) -> int:
        """Insert the rows of a batch; return its number of cases."""
        dbapi = self.conn.connection.dbapi_connection
        assert dbapi is not None, "a checked-out connection has its DBAPI connection"
        cursor = dbapi.cursor()
        plain = self._plain
        try:
            for table, columns in TABLES.items():
                rows = batch[table]
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                        [tuple(plain(v) for v in row) for row in rows],
                    )
        finally:
            cursor.close()
        return batch["cases_in_batch"]

    def write_counters(self, counters: dict) -> None:
        self.conn.execute(
            text(
                "INSERT INTO sequence_counters (unit_id, series, year, value) VALUES (:u, :s, :y, :v) "
                "ON CONFLICT (unit_id, series, year) DO UPDATE SET value = CASE WHEN excluded.value > "
                "sequence_counters.value THEN excluded.value ELSE sequence_counters.value END"
            ),
            [{"u": u, "s": s, "y": y, "v": v} for (u, s, y), v in sorted(counters.items())],
        )

    def finish_ids(self, next_id: dict) -> None:
        pass  # SQLite's INTEGER PRIMARY KEY continues from max(id)

    def analyze(self, command: str = "ANALYZE") -> None:
        db.session.execute(text("ANALYZE"))
        db.session.commit()


class PostgresLoader(SqliteLoader):
    """COPY on the session's psycopg connection; for a large load, without the secondary indexes and keys."""

    #: COPY runs in a second thread while the next batch is generated; the generator asks the database
    #: nothing meanwhile (its rules and calendar are loaded beforehand).
    threaded = True

    def lock(self) -> None:
        # Nobody else writes these tables until we commit (ids and numbers are allocated here); reads go on
        # unless the indexes are dropped (that takes an exclusive lock until the commit).
        # The GIN settings: fewer, larger merges of the pending lists of a small load (the final VACUUM
        # merges what is left).
        self.conn.execute(text(f"LOCK TABLE {', '.join(TABLES)}, sequence_counters IN SHARE ROW EXCLUSIVE MODE"))
        self.conn.execute(text("SET LOCAL maintenance_work_mem = '1GB'"))
        self.conn.execute(text("SET LOCAL gin_pending_list_limit = '128MB'"))
        self.conn.execute(text("SET LOCAL work_mem = '256MB'"))
        self.conn.execute(text("SET LOCAL synchronous_commit = off"))

    #: The indexes that back no constraint (B-tree and GIN), and the foreign keys, of the big tables.
    _INDEXES = text(
        "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i "
        "WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables) AND NOT EXISTS ("
        "  SELECT 1 FROM pg_constraint c WHERE c.conindid = "
        "  (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass) "
        "ORDER BY i.tablename, i.indexname"
    )
    _FOREIGN_KEYS = text(
        "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace "
        "AND c.conrelid::regclass::text = ANY(:tables) ORDER BY 1, 2"
    )
    #: What a load dropped and has not recreated yet: written in the load's transaction, removed once all
    #: is back, so a run interrupted after the commit leaves the list for the next run to recreate.
    RECORD = "seed_bulk_dropped"

    def _definitions(self, conn=None) -> list[tuple[str, str, str, str]]:
        conn, tables = conn or self.conn, {"tables": list(TABLES)}
        return [("index", *row) for row in conn.execute(self._INDEXES, tables)] + [
            ("foreign key", *row) for row in conn.execute(self._FOREIGN_KEYS, tables)
        ]

    def drop_indexes(self) -> list[tuple[str, str, str, str]]:
        """Drop the big tables' indexes that back no constraint and their foreign keys, for a large load.

        Each row would otherwise update a dozen B-trees at random places, grow the GIN indexes (to several
        times the size of a fresh build) and be checked against its parents one by one; rebuilt at the end
        they cost less, and come out compact. Returns (kind, table, name, definition) of each. The drop and
        its record (RECORD) are in the load's transaction: if the load fails, both are rolled back.
        """
        saved = self._definitions()
        self.conn.execute(
            text(
                f"CREATE TABLE {self.RECORD} (kind varchar(16) NOT NULL, table_name text NOT NULL, "
                "name text PRIMARY KEY, definition text NOT NULL)"
            )
        )
        self.conn.execute(
            text(f"INSERT INTO {self.RECORD} VALUES (:k, :t, :n, :d)"),
            [{"k": k, "t": t, "n": n, "d": d} for k, t, n, d in saved],
        )
        for kind, table, name, _definition in saved:
            if kind == "index":
                self.conn.exec_driver_sql(f'DROP INDEX "{name}"')
            else:
                self.conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return saved

    def restore_indexes(self, saved) -> list[tuple[float, str]]:
        """After the commit: recreate what drop_indexes dropped, in two sessions at once, then drop RECORD.

        The indexes go biggest first (a GIN index costs several times a B-tree of the same table), the
        foreign keys after them, one after the other (adding one checks every row and locks both tables).
        """
        timings = recreate(db.engine, saved)
        db.session.rollback()
        if sorted(self._definitions(db.session.connection())) != sorted(saved):
            raise RuntimeError(f"recreated indexes and keys differ from the saved ones (see {self.RECORD})")
        db.session.execute(text(f"DROP TABLE {self.RECORD}"))
        db.session.commit()
        return timings

    @classmethod
    def recover(cls, say) -> None:
        """Recreate what an interrupted earlier load dropped and did not recreate (listed in RECORD)."""
        if db.session.scalar(text(f"SELECT to_regclass('{cls.RECORD}')")) is None:
            return
        saved = [
            tuple(row)
            for row in db.session.execute(text(f"SELECT kind, table_name, name, definition FROM {cls.RECORD}"))
        ]
        db.session.rollback()
        t = perf_counter()
        recreate(db.engine, saved)
        db.session.execute(text(f"DROP TABLE {cls.RECORD}"))
        db.session.commit()
        say(
            f"Recreated the {len(saved)} indexes and foreign keys an interrupted load had dropped "
            f"({perf_counter() - t:,.1f} s)."
        )

    def write(self, batch: dict) -> int:
        dbapi = self.conn.connection.dbapi_connection
        assert dbapi is not None, "a checked-out connection has its DBAPI connection"
        cursor = dbapi.cursor()
        try:
            for table, columns in TABLES.items():
                rows = batch[table]
                if not rows:
                    continue
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row)
        finally:
            cursor.close()
        return batch["cases_in_batch"]

    def finish_ids(self, next_id: dict) -> None:
        for table in ID_TABLES:
            if next_id[table] > 1:
                self.conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"greatest(:last, (SELECT coalesce(max(id), 1) FROM {table})))"
                    ),
                    {"last": next_id[table] - 1},
                )

    def analyze(self, command: str = "VACUUM ANALYZE") -> None:
        """Run ``command`` (VACUUM, ANALYZE or both) on the tables written, two at a time (one per core).

        VACUUM sets the visibility map (index-only scans) and merges the GIN pending lists; it cannot run
        inside a transaction, so it runs after the commit.
        """
        engine = db.engine  # the threads have no application context

        def vacuum(table: str) -> None:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text(f"{command} {table}"))

        # Biggest first, so the two connections finish at about the same time.
        order = (
            "petitions",
            "clocks",
            "case_events",
            "petition_events",
            "cases",
            "persons",
            "petition_parties",
            "case_tallies",
            "sequence_counters",
        )
        existing = set(
            db.session.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars()
        )
        db.session.commit()
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="seed-bulk-vacuum") as pool:
            list(pool.map(vacuum, [t for t in order if t in existing]))
