"""The name sanitiser and the content/extension check, without HTTP."""

import io
import unicodedata

import pytest

from app.attachments.filetypes import AttachmentRefused, detect, sanitise_name
from app.attachments.views import human_size

from . import helpers as h


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\An\\Đơn tố cáo.pdf", "Đơn tố cáo.pdf"),
        ("ảnh\u202egpj.exe", "ảnhgpj.exe"),  # right-to-left override dropped
        ("\"quoted\" 'name'.pdf", "quoted name.pdf"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("  spaced   out  .pdf", "spaced out.pdf"),
        ("", "attachment"),
        (None, "attachment"),
        ("..", "attachment"),
        (".pdf", "pdf"),
        ("<script>x.pdf", "scriptx.pdf"),
    ],
)
def test_sanitise_name(raw, clean):
    assert sanitise_name(raw) == clean


def test_sanitise_keeps_vietnamese_and_normalises_to_nfc():
    decomposed = unicodedata.normalize("NFD", "Biên bản hòa giải Đặng Thị Ửng.docx")
    assert sanitise_name(decomposed) == unicodedata.normalize("NFC", decomposed)
    assert sanitise_name(decomposed) == "Biên bản hòa giải Đặng Thị Ửng.docx"


def test_sanitise_limits_length_and_keeps_the_extension():
    name = sanitise_name("Đ" * 400 + ".pdf")
    assert len(name) <= 150 and name.endswith(".pdf")


@pytest.mark.parametrize("name, data", [("a.pdf", h.PDF), ("a.PNG", h.PNG), ("a.docx", h.DOCX), ("a.odt", h.ODT)])
def test_detect_accepts(name, data):
    stream = io.BytesIO(data)
    detect(stream, name)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    "name, data",
    [
        ("a.pdf", h.PNG),
        ("a.docx", h.ZIP),
        ("a.odt", h.DOCX),
        ("a.xlsx", h.ODT),
        ("a.html", h.HTML),
        ("a.docx", b"PK\x03\x04broken"),
    ],
)
def test_detect_refuses(name, data):
    with pytest.raises(AttachmentRefused):
        detect(io.BytesIO(data), name)


def test_human_size(app):
    with app.test_request_context():
        assert human_size(512) == "512 B"
        assert human_size(20 * 1024 * 1024) == "20 MB"
        assert human_size(1536).endswith(" KB") and human_size(1536)[:3] in ("1,5", "1.5")
