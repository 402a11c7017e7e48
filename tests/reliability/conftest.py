import pytest


@pytest.fixture(autouse=True)
def file_dirs(app, tmp_path, monkeypatch):
    """Attachments and backups of these tests live in the test's temporary directory."""
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path / "attachments"))
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "backups"))
    return tmp_path
