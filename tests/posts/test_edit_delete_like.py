"""Editing, deleting (with placeholders) and liking posts."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarter_node.accounts.models import Role
from quarter_node.errors import NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import GroupRole, Membership
from quarter_node.media.models import Media
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Like, Post, Visibility
from quarter_node.posts.services import delete_post, like_post, publish_post, unlike_post
from tests.helpers import text_of
from tests.posts.support import browser_of, image_bytes, post_form, upload


def _like_count(post: Post) -> int:
    return db.session.scalar(db.select(db.func.count(Like.id)).where(Like.post_id == post.id))


# --- editing -------------------------------------------------------------------------------


def test_the_author_edits_a_post(app, factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Alte Fassung", visibility="public")
    browser = browser_of(make_client, anna)
    assert "Alte Fassung" in text_of(browser.get(f"/posts/{post.id}/edit"))
    response = post_form(browser, f"/posts/{post.id}/edit", {"text": "Neue *Fassung*"})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert (
        stored.source == "Neue *Fassung*" and stored.content_html == "<p>Neue <em>Fassung</em></p>"
    )
    assert stored.edited_at is not None


def test_an_edit_to_nothing_is_refused_with_the_form(app, factories, make_client) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Text", visibility="public")
    response = post_form(browser_of(make_client, anna), f"/posts/{post.id}/edit", {"text": " "})
    assert response.status_code == 422
    assert 'aria-invalid="true"' in text_of(response)
    assert db.session.get(Post, post.id).source == "Text"


def test_others_cannot_edit_not_even_moderators(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    moderator = factories.user("mod", role=Role.MODERATOR)
    post = publish_post(anna, "Text", visibility="public")
    for user in (bert, moderator):
        browser = browser_of(make_client, user)
        assert browser.get(f"/posts/{post.id}/edit").status_code == 403
        assert post_form(browser, f"/posts/{post.id}/edit", {"text": "X"}).status_code == 403
    assert db.session.get(Post, post.id).source == "Text"


# --- deleting ------------------------------------------------------------------------------


def test_delete_asks_first_then_removes_the_post_and_its_images(
    app, factories, make_client
) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "Weg damit", images=[(upload(image_bytes()), "Bild")])
    stored_file = Path(app.config["UPLOAD_DIR"]) / post.media[0].storage_name
    assert stored_file.exists()
    browser = browser_of(make_client, anna)
    confirm = browser.get(f"/posts/{post.id}/delete")
    assert confirm.status_code == 200 and "Weg damit" in text_of(confirm)
    assert db.session.get(Post, post.id) is not None  # looking at the question deletes nothing
    post_id = post.id
    assert post_form(browser, f"/posts/{post_id}/delete", {}).status_code == 302
    assert db.session.get(Post, post_id) is None
    assert db.session.scalar(db.select(db.func.count(Media.id))) == 0
    assert not stored_file.exists()


def test_another_member_may_not_delete(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    post = publish_post(anna, "Meins", visibility="public")
    browser = browser_of(make_client, bert)
    assert browser.get(f"/posts/{post.id}/delete").status_code == 403
    assert post_form(browser, f"/posts/{post.id}/delete", {}).status_code == 403
    assert db.session.get(Post, post.id) is not None
    assert "/delete" not in text_of(browser.get(f"/posts/{post.id}"))


@pytest.mark.parametrize("moderator_kind", ["group_moderator", "node_moderator"])
def test_moderators_may_delete(app, factories, make_client, moderator_kind: str) -> None:  # noqa: ANN001
    owner, author = factories.user("owner"), factories.user("author")
    group = factories.group(owner=owner, members=(author,))
    post = publish_post(author, "Unpassend", visibility="public", group=group)
    if moderator_kind == "group_moderator":
        moderator = factories.user("gmod")
        db.session.add(
            Membership(group_id=group.id, actor_id=moderator.actor_id, role=GroupRole.MODERATOR)
        )
        db.session.commit()
    else:
        moderator = factories.user("nmod", role=Role.MODERATOR)
    browser = browser_of(make_client, moderator)
    post_id = post.id
    assert "/delete" in text_of(browser.get(f"/posts/{post_id}"))
    assert post_form(browser, f"/posts/{post_id}/delete", {}).status_code == 302
    assert db.session.get(Post, post_id) is None


def test_a_group_moderator_cannot_delete_posts_outside_the_group(app, factories) -> None:  # noqa: ANN001
    owner, author = factories.user("owner"), factories.user("author")
    factories.group(owner=owner)
    post = publish_post(author, "Außerhalb", visibility="public")
    with pytest.raises(PermissionDenied):
        delete_post(owner, post)


def test_a_post_with_replies_stays_as_a_placeholder(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    question = publish_post(anna, "URSPRUNG", images=[(upload(image_bytes()), "Bild")])
    stored_file = Path(app.config["UPLOAD_DIR"]) / question.media[0].storage_name
    answer = publish_post(bert, "ANTWORT", in_reply_to=question)
    like_post(bert, question)
    delete_post(anna, question)
    placeholder = db.session.get(Post, question.id)
    assert placeholder.deleted_at is not None
    assert placeholder.source == "" and placeholder.content_html == ""
    assert placeholder.media == [] and not stored_file.exists() and _like_count(placeholder) == 0
    kinds = db.session.scalars(
        db.select(Notification.kind).where(Notification.post_id == question.id)
    )
    assert NotificationKind.LIKE not in list(kinds)
    page = text_of(make_client().get(f"/posts/{question.id}"))
    assert "This post was deleted." in page or "gelöscht" in page
    assert "URSPRUNG" not in page and "ANTWORT" in page
    # The conversation is still reachable from the answer, and the placeholder cannot be liked.
    assert "URSPRUNG" not in text_of(make_client().get(f"/posts/{answer.id}"))
    with pytest.raises(NotFound):
        like_post(bert, placeholder)
    # Once the last answer goes, the placeholder goes too.
    delete_post(bert, db.session.get(Post, answer.id))
    assert db.session.get(Post, question.id) is None


def test_deleted_placeholders_do_not_show_in_timelines(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    question = publish_post(anna, "URSPRUNG", visibility="public")
    publish_post(bert, "ANTWORT", in_reply_to=question)
    delete_post(anna, question)
    assert f'id="post-{question.id}"' not in text_of(make_client().get("/local"))


# --- likes ---------------------------------------------------------------------------------


def test_liking_and_unliking_with_counts(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    post = publish_post(anna, "Schöner Tag", visibility="public")
    browser = browser_of(make_client, bert)
    assert post_form(browser, f"/posts/{post.id}/like", {}).status_code == 302
    assert post_form(browser, f"/posts/{post.id}/like", {}).status_code == 302  # twice is once
    assert _like_count(post) == 1
    page = text_of(browser.get(f"/posts/{post.id}"))
    assert f'action="/posts/{post.id}/unlike"' in page and "(1)" in page
    notes = db.session.scalars(
        db.select(Notification).where(Notification.recipient_id == anna.actor_id)
    ).all()
    assert [(n.kind, n.actor_id) for n in notes] == [(NotificationKind.LIKE, bert.actor_id)]
    assert post_form(browser, f"/posts/{post.id}/unlike", {}).status_code == 302
    assert _like_count(post) == 0


def test_visitors_see_counts_but_no_like_button(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    post = publish_post(anna, "Hallo", visibility="public")
    like_post(bert, post)
    page = text_of(make_client().get(f"/posts/{post.id}"))
    assert "1 like" in page or "1 Gefällt" in page
    assert "/like" not in page and "/report" not in page


def test_only_visible_posts_can_be_liked(app, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    post = publish_post(anna, "Nur Follower", visibility=Visibility.FOLLOWERS)
    with pytest.raises(NotFound):
        like_post(bert, post)
    with pytest.raises(NotFound):
        unlike_post(bert, post)
    assert _like_count(post) == 0


def test_report_link_for_members_on_others_posts(app, factories, make_client) -> None:  # noqa: ANN001
    anna, bert = factories.user("anna"), factories.user("bert")
    post = publish_post(anna, "Hallo", visibility="public")
    assert f"/posts/{post.id}/report" in text_of(browser_of(make_client, bert).get("/local"))
    assert f"/posts/{post.id}/report" not in text_of(browser_of(make_client, anna).get("/local"))
