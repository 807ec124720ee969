"""Image uploads are checked by their content, cleaned of metadata and stored safely."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from quarter_node.accounts.models import Actor
from quarter_node.errors import InvalidInput
from quarter_node.extensions import db
from quarter_node.media.models import Media
from quarter_node.media.services import delete_files_of, store_image
from quarter_node.posts.models import Post
from quarter_node.posts.services import publish_post
from tests.posts.support import image_bytes, upload

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _stored_files(app) -> list[Path]:  # noqa: ANN001
    folder = Path(app.config["UPLOAD_DIR"])
    return sorted(folder.iterdir()) if folder.exists() else []


def _jpeg_with_gps_and_orientation() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Kamerahersteller"
    exif[ORIENTATION] = 6  # rotate 90° when shown
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (51.0, 31.0, 12.0), 3: "E", 4: (7.0, 27.0, 0.0)})
    image = Image.new("RGB", (60, 20), (10, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_are_stored_cleanly(app, factories, fmt: str) -> None:  # noqa: ANN001
    owner = factories.user().actor
    media = store_image(upload(image_bytes(fmt), "x.bin", "application/octet-stream"), owner=owner)
    db.session.commit()
    stored = Image.open(Path(app.config["UPLOAD_DIR"]) / media.storage_name)
    assert stored.format == {"GIF": "PNG"}.get(fmt, fmt)
    assert media.mime_type == Image.MIME[stored.format]
    assert (media.width, media.height) == stored.size == (40, 30)
    assert "x.bin" not in media.storage_name


def test_exif_and_gps_are_removed_and_orientation_applied(app, factories) -> None:  # noqa: ANN001
    original = _jpeg_with_gps_and_orientation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test file has GPS
    media = store_image(upload(original, "urlaub.jpg", "image/jpeg"), owner=factories.user().actor)
    db.session.commit()
    path = Path(app.config["UPLOAD_DIR"]) / media.storage_name
    stored = Image.open(path)
    assert stored.size == (20, 60)  # turned upright
    assert len(stored.getexif()) == 0 and not stored.getexif().get_ifd(GPS_IFD)
    assert "exif" not in stored.info and "comment" not in stored.info
    raw = path.read_bytes()
    assert b"Exif" not in raw and b"Kamerahersteller" not in raw and b"secret comment" not in raw


@pytest.mark.parametrize(
    "data, filename",
    [
        (b"Das ist kein Bild, nur Text.", "foto.jpg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "a.png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "kaputt.jpg"),  # a JPEG header and nothing else
        (image_bytes("BMP"), "bild.bmp"),  # a real image, but not a format we accept
        (b"", "leer.png"),
    ],
)
def test_fakes_and_other_formats_are_refused(app, factories, data: bytes, filename: str) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        store_image(upload(data, filename, "image/jpeg"), owner=factories.user().actor)
    assert _stored_files(app) == []


def test_too_large_files_are_refused(app, factories) -> None:  # noqa: ANN001
    data = image_bytes("PNG", (200, 200))
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 1
    with pytest.raises(InvalidInput, match="MB"):
        store_image(upload(data), owner=factories.user().actor)
    assert _stored_files(app) == []


def _png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header promises a huge picture (a decompression bomb's shape)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    data = struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat = zlib.compress(b"\x00" * 1000)
    data += (
        struct.pack(">I", len(idat))
        + b"IDAT"
        + idat
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + data
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def test_the_bomb_file_claims_a_huge_picture() -> None:
    assert Image.open(io.BytesIO(_png_header_claiming(7_000, 7_000))).size == (7_000, 7_000)


@pytest.mark.parametrize("side", [7_000, 20_000, 60_000])
def test_decompression_bombs_are_refused_before_decoding(app, factories, side: int) -> None:  # noqa: ANN001
    bomb = _png_header_claiming(side, side)
    assert len(bomb) < 2_000
    with pytest.raises(InvalidInput, match="pixels"):
        store_image(upload(bomb), owner=factories.user().actor)
    assert _stored_files(app) == []


def test_the_pixel_limit_is_configurable(app, factories) -> None:  # noqa: ANN001
    app.config["UPLOAD_MAX_PIXELS"] = 1000
    with pytest.raises(InvalidInput, match="pixels"):
        store_image(upload(image_bytes("PNG", (40, 30))), owner=factories.user().actor)
    app.config["UPLOAD_MAX_PIXELS"] = 1200
    assert (
        store_image(upload(image_bytes("PNG", (40, 30))), owner=factories.user().actor).id is None
    )


def test_an_animated_gif_keeps_its_first_frame(app, factories) -> None:  # noqa: ANN001
    frames = [Image.new("RGB", (20, 20), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    media = store_image(upload(buffer.getvalue(), "anim.gif"), owner=factories.user().actor)
    stored = Image.open(Path(app.config["UPLOAD_DIR"]) / media.storage_name).convert("RGB")
    assert stored.getpixel((5, 5)) == (255, 0, 0) and not getattr(stored, "is_animated", False)


def test_large_pictures_are_scaled_down(app, factories) -> None:  # noqa: ANN001
    media = store_image(upload(image_bytes("JPEG", (4000, 1000))), owner=factories.user().actor)
    assert (media.width, media.height) == (2048, 512)


def test_a_new_avatar_replaces_the_old_one_and_is_square(app, factories) -> None:  # noqa: ANN001
    owner = factories.user().actor
    first = store_image(upload(image_bytes("PNG", (300, 500))), owner=owner, purpose="avatar")
    db.session.commit()
    first_path = Path(app.config["UPLOAD_DIR"]) / first.storage_name
    second = store_image(upload(image_bytes("JPEG", (900, 600))), owner=owner, purpose="avatar")
    db.session.commit()
    assert (second.width, second.height) == (400, 400)
    avatars = db.session.scalars(db.select(Media).where(Media.owner_id == owner.id)).all()
    assert [m.id for m in avatars] == [second.id]
    assert (
        not first_path.exists() and (Path(app.config["UPLOAD_DIR"]) / second.storage_name).exists()
    )


def test_files_written_for_a_transaction_that_fails_are_removed(app, factories) -> None:  # noqa: ANN001
    store_image(upload(image_bytes()), owner=factories.user().actor)
    assert len(_stored_files(app)) == 1
    db.session.rollback()
    assert _stored_files(app) == []


def test_one_bad_image_stores_nothing_of_the_post(app, factories) -> None:  # noqa: ANN001
    anna = factories.user()
    images = [
        (upload(image_bytes("PNG")), "gut"),
        (upload(image_bytes("JPEG")), "auch gut"),
        (upload(b"kein bild", "boese.jpg"), "schlecht"),
    ]
    with pytest.raises(InvalidInput):
        publish_post(anna, "Drei Bilder", visibility="public", images=images)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0
    assert _stored_files(app) == []


def test_at_most_four_images_per_post(app, factories) -> None:  # noqa: ANN001
    images = [(upload(image_bytes()), f"Bild {n}") for n in range(5)]
    with pytest.raises(InvalidInput):
        publish_post(factories.user(), "Fünf", visibility="public", images=images)
    assert _stored_files(app) == []


def test_alt_text_is_limited(app, factories) -> None:  # noqa: ANN001
    owner = factories.user().actor
    assert store_image(upload(image_bytes()), owner=owner, alt_text="a" * 1500).alt_text
    with pytest.raises(InvalidInput):
        store_image(upload(image_bytes()), owner=owner, alt_text="a" * 1501)


def test_delete_files_of_an_actor_removes_all_their_files(app, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user(), factories.user()
    publish_post(anna, "Mit Bild", images=[(upload(image_bytes()), "x")])
    store_image(upload(image_bytes()), owner=anna.actor, purpose="avatar")
    kept = store_image(upload(image_bytes()), owner=bert.actor, purpose="avatar")
    db.session.commit()
    assert len(_stored_files(app)) == 3
    delete_files_of(anna.actor)
    db.session.execute(db.delete(Actor).where(Actor.id == anna.actor_id))  # as account deletion
    db.session.commit()
    assert [p.name for p in _stored_files(app)] == [kept.storage_name]


def test_phone_jpegs_with_extra_pictures_are_accepted_as_jpeg(app, factories) -> None:  # noqa: ANN001
    first, depth = Image.new("RGB", (30, 20), (1, 2, 3)), Image.new("RGB", (30, 20), (9, 9, 9))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    media = store_image(upload(buffer.getvalue(), "IMG_0001.JPG"), owner=factories.user().actor)
    stored = Image.open(Path(app.config["UPLOAD_DIR"]) / media.storage_name)
    assert stored.format == "JPEG" and media.mime_type == "image/jpeg"
