"""Storing uploaded images safely.

An upload is trusted for nothing: Pillow must recognise it as JPEG, PNG, WebP or GIF by its
content, its pixel count is checked before decoding (decompression bombs), and the stored file
is a fresh encoding of the pixels, so EXIF (GPS position!), comments and other metadata never
reach the disk. File names are random.

Files follow the database transaction: a file written for a transaction that does not commit
is removed again, and a file whose ``Media`` row is deleted is removed once that deletion is
committed. So callers only add, delete and commit rows; no orphan files stay behind.
"""

from __future__ import annotations

import io
import logging
import secrets
import warnings
from pathlib import Path
from typing import IO, Any

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

from quarter_node.accounts.models import Actor
from quarter_node.errors import InvalidInput
from quarter_node.extensions import db
from quarter_node.media.models import Media

log = logging.getLogger(__name__)

# Format Pillow detects -> (format to write, MIME type, file extension).
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", "image/jpeg", "jpg"),
    "PNG": ("PNG", "image/png", "png"),
    "WEBP": ("WEBP", "image/webp", "webp"),
    "GIF": ("PNG", "image/png", "png"),  # the first frame, as a still picture
    # Many phone cameras write JPEGs with extra pictures (depth maps); Pillow calls them MPO.
    "MPO": ("JPEG", "image/jpeg", "jpg"),
}
OPENED_FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]  # MPO files are opened by the JPEG reader
MAX_SIDE = 2048
AVATAR_SIDE = 400
ALT_TEXT_MAX_LENGTH = 1500
# "plugin": a picture a plugin stores for its own objects and serves itself (plugin_api).
PURPOSES = ("attachment", "avatar", "plugin")

_NEW_FILES = "qn_media_new_files"
_DOOMED_FILES = "qn_media_doomed_files"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_path(media: Media) -> Path:
    return upload_dir() / media.storage_name


# --- the use cases -----------------------------------------------------------------------------


def store_image(
    file_storage: Any,
    *,
    owner: Actor,
    purpose: str = "attachment",
    alt_text: str = "",
    post: Any = None,
    position: int = 0,
) -> Media:
    """Check, clean and store one uploaded image; returns its (added, uncommitted) row.

    For ``purpose="avatar"`` the owner's previous avatar is deleted and the picture is cropped
    to a square. Raises ``InvalidInput`` for anything that is not a usable image.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown media purpose {purpose!r}")
    alt_text = (alt_text or "").strip()
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        raise InvalidInput(
            _(
                "The image description is too long (at most %(max)d characters).",
                max=ALT_TEXT_MAX_LENGTH,
            )
        )
    data = _read_limited(file_storage.stream if hasattr(file_storage, "stream") else file_storage)
    image, source_format = _open_checked(data)
    image = _prepare(image, avatar=purpose == "avatar")
    out_format, mime_type, extension = ACCEPTED_FORMATS[source_format]
    encoded = _encode(image, out_format)
    if purpose == "avatar":
        _drop_previous_avatar(owner)
    media = Media(
        owner_id=owner.id,
        purpose=purpose,
        storage_name=f"{secrets.token_hex(16)}.{extension}",
        mime_type=mime_type,
        width=image.width,
        height=image.height,
        size_bytes=len(encoded),
        alt_text=alt_text,
        position=position,
    )
    _write_file(media.storage_name, encoded)
    db.session.add(media)
    if post is not None:
        post.media.append(media)
    return media


def delete_media(media: Media) -> None:
    """Delete a media row; its file goes when the deletion is committed."""
    db.session.delete(media)


def delete_files_of(actor: Actor) -> None:
    """Delete every media row of ``actor`` (avatars and post images) and, once the caller
    commits, their files. Account deletion calls this BEFORE deleting the actor in the same
    transaction (the database's cascade would remove the rows without telling us the files)."""
    for media in db.session.scalars(db.select(Media).where(Media.owner_id == actor.id)):
        db.session.delete(media)


def delete_files_of_post(post: Any) -> None:
    """Delete the images of a post (rows now, files at commit)."""
    for media in list(post.media):
        post.media.remove(media)
        db.session.delete(media)


# --- checking and re-encoding ------------------------------------------------------------------


def _read_limited(stream: IO[bytes]) -> bytes:
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            _("The image is too large (at most %(size)s MB).", size=_megabytes(limit))
        )
    if not data:
        raise InvalidInput(_("The image file is empty."))
    return data


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.2f}"


