"""The `flask backup` commands."""

import click
from flask.cli import AppGroup

from ..extensions import db
from . import operations as ops

backup_cli = AppGroup("backup", help="Create and restore backups of the database and attachments.")


@backup_cli.command("create")
@click.option(
    "--output",
    type=click.Path(file_okay=False),
    default=None,
    help="Directory in which the new backup directory is made (default: BACKUP_DIR).",
)
def create_command(output):
    """Back up the database and the attachment files into a new directory."""
    try:
        info = ops.create_backup(output)
        db.session.commit()  # the backup.create audit event
    except ops.BackupError as err:
        raise click.ClickException(str(err)) from None
    counts = info.manifest["row_counts"]
    click.echo(f"Backup written to {info.path}")
    click.echo(
        f"  backend {info.manifest['backend']}, revision {info.manifest['alembic_revision']}, "
        f"{sum(counts.values())} rows in {len(counts)} tables, {len(info.manifest['files'])} files"
    )


@backup_cli.command("list")
@click.option(
    "--dir", "directory", type=click.Path(file_okay=False), default=None, help="Where to look (default: BACKUP_DIR)."
)
def list_command(directory):
    """List the backups, newest first."""
    backups = ops.list_backups(directory)
    if not backups:
        click.echo("No backups.")
        return
    for info in backups:
        m = info.manifest
        if not m:
            click.echo(f"{info.name}  (no readable manifest)")
            continue
        click.echo(
            f"{info.name}  {m.get('created_at')}  {m.get('backend')}  revision {m.get('alembic_revision')}  "
            f"{sum((m.get('row_counts') or {}).values())} rows  {len(m.get('files') or {})} files"
        )


@backup_cli.command("restore")
@click.argument("directory")
@click.option("--yes", is_flag=True, help="Confirm that the configured database is to be replaced.")
def restore_command(directory, yes):
    """Replace the configured database (and add the attachment files) from a backup DIRECTORY."""
    try:
        path = ops.resolve(directory)
        manifest = ops.verify(path)
    except ops.BackupError as err:
        raise click.ClickException(f"{err} Nothing was restored.") from None
    click.echo(
        f"Backup {path} is intact ({manifest.get('backend')}, created {manifest.get('created_at')}, "
        f"revision {manifest.get('alembic_revision')})."
    )
    if not yes:
        raise click.ClickException(
            "Restoring replaces the whole configured database. Stop the web server and "
            "the scheduler, then run again with --yes. Nothing was restored."
        )
    try:
        result = ops.restore_backup(path)
        db.session.commit()  # the backup.restore audit event, in the restored database
    except ops.BackupError as err:
        raise click.ClickException(str(err)) from None
    click.echo("Restored. Rows per table (backup = database now):")
    for table, (expected, now) in result.counts.items():
        click.echo(f"  {table:<24} {expected} {'=' if expected == now else '!='} {now}")
    click.echo(f"{result.files} attachment files copied.")
    if result.upgraded_from:
        click.echo(f"The backup's schema ({result.upgraded_from}) was upgraded to this version's (flask db upgrade).")
    if result.mismatched:
        raise click.ClickException(
            "The row counts of the restored database differ from the backup's manifest: "
            + ", ".join(sorted(result.mismatched))
        )
