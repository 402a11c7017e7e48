"""flask seed-bulk: realistic data at scale, for measuring TiepDan with up to millions of cases."""

import click

from ..core.errors import DomainError
from ..extensions import db
from .operations import DEFAULT_BATCH_SIZE, DEFAULT_SEED


@click.command("seed-bulk")
@click.option("--cases", "n_cases", type=click.IntRange(min=1), required=True, help="Number of cases to add.")
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the random generator: the same seed on the same database gives the same data.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=100),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help="Cases generated and written per batch (memory grows with it).",
)
def seed_bulk_command(n_cases, seed, batch_size):
    """Add N realistic cases spread over ten years, with everything that belongs to them.

    Loads the demo first if the database has no units, then makes the demo province whole: one commune or
    ward unit per real ward of Đồng Nai, each with a head (chutich.<code>), a reception officer
    (tiepdan.<code>) and a handling officer (xuly.<code>), all with the demo password (so a production
    deployment refuses to create them); these are reused on later runs. Then writes the cases with their
    petitions (and the petitions that never became cases), petitioners, history, and deadline clocks, and
    advances the receipt and case number counters.

    The rows go in one transaction: an interrupted load adds nothing. Other writers of these tables wait
    until it ends. On PostgreSQL a large load (20,000 cases or more, and at least a quarter of the cases
    there) drops the big tables' secondary indexes and foreign keys, which blocks their readers until the
    commit, and recreates them after it; a run interrupted before they are all back has the next run
    recreate them first. Ends with VACUUM ANALYZE (ANALYZE on SQLite).
    """
    from .operations import seed_bulk

    try:
        result = seed_bulk(n_cases, seed=seed, batch_size=batch_size, progress=click.echo)
    except DomainError as err:  # the demo password outside the demo
        db.session.rollback()
        raise click.ClickException(str(err.message)) from err
    except Exception:
        db.session.rollback()
        raise
    click.echo(
        f"Added {result.cases:,} cases, {result.petitions:,} petitions, {result.persons:,} persons, "
        f"{result.events:,} history events and {result.clocks:,} clocks in {result.seconds:,.1f} s "
        f"({result.cases / max(result.seconds, 1e-9):,.0f} cases/s)."
    )