def _open_checked(data: bytes) -> tuple[Image.Image, str]:
    """Open the bytes as an accepted image format, refusing fakes and decompression bombs."""
    not_an_image = InvalidInput(_("This file is not an image we accept (JPEG, PNG, WebP, GIF)."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
            _check_pixels(probe.size)
            probe.verify()
            image = Image.open(io.BytesIO(data), formats=OPENED_FORMATS)
            image.seek(0)
            image.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise not_an_image from error
    if image.format not in ACCEPTED_FORMATS:
        raise not_an_image
    return image, image.format


def _check_pixels(size: tuple[int, int]) -> None:
    width, height = size
    if width <= 0 or height <= 0 or width * height > current_app.config["UPLOAD_MAX_PIXELS"]:
        raise _too_many_pixels()


def _too_many_pixels() -> InvalidInput:
    return InvalidInput(_("The image has too many pixels. Please make it smaller."))


def _prepare(image: Image.Image, *, avatar: bool) -> Image.Image:
    """Upright, no larger than needed, in a mode the target format can hold."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        has_alpha = image.mode in ("P", "PA") and "transparency" in image.info
        image = image.convert("RGBA" if has_alpha or image.mode == "PA" else "RGB")
    if avatar:
        return ImageOps.fit(image, (AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS)
    if max(image.size) > MAX_SIDE:
        image = image.copy()
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _encode(image: Image.Image, out_format: str) -> bytes:
    """A fresh file from the pixels alone: no EXIF, XMP, ICC or comments are passed on."""
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = _flatten(image)
    image.info = {}
    buffer = io.BytesIO()
    options: dict[str, Any] = {"JPEG": {"quality": 85}, "WEBP": {"quality": 85}}.get(
        out_format, {"optimize": True}
    )
    image.save(buffer, out_format, **options)
    return buffer.getvalue()


def _flatten(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _drop_previous_avatar(owner: Actor) -> None:
    previous = db.session.scalars(
        db.select(Media).where(Media.owner_id == owner.id, Media.purpose == "avatar")
    )
    for media in previous:
        db.session.delete(media)


# --- files follow the transaction --------------------------------------------------------------


def _write_file(storage_name: str, data: bytes) -> None:
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so the end of this transaction reliably decides about the file
    path = upload_dir() / storage_name
    with open(path, "xb") as handle:  # "x": never overwrite another upload
        session.info.setdefault(_NEW_FILES, []).append(str(path))
        handle.write(data)


@event.listens_for(Media, "after_delete")
def _file_goes_after_commit(mapper, connection, media: Media) -> None:  # noqa: ANN001
    session = Session.object_session(media)
    if session is not None:
        session.info.setdefault(_DOOMED_FILES, []).append(str(file_path(media)))


@event.listens_for(Session, "after_commit")
def _apply_file_changes(session: Session) -> None:
    session.info.pop(_NEW_FILES, None)  # committed: the new files stay
    for path in session.info.pop(_DOOMED_FILES, []):
        _remove(path)


@event.listens_for(Session, "after_transaction_end")
def _undo_file_changes(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:
        return
    for path in session.info.pop(_NEW_FILES, []):  # not committed: remove what we wrote
        _remove(path)
    session.info.pop(_DOOMED_FILES, None)  # the rows still exist, so do their files


def _remove(path: str) -> None:
    try:
        Path(path).unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove media file %s", path, exc_info=True)
