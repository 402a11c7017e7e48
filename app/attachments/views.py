"""The attachments blueprint."""
from flask import Blueprint

bp = Blueprint("attachments", __name__, url_prefix="/attachments")
