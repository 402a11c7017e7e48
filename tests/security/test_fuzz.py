"""Property-based: arbitrary input to every form, list filter and API endpoint never gives a 500.

As reception, handler, head and admin in turn, the test crawls every GET page of app.url_map (with the
scene's object ids), reads each <form> (action, method, fields, select options, CSRF token), and posts
Hypothesis-generated submissions: valid options mixed with arbitrary text (NUL, RTL marks, emoji, very
long), out-of-range numbers, impossible dates, missing and duplicated fields. The token is the page's
own, so the submissions reach the validation code instead of stopping at the CSRF check.
"""

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict

from tests.conftest import login
from tests.security.routes import build_url, methods, rules

EXAMPLES_PER_FORM = 15
EXAMPLES_PER_PAGE = 10
#: Admin last: its forms can change other users (passwords, roles, deactivation).
ROLES = ("reception", "handler", "head", "admin")
#: Forms not fuzzed: logging out would end the crawl's session (it has no fields to fuzz anyway).
SKIP_ACTIONS = ("/logout",)

SETTINGS = settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eRTL\u202c",
    "שלום",
    "مرحبا",
    "😀🇻🇳",
    "Nguyễn Văn Ấn",
    "ＡＢＣ１２",
    "²",
    "١٢٣",
    "-1",
    "0",
    "1",
    "2",
    "999999999999999999999999",
    "1e309",
    "NaN",
    "-0",
    "3.5",
    "31/02/2026",
    "2026-02-31",
    "29/02/2025",
    "00/00/0000",
    "9999-12-31",
    "0001-01-01",
    "1899-12-31",
    "2026-13-01",
    "01/01/10000",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "../../etc/passwd",
    "x" * 5000,
    "Ấ" * 600,
    "\r\n\t",
    "true",
    "on",
    "null",
    "[]",
    "{}",
]

texts = st.one_of(
    st.text(max_size=40),
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
)


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list = field(default_factory=list)

    @property
    def token(self) -> str | None:
        return next((f.value for f in self.fields if f.name == "csrf_token"), None)

    def signature(self) -> tuple:
        return (self.action, self.method, tuple(sorted({f.name for f in self.fields})))


