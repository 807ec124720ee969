"""Direct posts: only the author and the people mentioned see them, here and elsewhere, and
replies stay among these people."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub import access, serializers
from quarter_node.errors import InvalidInput
from quarter_node.extensions import db
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.addressing import addressees_of
from quarter_node.posts.models import Visibility
from quarter_node.posts.services import publish_post
from quarter_node.posts.timelines import home_query, local_query
from quarter_node.posts.visibility import can_view_post
from quarter_node.social.models import Follow, FollowState
from tests.helpers import text_of
from tests.posts.support import browser_of, post_form


def _remote(handle: str, host: str = "social.example") -> Actor:
    uri = f"https://{host}/users/{handle}"
    actor = Actor(
        kind=ActorKind.PERSON, handle=handle, domain=host, uri=uri, inbox_url=f"{uri}/inbox"
    )
    db.session.add(actor)
    db.session.commit()
    return actor


def _follow(follower: Actor, followed: Actor) -> None:
    db.session.add(
        Follow(follower_id=follower.id, followed_id=followed.id, state=FollowState.ACCEPTED)
    )
    db.session.commit()


@pytest.fixture
def people(factories):  # noqa: ANN001, ANN201
    anna, bert, carl = (factories.user(h) for h in ("anna", "bert", "carl"))
    _follow(carl.actor, anna.actor)  # carl follows anna, and still sees none of her DMs
    return anna, bert, carl


def test_a_direct_post_is_seen_by_its_author_and_the_mentioned_only(app, people) -> None:  # noqa: ANN001
    anna, bert, carl = people
    maria, fremd = _remote("maria"), _remote("fremd")
    _follow(fremd, anna.actor)
    post = publish_post(anna, "Geheim @bert @maria@social.example", visibility="direct")

    assert {a.id for a in addressees_of(post)} == {bert.actor_id, maria.id}
    assert can_view_post(anna, post) and can_view_post(bert, post)
    assert not can_view_post(carl, post) and not can_view_post(None, post)
    assert access.can_actor_view_post(maria, post)
    assert not access.can_actor_view_post(fremd, post)
    assert not access.can_actor_view_post(carl.actor, post)
    assert not access.can_actor_view_post(None, post)
    for viewer in (carl, None):
        assert post not in db.session.scalars(local_query(viewer)).all()
    assert post not in db.session.scalars(home_query(carl)).all()
    assert post in db.session.scalars(home_query(anna)).all()
    to, cc = serializers.addressing(post)
    assert set(to) == {maria.uri, "http://localhost/@bert"} and cc == []
    mention = db.session.scalar(
        db.select(Notification).where(Notification.kind == NotificationKind.MENTION)
    )
    assert mention.recipient_id == bert.actor_id


def test_a_direct_post_must_mention_somebody(app, people) -> None:  # noqa: ANN001
    anna = people[0]
    with pytest.raises(InvalidInput, match="@name"):
        publish_post(anna, "An niemanden @gibtsnicht", visibility=Visibility.DIRECT)


def test_direct_posts_are_not_written_in_groups(app, people, factories) -> None:  # noqa: ANN001
    anna, bert, _carl = people
    group = factories.group(owner=anna)
    with pytest.raises(InvalidInput):
        publish_post(anna, "@bert psst", visibility=Visibility.DIRECT, group=group)


def test_a_reply_to_a_direct_post_stays_among_its_people(app, people) -> None:  # noqa: ANN001
    anna, bert, carl = people
    maria = _remote("maria")
    parent = publish_post(anna, "Psst @bert @maria@social.example", visibility="direct")
    reply = publish_post(bert, "Einverstanden", in_reply_to=parent)
    assert reply.visibility == Visibility.DIRECT
    assert {a.id for a in addressees_of(reply)} == {anna.actor_id, maria.id}
    assert access.can_actor_view_post(maria, reply)
    assert not can_view_post(carl, reply)
    assert serializers.addressing(reply)[0].count(maria.uri) == 1


def test_a_reply_to_a_received_direct_post_reaches_its_author(app, people) -> None:  # noqa: ANN001
    from quarter_node.activitypub.models import PostAddressee
    from quarter_node.posts.models import Post

    anna = people[0]
    maria = _remote("maria")
    received = Post(
        author_id=maria.id, visibility=Visibility.DIRECT, content_html="<p>Hallo</p>",
        uri=f"{maria.uri}/statuses/1",
    )  # fmt: skip
    db.session.add(received)
    db.session.flush()
    db.session.add(PostAddressee(post_id=received.id, actor_id=anna.actor_id))
    db.session.commit()
    reply = publish_post(anna, "Danke!", in_reply_to=received)
    assert [a.id for a in addressees_of(reply)] == [maria.id]
    assert serializers.addressing(reply) == ([maria.uri], [])
    assert access.can_actor_view_post(maria, reply)


def test_a_mention_in_a_followers_post_names_only_people_who_may_see_it(app, people) -> None:  # noqa: ANN001
    anna, _bert, carl = people
    maria = _remote("maria")
    post = publish_post(
        anna, "@carl @maria@social.example nur für Follower", visibility=Visibility.FOLLOWERS
    )
    to, cc = serializers.addressing(post)
    assert cc == ["http://localhost/@carl"] and maria.uri not in to
    tags = [tag["href"] for tag in serializers.post_to_ap(post).get("tag", [])]
    assert maria.uri not in tags


def test_compose_offers_direct_and_explains_it(app, people, make_client) -> None:  # noqa: ANN001
    anna, bert, carl = people
    browser = browser_of(make_client, anna)
    page = text_of(browser.get("/"))
    assert '<option value="direct">Direct: only the people mentioned</option>' in page
    assert "reach only the people you mention" in page

    response = post_form(browser, "/posts", {"text": "Psst @bert", "visibility": "direct"})
    assert response.status_code == 302
    post_url = response.location.split("?")[0]
    assert "Psst" in text_of(browser_of(make_client, bert).get(post_url))
    assert browser_of(make_client, carl).get(post_url).status_code == 404
    assert make_client().get(post_url).status_code == 404

    refused = post_form(browser, "/posts", {"text": "Psst", "visibility": "direct"})
    assert refused.status_code == 422 and "needs at least one person" in text_of(refused)


def test_the_reply_form_of_a_direct_post_says_whom_it_reaches(app, people, make_client) -> None:  # noqa: ANN001
    anna, bert, _carl = people
    _remote("maria")
    parent = publish_post(anna, "Psst @bert @maria@social.example", visibility="direct")
    page = text_of(browser_of(make_client, bert).get(f"/posts/{parent.id}"))
    assert "Your reply goes only to: @anna, @maria@social.example" in page
    assert '<option value="public">' not in page
