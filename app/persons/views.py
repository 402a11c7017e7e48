"""Address look-ups for the person fields of the forms."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import login_required

from ..core.validation import parse_id
from . import divisions

bp = Blueprint("persons", __name__, url_prefix="/persons")


@bp.get("/wards")
@login_required
def wards():
    """The communes and wards of one province, as JSON, for app/static/address.js."""
    raw = request.args.get("province", "")
    code = parse_id(raw)
    if code is None or divisions.province_name(code) is None:
        return jsonify(error=_("Unknown province code."), wards=[]), 400
    return jsonify(province=code, wards=[{"code": c, "name": n} for c, n in divisions.wards_of(code)])
