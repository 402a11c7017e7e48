"""Backups: `flask backup create` and `flask backup restore` (SQLite backup API / pg_dump)."""
