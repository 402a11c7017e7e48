"""Attachments: upload, download, refusals, scope, confidentiality and removal, through the HTTP views."""

import hashlib
import io
import os
import re
from urllib.parse import quote

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.attachments import operations, storage
from app.attachments.models import Attachment
from app.audit import operations as audit
from app.cases.models import CaseState
from app.petitions.models import PetitionKind
from app.privacy import policy
from tests.factories import create_case, create_petition
from tests.petitions.helpers import text

from . import helpers as h

VI_NAME = "Đơn khiếu nại của ông Nguyễn Văn Ấn.pdf"


@pytest.fixture
def files_dir(app, tmp_path, monkeypatch):
    root = tmp_path / "attachments"
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(root))
    return root


@pytest.fixture
def petition(world, db):
    p = create_petition(world)
    db.session.commit()
    return p


@pytest.fixture
def denunciation(world, db):
    p = create_petition(world, kind=PetitionKind.DENUNCIATION, summary="Tố cáo cán bộ thu tiền")
    db.session.commit()
    assert p.is_identity_confidential
    return p


@pytest.fixture
def case(world, db):
    c = create_case(world, CaseState.ASSIGNED)
    db.session.commit()
    return c


def p_urls(p):
    return f"/attachments/petition/{p.id}", f"/petitions/{p.id}"


def c_urls(c):
    return f"/attachments/case/{c.id}", f"/cases/{c.id}"


def only_attachment() -> Attachment:
    rows = list(h.db.session.execute(select(Attachment)).scalars())
    assert len(rows) == 1
    return rows[0]


# --- Upload and download ------------------------------------------------------------------------------


def test_roundtrip_keeps_bytes_and_the_vietnamese_name(login_en, petition, files_dir):
    reception = login_en("reception")
    url, page = p_urls(petition)
    resp = h.upload(reception, url, page, h.PDF, VI_NAME, description="Bản scan đơn", content_type="text/html")
    assert resp.status_code == 200
    assert f"The file “{VI_NAME}” was attached." in text(resp)
    att = only_attachment()
    assert att.petition_id == petition.id and att.case_id is None
    assert att.original_name == VI_NAME
    assert att.content_type == "application/pdf"  # detected, not the browser's "text/html"
    assert att.size_bytes == len(h.PDF) and att.sha256 == hashlib.sha256(h.PDF).hexdigest()
    assert att.description == "Bản scan đơn"

    page_html = text(reception.get(page))
    assert VI_NAME in page_html and "Bản scan đơn" in page_html and f"/attachments/{att.id}" in page_html

    resp = reception.get(f"/attachments/{att.id}", buffered=True)
    assert resp.status_code == 200
    assert resp.data == h.PDF
    assert resp.mimetype == "application/pdf"
    disposition = resp.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" + quote(VI_NAME) in disposition
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Cache-Control"] == "no-store"

    uploads, downloads = h.audit_actions("attachment.upload"), h.audit_actions("attachment.download")
    assert [(e.object_type, e.object_id, e.petition_id) for e in uploads] == [("attachment", att.id, petition.id)]
    assert [(e.object_id, e.actor_id) for e in downloads] == [(att.id, att.uploaded_by_id)]
    assert VI_NAME not in (uploads[0].detail or "")  # a file name may name the petitioner


@pytest.mark.parametrize(
    "name, data, mime",
    [
        ("scan.pdf", h.PDF, "application/pdf"),
        ("ảnh hiện trường.JPG", h.JPEG, "image/jpeg"),
        ("photo.jpeg", h.JPEG, "image/jpeg"),
        ("map.png", h.PNG, "image/png"),
        ("scan.tiff", h.TIFF, "image/tiff"),
        ("scan.tif", h.TIFF, "image/tiff"),
        ("photo.webp", h.WEBP, "image/webp"),
        ("biên bản.docx", h.DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("văn bản.odt", h.ODT, "application/vnd.oasis.opendocument.text"),
    ],
)
def test_allowed_types_are_accepted(login_en, petition, files_dir, name, data, mime):
    url, page = p_urls(petition)
    h.upload(login_en("head"), url, page, data, name)
    att = only_attachment()
    assert att.content_type == mime
    with open(storage.path_of(att.stored_name), "rb") as f:
        assert f.read() == data


def test_a_real_spreadsheet_is_accepted(login_en, petition, files_dir):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.xlsx(), "số liệu.xlsx")
    assert only_attachment().content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


