"""Two administrators editing the same user or unit: the second save is refused, with a reload link, and
the first one's change is kept (version column + hidden field)."""

import re

from sqlalchemy import select

from app.units.models import Unit
from app.users.models import User
from tests.conftest import login

RELOAD = 'data-testid="reload-latest"'


def version_in(html: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html).group(1)


def test_a_stale_user_edit_is_refused_and_the_first_save_kept(app, world, db):
    first, second = login(app.test_client(), "admin"), login(app.test_client(), "admin")
    target = world.users["handler"]
    url = f"/admin/users/{target.id}/edit"
    v1, v2 = version_in(first.get(url).get_data(as_text=True)), version_in(second.get(url).get_data(as_text=True))
    assert v1 == v2
    base = {"full_name": target.full_name, "title": "", "unit_id": target.unit_id, "is_active": "y"}
    assert first.post(url, {**base, "roles": ["handler", "reception"], "version": v1}).status_code == 302
    resp = second.post(url, {**base, "full_name": "Tên khác", "roles": ["handler"], "version": v2})
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert RELOAD in page, page[page.find("alert") : page.find("alert") + 600]
    assert f'href="{url}"' in page
    db.session.rollback()
    saved = db.session.get(User, target.id)
    assert {r.value for r in saved.roles} == {"handler", "reception"} and saved.full_name == target.full_name
    # Reloading shows the new version, and saving from it works.
    v3 = version_in(second.get(url).get_data(as_text=True))
    assert v3 != v2
    assert second.post(url, {**base, "full_name": "Tên khác", "roles": ["handler"], "version": v3}).status_code == 302


def test_a_stale_unit_edit_is_refused_and_the_first_save_kept(app, world, db):
    first, second = login(app.test_client(), "admin"), login(app.test_client(), "admin")
    tl = world.units["TL"]
    url = f"/admin/units/{tl.id}/edit"
    v1, v2 = version_in(first.get(url).get_data(as_text=True)), version_in(second.get(url).get_data(as_text=True))
    base = {"kind": "commune", "parent_id": world.units["DN"].id, "is_active": "y", "is_remote": "y"}
    assert first.post(url, {**base, "name": "UBND xã Thanh Lương (mới)", "version": v1}).status_code == 302
    resp = second.post(url, {**base, "name": "Tên cũ ghi đè", "version": v2})
    assert resp.status_code == 200 and RELOAD in resp.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(select(Unit.name).where(Unit.id == tl.id)) == "UBND xã Thanh Lương (mới)"
