"""Attachment files on disk: random names under ATTACHMENTS_DIR (outside the web root), written atomically."""

import contextlib
import hashlib
import os
import re
import secrets
import tempfile

from flask import current_app

_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_CHUNK = 64 * 1024


def attachments_dir() -> str:
    return current_app.config.get("ATTACHMENTS_DIR") or os.path.join(current_app.instance_path, "attachments")


def path_of(stored_name: str) -> str:
    """The file's path; ``stored_name`` is a server-generated token, checked again before use."""
    if not _STORED_NAME.match(stored_name or ""):
        raise ValueError("not a stored attachment name")
    return os.path.join(attachments_dir(), stored_name[:2], stored_name)


def save(stream) -> tuple[str, int, str]:
    """Copy ``stream`` to a new random name (temp file, fsync, os.replace); return (name, size, sha256).

    Raises OSError if the file cannot be written; then nothing is left on disk.
    """
    while True:
        stored_name = secrets.token_hex(16)
        final = path_of(stored_name)
        if not os.path.exists(final):
            break
    directory = os.path.dirname(final)
    os.makedirs(directory, mode=0o750, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".upload-", suffix=".part")
    digest, size = hashlib.sha256(), 0
    try:
        with os.fdopen(fd, "wb") as out:
            stream.seek(0)
            while chunk := stream.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, final)
    except BaseException:
        discard_path(tmp)
        raise
    return stored_name, size, digest.hexdigest()


def discard_path(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def discard(stored_name: str) -> None:
    """Remove a file written for an upload whose database row was not saved."""
    discard_path(path_of(stored_name))
