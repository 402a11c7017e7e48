"""docs/security.md keeps up with the code: every route, role and workflow action is in it."""

import os
import re

from app.cases.models import CASE_TRANSITIONS
from app.core.roles import Role
from app.privacy.models import Permission

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "security.md")


def read_doc() -> str:
    with open(DOC, encoding="utf-8") as fh:
        return fh.read()


def index_endpoints() -> set[str]:
    """The endpoints named in the first column of the doc's endpoint index."""
    text = read_doc()
    section = text.split("## Endpoint index", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([\w.]+)` \|", section, re.M))


def test_every_endpoint_is_in_the_index(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()}
    listed = index_endpoints()
    assert not endpoints - listed, f"add to docs/security.md's endpoint index: {sorted(endpoints - listed)}"
    assert not listed - endpoints, f"docs/security.md lists routes that do not exist: {sorted(listed - endpoints)}"


def test_every_role_action_and_permission_is_described():
    text = read_doc()
    for role in Role:
        assert f"`{role.value}`" in text, role
    for action in CASE_TRANSITIONS:
        assert f"`{action.value}`" in text, action
    for permission in Permission:
        assert f"`{permission.value}`" in text, permission