REFUSALS = [
    ("page.html", h.HTML, "Files of this type cannot be attached."),
    ("page.htm", h.HTML, "Files of this type cannot be attached."),
    ("drawing.svg", h.SVG, "Files of this type cannot be attached."),
    ("run.sh", h.SCRIPT, "Files of this type cannot be attached."),
    ("setup.exe", h.EXE, "Files of this type cannot be attached."),
    ("archive.zip", h.ZIP, "Files of this type cannot be attached."),
    ("no extension", h.PDF, "Files of this type cannot be attached."),
    ("html-as.pdf", h.HTML, "The content of this file is not one of the allowed types"),
    ("svg-as.png", h.SVG, "The content of this file is not one of the allowed types"),
    ("script.jpg", h.SCRIPT, "The content of this file is not one of the allowed types"),
    ("exe-as.pdf", h.EXE, "The content of this file is not one of the allowed types"),
    ("zip-as.docx", h.ZIP, "The content of this file is not one of the allowed types"),
    ("png-as.pdf", h.PNG, "The file is named “.pdf” but its content is PNG."),
    ("pdf-as.png", h.PDF, "The file is named “.png” but its content is PDF."),
    ("docx-as.xlsx", h.DOCX, "The file is named “.xlsx” but its content is Word."),
    ("macro.docx", h.DOCM, "The document contains macros and cannot be attached."),
    ("empty.pdf", b"", "The file is empty."),
]


@pytest.mark.parametrize("name, data, message", REFUSALS)
def test_refused_files_write_nothing(login_en, petition, files_dir, name, data, message):
    url, page = p_urls(petition)
    resp = h.upload(login_en("reception"), url, page, data, name)
    assert resp.status_code == 200
    assert message in text(resp)
    assert h.attachment_count() == 0
    assert h.stored_files(files_dir) == []
    assert h.audit_actions("attachment.upload") == []


def test_no_file_and_a_long_description_are_refused(login_en, petition, files_dir):
    url, page = p_urls(petition)
    client = login_en("reception")
    resp = client.post(
        url, {"description": "x"}, token_from=page, content_type="multipart/form-data", follow_redirects=True
    )
    assert "Choose a file to upload." in text(resp)
    resp = h.upload(client, url, page, h.PDF, "a.pdf", description="x" * 301)
    assert "The description can be at most 300 characters long." in text(resp)
    assert h.attachment_count() == 0 and h.stored_files(files_dir) == []
    h.upload(client, url, page, h.PDF, "a.pdf", description="x" * 300)
    assert h.attachment_count() == 1


def test_too_large_upload_is_413_and_writes_nothing(app, login_en, petition, files_dir):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 20 * 1024 * 1024
    url, page = p_urls(petition)
    big = h.PDF + b"\x00" * (limit + 1 - len(h.PDF))
    client = login_en("reception")
    # Encoded here, in memory: Werkzeug's test client would spool it to a file it never closes on a 413.
    boundary, body = encode_multipart(
        {"csrf_token": client.token(page), "file": FileStorage(io.BytesIO(big), "big.pdf", "application/pdf")}
    )
    resp = client.client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert resp.status_code == 413
    assert "The upload is too large." in text(resp)
    assert h.attachment_count() == 0 and h.stored_files(files_dir) == []


