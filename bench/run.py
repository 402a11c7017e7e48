"""`make bench`: load and job benchmarks of TiepDan against a large PostgreSQL database.

Run with the app's venv python (`.venv/bin/python bench/run.py`, which `make bench` does). It:
  1. creates the bench database if missing, upgrades it, and seeds it up to BENCH_CASES cases
     (`flask seed-demo`, then `flask seed-bulk --cases <missing>`), then VACUUM ANALYZE;
  2. times the scheduler's set-based jobs against their bare SQL (bench/sweep.py);
  3. serves the app with gunicorn (gunicorn.conf.py, production settings, no scheduler) on a free port
     of 127.0.0.1 and runs one headless locust run per scenario (bench/locustfile.py, from bench/.venv),
     sampling the workers' memory meanwhile;
  4. writes bench/results/<UTC timestamp>.json and latest.json, and the table of docs/benchmarks.md.
It exits non-zero if a scenario has more than 1% failed requests (or none at all).

Settings (environment): BENCH_DATABASE_URL, BENCH_CASES, BENCH_QUICK, BENCH_USERS, BENCH_DURATION,
BENCH_WARMUP, BENCH_SWEEP_RUNS, BENCH_WORKERS, BENCH_THREADS, BENCH_PAGE, BENCH_ONLY, BENCH_REDIS_URL;
see docs/benchmarks.md.
"""

import json
import math
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
DOCS = ROOT / "docs" / "benchmarks.md"
APP_BIN = Path(sys.executable).parent  # the app's venv: flask, gunicorn
LOCUST = BENCH / ".venv" / "bin" / "locust"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
#: A scenario with more failed requests than this share fails the run.
MAX_FAILURE_RATIO = 0.01
#: Worker memory target (peak RSS of one gunicorn worker).
RSS_TARGET_MB = 200
#: The sweeps must stay within this factor of the bare SQL they run.
SWEEP_TARGET_FACTOR = 1.5
CASE_LIST_URL = "/cases/?state=open&kind=complaint"


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


@dataclass
class Settings:
    database_url: str = os.environ.get("BENCH_DATABASE_URL") or "postgresql://postgres@127.0.0.1/tiepdan_bench"
    cases: int = env_int("BENCH_CASES", 1_000_000)
    quick: bool = env_flag("BENCH_QUICK")
    users: int = 0
    duration: int = 0
    warmup: int = 0
    sweep_runs: int = env_int("BENCH_SWEEP_RUNS", 3)
    workers: int = env_int("BENCH_WORKERS", 2)
    threads: int = env_int("BENCH_THREADS", 1)
    page: int = env_int("BENCH_PAGE", 1000)
    only: list[str] = field(
        default_factory=lambda: [s.strip() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()]
    )
    redis_url: str = os.environ.get("BENCH_REDIS_URL") or "redis://127.0.0.1:6379"

    def __post_init__(self):
        # As many users as workers: every worker always busy, no request queued behind another, so the
        # percentiles are response times at full throughput rather than queue lengths (BENCH_USERS=8: 3
        # requests queued per worker, p50 about 4 times the time one request takes).
        self.users = env_int("BENCH_USERS", self.workers)
        self.duration = env_int("BENCH_DURATION", 5 if self.quick else 25)
        self.warmup = env_int("BENCH_WARMUP", 1 if self.quick else 3)
        if self.warmup >= self.duration:
            sys.exit(f"BENCH_WARMUP ({self.warmup}) must be shorter than BENCH_DURATION ({self.duration}).")

    def wants(self, key: str) -> bool:
        return not self.only or key in self.only


@dataclass
class Scenario:
    key: str
    user_class: str
    title: str
    #: Key of the scenario data naming the user it logs in as (None: anonymous or its own login).
    user_key: str | None
    #: p95 target in ms of each request name (a name missing here has no target).
    targets: dict[str, float]


