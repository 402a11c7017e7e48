"""Role x object x route: outside their unit subtree, users get 404 on every route that names an object.

The routes come from app.url_map: a route missing from tests/security/routes.py ENDPOINTS fails
``test_every_route_is_in_the_table``, and so cannot escape the matrix.

What "outside the scope" must answer: 404, exactly as for an id that does not exist. The one
exception is a route the user's *role* may never use (e.g. a handler on /admin/...): it answers 403
before any object is loaded, the same 403 as for an id that does not exist, so nothing is learnt about
the object. The test checks that equivalence, and that every object route does answer 404 to at least
one outsider (so the scope check itself is exercised, not only the role check).
"""

import re

import pytest

from tests.security.routes import ENDPOINTS, build_url, diff, methods, object_keys, rules, scoped_key, snapshot, spec
from tests.security.scene import OUTSIDERS

NO_SUCH_ID = 987654


def object_rules(app):
    return [r for r in rules(app) if scoped_key(r)]


def test_every_route_is_in_the_table(app):
    problems = []
    for rule in rules(app):
        try:
            spec(rule)
        except KeyError as err:
            problems.append(str(err.args[0]))
    assert not problems, "\n".join(problems)
    stale = set(ENDPOINTS) - {r.endpoint for r in rules(app)}
    assert not stale, f"ENDPOINTS names routes that no longer exist: {sorted(stale)}"


def _request(client, method, url, token):
    if method == "GET":
        resp = client.get(url)
    else:
        resp = client.client.post(url, data={"csrf_token": token})
    resp.close()  # a download holds an open file
    return resp


def _answers(app, scene, client, token):
    """{(method, path): (status for the scene's object, status for a missing id)} for every object route."""
    out = {}
    for rule in object_rules(app):
        missing = dict.fromkeys(object_keys(rule), NO_SUCH_ID)
        for method in sorted(methods(rule)):
            real = _request(client, method, build_url(rule, scene), token).status_code
            ghost = _request(client, method, build_url(rule, scene, missing), token).status_code
            out[(method, rule.rule, rule.endpoint)] = (real, ghost)
    return out


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_and_change_nothing(app, scene, client_of, outsider):
    client = client_of(outsider)
    token = client.token("/notifications/")
    before = snapshot()
    answers = _answers(app, scene, client, token)
    wrong = {k: v for k, v in answers.items() if not (v == (404, 404) or (v[0] == v[1] == 403))}
    assert not wrong, (
        f"{outsider}: (status for TK's object, status for a missing id) must be (404, 404), "
        f"or (403, 403) where the role may not use the route at all: {wrong}"
    )
    assert not diff(before, snapshot()), f"{outsider}'s refused requests changed the database"


def test_scope_check_is_exercised_on_every_object_route(app, scene, client_of):
    """Each object route answers 404 (not only a role 403) to at least one outsider."""
    by_route: dict = {}
    for outsider in OUTSIDERS:
        client = client_of(outsider)
        token = client.token("/notifications/")
        for key, (real, _ghost) in _answers(app, scene, client, token).items():
            by_route.setdefault(key, set()).add(real)
    unexercised = sorted(k for k, statuses in by_route.items() if 404 not in statuses)
    assert not unexercised, f"no outsider reaches the scoped lookup of: {unexercised}"


@pytest.mark.parametrize("insider", ["admin", "phead", "inspector", "head", "handler", "reception"])
def test_insiders_are_not_told_404(app, scene, client_of, insider):
    """Users whose subtree holds the object get the page, a redirect or a role refusal, never 404 or 500."""
    client = client_of(insider)
    wrong = {}
    for rule in object_rules(app):
        if "GET" not in methods(rule) or scoped_key(rule) == "notification":
            continue
        resp = client.get(build_url(rule, scene))
        resp.close()
        status = resp.status_code
        if status not in (200, 302, 403):
            wrong[rule.endpoint] = status
    assert not wrong, f"{insider}: {wrong}"


def test_reception_officer_of_tk_sees_the_petition(app, scene, client_of):
    petition = scene.objects["petition"]
    resp = client_of("reception").get(f"/petitions/{petition.id}")
    assert resp.status_code == 200
    assert petition.receipt_no in resp.get_data(as_text=True)


def test_notification_of_another_user_is_404(app, scene, client_of):
    """A notification belongs to its recipient alone, even inside the same unit."""
    client = client_of("head")
    nid = scene.id("notification")
    before = snapshot()
    resp = client.post(f"/notifications/{nid}/read", {})
    assert resp.status_code == 404
    assert not diff(before, snapshot())


# --- Lists and searches never include out-of-scope objects -----------------------------------------------


def listed_text(resp) -> str:
    """The page without the echoes of the query (search box, export link, language switch)."""
    return re.sub(r'(value|href)="[^"]*"', "", resp.get_data(as_text=True))


def _probes(scene):
    petition, case, walk_in = scene.objects["petition"], scene.objects["case"], scene.objects["walk_in"]
    names = [p.full_name for p in petition.petitioners + walk_in.petitioners]
    return {
        "receipt numbers": [petition.receipt_no, walk_in.receipt_no],
        "case number": [case.number],
        "names": names,
        "ids": [p.citizen_id for p in petition.petitioners],
    }


def _search_terms(scene):
    petition, case = scene.objects["petition"], scene.objects["case"]
    return [
        "",
        petition.receipt_no,
        case.number,
        petition.petitioners[0].full_name,
        petition.petitioners[0].citizen_id,
        "TK",
        "Tố cáo",
    ]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_searches_and_lists_hide_other_subtrees(app, scene, client_of, outsider):
    client = client_of(outsider)
    probes = _probes(scene)
    leaks = []
    for q in _search_terms(scene):
        for url in ("/petitions/", "/cases/", "/api/v1/petitions", "/api/v1/cases"):
            resp = client.get(url, query_string={"q": q} if q else {})
            assert resp.status_code in (200, 403), (url, q, resp.status_code)
            body = listed_text(resp)
            for what, values in probes.items():
                for value in values:
                    if value and value in body:
                        leaks.append((url, q, what, value))
            if url.startswith("/api/") and resp.status_code == 200:
                assert resp.get_json()["total"] == 0, (url, q)
    for url in (
        "/reception/",
        "/notifications/",
        "/api/v1/notifications",
        "/cases/caseload",
        "/admin/users",
        "/admin/units",
        "/admin/rules",
        "/audit/",
    ):
        body = client.get(url).get_data(as_text=True)
        for value in probes["receipt numbers"] + probes["case number"] + probes["names"]:
            if value in body:
                leaks.append((url, "", "", value))
    assert not leaks, f"{outsider} sees TK's objects: {leaks}"


def test_insider_search_finds_them(app, scene, client_of):
    """The searches above can fail: TK's reception officer and head do find the objects."""
    petition, case = scene.objects["petition"], scene.objects["case"]
    assert petition.receipt_no in listed_text(
        client_of("reception").get("/petitions/", query_string={"q": petition.receipt_no})
    )
    assert case.number in listed_text(client_of("handler").get("/cases/", query_string={"q": case.number}))
    data = client_of("head").get("/api/v1/cases", query_string={"q": case.number}).get_json()
    assert [c["number"] for c in data["items"]] == [case.number]
