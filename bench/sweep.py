"""Time the scheduler's set-based jobs against the bench database, and their floor: the bare SQL they run.

Run by bench/run.py with the app's venv and the bench environment (DATABASE_URL, FLASK_*):
    python bench/sweep.py RUNS OUT.json

For each job, each of RUNS runs is one transaction that is rolled back, so runs are repeatable:
  1. "first": the job as the scheduler's first run after seeding would find the data;
  2. "steady": the job again in the same transaction (after ANALYZE flags, as autovacuum would have done),
     as every later run (every 15 minutes) finds it.
The SQL statements each pass sends (caught with a before_cursor_execute listener) are then sent again,
with the same parameters, on a raw DBAPI (psycopg) connection, rows fetched, and timed the same way: the
floor that the job's Python (SQLAlchemy compilation, the calendar) adds to. Medians are reported.
"""

import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository root

from sqlalchemy import event, text

from app import create_app
from app.core.timeutil import utcnow
from app.extensions import db

PASSES = ("first", "steady")
#: Run (untimed) before the steady pass. Autovacuum analyzes a table soon after many rows were added, so
#: by the next scheduler run the planner knows the flags the first run raised; without this, the steady
#: pass would be planned as if the table were still empty.
BETWEEN_PASSES = "ANALYZE flags"


def jobs():
    from app.deadlines.jobs import flag_deadlines

    out = {"flag_deadlines": flag_deadlines}
    try:
        from app.cases.jobs import flag_complex_cases
    except ImportError:  # pragma: no cover - only if the flags domain is renamed
        return out
    out["flag_complex_cases"] = flag_complex_cases
    return out


def time_job(job, now, runs: int):
    """Return ({pass: [seconds]}, {pass: [(statement, parameters, executemany)]}, last results)."""
    times = {p: [] for p in PASSES}
    statements = {p: [] for p in PASSES}
    results = {}
    current: list = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        current.append((statement, parameters, executemany))

    engine = db.engine
    for _ in range(runs):
        db.session.rollback()
        try:
            for name in PASSES:
                if name != PASSES[0]:
                    db.session.execute(text(BETWEEN_PASSES))
                current = statements[name] = []
                event.listen(engine, "before_cursor_execute", capture)
                try:
                    start = time.perf_counter()
                    results[name] = job(now)
                    db.session.flush()
                    times[name].append(time.perf_counter() - start)
                finally:
                    event.remove(engine, "before_cursor_execute", capture)
        finally:
            db.session.rollback()
    return times, statements, results


def time_bare(statements: dict, runs: int):
    """Send the captured statements again on a raw psycopg connection; {pass: [seconds]}."""
    times = {p: [] for p in PASSES}
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.rollback()
        for _ in range(runs):
            try:
                for name in PASSES:
                    if name != PASSES[0]:
                        conn.execute(BETWEEN_PASSES)
                    start = time.perf_counter()
                    with conn.cursor() as cur:
                        for statement, parameters, many in statements[name]:
                            if many:
                                cur.executemany(statement, parameters)
                            else:
                                cur.execute(statement, parameters)
                            if cur.description is not None:
                                cur.fetchall()
                    times[name].append(time.perf_counter() - start)
            finally:
                conn.rollback()
    finally:
        raw.close()
    return times


def main() -> int:
    runs, out_path = int(sys.argv[1]), sys.argv[2]
    app = create_app()
    report = {}
    with app.app_context():
        if not db.engine.url.get_backend_name().startswith("postgresql"):
            print("the sweep bench needs PostgreSQL", file=sys.stderr)
            return 2
        now = utcnow()
        report["now"] = now.isoformat()
        for name, job in jobs().items():
            print(f"  timing {name} ({runs} runs, rolled back) ...", file=sys.stderr, flush=True)
            times, statements, results = time_job(job, now, runs)
            bare = time_bare(statements, runs)
            report[name] = {
                p: {
                    "job_ms": [round(t * 1000, 2) for t in times[p]],
                    "bare_sql_ms": [round(t * 1000, 2) for t in bare[p]],
                    "job_median_ms": round(statistics.median(times[p]) * 1000, 2),
                    "bare_sql_median_ms": round(statistics.median(bare[p]) * 1000, 2),
                    "statements": len(statements[p]),
                    "result": json.loads(json.dumps(results.get(p), default=str)),
                }
                for p in PASSES
            }
    with open(out_path, "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
