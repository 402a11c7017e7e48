"""flask scheduler run / run-once."""

import json
import logging

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.timeutil import local_to_utc

scheduler_cli = AppGroup("scheduler", help="The scheduler process: deadlines, flags, reminders.")


def _configure_logging(verbose: bool) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("tiepdan").setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.INFO if verbose else logging.WARNING)


@scheduler_cli.command("run", with_appcontext=False)
@click.option("--verbose", is_flag=True, help="Also log APScheduler's own messages.")
@click.pass_context
def run_command(ctx, verbose):
    """Run the scheduler in the foreground (one per installation; extra ones stay on standby)."""
    from .runner import serve

    _configure_logging(verbose)
    serve(ctx.obj.load_app())


@scheduler_cli.command("run-once")
@click.option(
    "--now",
    "now_local",
    type=click.DateTime(formats=["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]),
    default=None,
    help="Run as if it were this local (Vietnam) time; default: now.",
)
def run_once_command(now_local):
    """Run every job once now, unless a running scheduler is the leader; print what each did."""
    from .runner import run_once

    _configure_logging(False)
    # current_app is typed as the Flask app but is a LocalProxy: the job threads need the app object itself.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    result = run_once(app, now=local_to_utc(now_local) if now_local else None)
    if result is None:
        click.echo("Standby: another scheduler process is the leader (or the run failed; see the log).", err=True)
        return
    click.echo(json.dumps(result, indent=2, default=str))
