"""Views of persons (stub, to be filled in)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("persons", __name__, url_prefix="/persons")


@bp.get("/")
@login_required
def wards():
    return "persons"
