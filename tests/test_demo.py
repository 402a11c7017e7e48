"""`flask seed-demo` loads demo data covering every state, and running it twice adds nothing."""

from sqlalchemy import func, select

from app.cases.models import Case, CaseEvent, CaseState
from app.mediation.models import MediationRecord
from app.petitions.models import Petition, PetitionState
from app.reception.models import ReceptionSession
from app.users.models import User


def _counts(db):
    return [
        db.session.scalar(select(func.count()).select_from(m))
        for m in (User, Petition, Case, CaseEvent, ReceptionSession)
    ]


def test_seed_demo_covers_every_state_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output
    first = _counts(db)
    assert all(n > 0 for n in first)
    case_states = set(db.session.scalars(select(Case.state)).all())
    assert case_states == set(CaseState)
    petition_states = set(db.session.scalars(select(Petition.state)).all())
    assert petition_states >= {
        PetitionState.RECEIVED,
        PetitionState.ACCEPTED,
        PetitionState.TRANSFERRED,
        PetitionState.GUIDED,
        PetitionState.FILED,
        PetitionState.SPLIT,
    }
    # A mediation that failed, linked to the later petition of the same matter.
    mediation = db.session.scalars(select(MediationRecord)).one()
    assert mediation.petition is not None and mediation.petition.received_on > mediation.held_on

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0
    assert "nothing added" in again.output
    assert _counts(db) == first


def test_demo_logins_can_log_in(app, client):
    app.test_cli_runner().invoke(args=["seed-demo"])
    out = app.test_cli_runner().invoke(args=["demo-logins"]).output
    assert "chutich.tk" in out and "tiepdan-demo-2026" in out
    from tests.conftest import login

    login(client, "chutich.tk", "tiepdan-demo-2026")


def test_demo_histories_follow_the_story_dates(app, db):
    """Each case's events are in time order and the opening event is on the acceptance date."""
    app.test_cli_runner().invoke(args=["seed-demo"])
    from app.core.timeutil import to_local

    for case in db.session.scalars(select(Case)).all():
        times = [e.at for e in case.events]
        assert times == sorted(times), case.number
        assert to_local(case.events[0].at).date() == case.accepted_on, case.number


def test_demo_petitions_and_cases_are_classified_by_subject_area(app, db):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    db.session.rollback()
    petitions = db.session.scalars(select(Petition)).unique().all()
    assert petitions and all(p.subject_area is not None for p in petitions)
    cases = db.session.scalars(select(Case)).unique().all()
    assert all(c.subject_area_id == c.petitions[0].subject_area_id for c in cases)
    by_summary = {p.summary: p.subject_area.code for p in petitions}
    assert by_summary["Tố cáo cán bộ địa chính nhận tiền khi làm hồ sơ tách thửa"] == "anti_corruption"
    assert by_summary["Khiếu nại mức hỗ trợ tái định cư dự án khu công nghiệp"] == "admin.compensation"
    assert by_summary["Khiếu nại việc từ chối chứng thực hợp đồng chuyển nhượng"] == "justice"
