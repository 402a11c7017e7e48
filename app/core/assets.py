"""Static files (ours and Bootstrap's) cached for a year under a versioned URL.

Every URL of a static file carries ``?v=<version>``: a digest of this app's static files and the
Bootstrap-Flask version, computed once at start. A new release changes the digest, so browsers fetch the
new files at once; until then an office PC loads Bootstrap's ~300 KB once, not on every page.
"""

import hashlib
from importlib.metadata import version
from pathlib import Path

from flask import Flask, Response, request

#: The endpoints that serve static files, and how long a browser may keep them (one year).
STATIC_ENDPOINTS = ("static", "bootstrap.static")
MAX_AGE = 365 * 24 * 3600


def asset_version(static_folder: str | None) -> str:
    """A short digest of the static files' names and contents and of the Bootstrap-Flask version."""
    digest = hashlib.sha256(version("bootstrap-flask").encode())
    if static_folder:
        for path in sorted(Path(static_folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def init_app(app: Flask) -> None:
    current = asset_version(app.static_folder)

    @app.url_defaults
    def _versioned(endpoint: str | None, values: dict[str, object]) -> None:
        if endpoint in STATIC_ENDPOINTS:
            values.setdefault("v", current)

    @app.after_request
    def _cached(response: Response) -> Response:
        if request.endpoint in STATIC_ENDPOINTS and response.status_code in (200, 304):
            if request.args.get("v") == current:
                response.cache_control.no_cache = None  # send_static_file's default: revalidate every time
                response.cache_control.public = True
                response.cache_control.max_age = MAX_AGE
                response.cache_control.immutable = True
            else:  # an old or missing version: the file may have changed, ask again next time
                response.cache_control.no_cache = True
        return response
