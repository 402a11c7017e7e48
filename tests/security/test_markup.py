"""No user-supplied value is ever shown as markup: not through a query parameter, not through a lazy message.

A value quoted back in a filter warning once came out unescaped on the petition list, because Flask-Babel's
lazy strings declare themselves safe HTML: a ``<meta http-equiv="refresh">`` in ``?kind=`` sent an officer
off-site. These tests read every query parameter each GET page actually looks at (recorded while the page
is served) and send the markup payload in each; and they check the source for the two ways a value could
reach markup without escaping (a lazy message formatted with a variable, and ``Markup`` over a variable).
"""

import ast
import pathlib

import pytest
from markupsafe import Markup, escape
from werkzeug.datastructures import ImmutableMultiDict

from app.core.i18n import lazy_gettext
from tests.conftest import login
from tests.security.routes import build_url, methods, rules

APP_DIR = pathlib.Path(__file__).resolve().parents[2] / "app"
PAYLOAD = '<meta http-equiv="refresh" content="0;url=https://evil.example/"><b>x</b>'
RAW_MARKERS = ("<meta http-equiv", "<b>x</b>")
LAZY_NAMES = {"_l", "lazy_gettext", "lazy_ngettext", "lazy_pgettext", "lazy_npgettext"}
ROUNDS = 4


class RecordingArgs(ImmutableMultiDict):
    """Query (and form) arguments that remember which names the view read."""

    read: set[str] = set()

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug MultiDict.get)
        RecordingArgs.read.add(key)
        return super().get(key, default, type)

    def __getitem__(self, key):
        RecordingArgs.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # noqa: A002  (werkzeug MultiDict.getlist)
        RecordingArgs.read.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):
        RecordingArgs.read.add(key)
        return super().__contains__(key)


def html_pages(app, scene) -> list[str]:
    return [
        build_url(r, scene)
        for r in rules(app)
        if "GET" in methods(r)
        and not r.endpoint.endswith("static")
        and not r.rule.startswith("/api/")
        and r.endpoint not in ("healthz", "set_language", "users.logout")
    ]


def raw_markers(body: str) -> list[str]:
    return [body[max(0, body.index(m) - 80) : body.index(m) + 60] for m in RAW_MARKERS if m in body]


def get(client, url: str, query: dict) -> tuple[int, str, set[str]]:
    RecordingArgs.read = set()
    resp = client.get(url, query_string=query)
    body = resp.get_data(as_text=True) if resp.mimetype == "text/html" else ""
    resp.close()
    return resp.status_code, body, set(RecordingArgs.read)


@pytest.mark.parametrize("username", ["reception", "handler", "head", "admin"])
def test_markup_in_every_query_parameter_is_escaped(app, scene, monkeypatch, username):
    monkeypatch.setattr(app.request_class, "parameter_storage_class", RecordingArgs)
    client = login(app.test_client(), username).client
    problems, tried = [], set()
    for url in html_pages(app, scene):
        _, _, names = get(client, url, {})
        done: set[str] = set()
        for _round in range(ROUNDS):  # a parameter may be read only once another one is set
            todo = sorted(names - done - {"csrf_token"})
            if not todo:
                break
            for name in todo:
                status, body, more = get(client, url, {name: PAYLOAD})
                tried.add((url.split("?")[0], name))
                if status >= 500:
                    problems.append((url, name, status))
                problems.extend((url, name, snippet) for snippet in raw_markers(body))
                names |= more
            # All at once too: some warnings appear only beside another valid filter.
            status, body, more = get(client, url, {n: PAYLOAD for n in names if n != "csrf_token"})
            problems.extend((url, "all", snippet) for snippet in raw_markers(body))
            done |= set(todo)
            names |= more
    # The crawl must have reached the list filters it exists for.
    for url, name in (
        ("/petitions/", "kind"),
        ("/petitions/", "received_from"),
        ("/cases/", "state"),
        ("/cases/", "deadline"),
    ):
        if username != "admin":
            assert (url, name) in tried, f"{url}?{name}= was never read as {username}"
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("name", ["kind", "state", "channel", "received_from", "received_to"])
def test_petition_list_quotes_a_bad_filter_as_text(login_as, name):
    """The reported hole itself: the filter warning shows the value, escaped."""
    resp = login_as("head").client.get("/petitions/", query_string={name: PAYLOAD})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert not raw_markers(body)
    assert str(escape(PAYLOAD)) in body  # still quoted, so the officer sees what was ignored


def test_a_lazy_message_is_text_not_markup(app):
    with app.test_request_context():
        message = lazy_gettext("Please log in to open this page.")
        assert str(escape(message)) == str(message)
        assert escape(lazy_gettext("<b>%(n)d</b>", n=1)) == Markup("&lt;b&gt;1&lt;/b&gt;")


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            yield node, func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _is_constant(value: ast.expr) -> bool:
    """A literal or a module constant (UPPER_CASE): nothing a user typed."""
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Name):
        return value.id.isupper()
    return isinstance(value, ast.Attribute) and value.attr.isupper()


def _sources():
    for path in sorted(APP_DIR.rglob("*.py")):
        yield path.relative_to(APP_DIR.parent), ast.parse(path.read_text(encoding="utf-8"))


def test_no_lazy_message_is_formatted_with_a_variable():
    """A lazy message takes only constants; a message quoting a value is formatted at call time (gettext)."""
    offenders = [
        f"{path}:{node.lineno}"
        for path, tree in _sources()
        for node, name in _calls(tree)
        if name in LAZY_NAMES and any(k.arg is None or not _is_constant(k.value) for k in node.keywords)
    ]
    assert not offenders, offenders


def test_lazy_messages_come_from_core_i18n():
    """Flask-Babel's own lazy strings pass as safe markup; app.core.i18n makes them text."""
    offenders = []
    for path, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("flask_babel")
                and any(a.name.startswith("lazy_") or a.name == "LazyString" for a in node.names)
                and path.as_posix() != "app/core/i18n.py"
            ):
                offenders.append(f"{path}:{node.lineno}")
    assert not offenders, offenders


def test_markup_is_built_only_from_literals():
    """``Markup(x)`` trusts x; only a literal template may be trusted (``.format`` escapes its arguments)."""
    offenders = [
        f"{path}:{node.lineno}"
        for path, tree in _sources()
        for node, name in _calls(tree)
        if name == "Markup" and not (node.args and isinstance(node.args[0], ast.Constant))
    ]
    assert not offenders, offenders
