"""Views of petitions (stub, to be filled in)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("petitions", __name__, url_prefix="/petitions")


@bp.get("/")
@login_required
def list_petitions():
    return "petitions"
