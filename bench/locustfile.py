"""Locust scenarios of `make bench` (run by bench/run.py, one user class per locust run).

Runs in bench/.venv (locust pins its own Flask and Werkzeug, so it never shares the app's venv). It reads
the scenario data prepared by run.py (users, the page-1000 cursor, case ids, search words) from the JSON
file named by BENCH_DATA, and writes every request it timed to BENCH_RAW_OUT so that run.py computes exact
percentiles (locust's own histogram rounds times above 100 ms).

Every request checks its answer: a page must be 200 (a 302 to /login means the session was lost), a
login or a new petition must be a 302 to the right place. Anything else is a failure, with its reason.
Requests made while setting up (the login in on_start) are named "setup: ..." and not reported.
"""

import json
import os
import random
import re
import time
from collections import Counter
from http.cookiejar import DefaultCookiePolicy

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

with open(os.environ["BENCH_DATA"], encoding="utf-8") as fh:
    DATA = json.load(fh)

#: (name, start time, response time in ms, ok)
SAMPLES: list[tuple[str, float, float, bool]] = []
FAILURES: Counter = Counter()
WINDOW = {"start": None, "stop": None}

CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
SELECT_RE = r'<select[^>]*name="{}"[^>]*>(.*?)</select>'
OPTION_RE = re.compile(r"<option([^>]*)>")
VALUE_RE = re.compile(r'value="([^"]*)"')
INPUT_VALUE_RE = r'<input[^>]*name="{}"[^>]*value="([^"]*)"'
PETITION_URL_RE = re.compile(r"/petitions/(\d+)$")
FIELD_ERROR_RE = re.compile(r'class="invalid-feedback[^"]*"[^>]*>\s*([^<]+)')

GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tài",
    "Thành",
    "Tuấn",
    "Việt",
    "Hương",
    "Lan",
    "Mai",
    "Ngọc",
    "Thảo",
    "Trang",
    "Yến",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
SUMMARIES = [
    "Khiếu nại quyết định thu hồi đất để thực hiện dự án mở rộng đường",
    "Kiến nghị giải quyết tranh chấp ranh giới đất với hộ liền kề",
    "Phản ánh việc xả thải gây ô nhiễm môi trường tại khu dân cư",
    "Tố cáo cán bộ địa chính có hành vi sách nhiễu khi làm thủ tục",
    "Khiếu nại việc bồi thường, hỗ trợ tái định cư chưa thỏa đáng",
]


@events.test_start.add_listener
def _started(**_kw):
    WINDOW["start"] = time.time()


@events.test_stop.add_listener
def _stopped(**_kw):
    WINDOW["stop"] = time.time()


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, start_time=None, **_kw):
    SAMPLES.append((name, start_time or time.time(), response_time, exception is None))
    if exception is not None:
        FAILURES[f"{name}: {exception}"[:300]] += 1


@events.quitting.add_listener
def _write(**_kw):
    out = os.environ.get("BENCH_RAW_OUT")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            json.dump({"window": WINDOW, "samples": SAMPLES, "failures": FAILURES.most_common(20)}, fh)


def form_value(html: str, name: str) -> str | None:
    m = re.search(INPUT_VALUE_RE.format(re.escape(name)), html)
    return m.group(1) if m else None


def select_options(html: str, name: str) -> list[tuple[str, bool]]:
    """(value, selected) of the options of the select ``name``."""
    m = re.search(SELECT_RE.format(re.escape(name)), html, re.S)
    if not m:
        return []
    out = []
    for attrs in OPTION_RE.findall(m.group(1)):
        v = VALUE_RE.search(attrs)
        out.append((v.group(1) if v else "", " selected" in f" {attrs}"))
    return out


def csrf_token(html: str) -> str | None:
    m = CSRF_RE.search(html)
    return m.group(1) if m else None


class BehindTlsProxy(DefaultCookiePolicy):
    """Send Secure cookies over plain http to 127.0.0.1, as a browser sends them over https to the proxy.

    In production (FLASK_DEPLOYMENT=production) the session cookie is Secure; nginx ends TLS in front.
    """

    def return_ok_secure(self, cookie, request):
        return True


class BenchUser(FastHttpUser):
    """A user of one scenario: no wait between requests; logs in once in on_start if ``username`` is set."""

    abstract = True
    wait_time = constant(0)
    #: Key in DATA of the username to log in as (None: anonymous).
    login_as: str | None = None

    def on_start(self):
        self.client.cookiejar.set_policy(BehindTlsProxy())
        if self.login_as and not self.log_in(DATA[self.login_as], prefix="setup: "):
            raise StopUser()

    def get_page(self, url: str, name: str, expect: int = 200):
        """GET without following redirects; anything but ``expect`` is a failure."""
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as resp:
            if resp.status_code != expect:
                where = resp.headers.get("Location", "") if resp.headers else ""
                resp.failure(f"HTTP {resp.status_code} {where}".strip())
            return resp

    def log_in(self, username: str, prefix: str = "") -> bool:
        """GET /login, then POST the form with its CSRF token; True if it ends in a redirect away from it."""
        resp = self.get_page("/login", f"{prefix}GET /login")
        token = csrf_token(resp.text or "") if resp.status_code == 200 else None
        if token is None:
            return False
        with self.client.post(
            "/login",
            name=f"{prefix}POST /login",
            allow_redirects=False,
            catch_response=True,
            data={"username": username, "password": DATA["password"], "csrf_token": token},
        ) as post:
            where = post.headers.get("Location", "") if post.headers else ""
            if post.status_code != 302 or "/login" in where:
                post.failure(f"login refused: HTTP {post.status_code} {where}".strip())
                return False
        return True


