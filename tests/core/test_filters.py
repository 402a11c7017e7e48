"""The list filters of petitions and cases: one parser (app.core.filters), the same warnings, never markup.

The petition list once printed a filter warning unescaped (``?kind=<b>x</b>``) while the case list did
not: each had its own parser. Both now declare their filters for ``parse_filters``; these tests send
a hostile value in every filter of both lists, and compare the warnings of the two lists.
"""

import html
import re
from datetime import date

import pytest
from flask_babel import gettext
from markupsafe import Markup

from app.caselist.queries import CASE_FILTERS, parse_case_filters
from app.core.filters import BAD_RANGE, DateRange, Filter, FilterType, parse_filters
from app.core.i18n import LazyText
from app.petitions.models import PetitionKind
from app.petitions.queries import PETITION_FILTERS, parse_petition_filters

HOSTILE = ["<b>x</b>", "<script>alert(1)</script>"]
RAW = ("<b>x</b>", "<script>")
#: Filters whose warning does not quote the value (it might be anything: a unit id, an officer id...).
NOT_QUOTED = {"unit", "handler", "subject", "instance", "mine", "q"}
LISTS = {"/petitions/": PETITION_FILTERS, "/cases/": CASE_FILTERS}


def _warnings(body: str) -> list[str]:
    """The filter warnings of either list, as the officer reads them."""
    found = re.findall(r'data-testid="filter-warning">(.*?)</div>', body, re.S)
    block = re.search(r'data-testid="filter-warnings">(.*?)</div>', body, re.S)
    if block:
        found += re.findall(r"<li>(.*?)</li>", block.group(1), re.S)
    return [html.unescape(w).strip() for w in found]


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("url", LISTS)
def test_a_hostile_value_in_every_filter_is_shown_escaped(login_en, url, payload):
    client = login_en("head")
    escaped = payload.replace("<", "&lt;").replace(">", "&gt;")
    for spec in LISTS[url]:
        resp = client.get(url, query_string={spec.name: payload})
        body = resp.get_data(as_text=True)
        assert resp.status_code == 200, spec.name
        assert not any(marker in body for marker in RAW), spec.name
        if spec.name not in NOT_QUOTED:
            warnings = _warnings(body)
            assert any(payload in w for w in warnings), (spec.name, warnings)  # quoted back, as text
            assert escaped in body, spec.name
        elif spec.name == "q":
            assert escaped in body  # the search box keeps what was typed, as text
    # And all at once (a warning may depend on another filter being set).
    resp = client.get(url, query_string={spec.name: payload for spec in LISTS[url]})
    assert resp.status_code == 200
    assert not any(marker in resp.get_data(as_text=True) for marker in RAW)


#: The same mistake on both lists: (petition query, case query) -> the same warning, or the same pattern.
SAME_MISTAKES = [
    ("kind=<b>x</b>", "kind=<b>x</b>", r"Unknown kind of (petition|case) “<b>x</b>”: that filter was ignored\."),
    ("state=lost", "state=lost", r"Unknown (petition|case) state “lost”: that filter was ignored\."),
    ("unit=abc", "unit=abc", r"That unit is not one of yours: the unit filter was ignored\."),
    ("unit=999999", "unit=999999", r"That unit is not one of yours: the unit filter was ignored\."),
    (
        "received_from=2025-02-30",
        "accepted_from=2025-02-30",
        r"“2025-02-30” is not a date \((Received|Accepted) from\): that filter was ignored\.",
    ),
    (
        "received_to=0001-01-01",
        "accepted_to=0001-01-01",
        r"“0001-01-01” is not a date \((Received|Accepted) until\): that filter was ignored\.",
    ),
    (
        "received_from=2025-06-01&received_to=2025-01-01",
        "accepted_from=2025-06-01&accepted_to=2025-01-01",
        r"The start of the date range is after its end: the date filter was ignored\.",
    ),
    ("q=" + "x" * 150, "q=" + "x" * 150, r"The search text was shortened to 100 characters\."),
]


@pytest.mark.parametrize("petition_query, case_query, pattern", SAME_MISTAKES)
def test_the_same_mistake_gets_the_same_warning_on_both_lists(login_en, petition_query, case_query, pattern):
    client = login_en("head")
    for url, query in (("/petitions/", petition_query), ("/cases/", case_query)):
        resp = client.get(url + "?" + query)
        assert resp.status_code == 200
        warnings = _warnings(resp.get_data(as_text=True))
        assert len(warnings) == 1 and re.fullmatch(pattern, warnings[0]), (url, warnings)


def test_the_warnings_are_plain_text_in_the_users_language(app, world):
    args = {"kind": "<b>x</b>", "received_from": "hôm qua", "unit": "x", "q": "y" * 101}
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        filters = parse_petition_filters(args, world.users["head"])
    assert len(filters.warnings) == 4
    for warning in filters.warnings:
        assert type(warning) is str and not isinstance(warning, (Markup, LazyText))
    assert "<b>x</b>" in filters.warnings[0] and "Unknown" not in filters.warnings[0]  # translated
    assert filters.kind is None and filters.received_from is None and filters.unit_id is None
    assert filters.q == "y" * 100


def test_parse_filters_keeps_good_values_and_drops_bad_ones(app, world):
    head = world.users["head"]
    specs = (
        Filter("kind", FilterType.ENUM, enum_cls=PetitionKind, message="Bad kind %(value)s"),
        Filter("n", FilterType.CHOICE, choices=("1", "2"), convert=int, message="Bad n"),
        Filter("who", FilterType.ID, attr="who_id", unless="me", message="Bad who"),
        Filter("me", FilterType.FLAG),
        Filter("since", FilterType.DATE, label="Since"),
        Filter("until", FilterType.DATE, label="Until"),
    )
    ranges = (DateRange("since", "until"),)
    with app.test_request_context():
        good = {"kind": "complaint", "n": "2", "who": "7", "since": "01/02/2025", "until": "2025-03-01"}
        values, warnings = parse_filters(good, specs, head, ranges)
        assert values == {
            "kind": PetitionKind.COMPLAINT,
            "n": 2,
            "who_id": 7,
            "since": date(2025, 2, 1),
            "until": date(2025, 3, 1),
        }
        assert warnings == []
        values, warnings = parse_filters(
            {"kind": "x\x00", "n": "3", "who": "-1", "since": "2025-03-02", "until": "2025-03-01", "me": "no"},
            specs,
            head,
            ranges,
        )
        assert values == {}
        assert warnings == [
            "Bad kind x",
            "Bad n",
            "Bad who",
            gettext(BAD_RANGE),
        ]
        values, warnings = parse_filters({"me": "1", "who": "junk"}, specs, head)
        assert values == {"me": True} and warnings == []  # "who" is not read beside "me"


def test_both_lists_read_the_same_way(app, world):
    """The case list keeps its extras (open states, mine, unit match) on top of the shared parser."""
    head = world.users["head"]
    with app.test_request_context():
        f = parse_case_filters({"state": "open", "mine": "on", "handler": "x", "unit_match": "case"}, head)
        assert (f.state, f.mine, f.handler_id, f.unit_id, f.unit_match, f.warnings) == (
            "open",
            True,
            head.id,
            None,
            "any",
            [],
        )
        unit = world.units["TK"]
        f = parse_case_filters({"unit": str(unit.id), "unit_match": "subtree", "instance": "2"}, head)
        assert (f.unit_id, f.unit_match, f.instance) == (unit.id, "subtree", 2)
