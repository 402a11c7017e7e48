"""Views of cases (stub, to be filled in)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
@login_required
def list_cases():
    return "cases"


@bp.get("/caseload")
@login_required
def caseload():
    return "caseload"
