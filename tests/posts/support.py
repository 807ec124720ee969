"""Shared test support for posts and media: logged-in browsers and image files."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from PIL import Image
from werkzeug.datastructures import FileStorage

from quarter_node.accounts.models import User
from tests.helpers import logged_in_client


def browser_of(make_client, user: User) -> FlaskClient:  # noqa: ANN001
    """A browser logged in as ``user`` through the real login form."""
    return logged_in_client(make_client, user)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (40, 30), **save_options) -> bytes:  # noqa: ANN003
    mode = "RGBA" if fmt in ("PNG", "WEBP") else "RGB"
    image = Image.new(mode, size, (200, 80, 20) + ((255,) if mode == "RGBA" else ()))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def upload(
    data: bytes, filename: str = "photo.png", content_type: str = "image/png"
) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def form_file(data: bytes, filename: str = "photo.png") -> tuple[io.BytesIO, str]:
    """A file for a test client's multipart form."""
    return io.BytesIO(data), filename


def post_form(client: FlaskClient, url: str, data: dict, **kwargs):  # noqa: ANN003, ANN201
    """``tests.helpers.post_form`` for multipart forms too (file values are tuples)."""
    from tests.helpers import post_form as _post_form

    return _post_form(client, url, data, **kwargs)
