"""Views of reception (stub, to be filled in)."""
from flask import Blueprint
from flask_login import login_required

bp = Blueprint("reception", __name__, url_prefix="/reception")


@bp.get("/")
@login_required
def desk():
    return "reception"
