"""Command-line interface: flask create-user, flask seed-demo.

A command has no request to own its transaction: each commits once when its work is done, and rolls
back (nothing changed) when it is refused.
"""

import sys

import click
from flask import Flask

from .core.errors import DomainError
from .core.roles import Role
from .extensions import db


def register_cli(app: Flask) -> None:
    from .deadlines.cli import deadlines_cli

    app.cli.add_command(deadlines_cli)
    from .scheduler.cli import scheduler_cli

    app.cli.add_command(scheduler_cli)
    from .backup.cli import backup_cli

    app.cli.add_command(backup_cli)
    from .bulk.cli import seed_bulk_command
    from .imports.cli import import_cli

    app.cli.add_command(import_cli)

    app.cli.add_command(seed_bulk_command)

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        required=True,
        type=click.Choice([r.value for r in Role]),
        help="Repeat for several roles.",
    )
    @click.option("--unit", "unit_code", required=True, help="Code of the user's unit.")
    @click.option("--full-name", default=None, help="Defaults to the username.")
    @click.option("--email", default=None, help="Where deadline reminders are also sent.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create_user_command(username, roles, unit_code, full_name, email, password_stdin):
        """Create a user with one or more roles in a unit."""
        from .units.queries import unit_by_code
        from .users.operations import create_user

        unit = unit_by_code(unit_code)
        if unit is None:
            raise click.ClickException(f"No unit with code {unit_code!r}.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(
                username=username,
                full_name=full_name or username,
                unit=unit,
                roles=roles,
                password=password,
                email=email,
            )
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            raise click.ClickException(str(err.message)) from err
        click.echo(f"Created user {user.username} ({', '.join(sorted(roles))}) in {unit.code}.")

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Load realistic Vietnamese demo data (idempotent: running it twice adds nothing)."""
        from .deadlines.rules import sync_default_rules
        from .demo import seed_demo

        sync_default_rules()
        try:
            created = seed_demo()
        except DomainError as err:  # outside the demo (production) the demo password is refused
            db.session.rollback()
            raise click.ClickException(str(err.message)) from err
        db.session.commit()
        click.echo("Demo data loaded." if created else "Demo data already present; nothing added.")

    @app.cli.command("demo-logins")
    def demo_logins_command():
        """Print the demo users and their password."""
        from .demo import DEMO_PASSWORD, demo_logins

        rows = demo_logins()
        if not rows:
            click.echo("No demo users (run `flask seed-demo`).")
            return
        click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, full_name, roles, unit in rows:
            click.echo(f"  {username:<14} {roles:<10} {unit:<6} {full_name}")
