"""The Vietnamese catalogue is complete: every message in the code and templates has a translation."""

import os
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, "app", "translations", "vi", "LC_MESSAGES", "messages.po")


def _extracted_ids(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            os.path.join(ROOT, "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "app",
            "templates",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    with open(pot, "rb") as f:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}


def test_every_message_is_translated_to_vietnamese(tmp_path):
    with open(PO, "rb") as f:
        catalog = read_po(f, locale="vi")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and m.string and (m.string if isinstance(m.string, str) else all(m.string)) and not m.fuzzy
    }
    missing = sorted(_extracted_ids(tmp_path) - translated)
    assert missing == [], f"{len(missing)} messages lack a Vietnamese translation, e.g. {missing[:10]}"