SCENARIOS = [
    Scenario("healthz", "Healthz", "Floor: /healthz (anonymous, one SELECT 1)", None, {}),
    Scenario("login", "Login", "Login: GET /login + POST /login (scrypt)", "province_head", {}),
    Scenario(
        "case_list_province",
        "CaseListProvince",
        "Case list, open complaints, province head",
        "province_head",
        {"GET /cases/ (filtered)": 50},
    ),
    Scenario(
        "case_list_commune",
        "CaseListCommune",
        "Case list, open complaints, commune head",
        "commune_head",
        {"GET /cases/ (filtered)": 50},
    ),
    Scenario(
        "page_1000",
        "CasePage1000",
        "Case list, page 1,000 (keyset ?after=)",
        "province_head",
        {"GET /cases/?after= (page 1000)": 50},
    ),
    Scenario("case_detail", "CaseDetail", "Case detail, random case", "province_head", {"GET /cases/<id>": 30}),
    Scenario("search_cases", "SearchCases", "Case search ?q=<name words>", "province_head", {"GET /cases/?q=": 100}),
    Scenario(
        "search_petitions",
        "SearchPetitions",
        "Petition search ?q=<name words>",
        "province_head",
        {"GET /petitions/?q=": 100},
    ),
    Scenario(
        "caseload", "Caseload", "Caseload page of the province head", "province_head", {"GET /cases/caseload": 150}
    ),
    Scenario(
        "new_petition",
        "NewPetition",
        "New petition: form + POST (reception officer)",
        "reception",
        {"GET /petitions/new": 60, "POST /petitions/new": 60},
    ),
]


