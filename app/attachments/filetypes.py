"""The attachment allowlist: a file is accepted only if its content and its extension agree on one type."""

import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from flask_babel import gettext as _

from ..core.errors import DomainError
from ..core.i18n import lazy_gettext as _l


class AttachmentRefused(DomainError):
    """An upload that cannot be attached (nothing was written)."""


@dataclass(frozen=True)
class AllowedType:
    mime: str
    #: Short label shown in the list ("PDF", "Word") - a format name, not translated.
    label: str


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

#: Scanned petitions (PDF, TIFF, JPEG, PNG), photos (JPEG, PNG, WebP) and office documents.
#: Old binary Office files (.doc/.xls) are left out: their magic bytes do not tell them apart reliably.
ALLOWED_EXTENSIONS: dict[str, AllowedType] = {
    "pdf": AllowedType("application/pdf", "PDF"),
    "jpg": AllowedType("image/jpeg", "JPEG"),
    "jpeg": AllowedType("image/jpeg", "JPEG"),
    "png": AllowedType("image/png", "PNG"),
    "tif": AllowedType("image/tiff", "TIFF"),
    "tiff": AllowedType("image/tiff", "TIFF"),
    "webp": AllowedType("image/webp", "WebP"),
    "docx": AllowedType(DOCX, "Word"),
    "xlsx": AllowedType(XLSX, "Excel"),
    "odt": AllowedType(ODT, "ODT"),
    "ods": AllowedType(ODS, "ODS"),
}
LABELS = {t.mime: t.label for t in ALLOWED_EXTENSIONS.values()}
#: The value of the file input's accept= attribute.
ACCEPT = ",".join("." + ext for ext in ALLOWED_EXTENSIONS)
ALLOWED_LIST = ", ".join("." + ext for ext in ALLOWED_EXTENSIONS)

MAX_NAME_LENGTH = 150
_UNSAFE = re.compile(r'["\'`<>:*?|;\\/]')
_ZIP_MAGIC = b"PK\x03\x04"
_HEAD_BYTES = 8192


def type_label(mime: str) -> str:
    return LABELS.get(mime, mime)


def extension_of(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def sanitise_name(name: str | None) -> str:
    """The upload's name made safe to show and to offer as a download name (Vietnamese letters kept).

    Path parts, control and format characters (e.g. right-to-left overrides), quotes and characters
    Windows forbids are dropped; whitespace is collapsed; the length is limited, keeping the extension.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext[:10]
    stem = stem.strip(" .")[: MAX_NAME_LENGTH - len(ext) - 1].rstrip(" .")
    if not stem:
        stem = "attachment"
    return f"{stem}.{ext}" if ext else stem


def _package_type(stream) -> str | None:
    """The office type the ZIP package really is (its MIME type), or None if it is not one."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as z:
            names = set(z.namelist())
            if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
                raise AttachmentRefused(_l("The document contains macros and cannot be attached."))
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
                return None
            if "mimetype" in names and "content.xml" in names:
                info = z.getinfo("mimetype")
                if info.file_size > 100:
                    return None
                declared = z.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
    except AttachmentRefused:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        OSError,
        EOFError,
        KeyError,
        NotImplementedError,
        RuntimeError,
    ):
        return None
    return None


def detect(stream, filename: str) -> AllowedType:
    """Check the upload's content and extension against the allowlist; return its type or refuse.

    ``stream`` must be seekable; it is left at position 0.
    """
    ext = extension_of(filename)
    spec = ALLOWED_EXTENSIONS.get(ext)
    if spec is None:
        raise AttachmentRefused(
            _l("Files of this type cannot be attached. Allowed: %(allowed)s.", allowed=ALLOWED_LIST)
        )
    stream.seek(0)
    head = stream.read(_HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise AttachmentRefused(_l("The file is empty."))
    if head.startswith(_ZIP_MAGIC):
        detected = _package_type(stream)
        stream.seek(0)
    else:
        kind = filetype.guess(bytes(head))
        detected = kind.mime if kind is not None else None
    if detected is None or detected not in LABELS:
        raise AttachmentRefused(
            _l("The content of this file is not one of the allowed types (%(allowed)s).", allowed=ALLOWED_LIST)
        )
    if detected != spec.mime:
        raise AttachmentRefused(
            _(
                "The file is named “.%(ext)s” but its content is %(detected)s. Rename it or choose the right file.",
                ext=ext,
                detected=type_label(detected),
            )
        )
    return spec
