"""Static files, Bootstrap's included, are cached for a year under a versioned URL; pages are not."""

import re

from app.core.assets import MAX_AGE, asset_version
from tests.conftest import login


def asset_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/(?:static|bootstrap/static)/[^"]+)"', page)


def test_every_asset_of_a_page_has_the_version_and_is_cached_for_a_year(app, client, world):
    login(client, "head")
    page = client.get("/petitions/")
    assert page.headers["Cache-Control"] == "no-store"
    urls = asset_urls(page.get_data(as_text=True))
    assert any("bootstrap.min.css" in u for u in urls) and any("session.js" in u for u in urls)
    version = asset_version(app.static_folder)
    for url in urls:
        assert url.endswith(f"v={version}"), url
        with client.get(url.replace("&amp;", "&")) as resp:
            assert resp.status_code == 200, url
            cache = resp.cache_control
            assert cache.public and cache.max_age == MAX_AGE and cache.immutable, (url, resp.headers["Cache-Control"])
            assert not cache.no_cache, resp.headers["Cache-Control"]  # not asked again on every page
            assert "no-store" not in resp.headers["Cache-Control"]


def test_an_asset_asked_for_under_another_version_is_revalidated(client, world):
    login(client, "head")
    with client.get("/bootstrap/static/css/bootstrap.min.css?v=old") as resp:
        assert resp.status_code == 200 and resp.cache_control.no_cache and not resp.cache_control.max_age


def test_the_version_follows_the_contents(tmp_path):
    (tmp_path / "a.css").write_text("body { color: #000 }")
    before = asset_version(str(tmp_path))
    assert asset_version(str(tmp_path)) == before
    (tmp_path / "a.css").write_text("body { color: #111 }")
    assert asset_version(str(tmp_path)) != before