class Healthz(BenchUser):
    """Floor: a trivial endpoint (one SELECT 1) through the same server."""

    @task
    def healthz(self):
        self.get_page("/healthz", "GET /healthz")


class Login(BenchUser):
    """A full login from a fresh client: the form, then the POST (scrypt password check, a session row)."""

    @task
    def login(self):
        self.client.cookiejar.clear()
        self.log_in(DATA["province_head"])


class CaseListProvince(BenchUser):
    login_as = "province_head"

    @task
    def case_list(self):
        self.get_page(DATA["case_list_url"], "GET /cases/ (filtered)")


class CaseListCommune(BenchUser):
    login_as = "commune_head"

    @task
    def case_list(self):
        self.get_page(DATA["case_list_url"], "GET /cases/ (filtered)")


class CasePage1000(BenchUser):
    login_as = "province_head"

    def on_start(self):
        super().on_start()
        # The far page must really be that page (its first case), not page 1 with the cursor ignored.
        expected = DATA.get("page1000_first_number")
        resp = self.get_page(DATA["page1000_url"], "setup: page 1000 check")
        if expected and expected not in (resp.text or ""):
            self.environment.events.request.fire(
                request_type="GET",
                name="setup: page 1000 check",
                response_time=0,
                response_length=0,
                exception=Exception(f"the page does not show case {expected}, its first row"),
                start_time=time.time(),
                context={},
                response=None,
                url=DATA["page1000_url"],
            )
            raise StopUser()

    @task
    def page_1000(self):
        self.get_page(DATA["page1000_url"], "GET /cases/?after= (page 1000)")


class CaseDetail(BenchUser):
    login_as = "province_head"

    @task
    def case_detail(self):
        self.get_page(f"/cases/{random.choice(DATA['case_ids'])}", "GET /cases/<id>")


class SearchCases(BenchUser):
    login_as = "province_head"

    @task
    def search(self):
        self.get_page("/cases/?q=" + random.choice(DATA["search_terms"]), "GET /cases/?q=")


class SearchPetitions(BenchUser):
    login_as = "province_head"

    @task
    def search(self):
        self.get_page("/petitions/?q=" + random.choice(DATA["search_terms"]), "GET /petitions/?q=")


class Caseload(BenchUser):
    login_as = "province_head"

    @task
    def caseload(self):
        self.get_page("/cases/caseload", "GET /cases/caseload")


class NewPetition(BenchUser):
    """A reception officer registers a petition received by post: the form, then the POST."""

    login_as = "reception"

    @task
    def new_petition(self):
        resp = self.get_page("/petitions/new", "GET /petitions/new")
        if resp.status_code != 200:
            return
        html = resp.text or ""
        token = csrf_token(html)
        unit = next((v for v, sel in select_options(html, "unit_id") if sel and v), None)
        wards = [v for v, _sel in select_options(html, "ward_code") if v]
        received_on = form_value(html, "received_on")
        if not (token and unit and wards and received_on):
            # Counted as a failure of the POST, so a changed form shows up in the report.
            self.environment.events.request.fire(
                request_type="POST",
                name="POST /petitions/new",
                response_time=0,
                response_length=0,
                exception=Exception("the form lacks csrf_token, unit_id, ward_code or received_on"),
                start_time=time.time(),
                context={},
                response=None,
                url="/petitions/new",
            )
            return
        data = {
            "csrf_token": token,
            "channel": "post",
            "received_on": received_on,
            "unit_id": unit,
            "kind": random.choice(["complaint", "recommendation", "feedback", "denunciation"]),
            "signatory_count": "1",
            "full_name": f"{random.choice(FAMILY)} Văn {random.choice(GIVEN)}",
            "citizen_id": "075" + "".join(random.choices("0123456789", k=9)),
            "phone": "09" + "".join(random.choices("0123456789", k=8)),
            "province_code": "75",
            "ward_code": random.choice(wards),
            "address_line": f"Tổ {random.randint(1, 20)}, ấp {random.randint(1, 9)}",
            "other_petitioners": "",
            "summary": random.choice(SUMMARIES),
            "content": "Nội dung đơn (dữ liệu đo hiệu năng). " * 8,
            "source_agency": "",
            "source_dispatch_no": "",
        }
        with self.client.post(
            "/petitions/new", name="POST /petitions/new", data=data, allow_redirects=False, catch_response=True
        ) as post:
            where = post.headers.get("Location", "") if post.headers else ""
            if post.status_code != 302 or not PETITION_URL_RE.search(where.split("?")[0]):
                errors = FIELD_ERROR_RE.findall(post.text or "") if post.status_code == 200 else []
                post.failure(f"not registered: HTTP {post.status_code} {where} {'; '.join(errors)[:200]}".strip())
