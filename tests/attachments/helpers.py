"""Sample files of every kind the attachment checks must accept or refuse, and upload helpers."""

import io
import os
import zipfile

from sqlalchemy import func, select

from app.attachments.models import Attachment
from app.audit.models import AuditEvent
from app.extensions import db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n" + bytes(range(256))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x11" * 64 + b"\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 32
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 64


def _zip(members: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (name, data) in enumerate(members):
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored_first and i == 0 else None)
    return buf.getvalue()


CT = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
DOCX = _zip(
    [("[Content_Types].xml", CT), ("_rels/.rels", b"<Relationships/>"), ("word/document.xml", b"<w:document/>")]
)
DOCM = _zip(
    [
        ("[Content_Types].xml", CT),
        ("_rels/.rels", b"<Relationships/>"),
        ("word/document.xml", b"<w:document/>"),
        ("word/vbaProject.bin", b"\x00" * 32),
    ]
)
ODT = _zip(
    [
        ("mimetype", b"application/vnd.oasis.opendocument.text"),
        ("content.xml", b"<office:document/>"),
        ("META-INF/manifest.xml", b"<manifest/>"),
    ],
    stored_first=True,
)
ZIP = _zip([("readme.txt", b"hello"), ("evil.exe", EXE)])


def xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active["A1"] = "Số liệu"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def attachment_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Attachment))


def audit_actions(action: str) -> list[AuditEvent]:
    return list(
        db.session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars()
    )


def stored_files(root) -> list[str]:
    """Every file under the attachments directory (temporary ones included)."""
    found = []
    for dirpath, _dirs, files in os.walk(root):
        found += [os.path.join(dirpath, f) for f in files]
    return found


def upload(
    client,
    url: str,
    page: str,
    data: bytes,
    name: str,
    description: str | None = None,
    content_type: str = "application/octet-stream",
    follow: bool = True,
):
    """POST a multipart upload with the CSRF token of ``page`` (the owner's detail page)."""
    form = {"file": (io.BytesIO(data), name, content_type)}
    if description is not None:
        form["description"] = description
    return client.post(url, form, token_from=page, content_type="multipart/form-data", follow_redirects=follow)
