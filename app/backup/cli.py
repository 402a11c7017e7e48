"""The `flask backup` commands."""
import click
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Create and restore backups of the database and attachments.")
