"""flask import register FILE --unit CODE: a unit's Excel reception register or petition register into
TiepDan (the same checks as the import screen: every row checked, nothing saved while any row is wrong, a
second run adds nothing)."""

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _

from ..core.errors import DomainError
from ..core.roles import Role
from ..extensions import db
from ..units.queries import unit_by_code
from ..users.models import User
from ..users.queries import user_by_username
from .registers import ALL_FIELDS, REGISTERS, register_of
from .workbook import guess_mapping, read_sheet

import_cli = AppGroup("import", help="Import a unit's existing registers from Excel.")


@import_cli.command("register")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--unit", "unit_code", required=True, help="Code of the unit whose register it is.")
@click.option("--user", "username", default=None, help="Who imports (a reception officer or head; default: a head).")
@click.option(
    "--register",
    "register_name",
    type=click.Choice(["auto", *REGISTERS]),
    default="auto",
    show_default=True,
    help="Which register the workbook is (auto: the one its headers name most).",
)
@click.option("--dry-run", is_flag=True, help="Check every row and report; save nothing.")
def import_register_command(path: str, unit_code: str, username: str | None, register_name: str, dry_run: bool) -> None:
    """Import a reception register (visits) or a petition register workbook (.xlsx), its headers recognised
    by name."""
    unit = unit_by_code(unit_code)
    if unit is None:
        raise click.ClickException(f"No unit with code {unit_code!r}.")
    if username:
        actor = user_by_username(username)
        if actor is None or not actor.is_active:
            raise click.ClickException(f"No active user {username!r}.")
    else:
        actor = next(
            (
                u
                for u in db.session.execute(db.select(User).where(User.unit_id == unit.id)).unique().scalars()
                if u.is_active and u.has_role(Role.HEAD)
            ),
            None,
        )
        if actor is None:
            raise click.ClickException(f"Unit {unit.code} has no active head: name the importing user with --user.")
    try:
        with open(path, "rb") as stream:
            sheet = read_sheet(stream, Path(path).name, ALL_FIELDS)
        register = register_of(sheet.headers) if register_name == "auto" else REGISTERS[register_name]
        click.echo(f"{register.label}: {sheet.filename}")
        mapping = guess_mapping(sheet.headers, register.fields)
        for f in register.fields:
            col = mapping[f.name]
            click.echo(f"{str(f.label):<32} ← {sheet.headers[col] if col is not None else '—'}")
        plan = register.plan(sheet, mapping, unit, actor)
        for r in plan.errors:
            click.echo(_("Row %(n)d: %(errors)s", n=r.number, errors="; ".join(r.errors)), err=True)
        click.echo(
            _(
                "%(ready)d rows to import, %(already)d already imported, %(wrong)d with errors.",
                ready=len(plan.ready),
                already=len(plan.already),
                wrong=len(plan.errors),
            )
        )
        for r in plan.noted:
            click.echo(_("Row %(n)d: %(notes)s", n=r.number, notes="; ".join(r.notes)))
        if not plan.ok:
            raise click.ClickException(_("Nothing was imported: correct the rows with errors first."))
        if dry_run:
            db.session.rollback()
            return
        n = register.run(plan, unit, actor)
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(str(err.message)) from err
    if register.name == "petitions":
        click.echo(_("%(n)d petitions imported into the register of %(unit)s.", n=n, unit=unit.code))
    else:
        click.echo(_("%(n)d visits imported into the register of %(unit)s.", n=n, unit=unit.code))
