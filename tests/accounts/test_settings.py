"""A member's own settings: profile and picture, email, password, deletion, data export."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image
from werkzeug.datastructures import FileStorage

from quarter_node.accounts.models import Actor, Invitation, Role, User
from quarter_node.extensions import db
from quarter_node.media.models import Media
from quarter_node.media.services import file_path, store_image
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Like, Post
from quarter_node.social.models import Follow
from tests.accounts.conftest import NEW_PASSWORD
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import logged_in_client, login, post_form, text_of


def png_bytes(colour: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()


def profile_data(**overrides) -> dict:  # noqa: ANN003
    return {
        "display_name": "Anna Beispiel",
        "bio": "Gardening in the *Nordstadt*.",
        "locale": "en",
        **overrides,
    }


# --- profile ---------------------------------------------------------------------------------


def test_the_profile_is_saved(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    assert "Anna" in text_of(client.get("/settings/profile"))
    response = post_form(client, "/settings/profile", profile_data())
    assert response.status_code == 302
    actor = db.session.get(User, user.id).actor
    assert actor.display_name == "Anna Beispiel" and actor.bio == "Gardening in the *Nordstadt*."
    assert db.session.get(User, user.id).locale == "en"
    assert '<html lang="en">' in text_of(client.get("/settings/profile"))


def test_an_over_long_bio_is_refused(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    response = post_form(client, "/settings/profile", profile_data(bio="x" * 501))
    assert response.status_code == 422 and "up to 500 characters" in text_of(response)
    assert db.session.get(User, user.id).actor.bio == ""


def test_an_avatar_is_stored_and_replaces_the_previous_one(app, make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    for colour in ("green", "red"):
        data = profile_data(
            avatar=(io.BytesIO(png_bytes(colour)), "me.png"), avatar_alt_text="Anna in the garden"
        )
        assert post_form(client, "/settings/profile", data).status_code == 302
    avatars = db.session.scalars(db.select(Media).where(Media.owner_id == user.actor_id)).all()
    assert len(avatars) == 1 and avatars[0].purpose == "avatar"
    assert avatars[0].alt_text == "Anna in the garden" and file_path(avatars[0]).exists()
    assert len(list(Path(app.config["UPLOAD_DIR"]).iterdir())) == 1
    page = text_of(client.get("/settings/profile"))
    assert f"/media/{avatars[0].storage_name}" in page and 'alt="Anna in the garden"' in page


def test_a_file_that_is_no_image_is_refused(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    data = profile_data(
        display_name="Changed", avatar=(io.BytesIO(b"%PDF-1.4 not an image"), "me.png")
    )
    response = post_form(client, "/settings/profile", data)
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0
    assert db.session.get(User, user.id).actor.display_name == "Anna"  # nothing half-stored


# --- email and password ----------------------------------------------------------------------


def test_the_email_changes_only_with_the_current_password(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    wrong = post_form(
        client,
        "/settings/account/email",
        {"email": "new@example.org", "current_password": "wrong-password"},
    )
    assert wrong.status_code == 422 and "not your current password" in text_of(wrong)
    assert db.session.get(User, user.id).email == "anna@example.org"
    done = post_form(
        client,
        "/settings/account/email",
        {"email": "New@Example.org", "current_password": DEFAULT_PASSWORD},
    )
    assert done.status_code == 302
    assert db.session.get(User, user.id).email == "new@example.org"


def test_an_email_of_another_account_is_refused(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    factories.user("berta")
    client = logged_in_client(make_client, user)
    response = post_form(
        client,
        "/settings/account/email",
        {"email": "berta@example.org", "current_password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 422 and "already exists" in text_of(response)


def test_a_new_password_ends_other_sessions_but_not_this_one(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    here, elsewhere = logged_in_client(make_client, user), logged_in_client(make_client, user)
    data = {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    assert post_form(here, "/settings/account/password", data).status_code == 302
    assert here.get("/settings/account").status_code == 200
    assert elsewhere.get("/settings/account").status_code == 302
    login(make_client(), user.email, NEW_PASSWORD)


def test_a_new_password_needs_the_current_one(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    client = logged_in_client(make_client, user)
    data = {
        "current_password": "wrong-password",
        "new_password": NEW_PASSWORD,
        "new_password_confirm": NEW_PASSWORD,
    }
    response = post_form(client, "/settings/account/password", data)
    assert response.status_code == 422 and "not your current password" in text_of(response)
    login(make_client(), user.email, DEFAULT_PASSWORD)


# --- deleting the account --------------------------------------------------------------------


def test_deleting_the_account_removes_rows_and_files(app, make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    user_id, actor_id = user.id, user.actor_id
    friend = factories.user("berta")
    friend_email = friend.email
    post = factories.post(user, "My first post")
    factories.post(friend, "Berta's post")
    with app.test_request_context():
        picture = store_image(
            FileStorage(io.BytesIO(png_bytes()), "p.png"), owner=user.actor, post=post
        )
    db.session.add(Like(actor_id=friend.actor_id, post_id=post.id))
    db.session.add(Follow(follower_id=user.actor_id, followed_id=friend.actor_id))
    db.session.commit()
    picture_file = file_path(picture)
    assert picture_file.exists()
    client = logged_in_client(make_client, user)
    post_form(client, "/settings/profile", profile_data(avatar=(io.BytesIO(png_bytes()), "me.png")))
    assert len(list(Path(app.config["UPLOAD_DIR"]).iterdir())) == 2
    page = text_of(client.get("/settings/delete"))
    assert "Other servers that know your account are asked to delete" in page
    assert "reserved for 90 days" in page
    wrong = post_form(client, "/settings/delete", {"password": "wrong-password"})
    assert wrong.status_code == 422 and db.session.get(User, user_id) is not None
    response = post_form(client, "/settings/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/account-deleted"
    assert "account is deleted" in text_of(client.get("/account-deleted"))
    assert db.session.get(User, user_id) is None and db.session.get(Actor, actor_id) is None
    assert db.session.scalars(db.select(Post.source)).all() == ["Berta's post"]
    assert db.session.scalar(db.select(db.func.count(Like.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Follow.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0
    assert list(Path(app.config["UPLOAD_DIR"]).iterdir()) == []
    assert client.get("/settings/account").status_code == 302  # logged out
    login(make_client(), friend_email)


def test_the_last_admin_cannot_delete_themselves(make_client, factories) -> None:  # noqa: ANN001
    admin = factories.user("ada", role=Role.ADMIN)
    admin_id = admin.id
    client = logged_in_client(make_client, admin)
    response = post_form(client, "/settings/delete", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 409 and "last administrator" in text_of(response)
    assert db.session.get(User, admin_id) is not None
    factories.user("bob", role=Role.ADMIN)
    assert post_form(client, "/settings/delete", {"password": DEFAULT_PASSWORD}).status_code == 302
    assert db.session.get(User, admin_id) is None


# --- export ----------------------------------------------------------------------------------


def test_the_export_holds_my_data_and_nothing_of_others(make_client, factories) -> None:  # noqa: ANN001
    user = factories.user("anna")
    other = factories.user("berta")
    group = factories.group("gartenfreunde", owner=user)
    mine = factories.post(user, "Seeds to swap", group=group)
    theirs = factories.post(other, "Berta's secret plans")
    db.session.add_all(
        [
            Like(actor_id=user.actor_id, post_id=theirs.id),
            Follow(follower_id=user.actor_id, followed_id=other.actor_id),
            Invitation(code="abc", created_by_id=user.actor_id, note="for the neighbours"),
            Invitation(code="xyz", created_by_id=other.actor_id, note="berta's invitation"),
            Notification(
                recipient_id=user.actor_id,
                kind=NotificationKind.LIKE,
                actor_id=other.actor_id,
                post_id=mine.id,
            ),
        ]
    )
    db.session.commit()
    response = logged_in_client(make_client, user).get("/settings/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["handle"] == "anna" and data["account"]["email"] == "anna@example.org"
    assert [p["source"] for p in data["posts"]] == ["Seeds to swap"]
    assert (
        data["posts"][0]["group"] == "@gartenfreunde" and data["posts"][0]["visibility"] == "public"
    )
    assert data["posts"][0]["html"] and data["posts"][0]["created_at"]
    assert data["likes_given"] == [
        {"post_id": theirs.id, "created_at": data["likes_given"][0]["created_at"]}
    ]
    assert [f["actor"] for f in data["following"]] == ["@berta"]
    assert [m["group"] for m in data["group_memberships"]] == ["@gartenfreunde"]
    assert [i["note"] for i in data["invitations_made"]] == ["for the neighbours"]
    assert [n["kind"] for n in data["notifications"]] == ["like"]
    raw = response.get_data(as_text=True)
    assert "secret plans" not in raw and "berta's invitation" not in raw
    assert "argon2" not in raw and "password" not in raw


def test_the_export_needs_a_login(client) -> None:  # noqa: ANN001
    response = client.get("/settings/export")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
