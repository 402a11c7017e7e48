"""Target of the concurrent-writer test's child processes (multiprocessing "spawn": a fresh interpreter each)."""

import threading
from datetime import date, datetime


def _app(url: str):
    """The app of a writer process, on the test database at ``url``."""
    from app import create_app

    return create_app(
        {"TESTING": True, "DEPLOYMENT": "development", "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url}
    )


def write_petitions(url: str, tag: str, units: dict, user_id: int, per_thread: int, threads: int, start, out):
    """Start ``threads`` threads that each register ``per_thread`` petitions, alternating between the units
    and between the two entry points (the desk's record_visit and register_petition); report the errors."""
    app = _app(url)
    errors: list[str] = []

    def run(thread_no: int) -> None:
        from app.extensions import db
        from app.persons.operations import PersonData
        from app.petitions.models import Channel, PetitionKind
        from app.petitions.operations import register_petition
        from app.reception.models import ReceptionKind, ReceptionOutcome
        from app.reception.operations import record_visit
        from app.units.models import Unit
        from app.users.models import User

        with app.app_context():
            start.wait(timeout=60)
            for i in range(per_thread):
                label = f"{tag}{thread_no}-{i}"
                code = sorted(units)[i % len(units)]
                try:
                    unit, actor = db.session.get(Unit, units[code]), db.session.get(User, user_id)
                    person = PersonData(full_name=f"Người {label}", citizen_id=None)
                    if i % 2:
                        register_petition(
                            unit=unit,
                            actor=actor,
                            received_on=date(2026, 3, 2),
                            channel=Channel.POST,
                            kind=PetitionKind.COMPLAINT,
                            summary=label,
                            petitioners=[person],
                        )
                    else:
                        record_visit(
                            unit=unit,
                            actor=actor,
                            received_at=datetime(2026, 3, 2, 2, 0),
                            kind=ReceptionKind.REGULAR,
                            visitors=[person],
                            people_count=1,
                            content=label,
                            outcome=ReceptionOutcome.PETITION_RECEIVED,
                            petition_kind=PetitionKind.DENUNCIATION,
                            petition_summary=label,
                        )
                    db.session.commit()
                except Exception as err:  # noqa: BLE001 - reported to the parent
                    db.session.rollback()
                    errors.append(f"{label}: {err!r}")

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    out.put(errors)


def write_documents(url: str, petition_ids: list[int], user_id: int, threads: int, start, out):
    """Start ``threads`` threads that each issue a transfer slip on their share of ``petition_ids``; report
    the errors."""
    app = _app(url)
    errors: list[str] = []

    def run(thread_no: int) -> None:
        from app.core.timeutil import local_today
        from app.documents.kinds import KINDS
        from app.documents.operations import issue_document
        from app.extensions import db
        from app.petitions.models import Petition
        from app.users.models import User

        with app.app_context():
            start.wait(timeout=60)
            for petition_id in petition_ids[thread_no::threads]:
                try:
                    issue_document(
                        KINDS["transfer_slip"],
                        db.session.get(Petition, petition_id),
                        db.session.get(User, user_id),
                        on=local_today(),
                        recipient="Thanh tra huyện",
                        addressee="Thanh tra huyện",
                        body=f"Chuyển đơn {petition_id}.",
                        recipients="Như trên;",
                    )
                    db.session.commit()
                except Exception as err:  # noqa: BLE001 - reported to the parent
                    db.session.rollback()
                    errors.append(f"{petition_id}: {err!r}")

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    out.put(errors)
