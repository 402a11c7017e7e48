"""flask deadlines explain / load-rules (a command commits its own transaction: there is no request)."""

import json
from datetime import datetime

import click
from flask.cli import AppGroup

from ..extensions import db

deadlines_cli = AppGroup("deadlines", help="Legal deadlines: explain due dates, load the rule table.")

DATE = click.DateTime(formats=["%Y-%m-%d"])


@deadlines_cli.command("load-rules")
def load_rules_command() -> None:
    """Insert the shipped rules and calendar overrides that are missing (never overwrites edits)."""
    from .rules import sync_default_rules

    added = sync_default_rules()
    db.session.commit()
    click.echo(f"{added} rule(s)/override(s) added." if added else "Rule table up to date; nothing added.")


@deadlines_cli.command("explain")
@click.option("--kind", required=True, type=click.Choice(["complaint", "denunciation", "recommendation", "feedback"]))
@click.option("--instance", type=click.IntRange(1, 2), default=None, help="Complaint instance (default 1).")
@click.option("--received", required=True, type=DATE, help="Date the petition was received (YYYY-MM-DD).")
@click.option("--accepted", type=DATE, default=None, help="Date of acceptance (thụ lý).")
@click.option("--decided", type=DATE, default=None, help="Date of the decision or conclusion.")
@click.option("--complexity", type=click.Choice(["normal", "complex", "especially_complex"]), default="normal")
@click.option("--remote", is_flag=True, help="Remote or especially difficult area.")
@click.option("--extensions", type=click.IntRange(0, 5), default=0, help="Extensions decided (denunciations).")
@click.option("--sites", type=click.IntRange(1, 1000), default=1, help="Sites to verify (denunciations).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", help="Language of the table (default vi).")
def explain_command(
    kind: str,
    instance: int | None,
    received: datetime,
    accepted: datetime | None,
    decided: datetime | None,
    complexity: str,
    remote: bool,
    extensions: int,
    sites: int,
    as_json: bool,
    lang: str,
) -> None:
    """Print every due date that follows from the facts, with its rule and legal basis."""
    from flask_babel import force_locale

    with force_locale(lang):
        _explain(kind, instance, received, accepted, decided, complexity, remote, extensions, sites, as_json)


def _dmy(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"


def _explain(
    kind: str,
    instance: int | None,
    received: datetime,
    accepted: datetime | None,
    decided: datetime | None,
    complexity: str,
    remote: bool,
    extensions: int,
    sites: int,
    as_json: bool,
) -> None:
    from flask_babel import gettext as _

    from .engine import explain
    from .models import DayUnit

    received_on = received.date()
    accepted_on = accepted.date() if accepted else None
    decided_on = decided.date() if decided else None
    if accepted_on and accepted_on < received_on:
        raise click.BadParameter("cannot be before --received", param_hint="--accepted")
    if decided_on and accepted_on and decided_on < accepted_on:
        raise click.BadParameter("cannot be before --accepted", param_hint="--decided")
    if instance and kind != "complaint":
        raise click.BadParameter("only complaints have an instance", param_hint="--instance")
    rows = explain(
        kind,
        received=received_on,
        accepted=accepted_on,
        decided=decided_on,
        instance=instance,
        complexity=complexity,
        remote=remote,
        extensions=extensions,
        sites=sites,
    )
    if not any(r.rule for r in rows):
        raise click.ClickException("No deadline rules in the database: run `flask deadlines load-rules`.")
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2))
        return
    # One language throughout (the stage, the unit of days, the words between): dates as dd/mm/yyyy.
    for r in rows:
        d = r.as_dict()
        if d["due"] is None:
            click.echo(
                f"{d['stage_label']:<32} {'—':<10}  {_('from %(start)s', start=d['from'])}: {'; '.join(d['notes'])}"
            )
            continue
        in_force = _("in force from %(start)s", start=_dmy(d["effective_from"]))
        if d["effective_to"]:
            in_force += " " + _("to %(end)s", end=_dmy(d["effective_to"]))
        to_verify = _("to verify")
        verified = "" if d["verified"] else f" [{to_verify}]"
        period = _(
            "%(limit)d %(unit)s from %(start)s (%(date)s)",
            limit=d["limit"],
            unit=DayUnit(d["unit"]).label,
            start=d["from"],
            date=_dmy(d["start"]),
        )
        click.echo(f"{d['stage_label']:<32} {_dmy(d['due'])}  {period}  — {d['legal_basis']} ({in_force}){verified}")
        for note in d["notes"]:
            click.echo(f"{'':<44}{note}")
