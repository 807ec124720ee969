"""Web views of the setup domain (to be built)."""

from flask import Blueprint

bp = Blueprint("setup", __name__)