def log(msg: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {msg}", flush=True)


class BenchError(Exception):
    pass


# --- the database -----------------------------------------------------------------------------------------


def libpq_url(url: str) -> str:
    """A URL psycopg understands (no SQLAlchemy driver suffix)."""
    return re.sub(r"^postgres(ql)?\+\w+://", "postgresql://", url)


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    dbname = conninfo_to_dict(libpq_url(url)).get("dbname")
    if not dbname:
        raise BenchError(f"BENCH_DATABASE_URL names no database: {redacted(url)}")
    with psycopg.connect(make_conninfo(libpq_url(url), dbname="postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is None:
            log(f"creating database {dbname}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def scalar(url: str, query: str, params=None):
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(query, params).fetchone()
        return row[0] if row else None


def vacuum_analyze(url: str) -> None:
    import psycopg

    start = time.monotonic()
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE done in {time.monotonic() - start:.1f} s")


def app_env(settings: Settings) -> dict:
    """The environment of the app's processes: production settings with a fresh SECRET_KEY."""
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": settings.database_url,
            "FLASK_DEPLOYMENT": "production",
            "FLASK_SECRET_KEY": secrets.token_hex(32),
            "FLASK_RATELIMIT_STORAGE_URI": settings.redis_url,
            "FLASK_FORCE_HTTPS": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def flask(env: dict, *args: str, stream: bool = False) -> subprocess.CompletedProcess:
    cmd = [str(APP_BIN / "flask"), "--app", "wsgi", *args]
    if stream:  # long seeding: show its progress as it goes
        proc = subprocess.run(cmd, cwd=ROOT, env=env)
    else:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        detail = "" if stream else (proc.stdout + proc.stderr)[-3000:]
        raise BenchError(f"`flask {' '.join(args)}` failed ({proc.returncode}):\n{detail}")
    return proc


def has_flask_command(env: dict, name: str) -> bool:
    proc = subprocess.run(
        [str(APP_BIN / "flask"), "--app", "wsgi", name, "--help"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return proc.returncode == 0


def prepare_database(settings: Settings, env: dict) -> dict:
    """Create, upgrade and seed the database up to settings.cases cases; how it was seeded."""
    url = settings.database_url
    ensure_database(url)
    log("flask db upgrade")
    flask(env, "db", "upgrade")
    seeded = []
    # The demo users get the demo password, which a production deployment refuses: seed as the demo.
    seed_env = dict(env, FLASK_DEPLOYMENT="development")
    if not scalar(url, "SELECT 1 FROM users WHERE username = 'chutich.tinh'"):
        log("flask seed-demo")
        flask(seed_env, "seed-demo")
        seeded.append("seed-demo")
    count = scalar(url, "SELECT count(*) FROM cases")
    missing = settings.cases - count
    if missing > 0:
        if has_flask_command(env, "seed-bulk"):
            log(f"{count:,} cases: flask seed-bulk --cases {missing} (this takes a while at 1M)")
            start = time.monotonic()
            flask(seed_env, "seed-bulk", "--cases", str(missing), stream=True)
            seeded.append(f"seed-bulk --cases {missing} ({time.monotonic() - start:.0f} s)")
        else:
            log(
                f"WARNING: `flask seed-bulk` is not available: benchmarking the {count:,} cases present, "
                f"not {settings.cases:,}"
            )
            seeded.append("seed-bulk unavailable")
    vacuum_analyze(url)
    return {"seeded": seeded}


# --- the scenario data ------------------------------------------------------------------------------------


def unaccent(text: str) -> str:
    """Vietnamese as typed without diacritics: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.lower().split())


def scenario_data(settings: Settings, env: dict) -> tuple[dict, dict]:
    """What the locust users need (users, URLs, ids, search words), and facts about the database."""
    os.environ.update({k: v for k, v in env.items() if k.startswith("FLASK_") or k == "DATABASE_URL"})
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import func, select, text

    from app import create_app
    from app.cases.models import Case
    from app.cases.scope import visible_to
    from app.demo import DEMO_PASSWORD
    from app.extensions import db
    from app.users.models import User

    app = create_app()
    with app.app_context():
        page_size = int(app.config["PAGE_SIZE"])

        def user(username: str) -> User:
            found = db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()
            if found is None:
                raise BenchError(f"no user {username!r} in the bench database (demo data missing?)")
            return found

        province_head = user("chutich.tinh")
        reception = user("tiepdan.tk")
        # The commune head whose commune has the most cases (the busiest commune list).
        commune_head = db.session.execute(
            text(
                "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'head' "
                "JOIN units n ON n.id = u.unit_id AND n.kind = 'commune' "
                "LEFT JOIN cases c ON c.unit_id = n.id "
                "WHERE u.is_active AND u.username LIKE 'chutich.%' "
                "GROUP BY u.username ORDER BY count(c.id) DESC, u.username LIMIT 1"
            )
        ).scalar()
        if commune_head is None:
            raise BenchError("no commune head (chutich.<code>) in the bench database")
        counts = {
            t: db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("cases", "petitions", "persons", "clocks", "flags", "units", "users")
        }
        commune_cases = db.session.execute(
            text(
                "SELECT count(*) FROM cases c JOIN units n ON n.id = c.unit_id JOIN users u ON u.unit_id = n.id "
                "WHERE u.username = :u"
            ),
            {"u": commune_head},
        ).scalar()

        if not counts["cases"]:
            raise BenchError("the bench database holds no case")
        # The cursor of page N is the last row of page N-1 (the list shows the rows strictly after it).
        wanted = settings.page
        offset = (wanted - 1) * page_size - 1
        if offset >= counts["cases"]:
            wanted = max(counts["cases"] // page_size, 1)
            offset = (wanted - 1) * page_size - 1
        rows = db.session.execute(
            text("SELECT accepted_on, id, number FROM cases ORDER BY accepted_on DESC, id DESC OFFSET :o LIMIT 2"),
            {"o": max(offset, 0)},
        ).all()
        if offset >= 0:
            page_url = f"/cases/?after={rows[0].accepted_on.isoformat()}.{rows[0].id}"
            first_number = rows[1].number if len(rows) > 1 else None
        else:
            page_url, first_number = "/cases/", rows[0].number

        case_ids = (
            db.session.execute(select(Case.id).where(visible_to(province_head)).order_by(func.random()).limit(5000))
            .scalars()
            .all()
        )
        if not case_ids:
            raise BenchError("the province head sees no case")

        names = (
            db.session.execute(
                text("SELECT full_name FROM persons WHERE full_name LIKE 'Nguyễn Văn %' ORDER BY random() LIMIT 500")
            )
            .scalars()
            .all()
        )
        if len(names) < 5:
            names += (
                db.session.execute(
                    text("SELECT full_name FROM persons WHERE full_name LIKE '% % %' ORDER BY random() LIMIT 500")
                )
                .scalars()
                .all()
            )
        terms = sorted({unaccent(n) for n in names if n})[:100]
        if not terms:
            raise BenchError("no person names to search for")
        data = {
            "password": DEMO_PASSWORD,
            "province_head": province_head.username,
            "commune_head": commune_head,
            "reception": reception.username,
            "case_list_url": CASE_LIST_URL,
            "page1000_url": page_url,
            "page1000_first_number": first_number,
            "case_ids": case_ids,
            "search_terms": [quote_plus(t) for t in terms],
        }
        facts = {
            "counts": counts,
            "page_size": page_size,
            "page": wanted,
            "page_url": page_url,
            "commune_head": commune_head,
            "commune_cases": commune_cases,
            "search_terms_sample": terms[:5],
            "pg_version": db.session.execute(text("SHOW server_version")).scalar(),
        }
    return data, facts


# --- gunicorn and locust ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            out.append(int(entry))
    return out


def proc_status_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


class RssSampler(threading.Thread):
    """Sample VmRSS (and read VmHWM, the kernel's peak) of each gunicorn worker every 0.2 s."""

    def __init__(self, master_pid: int):
        super().__init__(daemon=True)
        self.master_pid = master_pid
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.peak_rss: dict[int, int] = {}
        self.peak_hwm: dict[int, int] = {}
        self.window_peak = 0  # max VmRSS (kB) since the last reset_window()

    def sample(self) -> None:
        for pid in children_of(self.master_pid):
            rss, hwm = proc_status_kb(pid, "VmRSS"), proc_status_kb(pid, "VmHWM")
            with self.lock:
                if rss:
                    self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), rss)
                    self.window_peak = max(self.window_peak, rss)
                if hwm:
                    self.peak_hwm[pid] = max(self.peak_hwm.get(pid, 0), hwm)

    def run(self) -> None:
        while not self.stop_event.wait(0.2):
            self.sample()

    def reset_window(self) -> None:
        with self.lock:
            self.window_peak = 0

    def window_peak_mb(self) -> float:
        self.sample()
        with self.lock:
            return round(self.window_peak / 1024, 1)


def start_gunicorn(settings: Settings, env: dict, port: int) -> subprocess.Popen:
    genv = dict(env)
    genv.update(
        {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(settings.workers),
            "GUNICORN_THREADS": str(settings.threads),
            "GUNICORN_ACCESSLOG": str(RESULTS / "gunicorn-access.log.tmp"),
            "GUNICORN_ERRORLOG": str(RESULTS / "gunicorn.log.tmp"),
        }
    )
    cmd = [str(APP_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"]
    log(f"gunicorn: {settings.workers} workers x {settings.threads} thread(s) on 127.0.0.1:{port}")
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=genv, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited ({proc.returncode}) at start:\n{tail(RESULTS / 'gunicorn.log.tmp')}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as resp:
                if resp.status == 200 and len(children_of(proc.pid)) >= settings.workers:
                    return proc
        except OSError:
            pass
        time.sleep(0.3)
    raise BenchError(f"gunicorn did not answer /healthz in 90 s:\n{tail(RESULTS / 'gunicorn.log.tmp')}")


def stop_process_group(proc: subprocess.Popen | None, name: str, grace: float) -> None:
    """SIGTERM the process group we started (gunicorn's master and workers, or locust), then SIGKILL."""
    if proc is None or proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop in {grace:.0f} s: killing it")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(math.ceil(q * len(sorted_values)) - 1, 0)]


def run_scenario(
    sc: Scenario, settings: Settings, port: int, data_path: Path, sampler: RssSampler, workers: list[int], holder: dict
) -> dict:
    raw_path = RESULTS / f"raw-{sc.key}.json.tmp"
    log_path = RESULTS / f"locust-{sc.key}.log.tmp"
    raw_path.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update({"BENCH_DATA": str(data_path), "BENCH_RAW_OUT": str(raw_path), "PYTHONUNBUFFERED": "1"})
    cmd = [
        str(LOCUST),
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(settings.users),
        "--spawn-rate",
        str(settings.users),
        "--run-time",
        f"{settings.duration}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{port}",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        sc.user_class,
    ]
    sampler.reset_window()
    load_before = load_average()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu_before = sum(cpu_seconds(p) for p in workers)
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, cwd=BENCH, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        holder["locust"] = proc
        try:
            rc = proc.wait(timeout=settings.duration + 90)
        except subprocess.TimeoutExpired:
            raise BenchError(f"locust ({sc.key}) did not finish in time:\n{tail(log_path)}") from None
        finally:
            stop_process_group(proc, "locust", 10)
            holder["locust"] = None
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    locust_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    worker_cpu = sum(cpu_seconds(p) for p in workers) - worker_cpu_before
    if rc != 0 or not raw_path.exists():
        raise BenchError(f"locust ({sc.key}) failed (exit {rc}):\n{tail(log_path)}")
    raw = json.loads(raw_path.read_text(encoding="utf-8"))
    window = raw["window"]
    measure_from = (window["start"] or 0) + settings.warmup
    measured_s = max((window["stop"] or time.time()) - measure_from, 1e-9)
    by_name: dict[str, list] = {}
    total = failed = 0
    for name, start, ms, ok in raw["samples"]:
        total += 1
        failed += not ok
        if name.startswith("setup: ") or start < measure_from:
            continue
        by_name.setdefault(name, []).append((ms, ok))
    rows = []
    for name, samples in by_name.items():
        times = sorted(ms for ms, _ok in samples)
        target = sc.targets.get(name)
        p95 = percentile(times, 0.95)
        rows.append(
            {
                "request": name,
                "count": len(samples),
                "failures": sum(not ok for _ms, ok in samples),
                "p50_ms": round(percentile(times, 0.50), 1),
                "p95_ms": round(p95, 1),
                "p99_ms": round(percentile(times, 0.99), 1),
                "max_ms": round(times[-1], 1),
                "mean_ms": round(statistics.fmean(times), 1),
                "rps": round(len(samples) / measured_s, 1),
                "target_p95_ms": target,
                "met": None if target is None else bool(p95 <= target),
            }
        )
    rows.sort(key=lambda r: (not r["request"].startswith("GET"), r["request"]))
    result = {
        "key": sc.key,
        "title": sc.title,
        "user": sc.user_key,
        "rows": rows,
        "requests": total,
        "failures": failed,
        "failure_ratio": round(failed / total, 4) if total else None,
        "failure_reasons": raw.get("failures", []),
        "measured_s": round(measured_s, 1),
        "load_average_before": load_before,
        "locust_cpu_pct": round(100 * locust_cpu / wall, 1),
        "workers_cpu_pct": round(100 * worker_cpu / wall, 1),
        "worker_rss_peak_mb": sampler.window_peak_mb(),
        "locust_cpu_warning": "CPU usage above" in (log_path.read_text(encoding="utf-8", errors="replace")),
    }
    return result


# --- the report -------------------------------------------------------------------------------------------


def machine_info(facts: dict) -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_kb = meminfo_total_kb()
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1) if mem_kb else None,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": facts.get("pg_version"),
    }


def meminfo_total_kb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def load_average() -> float | None:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        return out.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def flag_counts(result) -> tuple[int, int]:
    """Flags raised and cleared by a job, from its result ({"raised", "cleared"}, possibly per flag kind)."""
    if not isinstance(result, dict):
        return 0, 0
    if "raised" in result or "cleared" in result:
        return int(result.get("raised") or 0), int(result.get("cleared") or 0)
    counts = [flag_counts(v) for v in result.values()]
    return sum(r for r, _c in counts), sum(c for _r, c in counts)


def sweep_verdicts(sweeps: dict) -> list[dict]:
    rows = []
    titles = {
        "flag_deadlines": "Overdue sweep flag_deadlines(now)",
        "flag_complex_cases": "Complex-case flags flag_complex_cases(now)",
    }
    for job, passes in sweeps.items():
        if not isinstance(passes, dict) or job not in titles:
            continue
        for name, p in passes.items():
            job_ms, bare_ms = p["job_median_ms"], p["bare_sql_median_ms"]
            limit = SWEEP_TARGET_FACTOR * bare_ms
            raised, cleared = flag_counts(p.get("result"))
            title = f"{titles[job]}, {name} run: {raised:,} flags raised, {cleared:,} cleared"
            rows.append(
                {
                    "job": job,
                    "pass": name,
                    "title": title,
                    "job_ms": job_ms,
                    "bare_sql_ms": bare_ms,
                    "ratio": round(job_ms / bare_ms, 2) if bare_ms else None,
                    "target_ms": round(limit, 1),
                    "met": job_ms <= limit,
                    "result": p.get("result"),
                }
            )
    return rows


def fmt(v, digits: int = 0) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    return f"{v:,.{digits}f}"


def verdict(met) -> str:
    return "—" if met is None else ("met" if met else "**missed**")


def render_table(res: dict) -> str:
    m, s, db = res["machine"], res["settings"], res["database"]
    floor = next((sc for sc in res["scenarios"] if sc["key"] == "healthz"), None)
    floor_p95 = floor["rows"][0]["p95_ms"] if floor and floor["rows"] else None
    server = (
        f"{s['workers']} sync workers"
        if s["threads"] == 1
        else f"{s['workers']} gthread workers x {s['threads']} threads"
    )
    load = res.get("load_average_at_start")
    lines = [
        f"Last run: {res['started_at']} (commit {res.get('commit') or '?'})"
        + (" — **quick smoke run (BENCH_QUICK=1): not a measurement**" if s["quick"] else "")
        + ".",
        "",
        f"Machine: {m['cpu'] or 'unknown CPU'}, {m['cores']} cores, {m['ram_gib']} GiB, load average "
        f"{fmt(load, 2)} at the start{' (**busy: other work skewed the numbers**)' if load and load > 1.0 else ''}; "
        f"PostgreSQL {m['postgresql']}; Python {m['python']}. Database: {db['counts']['cases']:,} cases, "
        f"{db['counts']['petitions']:,} petitions, {db['counts']['persons']:,} persons. Server: gunicorn, {server}, "
        f"production settings, access log on. Load: locust on the same machine, {s['users']} users with no wait, "
        f"{s['duration_s']} s per scenario (the first {s['warmup_s']} s not counted).",
        "",
        "| Scenario | Request | n | p50 ms | p95 ms | p99 ms | req/s | failed | Floor p95 ms | Target p95 | Result |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for sc in res["scenarios"]:
        for r in sc["rows"]:
            is_floor = sc["key"] == "healthz"
            lines.append(
                f"| {sc['title']} | `{r['request']}` | {r['count']:,} | {fmt(r['p50_ms'], 1)} | {fmt(r['p95_ms'], 1)} "
                f"| {fmt(r['p99_ms'], 1)} | {fmt(r['rps'], 1)} | {r['failures']} "
                f"| {'(floor)' if is_floor else fmt(floor_p95, 1)} "
                f"| {'≤ ' + fmt(r['target_p95_ms']) + ' ms' if r['target_p95_ms'] is not None else '—'} "
                f"| {verdict(r['met'])} |"
            )
    if res.get("sweep_rows") or res.get("worker_rss"):
        lines += [
            "",
            f"| Job or resource | Measured (jobs: median of {s['sweep_runs']} runs, each rolled back) "
            "| Floor | Ratio | Target | Result |",
            "|---|--:|--:|--:|---|---|",
        ]
    for r in res.get("sweep_rows", []):
        lines.append(
            f"| {r['title']} | {fmt(r['job_ms'], 1)} ms "
            f"| {fmt(r['bare_sql_ms'], 1)} ms bare SQL | {fmt(r['ratio'], 2)}× | ≤ {SWEEP_TARGET_FACTOR}× bare SQL "
            f"| {verdict(r['met'])} |"
        )
    rss = res.get("worker_rss")
    if rss:
        lines.append(
            f"| Peak RSS of a gunicorn worker, all scenarios ({rss['workers_seen']} workers) "
            f"| {fmt(rss['peak_mb'], 1)} MB | — | — | ≤ {RSS_TARGET_MB} MB | {verdict(rss['met'])} |"
        )
    if res["scenarios"]:
        cores = res["machine"]["cores"] or 1
        lines += [
            "",
            f"CPU used per scenario, in % of one core (of {100 * cores}%): "
            + ", ".join(
                f"{sc['key']} workers {fmt(sc['workers_cpu_pct'])}% / locust {fmt(sc['locust_cpu_pct'])}%"
                for sc in res["scenarios"]
            )
            + ".",
        ]
    if res.get("problems"):
        lines += ["", "**The run failed:** " + "; ".join(res["problems"])]
    return "\n".join(lines)


def write_docs(table: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOCS.write_text(text, encoding="utf-8")


def print_summary(res: dict) -> None:
    print()
    print(
        f"{'scenario':<20} {'request':<34} {'n':>6} {'p50':>7} {'p95':>7} {'p99':>7} {'req/s':>7} {'fail':>5}"
        f" {'target':>7}  result"
    )
    for sc in res["scenarios"]:
        for r in sc["rows"]:
            print(
                f"{sc['key']:<20} {r['request'][:34]:<34} {r['count']:>6} {fmt(r['p50_ms'], 1):>7} "
                f"{fmt(r['p95_ms'], 1):>7} {fmt(r['p99_ms'], 1):>7} {fmt(r['rps'], 1):>7} {r['failures']:>5} "
                f"{fmt(r['target_p95_ms']):>7}  {verdict(r['met']).strip('*')}"
            )
    for r in res.get("sweep_rows", []):
        print(
            f"{r['job'] + ' ' + r['pass']:<55} job {fmt(r['job_ms'], 1)} ms, bare SQL {fmt(r['bare_sql_ms'], 1)} ms"
            f" ({fmt(r['ratio'], 2)}x, target <= {SWEEP_TARGET_FACTOR}x)  {verdict(r['met']).strip('*')}"
        )
    if res.get("worker_rss"):
        rss = res["worker_rss"]
        print(
            f"{'worker peak RSS':<55} {fmt(rss['peak_mb'], 1)} MB (target <= {RSS_TARGET_MB} MB)  "
            f"{verdict(rss['met']).strip('*')}"
        )
    print()


# --- main -------------------------------------------------------------------------------------------------


def main() -> int:
    settings = Settings()
    if not LOCUST.exists():
        raise BenchError(f"{LOCUST} is missing: run `make bench` (it builds bench/.venv from requirements-bench.txt)")
    if not (APP_BIN / "gunicorn").exists():
        raise BenchError(f"gunicorn is not installed in {APP_BIN.parent} (it is in requirements.txt)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    stamp = started.strftime("%Y%m%dT%H%M%SZ")
    log(
        f"database {redacted(settings.database_url)}, {settings.cases:,} cases wanted"
        + (", QUICK" if settings.quick else "")
    )
    load = load_average()
    if load is not None and load > 1.0:
        log(f"WARNING: the machine is busy (load average {load:.2f}): other work skews the numbers")
    env = app_env(settings)
    seeding = prepare_database(settings, env)
    data, facts = scenario_data(settings, env)
    log(
        f"{facts['counts']['cases']:,} cases; commune head {facts['commune_head']} "
        f"({facts['commune_cases']:,} cases); page {facts['page']} at {facts['page_size']}/page: {facts['page_url']}"
    )
    data_path = RESULTS / "scenario-data.json.tmp"
    data_path.write_text(json.dumps(data), encoding="utf-8")

    res = {
        "started_at": started.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "status": "running",
        "load_average_at_start": load,
        "machine": machine_info(facts),
        "database": {
            "url": redacted(settings.database_url),
            "cases_wanted": settings.cases,
            **seeding,
            "counts": facts["counts"],
            "commune_head": facts["commune_head"],
            "commune_cases": facts["commune_cases"],
            "page_size": facts["page_size"],
            "page": facts["page"],
            "page_url": facts["page_url"],
            "search_terms_sample": facts["search_terms_sample"],
        },
        "settings": {
            "quick": settings.quick,
            "users": settings.users,
            "duration_s": settings.duration,
            "warmup_s": settings.warmup,
            "sweep_runs": settings.sweep_runs,
            "workers": settings.workers,
            "threads": settings.threads,
            "worker_class": "sync" if settings.threads == 1 else "gthread",
            "case_list_url": CASE_LIST_URL,
        },
        "scenarios": [],
        "sweeps": {},
        "sweep_rows": [],
    }

    if settings.wants("sweep"):
        log("timing the scheduler jobs (no server running)")
        sweep_out = RESULTS / "sweep.json.tmp"
        proc = subprocess.run(
            [sys.executable, str(BENCH / "sweep.py"), str(settings.sweep_runs), str(sweep_out)], cwd=ROOT, env=env
        )
        if proc.returncode != 0:
            raise BenchError("bench/sweep.py failed")
        res["sweeps"] = json.loads(sweep_out.read_text(encoding="utf-8"))
        res["sweep_rows"] = sweep_verdicts(res["sweeps"])

    gunicorn = None
    sampler = None
    holder: dict = {"locust": None}
    problems = []
    try:
        scenarios = [sc for sc in SCENARIOS if settings.wants(sc.key)]
        if scenarios:
            port = free_port()
            gunicorn = start_gunicorn(settings, env, port)
            sampler = RssSampler(gunicorn.pid)
            sampler.start()
            workers = children_of(gunicorn.pid)
            for sc in scenarios:
                log(f"scenario {sc.key}: {sc.title} ({settings.users} users, {settings.duration} s)")
                result = run_scenario(sc, settings, port, data_path, sampler, workers, holder)
                if sc.key == "page_1000" and facts["page"] != 1000:  # a small database has fewer pages
                    result["title"] = sc.title.replace("page 1,000", f"page {facts['page']:,} (the last)")
                res["scenarios"].append(result)
                for r in result["rows"]:
                    log(
                        f"  {r['request']:<34} n={r['count']:<6} p50={fmt(r['p50_ms'], 1)} p95={fmt(r['p95_ms'], 1)} "
                        f"p99={fmt(r['p99_ms'], 1)} ms  {fmt(r['rps'], 1)} req/s  failed={r['failures']}"
                    )
                reasons = "; ".join(f"{msg} (x{n})" for msg, n in result["failure_reasons"][:3])
                if not result["requests"] or not result["rows"]:
                    problems.append(f"{sc.key}: no request was measured" + (f": {reasons}" if reasons else ""))
                elif result["failures"] > MAX_FAILURE_RATIO * result["requests"]:
                    problems.append(
                        f"{sc.key}: {result['failures']} of {result['requests']} requests failed: {reasons}"
                    )
                if gunicorn.poll() is not None:
                    raise BenchError(f"gunicorn died during {sc.key}:\n{tail(RESULTS / 'gunicorn.log.tmp')}")
            sampler.sample()
            peak_hwm = max(sampler.peak_hwm.values(), default=0)
            peak_rss = max(sampler.peak_rss.values(), default=0)
            peak_mb = round(max(peak_hwm, peak_rss) / 1024, 1)
            res["worker_rss"] = {
                "peak_mb": peak_mb,
                "peak_sampled_vmrss_mb": round(peak_rss / 1024, 1),
                "peak_vmhwm_mb": round(peak_hwm / 1024, 1),
                "workers_seen": len(sampler.peak_rss),
                "per_worker_mb": {str(pid): round(kb / 1024, 1) for pid, kb in sampler.peak_hwm.items()},
                "target_mb": RSS_TARGET_MB,
                "met": peak_mb <= RSS_TARGET_MB,
            }
    finally:
        if sampler is not None:
            sampler.stop_event.set()
        stop_process_group(holder.get("locust"), "locust", 10)
        stop_process_group(gunicorn, "gunicorn", 30)

    res["finished_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    res["status"] = "failed" if problems else "ok"
    res["problems"] = problems
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(out, RESULTS / "latest.json")
    write_docs(render_table(res))
    print_summary(res)
    log(f"results: {out.relative_to(ROOT)} (and latest.json); table: {DOCS.relative_to(ROOT)}")
    if problems:
        print("\nBENCH FAILED: more than 1% failed requests (or none measured):", file=sys.stderr)
        for p in problems:
            print("  - " + p, file=sys.stderr)
        return 1
    return 0


def _terminated(signum, _frame):
    raise SystemExit(128 + signum)  # unwinds through main's finally: gunicorn and locust are stopped


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminated)
    try:
        sys.exit(main())
    except BenchError as err:
        print(f"\nBENCH FAILED: {err}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nbench interrupted", file=sys.stderr)
        sys.exit(130)
