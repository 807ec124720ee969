"""Members-only content of a group on another server: its members here see it, nobody else.

Such posts arrive as direct posts addressed to the group (their ``to`` is the group, their
``cc`` its followers); joining the group here is an accepted follow of the group actor."""

from __future__ import annotations

from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import PostAddressee
from quarter_node.extensions import db
from quarter_node.posts.models import Post, Visibility
from quarter_node.posts.visibility import can_view_post, visible_posts
from quarter_node.social.models import Follow, FollowState


def _remote(handle: str, kind: ActorKind = ActorKind.PERSON) -> Actor:
    uri = f"https://far.example/users/{handle}"
    actor = Actor(kind=kind, handle=handle, domain="far.example", uri=uri, inbox_url=uri + "/in")
    db.session.add(actor)
    db.session.flush()
    return actor


def _direct_post_to(author: Actor, addressee: Actor) -> Post:
    post = Post(
        author_id=author.id,
        visibility=Visibility.DIRECT,
        content_html="<p>Schlüsselkasten</p>",
        uri=f"{author.uri}/notes/{addressee.handle}",
    )
    db.session.add(post)
    db.session.flush()
    db.session.add(PostAddressee(post_id=post.id, actor_id=addressee.id))
    return post


def test_direct_posts_to_a_remote_group_reach_only_its_members_here(factories) -> None:  # noqa: ANN001
    member, applicant, other = (factories.user(n) for n in ("member", "applicant", "other"))
    group, maria, bob = _remote("garten", ActorKind.GROUP), _remote("maria"), _remote("bob")
    for user, followed, state in (
        (member, group, FollowState.ACCEPTED),
        (applicant, group, FollowState.PENDING),
        (other, maria, FollowState.ACCEPTED),  # following a person is no way into their DMs
    ):
        db.session.add(Follow(follower_id=user.actor_id, followed_id=followed.id, state=state))
    to_group, to_maria = _direct_post_to(bob, group), _direct_post_to(bob, maria)
    db.session.commit()

    for viewer, expected in ((member, {to_group.id}), (applicant, set()), (other, set())):
        listed = {post.id for post in db.session.scalars(visible_posts(viewer))}
        assert listed == expected, viewer.actor.handle
        assert {p.id for p in (to_group, to_maria) if can_view_post(viewer, p)} == expected