class FormParser(HTMLParser):
    """The forms of a page, with their fields and the options of their selects."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(self.page, a.get("action") or self.page, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                self._form.fields.append(Field(a["name"], kind, a.get("value", "on"), [a.get("value", "on")]))
            elif kind not in ("submit", "button", "reset", "image"):
                self._form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_urls(app, scene) -> list[str]:
    urls = []
    for rule in rules(app):
        if "GET" in methods(rule) and not rule.endpoint.endswith("static") and not rule.rule.startswith("/api/"):
            urls.append(build_url(rule, scene))
    # The walk-in petition is still undecided: its page carries the decision form.
    return urls + [f"/petitions/{scene.id('walk_in')}"]


def crawl(client, urls) -> list[Form]:
    """The POST forms of the pages (the same form on several pages counted once)."""
    forms, seen = [], set()
    for url in urls:
        resp = client.get(url)
        body = resp.get_data(as_text=True) if resp.mimetype == "text/html" else ""
        resp.close()
        assert resp.status_code < 500, (url, resp.status_code)
        if resp.status_code != 200 or not body:
            continue
        parser = FormParser(url)
        parser.feed(body)
        for form in parser.forms:
            form.action = urlsplit(form.action).path or url
            if form.method != "POST" or form.action.startswith(SKIP_ACTIONS) or form.signature() in seen:
                continue
            seen.add(form.signature())
            forms.append(form)
    return forms


def field_values(f: Field):
    """A strategy for the values one field is sent with: [] (missing), one, or several (duplicated)."""
    if f.kind == "file":
        return st.just([])  # files: see upload_values
    good = [o for o in f.options if o] or ([f.value] if f.value else [])
    one = st.one_of(st.sampled_from(good), texts) if good else texts
    return st.one_of(st.lists(one, min_size=1, max_size=1), st.just([]), st.lists(one, min_size=2, max_size=3))


def upload_values():
    contents = st.one_of(
        st.binary(max_size=300),
        st.sampled_from(
            [b"%PDF-1.4\n%%EOF\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, b"<svg onload=alert(1)>", b"<html>", b""]
        ),
    )
    names = st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            ["a.pdf", "a.png", "../../a.pdf", "x.svg", "x.html", "con.pdf", "a.pdf.exe", "\x00.pdf", ".pdf", ""]
        ),
    )
    return st.tuples(contents, names)


def submission(form: Form):
    fields = [f for f in form.fields if f.name != "csrf_token"]
    files = [f for f in fields if f.kind == "file"]
    return st.tuples(
        st.tuples(*[field_values(f) for f in fields]) if fields else st.just(()),
        st.lists(upload_values(), min_size=len(files), max_size=len(files)),
        st.sampled_from(["valid", "valid", "valid", "missing", "garbage"]),
    )


def post(client, form: Form, values, uploads, token_mode):
    fields = [f for f in form.fields if f.name != "csrf_token"]
    data = MultiDict()
    for f, vals in zip(fields, values, strict=False):
        for v in vals:
            data.add(f.name, v)
    for f, (content, name) in zip([f for f in fields if f.kind == "file"], uploads, strict=False):
        data.add(f.name, FileStorage(io.BytesIO(content), filename=name or "upload"))
    if token_mode == "valid" and form.token:
        data.add("csrf_token", form.token)
    elif token_mode == "garbage":
        data.add("csrf_token", "\x00garbage")
    return client.post(form.action, data=data, content_type="multipart/form-data")


def form_fuzzer(client, username: str, form: Form):
    @SETTINGS
    @given(submission(form))
    def fuzz(case):
        values, uploads, token_mode = case
        resp = post(client, form, values, uploads, token_mode)
        resp.close()
        assert resp.status_code < 500, (username, form.action, values, token_mode, resp.status_code)

    return fuzz


def test_forms_survive_arbitrary_input(app, scene):
    failures = []
    fuzzed = []
    for username in ROLES:
        client = login(app.test_client(), username).client
        for form in crawl(client, page_urls(app, scene)):
            fuzzed.append((username, form.action))
            try:
                form_fuzzer(client, username, form)()
            except AssertionError as err:
                failures.append(str(err)[:1500])
    assert len(fuzzed) >= 10, f"the crawler found only {fuzzed}"
    assert not failures, "\n\n".join(failures)


# --- Query strings of the GET pages and the JSON API ------------------------------------------------------

FILTER_NAMES = [
    "q",
    "page",
    "kind",
    "state",
    "channel",
    "unit",
    "unit_match",
    "received_from",
    "received_to",
    "accepted_from",
    "accepted_to",
    "mine",
    "handler",
    "instance",
    "complexity",
    "deadline",
    "flag",
    "province",
    "year",
    "on",
    "verify",
    "parent",
    "day",
    "next",
    "id",
]

#: Numbers past what the database holds (PostgreSQL int4 and int8, SQLite's int8) and just below zero.
HUGE_NUMBERS = ["99999999999999999999", "-1", str(2**31), str(2**31 - 1), str(2**63), str(-(2**63) - 1)]
huge_numbers = st.sampled_from(HUGE_NUMBERS)
#: Markup that must come back as text wherever a page quotes a query value (a filter warning, a form).
MARKUP = [
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<b>fz</b>",
    '"><svg onload=alert(1)>',
    "<script>alert(1)</script>",
]
RAW_MARKUP = ("<meta http-equiv", "<b>fz</b>", "<svg onload", "<script>alert(1)")
markup = st.builds(lambda pre, tag: pre + tag, st.sampled_from(["", "x", "2026-01-01", "1"]), st.sampled_from(MARKUP))

queries = st.lists(
    st.tuples(st.one_of(st.sampled_from(FILTER_NAMES), st.text(max_size=8)), st.one_of(texts, huge_numbers, markup)),
    max_size=6,
)


def raw_markup(resp) -> list[str]:
    """The markup payloads an HTML answer shows unescaped (JSON answers quote them as data)."""
    body = resp.get_data(as_text=True) if resp.mimetype == "text/html" else ""
    return [m for m in RAW_MARKUP if m in body]


def query_fuzzer(client, username: str, url: str):
    @settings(
        max_examples=EXAMPLES_PER_PAGE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(queries)
    def fuzz(pairs):
        resp = client.get(url, query_string=MultiDict(pairs))
        shown = raw_markup(resp)
        resp.close()
        assert resp.status_code < 500, (username, url, pairs, resp.status_code)
        assert not shown, (username, url, pairs, "unescaped", shown)

    return fuzz


def test_query_strings_survive_arbitrary_input(app, scene):
    failures = []
    for username in ("handler", "head", "admin"):
        client = login(app.test_client(), username).client
        urls = [build_url(r, scene) for r in rules(app) if "GET" in methods(r) and not r.endpoint.endswith("static")]
        assert any(u.startswith("/api/v1/") for u in urls) and "/persons/wards" in urls
        for url in urls:
            try:
                query_fuzzer(client, username, url)()
            except AssertionError as err:
                failures.append(str(err)[:1500])
    assert not failures, "\n\n".join(failures)


#: Values that broke naive parsing elsewhere: "²".isdigit() is true but int("²") fails, and so on.
SHARP = (
    [
        "²",
        "١٢٣",
        "ＡＢＣ１２",
        "\x00",
        "-1",
        "0",
        "999999999999999999999999",
        "31/02/2026",
        "2026-02-31",
        "0001-01-01",
        "9999-12-31",
        "01/01/10000",
        "1e309",
        "NaN",
        "%",
        "\u202e",
        "x" * 5000,
    ]
    + HUGE_NUMBERS
    + MARKUP
)


def test_every_filter_with_each_sharp_value(app, scene):
    """Deterministic companion of the above: every filter name at once, with each sharp value."""
    client = login(app.test_client(), "head").client
    urls = [build_url(r, scene) for r in rules(app) if "GET" in methods(r) and not r.endpoint.endswith("static")]
    failures = []
    for url in urls:
        for value in SHARP:
            try:  # TESTING propagates a view's exception instead of answering 500
                resp = client.get(url, query_string=dict.fromkeys(FILTER_NAMES, value))
            except Exception as err:  # noqa: BLE001 - every crash is reported, not only the first
                failures.append((url, value[:20], repr(err)[:200]))
                continue
            shown = raw_markup(resp)
            resp.close()
            if resp.status_code >= 500:
                failures.append((url, value[:20], resp.status_code))
            if shown:
                failures.append((url, value[:20], "unescaped", shown))
    assert not failures, "\n".join(map(str, failures))


def test_the_crawler_reads_forms():
    """The parser itself: fields, options, textarea text, the CSRF token."""
    parser = FormParser("/x")
    parser.feed(
        '<form method="post" action="/a?b=1"><input type="hidden" name="csrf_token" value="T">'
        '<select name="s"><option value="">-</option><option value="v">V</option></select>'
        '<textarea name="t">hi</textarea><input type="checkbox" name="c" value="1">'
        '<button type="submit">Go</button></form><form><input name="q"></form>'
    )
    post_form, get_form = parser.forms
    assert post_form.method == "POST" and post_form.token == "T"
    assert [(f.name, f.kind) for f in post_form.fields] == [
        ("csrf_token", "hidden"),
        ("s", "select"),
        ("t", "textarea"),
        ("c", "checkbox"),
    ]
    assert post_form.fields[1].options == ["", "v"] and post_form.fields[2].value == "hi"
    assert get_form.method == "GET"
