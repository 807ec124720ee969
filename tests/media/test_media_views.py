"""Serving images and uploading them through the compose form."""

from __future__ import annotations

from pathlib import Path

from quarter_node.extensions import db
from quarter_node.media.models import Media
from quarter_node.media.services import store_image
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.services import delete_post, publish_post
from tests.helpers import text_of
from tests.posts.support import browser_of, form_file, image_bytes, post_form, upload


def _only_media() -> Media:
    return db.session.scalars(db.select(Media)).one()


def test_a_public_image_is_served_with_safe_headers(app, factories, client) -> None:  # noqa: ANN001
    post = publish_post(factories.user(), "Bild", images=[(upload(image_bytes("JPEG")), "Hof")])
    response = client.get(f"/media/{post.media[0].storage_name}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert response.data[:3] == b"\xff\xd8\xff"


def test_avatars_are_public(app, factories, client) -> None:  # noqa: ANN001
    avatar = store_image(upload(image_bytes()), owner=factories.user().actor, purpose="avatar")
    db.session.commit()
    response = client.get(f"/media/{avatar.storage_name}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "public" in response.headers["Cache-Control"]


def test_unknown_names_and_path_tricks_are_404(app, client) -> None:  # noqa: ANN001
    for name in ("nichtda.png", "..%2Fsecret_key", "%2E%2E"):
        assert client.get(f"/media/{name}").status_code == 404


def test_images_of_followers_only_posts_are_for_followers(app, factories, make_client) -> None:  # noqa: ANN001
    from quarter_node.social.models import Follow

    anna, fan, other = factories.user("anna"), factories.user("fan"), factories.user("other")
    db.session.add(Follow(follower_id=fan.actor_id, followed_id=anna.actor_id))
    db.session.commit()
    post = publish_post(
        anna, "Privat", visibility=Visibility.FOLLOWERS, images=[(upload(image_bytes()), "x")]
    )
    url = f"/media/{post.media[0].storage_name}"
    assert make_client().get(url).status_code == 404
    assert browser_of(make_client, other).get(url).status_code == 404
    response = browser_of(make_client, fan).get(url)
    assert response.status_code == 200 and "private" in response.headers["Cache-Control"]


def test_images_of_deleted_posts_are_gone(app, factories, client) -> None:  # noqa: ANN001
    anna = factories.user()
    post = publish_post(anna, "Bild", images=[(upload(image_bytes()), "x")])
    name = post.media[0].storage_name
    delete_post(anna, post)
    assert client.get(f"/media/{name}").status_code == 404
    assert not (Path(app.config["UPLOAD_DIR"]) / name).exists()


def test_uploading_through_the_form_stores_alt_text_and_shows_it(
    app, factories, make_client
) -> None:  # noqa: ANN001
    browser = browser_of(make_client, factories.user("anna"))
    response = post_form(
        browser,
        "/posts",
        {
            "text": "Unser Hoffest",
            "visibility": "public",
            "images-0-file": form_file(image_bytes("PNG"), "fest.png"),
            "images-0-alt_text": 'Kinder am Grill <b>"heiß"</b>',
            "images-1-file": form_file(image_bytes("WEBP"), "fest2.webp"),
            "images-1-alt_text": "Die Band",
        },
    )
    assert response.status_code == 302, text_of(response)[:2000]
    post = db.session.scalar(db.select(Post).where(Post.source == "Unser Hoffest"))
    assert [m.alt_text for m in post.media] == ['Kinder am Grill <b>"heiß"</b>', "Die Band"]
    page = text_of(make_client().get(f"/posts/{post.id}"))
    assert 'alt="Kinder am Grill &lt;b&gt;&#34;heiß&#34;&lt;/b&gt;"' in page
    assert 'alt="Die Band"' in page and f'src="/media/{post.media[0].storage_name}"' in page


def test_an_image_alone_is_a_post(app, factories, make_client) -> None:  # noqa: ANN001
    browser = browser_of(make_client, factories.user("anna"))
    data = {"text": "", "visibility": "public", "images-0-file": form_file(image_bytes(), "a.png")}
    assert post_form(browser, "/posts", data).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 1


def test_a_fake_image_in_the_form_is_refused_with_a_message(app, factories, make_client) -> None:  # noqa: ANN001
    browser = browser_of(make_client, factories.user("anna"))
    response = post_form(
        browser,
        "/posts",
        {
            "text": "Mit Bildern",
            "visibility": "public",
            "images-0-file": form_file(image_bytes(), "echt.png"),
            "images-1-file": form_file(b"nur Text, kein Bild", "foto.jpg"),
        },
    )
    assert response.status_code == 422
    assert "JPEG, PNG, WebP" in text_of(response) and "Mit Bildern" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0
    folder = Path(app.config["UPLOAD_DIR"])
    assert not folder.exists() or list(folder.iterdir()) == []


def test_an_oversized_upload_is_refused_with_a_message(app, factories, make_client) -> None:  # noqa: ANN001
    data = image_bytes("PNG", (300, 300))
    app.config["UPLOAD_MAX_BYTES"] = len(data) - 10
    browser = browser_of(make_client, factories.user("anna"))
    response = post_form(
        browser,
        "/posts",
        {"text": "Groß", "visibility": "public", "images-0-file": form_file(data, "gross.png")},
    )
    assert response.status_code in (413, 422)
    assert "MB" in text_of(response)
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0


def test_a_request_far_over_the_limit_is_cut_off(app, factories, make_client) -> None:  # noqa: ANN001
    app.config["MAX_CONTENT_LENGTH"] = 2000
    browser = browser_of(make_client, factories.user("anna"))
    payload = {"text": "x", "images-0-file": form_file(b"\x00" * 5000, "riesig.png")}
    response = post_form(browser, "/posts", payload)
    assert response.status_code == 413
    assert db.session.scalar(db.select(db.func.count(Post.id))) == 0