def test_upload_needs_csrf(app, login_en, petition, files_dir):
    client = login_en("reception")
    resp = client.client.post(
        f"/attachments/petition/{petition.id}",
        data={"file": (io.BytesIO(h.PDF), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 400
    assert h.attachment_count() == 0 and h.stored_files(files_dir) == []


def test_stored_under_a_random_name_outside_the_static_folder(app, login_en, petition, files_dir):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.PDF, "index.html.pdf")
    att = only_attachment()
    path = storage.path_of(att.stored_name)
    assert re.fullmatch(r"[0-9a-f]{32}", att.stored_name)
    assert os.path.basename(path) == att.stored_name != att.original_name
    assert os.path.dirname(path) == os.path.join(str(files_dir), att.stored_name[:2])
    assert h.stored_files(files_dir) == [path]  # no temporary file left behind
    static = os.path.realpath(app.static_folder)
    assert not os.path.realpath(path).startswith(static + os.sep)


def test_default_directory_is_in_the_instance_folder(app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", None)
    assert storage.attachments_dir() == os.path.join(app.instance_path, "attachments")
    assert not storage.attachments_dir().startswith(os.path.realpath(app.static_folder))


def test_unwritable_storage_leaves_no_row(app, login_en, petition, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_bytes(b"")
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(blocker))
    url, page = p_urls(petition)
    resp = h.upload(login_en("reception"), url, page, h.PDF, "a.pdf")
    assert "The file could not be stored. Nothing was saved" in text(resp)
    assert h.attachment_count() == 0


def test_failed_insert_removes_the_written_file(app, db, world, petition, files_dir):
    """A row that cannot be saved (here: an uploader who does not exist) takes its file with it."""

    class Ghost:
        id = 987654

    file = FileStorage(stream=io.BytesIO(h.PDF), filename="a.pdf")
    with app.test_request_context(), pytest.raises(Exception) as info:
        operations.upload_attachment(file, Ghost(), petition=petition)
    assert "foreign key" in str(info.value).lower()
    db.session.rollback()
    assert h.attachment_count() == 0
    assert h.stored_files(files_dir) == []


# --- Who may upload ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, status",
    [
        ("reception", 302),
        ("head", 302),
        ("phead", 302),
        ("handler", 403),
        ("inspector", 403),
        ("admin", 403),
        ("handler2", 404),
        ("tl_reception", 404),
        ("tl_head", 404),
    ],
)
def test_who_may_upload_to_a_petition(login_en, petition, files_dir, username, status):
    client = login_en(username)
    resp = client.client.post(
        f"/attachments/petition/{petition.id}",
        data={"file": (io.BytesIO(h.PDF), "a.pdf"), "csrf_token": client.token("/petitions/")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == status
    assert h.attachment_count() == (1 if status == 302 else 0)


@pytest.mark.parametrize(
    "username, status",
    [
        ("head", 302),
        ("handler", 302),
        ("phead", 403),  # the provincial chairman reads a commune's case, does not act on it
        ("reception", 403),
        ("inspector", 403),
        ("admin", 403),
        ("handler2", 404),
        ("tl_head", 404),
        ("tl_handler", 404),
    ],
)
def test_who_may_upload_to_a_case(login_en, case, files_dir, username, status):
    client = login_en(username)
    resp = client.client.post(
        f"/attachments/case/{case.id}",
        data={"file": (io.BytesIO(h.PNG), "map.png"), "csrf_token": client.token("/petitions/")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == status
    assert h.attachment_count() == (1 if status == 302 else 0)


def test_unassigned_handler_cannot_upload_to_a_case(login_en, world, db, files_dir):
    accepted = create_case(world, CaseState.ACCEPTED)
    db.session.commit()
    client = login_en("handler")
    resp = client.client.post(
        f"/attachments/case/{accepted.id}",
        data={"file": (io.BytesIO(h.PDF), "a.pdf"), "csrf_token": client.token("/petitions/")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 403


def test_case_roundtrip_and_panel(login_en, case, files_dir):
    url, page = c_urls(case)
    handler = login_en("handler")
    h.upload(handler, url, page, h.JPEG, "ảnh.jpg", description="Ảnh hiện trạng")
    att = only_attachment()
    assert att.case_id == case.id and att.petition_id is None
    html = text(login_en("inspector").get(page))
    assert "ảnh.jpg" in html and "Ảnh hiện trạng" in html and "JPEG" in html and "Hoàng Văn Xử" in html
    assert 'data-testid="attachment-upload"' not in html  # inspectors read only
    assert login_en("inspector").get(f"/attachments/{att.id}", buffered=True).data == h.JPEG
    assert 'data-testid="attachment-upload"' in text(handler.get(page))
    assert 'accept=".pdf,.jpg,.jpeg' in text(handler.get(page))


# --- Who may download ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username, status",
    [
        ("reception", 200),
        ("head", 200),
        ("handler", 200),
        ("phead", 200),
        ("inspector", 200),
        ("admin", 200),
        ("handler2", 404),
        ("tl_reception", 404),
        ("tl_head", 404),
        ("tl_handler", 404),
    ],
)
def test_download_follows_the_owner_scope(login_en, petition, files_dir, username, status):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.PDF, "a.pdf")
    att = only_attachment()
    resp = login_en(username).get(f"/attachments/{att.id}", buffered=True)
    assert resp.status_code == status
    if status == 404:
        assert resp.data != h.PDF
        assert "a.pdf" not in text(login_en(username).get("/petitions/"))


@pytest.mark.parametrize(
    "username, status, removal",
    [
        ("head", 200, 302),
        ("handler", 200, 302),
        ("reception", 200, 403),
        ("inspector", 200, 403),
        ("admin", 200, 403),
        ("handler2", 404, 404),
        ("tl_head", 404, 404),
        ("tl_handler", 404, 404),
    ],
)
def test_case_file_scope(login_en, case, files_dir, username, status, removal):
    url, page = c_urls(case)
    h.upload(login_en("handler"), url, page, h.PNG, "map.png")
    att = only_attachment()
    client = login_en(username)
    resp = client.get(f"/attachments/{att.id}", buffered=True)
    assert resp.status_code == status
    assert (resp.data == h.PNG) is (status == 200)
    resp = client.post(f"/attachments/{att.id}/remove", {"reason": "Nhầm vụ việc"}, token_from="/petitions/")
    assert resp.status_code == removal
    assert only_attachment().is_removed is (removal == 302)


def test_unknown_attachment_is_404(login_en, world):
    assert login_en("admin").get("/attachments/424242").status_code == 404


def test_anonymous_user_is_sent_to_login(client, petition, files_dir, login_en):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.PDF, "a.pdf")
    resp = client.get(f"/attachments/{only_attachment().id}")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


# --- Confidential petitioners --------------------------------------------------------------------------


def _reveal(app, client, user, petition):
    """Record a reveal for the client's login session, as the reveal form does."""
    with client.client.session_transaction() as sess:
        sid = sess.setdefault("sid", "attachments-test-session")
    with app.test_request_context():
        from flask import session

        session["sid"] = sid
        audit.record(
            policy.REVEAL_ACTION,
            actor=user,
            petition=petition,
            case=petition.case_id,
            reason="Cần đối chiếu chữ ký trong đơn",
        )
    h.db.session.commit()


def test_confidential_file_needs_a_reveal(app, login_en, world, denunciation, files_dir):
    url, page = p_urls(denunciation)
    h.upload(login_en("reception"), url, page, h.PDF, "Đơn tố cáo.pdf")
    att = only_attachment()
    head = login_en("head")
    resp = head.get(f"/attachments/{att.id}", buffered=True)
    assert resp.status_code == 403
    assert "Reveal the identity" in text(resp) and resp.data != h.PDF
    html = text(head.get(page))
    assert 'data-testid="attachment-confidential"' in html and f'/attachments/{att.id}"' not in html
    assert h.audit_actions("attachment.download") == []

    _reveal(app, head, world.users["head"], denunciation)
    resp = head.get(f"/attachments/{att.id}", buffered=True)
    assert resp.status_code == 200 and resp.data == h.PDF
    assert f'/attachments/{att.id}"' in text(head.get(page))
    assert len(h.audit_actions("attachment.download")) == 1


def test_a_locked_file_shows_neither_its_name_nor_its_description(app, login_en, world, denunciation, files_dir):
    """A scan's file name or description can name the denunciator: locked, the panel shows neither."""
    url, page = p_urls(denunciation)
    h.upload(
        login_en("reception"),
        url,
        page,
        h.PDF,
        "Đơn tố cáo - Trịnh Văn Lộ.pdf",
        description="Bản chụp đơn của ông Trịnh Văn Lộ",
    )
    att = only_attachment()
    for who in ("reception", "inspector", "head"):  # head: entitled, not yet revealed
        html = text(login_en(who).get(page))
        assert 'data-testid="attachment-confidential"' in html and "Lộ" not in html, who
    head = login_en("head")
    head.post(f"/attachments/{att.id}/remove", {"reason": "Tải nhầm tệp của đơn khác"}, token_from=page)
    assert "Lộ" not in text(head.get(page)) and "Tải nhầm" not in text(head.get(page))
    _reveal(app, head, world.users["head"], denunciation)
    assert "Trịnh Văn Lộ" in text(head.get(page))


def test_a_reveal_is_personal(app, login_en, world, denunciation, files_dir):
    """The inspector may not view the identity at all; another user's reveal does not help."""
    url, page = p_urls(denunciation)
    h.upload(login_en("reception"), url, page, h.PDF, "Đơn tố cáo.pdf")
    att = only_attachment()
    _reveal(app, login_en("head"), world.users["head"], denunciation)
    inspector = login_en("inspector")
    assert inspector.get(f"/attachments/{att.id}", buffered=True).status_code == 403
    _reveal(app, inspector, world.users["inspector"], denunciation)  # not entitled: still refused
    assert inspector.get(f"/attachments/{att.id}", buffered=True).status_code == 403


def test_case_files_of_a_confidential_petition_are_locked(app, login_en, world, db, files_dir):
    case = create_case(world, CaseState.ASSIGNED, kind=PetitionKind.DENUNCIATION)
    db.session.commit()
    url, page = c_urls(case)
    handler = login_en("handler")
    h.upload(handler, url, page, h.PDF, "biên bản xác minh.pdf")
    att = only_attachment()
    assert handler.get(f"/attachments/{att.id}", buffered=True).status_code == 403
    assert 'data-testid="attachment-confidential"' in text(handler.get(page))
    _reveal(app, handler, world.users["handler"], case.petitions[0])
    assert handler.get(f"/attachments/{att.id}", buffered=True).data == h.PDF


# --- Removal -------------------------------------------------------------------------------------------


def _remove(client, att_id, page, reason):
    return client.post(f"/attachments/{att_id}/remove", {"reason": reason}, token_from=page, follow_redirects=True)


def test_removal_keeps_row_and_file(login_en, world, petition, files_dir):
    url, page = p_urls(petition)
    reception = login_en("reception")
    h.upload(reception, url, page, h.PDF, "nhầm.pdf")
    att = only_attachment()
    path = storage.path_of(att.stored_name)

    resp = _remove(reception, att.id, page, "   ")
    assert "Say why the file is removed." in text(resp)
    assert not only_attachment().is_removed

    resp = _remove(reception, att.id, page, "Tải nhầm tệp <b>khác</b>")
    html = text(resp)
    assert "was marked removed" in html
    att = only_attachment()
    assert att.is_removed and att.removed_at is not None and att.removed_by_id == world.users["reception"].id
    assert att.removed_reason == "Tải nhầm tệp <b>khác</b>"
    assert os.path.exists(path)
    with open(path, "rb") as f:
        assert f.read() == h.PDF
    assert "<del" in resp.get_data(as_text=True) and "&lt;b&gt;khác&lt;/b&gt;" in resp.get_data(as_text=True)
    assert [e.object_id for e in h.audit_actions("attachment.remove")] == [att.id]
    assert h.audit_actions("attachment.remove")[0].reason == "Tải nhầm tệp <b>khác</b>"

    assert reception.get(f"/attachments/{att.id}", buffered=True).status_code == 404
    assert login_en("admin").get(f"/attachments/{att.id}", buffered=True).status_code == 404
    assert "already been removed" in text(_remove(reception, att.id, page, "lần nữa"))
    assert len(h.audit_actions("attachment.remove")) == 1


@pytest.mark.parametrize(
    "username, status",
    [
        ("head", 302),
        ("phead", 302),
        ("handler", 403),
        ("inspector", 403),
        ("admin", 403),
        ("tl_head", 404),
    ],
)
def test_who_may_remove(login_en, petition, files_dir, username, status):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.PDF, "a.pdf")
    att = only_attachment()
    client = login_en(username)
    resp = client.client.post(
        f"/attachments/{att.id}/remove", data={"reason": "Sai hồ sơ", "csrf_token": client.token("/petitions/")}
    )
    assert resp.status_code == status
    assert only_attachment().is_removed is (status == 302)


def test_removal_is_post_only(login_en, petition, files_dir):
    url, page = p_urls(petition)
    h.upload(login_en("reception"), url, page, h.PDF, "a.pdf")
    att = only_attachment()
    assert login_en("head").get(f"/attachments/{att.id}/remove").status_code == 405
    assert not only_attachment().is_removed


def test_names_and_descriptions_are_escaped(login_en, petition, files_dir):
    url, page = p_urls(petition)
    client = login_en("reception")
    resp = h.upload(
        client, url, page, h.PDF, "<img src=x onerror=alert(1)>.pdf", description="<script>alert(2)</script>"
    )
    raw = resp.get_data(as_text=True)
    assert "<script>alert(2)" not in raw and "&lt;script&gt;alert(2)&lt;/script&gt;" in raw
    assert "<img src=x" not in raw
    assert only_attachment().original_name == "img src=x onerror=alert(1).pdf"
