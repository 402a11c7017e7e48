"""Numbers too large (or too small) for the database: a message in the user's language, nothing saved,
never a 500. Before, /cases/99999999999999999999 was a 500 on both backends (SQLite: OverflowError past
2**63 - 1; PostgreSQL: NumericValueOutOfRange past 2**31 - 1), and the number fields of the forms took any
integer to their own checks (an extension of 10**20 days met only the rule's limit, if it had one; 10**20
signatories were "at least 1").

Every integer input of the forms is a core.fields.WholeNumberField, every select of ids or codes coerces
with core.fields.optional_int / int_or_none, every <int:...> of a URL is core.urls.IdConverter.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from wtforms import Form as WtForm
from wtforms import IntegerField, SelectField

from app.cases.models import CaseState
from app.core.fields import WholeNumberField, int_or_none, optional_int
from app.core.timeutil import local_today
from app.core.urls import IdConverter
from app.core.validation import INT_MAX, parse_id
from app.deadlines.models import DeadlineRule
from app.extensions import db
from app.petitions.models import PetitionKind
from tests.factories import LEARNED_ON, create_case, create_petition
from tests.security.routes import build_url, diff, methods, object_keys, rules, snapshot

#: Past int4 (PostgreSQL's INTEGER), past int8 (SQLite's and BIGINT), far past both, and far below.
HUGE = ["2147483648", "9223372036854775808", "99999999999999999999", "-99999999999999999999"]


@dataclass
class FormCase:
    username: str
    page: str  # where the form is (its CSRF token)
    action: str
    data: dict  # a valid submission
    field: str
    message: str  # the message shown for a number out of range, in English (login_en)


def _petition_new(world, field, message):
    from tests.petitions.test_new import petition_form

    return FormCase("reception", "/petitions/new", "/petitions/new", petition_form(world), field, message)


def _visit(world, field, message):
    from tests.reception.test_desk import visit

    return FormCase("reception", "/reception/", "/reception/visits", visit(world), field, message)


def _decision(world, field, message):
    petition = create_petition(world, kind=PetitionKind.COMPLAINT, received_on=local_today() - timedelta(days=3))
    db.session.commit()
    page = f"/petitions/{petition.id}"
    return FormCase(
        "reception",
        page,
        f"{page}/decide",
        {
            "decision": "accept",
            "accepted_on": local_today().isoformat(),
            "instance": "1",
            "learned_on": LEARNED_ON,
            "version": str(petition.version),
        },
        field,
        message,
    )


def _assign(world, field, message):
    case = create_case(world, CaseState.ACCEPTED)
    db.session.commit()
    page = f"/cases/{case.id}"
    return FormCase(
        "head",
        page,
        f"{page}/assign",
        {"handler_id": str(world.users["handler"].id), "complexity": "normal", "version": str(case.version)},
        field,
        message,
    )


def _extend(world, field, message):
    from tests.deadlines.test_views import denunciation

    case = denunciation(world, complexity="complex")
    db.session.commit()
    page = f"/cases/{case.id}"
    return FormCase(
        "head",
        page,
        f"{page}/extend",
        {"decision_no": "05/QĐ-UBND", "decided_on": "2024-06-15", "days": "30", "version": str(case.version)},
        field,
        message,
    )


def _rule_edit(world, field, message):
    from tests.admin.test_rules import edit_data

    rule = db.session.scalars(
        select(DeadlineRule)
        .where(DeadlineRule.is_active.is_(True), DeadlineRule.max_extensions > 0)
        .order_by(DeadlineRule.id)
    ).first()
    page = f"/admin/rules/{rule.id}"
    return FormCase("admin", page, page, edit_data(rule, note="Sửa"), field, message)


def _rule_new(world, field, message):
    from tests.admin.test_rules import new_rule_data

    data = new_rule_data(world, max_extensions="1", extension_days="10", min_sites="2", kind="complaint", instance="1")
    return FormCase("admin", "/admin/rules/new", "/admin/rules/new", data, field, message)


def _unit_edit(world, field, message):
    unit = world.units["TK"]
    page = f"/admin/units/{unit.id}/edit"
    return FormCase(
        "admin",
        page,
        page,
        {
            "name": "UBND xã Tân Khai",
            "kind": "commune",
            "parent_id": str(world.units["DN"].id),
            "province_code": "75",
            "ward_code": "25357",
            "is_active": "y",
            "version": str(unit.version),
        },
        field,
        message,
    )


def _unit_new(world, field, message):
    from tests.admin.test_units import unit_data

    return FormCase("admin", "/admin/units/new", "/admin/units/new", unit_data(world), field, message)


def _user_edit(world, field, message):
    from tests.admin.test_users import edit_data

    user = world.users["handler"]
    page = f"/admin/users/{user.id}/edit"
    return FormCase("admin", page, page, edit_data(world, "handler", full_name="Tên mới"), field, message)


def _user_new(world, field, message):
    from tests.admin.test_users import user_data

    return FormCase("admin", "/admin/users/new", "/admin/users/new", user_data(world), field, message)


PEOPLE = "Enter a whole number from 1 to 100,000."
#: form, field -> (builder, the message for a number out of range).
FIELDS: dict[tuple[str, str], tuple[Callable, str]] = {
    # number inputs
    ("new petition", "signatory_count"): (_petition_new, PEOPLE),
    ("reception visit", "people_count"): (_visit, PEOPLE),
    ("extension", "days"): (_extend, "Enter a whole number from 1 to 30."),
    ("rule edit", "limit_days"): (_rule_edit, "The limit must be between 0 and 3650 days."),
    ("rule edit", "max_extensions"): (_rule_edit, "The number of extensions must be between 0 and 5."),
    ("rule edit", "extension_days"): (_rule_edit, "An extension must be between 1 and 3650 days."),
    ("new rule", "limit_days"): (_rule_new, "The limit must be between 0 and 3650 days."),
    ("new rule", "max_extensions"): (_rule_new, "The number of extensions must be between 0 and 5."),
    ("new rule", "extension_days"): (_rule_new, "An extension must be between 1 and 3650 days."),
    ("new rule", "min_sites"): (_rule_new, "The number of sites must be between 1 and 1000."),
    # selects whose options are ids or codes
    ("new petition", "unit_id"): (_petition_new, "Choose one of your units."),
    ("new petition", "province_code"): (_petition_new, "Choose a province from the list."),
    ("new petition", "ward_code"): (_petition_new, "Choose a commune or ward from the list."),
    ("reception visit", "unit_id"): (_visit, "Choose one of your units."),
    ("reception visit", "province_code"): (_visit, "Choose a province from the list."),
    ("reception visit", "ward_code"): (_visit, "Choose a commune or ward from the list."),
    ("decision", "instance"): (_decision, "A complaint is first or second instance."),
    ("assign", "handler_id"): (_assign, "Choose the handling officer."),
    ("new rule", "instance"): (_rule_new, "Choose the first or the second instance."),
    ("new rule", "unit_id"): (_rule_new, "Choose a unit among the units you manage."),
    ("unit edit", "parent_id"): (_unit_edit, "Choose the parent unit."),
    ("unit edit", "province_code"): (_unit_edit, "Choose a province from the list."),
    ("unit edit", "ward_code"): (_unit_edit, "Choose a commune or ward from the list."),
    ("new unit", "parent_id"): (_unit_new, "Choose the parent unit."),
    ("new unit", "province_code"): (_unit_new, "Choose a province from the list."),
    ("new unit", "ward_code"): (_unit_new, "Choose a commune or ward from the list."),
    ("user edit", "unit_id"): (_user_edit, "Choose the unit of the user."),
    ("new user", "unit_id"): (_user_new, "Choose the unit of the user."),
}


def _page(client, resp) -> str:
    if resp.status_code == 302:
        resp = client.get(resp.headers["Location"])
    return html.unescape(resp.get_data(as_text=True))


def _errors(page: str) -> list[str]:
    return [html.unescape(m).strip() for m in re.findall(r'class="invalid-feedback d-block">(.*?)</div>', page, re.S)]


@pytest.mark.parametrize("form, field", list(FIELDS), ids=[f"{f}-{n}" for f, n in FIELDS])
def test_the_submissions_are_valid(world, login_en, form, field):
    """Guards the test below: each submission is saved as it stands (so a refusal is the number's)."""
    build, _message = FIELDS[form, field]
    case = build(world, field, None)
    client = login_en(case.username)
    before = snapshot()
    resp = client.post(case.action, case.data, token_from=case.page)
    assert resp.status_code == 302, _errors(_page(client, resp)) or _page(client, resp)[:3000]
    assert diff(before, snapshot())


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize("form, field", list(FIELDS), ids=[f"{f}-{n}" for f, n in FIELDS])
def test_a_number_out_of_range_gives_a_message_and_saves_nothing(world, login_en, form, field, value):
    build, message = FIELDS[form, field]
    case = build(world, field, message)
    client = login_en(case.username)
    before = snapshot()
    resp = client.post(case.action, {**case.data, field: value}, token_from=case.page)
    assert resp.status_code in (200, 422), resp.status_code
    page = _page(client, resp)
    assert message in _errors(page), _errors(page)
    assert diff(before, snapshot()) == {}


@pytest.mark.parametrize(
    "form, field, message",
    [
        ("new petition", "signatory_count", "Nhập một số nguyên từ 1 đến 100.000."),
        ("extension", "days", "Nhập một số nguyên từ 1 đến 30."),
        ("rule edit", "limit_days", "Thời hạn phải từ 0 đến 3650 ngày."),
    ],
)
def test_the_message_is_in_vietnamese(world, login_as, form, field, message):
    build, _ = FIELDS[form, field]
    case = build(world, field, message)
    client = login_as(case.username)
    before = snapshot()
    resp = client.post(case.action, {**case.data, field: "99999999999999999999"}, token_from=case.page)
    assert message in _errors(_page(client, resp))
    assert diff(before, snapshot()) == {}


@pytest.mark.parametrize(
    "value, message",
    [
        ("mười", "Enter the number of signatories as a whole number."),
        ("١٢", "Enter the number of signatories as a whole number."),  # int() reads Arabic-Indic digits
        ("1_0", "Enter the number of signatories as a whole number."),  # and underscores
        ("9" * 5000, PEOPLE),  # int() refuses past 4300 digits: still "out of range", not a crash
    ],
)
def test_what_is_not_a_whole_number_is_refused(world, login_en, value, message):
    case = _petition_new(world, "signatory_count", message)
    client = login_en(case.username)
    before = snapshot()
    resp = client.post(case.action, {**case.data, "signatory_count": value}, token_from=case.page)
    assert message in _errors(_page(client, resp))
    assert diff(before, snapshot()) == {}


# --- Every form's integer inputs go through the bounded field and coercions -----------------------------


def _form_classes():
    from flask_wtf import FlaskForm

    seen, todo = set(), [WtForm, FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted((c for c in seen if c.__module__.startswith("app.")), key=lambda c: c.__qualname__)


def test_every_integer_input_of_every_form_is_bounded(app):
    integer_fields, int_selects = [], []
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            field_class = getattr(unbound, "field_class", None)
            if field_class is None:
                continue
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            if issubclass(field_class, IntegerField):
                assert issubclass(field_class, WholeNumberField), f"{where}: use core.fields.WholeNumberField"
                integer_fields.append(where)
            if issubclass(field_class, SelectField):
                coerce = unbound.kwargs.get("coerce", str)
                assert coerce is not int, f"{where}: coerce with core.fields.optional_int or int_or_none"
                if coerce in (optional_int, int_or_none):
                    int_selects.append(where)
    # Each of them is exercised through its form by the test above (FIELDS names them by the form's label).
    assert len(integer_fields) >= 7 and len(int_selects) >= 12, (integer_fields, int_selects)


def test_the_coercions_refuse_numbers_out_of_range():
    assert optional_int("") is None and optional_int("75") == 75 and optional_int(75) == 75
    for bad in ("99999999999999999999", str(INT_MAX + 1), "abc", "١٢", "1_0", "7.5"):
        with pytest.raises(ValueError):
            optional_int(bad)
        assert int_or_none(bad) is None
    assert int_or_none(str(INT_MAX)) == INT_MAX


# --- Huge ids in URLs -------------------------------------------------------------------------------------


def test_parse_id_refuses_what_an_integer_column_cannot_hold():
    assert parse_id(str(INT_MAX), max_digits=12) == INT_MAX
    assert parse_id(str(INT_MAX + 1), max_digits=12) is None and parse_id("99999999999999999999", 30) is None


SENTINEL = 987654321  # built into the URLs, then replaced by the huge value (int() refuses 5000 digits)


def _id_rules(app):
    return [r for r in rules(app) if any(isinstance(c, IdConverter) for c in r._converters.values()) and object_keys(r)]


def test_every_id_in_a_url_is_bounded(app):
    id_rules = _id_rules(app)
    assert len(id_rules) >= 20
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if type(converter).__name__ == "IntegerConverter":
                pytest.fail(f"{rule.rule}: <int:{name}> is not core.urls.IdConverter")


@pytest.mark.parametrize("value", [str(INT_MAX + 1), str(2**63), "99999999999999999999", "9" * 5000])
def test_a_huge_id_in_a_url_is_404(app, scene, client_of, value):
    client = client_of("admin")
    token = client.token("/petitions/")
    failures = []
    before = snapshot()
    for rule in _id_rules(app):
        url = build_url(rule, scene, override=dict.fromkeys(object_keys(rule), SENTINEL))
        url = url.replace(str(SENTINEL), value)
        for method in sorted(methods(rule)):
            try:  # TESTING propagates a view's exception instead of answering 500
                resp = client.client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
            except Exception as err:  # noqa: BLE001 - every crash is reported, not only the first
                failures.append((method, url[:80], repr(err)[:160]))
                continue
            if resp.status_code != 404:
                failures.append((method, url[:80], resp.status_code))
            elif rule.rule.startswith("/api/"):
                assert resp.is_json and resp.get_json()["error"]["code"] == 404
    assert not failures, "\n".join(map(str, failures))
    assert diff(before, snapshot()) == {}


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users?page={v}",
        "/admin/users?unit={v}",
        "/admin/units/new?parent={v}",
        "/admin/users/new?unit={v}",
        "/admin/calendar?year={v}",
        "/cases/?page={v}&deadline=overdue",
        "/cases/?unit={v}",
        "/cases/?handler={v}",
        "/petitions/?unit={v}",
        "/notifications/?page={v}",
        "/audit/?page={v}",
        "/api/v1/notifications?page={v}",
        "/api/v1/cases?handler={v}",
        "/api/v1/petitions?unit={v}",
        "/persons/wards?province={v}",
    ],
)
@pytest.mark.parametrize("value", ["99999999999999999999", str(2**63), str(INT_MAX + 1), "-1"])
def test_a_huge_number_in_a_query_string_is_ignored_or_explained(app, scene, client_of, url, value):
    resp = client_of("admin").get(url.format(v=value))
    assert resp.status_code in (200, 400, 404), resp.status_code  # 400: the wards look-up's "unknown province"
