"""Publishing posts and replies: who may post where, what a reply inherits, notifications."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import AccountState
from quarter_node.errors import InvalidInput, NotFound, PermissionDenied
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.services import publish_post
from quarter_node.social.models import Follow


def _notifications(actor_id: int) -> list[tuple[NotificationKind, int | None]]:
    rows = db.session.scalars(db.select(Notification).where(Notification.recipient_id == actor_id))
    return sorted((n.kind, n.post_id) for n in rows)


def _post_count() -> int:
    return db.session.scalar(db.select(db.func.count(Post.id)))


def test_a_member_publishes_a_rendered_post(app, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna")
    post = publish_post(anna, "  Hallo **Nordstadt**  ", visibility=Visibility.MEMBERS)
    stored = db.session.get(Post, post.id)
    assert stored.source == "Hallo **Nordstadt**"
    assert stored.content_html == "<p>Hallo <strong>Nordstadt</strong></p>"
    assert stored.visibility == Visibility.MEMBERS and stored.thread_root_id is None


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_posts_are_refused(app, factories, text: str) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        publish_post(factories.user(), text, visibility="public")
    assert _post_count() == 0


def test_too_long_posts_are_refused(app, factories) -> None:  # noqa: ANN001
    app.config["POST_MAX_LENGTH"] = 50
    anna = factories.user()
    publish_post(anna, "x" * 50, visibility="public")
    with pytest.raises(InvalidInput, match="50"):
        publish_post(anna, "x" * 51, visibility="public")
    assert _post_count() == 1


def test_inactive_accounts_cannot_post(app, factories) -> None:  # noqa: ANN001
    pending = factories.user(state=AccountState.PENDING)
    with pytest.raises(PermissionDenied):
        publish_post(pending, "Hallo", visibility="public")


def test_group_posts_only_by_active_members(app, factories) -> None:  # noqa: ANN001
    owner, stranger = factories.user(), factories.user()
    group = factories.group(owner=owner)
    assert publish_post(owner, "Treffen am Montag", visibility="public", group=group).group_id
    with pytest.raises(PermissionDenied):
        publish_post(stranger, "Ich auch", visibility="public", group=group)
    assert _post_count() == 1


def test_group_visibility_needs_a_group(app, factories) -> None:  # noqa: ANN001
    with pytest.raises(InvalidInput):
        publish_post(factories.user(), "Nur die Gruppe", visibility=Visibility.GROUP)


def test_posts_in_a_members_only_group_are_for_its_members(app, factories) -> None:  # noqa: ANN001
    owner = factories.user()
    group = factories.group(owner=owner, visibility=GroupVisibility.MEMBERS_ONLY)
    assert publish_post(owner, "Intern", group=group).visibility == Visibility.GROUP
    assert publish_post(owner, "Intern", visibility="public", group=group).visibility == (
        Visibility.GROUP
    )


def test_a_reply_inherits_group_and_never_reaches_further(app, factories) -> None:  # noqa: ANN001
    owner, member = factories.user(), factories.user()
    group = factories.group(owner=owner, members=(member,))
    parent = publish_post(owner, "Wer hilft?", visibility=Visibility.MEMBERS, group=group)
    reply = publish_post(member, "Ich!", visibility=Visibility.PUBLIC, in_reply_to=parent)
    assert reply.group_id == group.id
    assert reply.visibility == Visibility.MEMBERS
    assert reply.thread_root_id == parent.id and reply.in_reply_to_id == parent.id
    deeper = publish_post(owner, "Danke", in_reply_to=reply)
    assert deeper.thread_root_id == parent.id and deeper.visibility == Visibility.MEMBERS


def test_a_reply_may_be_narrower_than_its_parent(app, factories) -> None:  # noqa: ANN001
    anna, bert = factories.user(), factories.user()
    parent = publish_post(anna, "Hallo", visibility="public")
    reply = publish_post(bert, "Psst", visibility=Visibility.FOLLOWERS, in_reply_to=parent)
    assert reply.visibility == Visibility.FOLLOWERS


def test_replies_only_to_posts_one_can_see(app, factories) -> None:  # noqa: ANN001
    owner, stranger = factories.user(), factories.user()
    group = factories.group(owner=owner, visibility=GroupVisibility.MEMBERS_ONLY)
    secret = publish_post(owner, "Intern", group=group)
    with pytest.raises(NotFound):
        publish_post(stranger, "Was ist das?", in_reply_to=secret)
    followers_only = publish_post(owner, "Nur Follower", visibility=Visibility.FOLLOWERS)
    with pytest.raises(NotFound):
        publish_post(stranger, "Hm", in_reply_to=followers_only)
    assert _post_count() == 2


def test_replies_in_a_group_thread_need_membership(app, factories) -> None:  # noqa: ANN001
    owner, stranger = factories.user(), factories.user()
    group = factories.group(owner=owner)  # public group: strangers may read, not write
    parent = publish_post(owner, "Offen", visibility="public", group=group)
    with pytest.raises(PermissionDenied):
        publish_post(stranger, "Antwort", in_reply_to=parent)


def test_reply_and_mentions_notify_people_who_can_see_the_post(app, factories) -> None:  # noqa: ANN001
    anna, bert, carla = factories.user("anna"), factories.user("bert"), factories.user("carla")
    parent = publish_post(anna, "Wer kommt zum Fest?", visibility="public")
    reply = publish_post(bert, "Ich, und @carla und @anna auch. @niemand?", in_reply_to=parent)
    assert _notifications(anna.actor_id) == [(NotificationKind.REPLY, reply.id)]
    assert _notifications(carla.actor_id) == [(NotificationKind.MENTION, reply.id)]
    assert _notifications(bert.actor_id) == []
    assert 'href="/@carla"' in reply.content_html and "/@niemand" not in reply.content_html


def test_mentioned_people_who_cannot_see_the_post_are_not_notified(app, factories) -> None:  # noqa: ANN001
    anna, bert, carla = factories.user("anna"), factories.user("bert"), factories.user("carla")
    db.session.add(Follow(follower_id=bert.actor_id, followed_id=anna.actor_id))
    db.session.commit()
    post = publish_post(anna, "@bert @carla nur für Follower", visibility=Visibility.FOLLOWERS)
    assert _notifications(bert.actor_id) == [(NotificationKind.MENTION, post.id)]
    assert _notifications(carla.actor_id) == []


def test_a_deleted_post_cannot_be_answered(app, factories) -> None:  # noqa: ANN001
    from quarter_node.posts.services import delete_post

    anna, bert = factories.user(), factories.user()
    parent = publish_post(anna, "Frage", visibility="public")
    publish_post(bert, "Antwort", in_reply_to=parent)
    delete_post(anna, parent)
    with pytest.raises(InvalidInput):
        publish_post(bert, "Noch eine", in_reply_to=parent)
