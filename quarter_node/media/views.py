"""Web views of the media domain (to be built)."""

from flask import Blueprint

bp = Blueprint("media", __name__)
