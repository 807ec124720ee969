"""The accounts blueprint, shared by the view modules of this domain."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
