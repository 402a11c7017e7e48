"""The wards endpoint behind app/static/address.js, and the one-per-line people textarea."""

import pytest

from app.persons import divisions


def test_wards_of_a_province(login_as):
    resp = login_as("reception").get("/persons/wards?province=75")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["province"] == 75
    assert {"code": 25357, "name": "Xã Tân Khai"} in body["wards"]
    assert len(body["wards"]) == len(divisions.wards_of(75)) > 50
    assert all(divisions.ward_in_province(w["code"], 75) for w in body["wards"])


def test_wards_differ_between_provinces(login_as):
    client = login_as("inspector")
    hanoi = {w["code"] for w in client.get("/persons/wards?province=1").get_json()["wards"]}
    dong_nai = {w["code"] for w in client.get("/persons/wards?province=75").get_json()["wards"]}
    assert hanoi and dong_nai and not hanoi & dong_nai


@pytest.mark.parametrize(
    "query",
    ["", "?province=", "?province=abc", "?province=999", "?province=-1", "?province=75.0", "?province=" + "9" * 40],
)
def test_bad_province_code_gives_400_and_no_wards(login_as, query):
    resp = login_as("reception").get("/persons/wards" + query)
    assert resp.status_code == 400
    assert resp.get_json()["wards"] == []


def test_wards_require_login(client, world):
    resp = client.get("/persons/wards?province=75")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_address_script_is_served(client):
    resp = client.get("/static/address.js")
    assert resp.status_code == 200 and b"wardsUrl" in resp.data
    resp.close()
