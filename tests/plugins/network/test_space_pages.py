"""The exchange space's pages and command: creating it, its sections for its members and
nobody else, people by topic, and documents written by the project team."""

from __future__ import annotations

import re

from plugins.network import space
from plugins.network.models import NetworkNode, SpaceDocument
from quarter_node.accounts.models import Actor, ActorKind
from quarter_node.activitypub.models import Delivery, OutboundActivity
from quarter_node.extensions import db
from quarter_node.groups.models import (
    GroupRole,
    GroupVisibility,
    JoinMode,
    Membership,
    MembershipState,
)
from quarter_node.posts.models import Visibility
from quarter_node.social.models import Follow, FollowState
from tests.activitypub.serving.support import fetch
from tests.helpers import logged_in_client, post_form
from tests.plugins.network.space_support import (
    COORDINATION,
    be_coordination,
    be_quarter_member,
    host,
)

QUARTER = "https://quartier.example"


def _space_with_team(factories):  # noqa: ANN001, ANN202
    be_coordination(QUARTER)
    team = factories.user("team")
    return team, space.create_space(team)


def _remote_member(factories, found, handle: str, bio: str = ""):  # noqa: ANN001, ANN202
    actor = factories.remote_actor(handle, host(QUARTER))
    actor.bio = bio
    db.session.add(
        Follow(follower_id=actor.id, followed_id=found.actor_id, state=FollowState.ACCEPTED)
    )
    db.session.commit()
    return actor


def _join_locally(found, user) -> None:  # noqa: ANN001
    db.session.add(
        Membership(
            group_id=found.id,
            actor_id=user.actor_id,
            role=GroupRole.MEMBER,
            state=MembershipState.ACTIVE,
        )
    )
    db.session.commit()


def test_the_space_is_created_on_the_coordination_node_only(runner, factories) -> None:
    factories.user("team")
    refused = runner.invoke(args=["network", "space", "create", "--owner", "team"])
    assert refused.exit_code == 1 and "coordination" in refused.output

    be_coordination()
    created = runner.invoke(args=["network", "space", "create", "--owner", "team"])
    assert created.exit_code == 0, created.output
    found = space.the_space()
    assert found.visibility == GroupVisibility.MEMBERS_ONLY
    assert found.join_mode == JoinMode.REQUEST
    again = runner.invoke(args=["network", "space", "create", "--owner", "team"])
    assert again.exit_code == 1 and "exists" in again.output
    status = runner.invoke(args=["network", "space", "status"])
    assert status.exit_code == 0, status.output
    assert status.output == f"@{found.actor.handle}: 1 members\n"  # the owner has joined


def test_only_members_see_the_sections(client, make_client, factories) -> None:
    factories.node()
    team, found = _space_with_team(factories)
    member, stranger = factories.user("mitglied"), factories.user("fremd")
    _join_locally(found, member)
    factories.post(team, "Neue Förderrunde", group=found, visibility=Visibility.GROUP)
    factories.post(member, "Wer kennt ein Repair-Café?", group=found, visibility=Visibility.GROUP)

    assert client.get("/network/space").status_code == 404
    assert logged_in_client(make_client, stranger).get("/network/space").status_code == 404
    page = logged_in_client(make_client, member).get("/network/space").get_data(as_text=True)
    announcements, discussions = page.split('id="discussions-title"')
    assert "Neue Förderrunde" in announcements and "Repair-Café" not in announcements
    assert "Repair-Café" in discussions


def test_people_are_listed_by_the_topics_they_state(make_client, factories) -> None:
    factories.node()
    team, found = _space_with_team(factories)
    db.session.scalar(db.select(NetworkNode)).topics = "Kultur"
    _remote_member(factories, found, "ruth", bio="<p>Ich mache #Umwelt und #Jugend</p>")
    _remote_member(factories, found, "ole")  # no topics of her own: her initiative's

    page = logged_in_client(make_client, team).get("/network/space/people")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    topics = re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>', text)
    assert topics == ["Jugend", "Kultur", "Umwelt", "Without a topic"]
    assert text.count("@ruth@") == 2 and text.count("@ole@") == 1


def test_the_team_writes_documents_that_reach_the_members_only(make_client, factories) -> None:
    factories.node()
    team, found = _space_with_team(factories)
    member = factories.user("mitglied")
    _join_locally(found, member)
    ruth = _remote_member(factories, found, "ruth")

    as_member = logged_in_client(make_client, member)
    assert as_member.get("/network/space/documents/new").status_code == 403
    as_team = logged_in_client(make_client, team)
    saved = post_form(
        as_team,
        "/network/space/documents/new",
        {"title": "Leitfaden digitale Werkzeuge", "body": "## Messenger\n\nSignal, Matrix"},
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    document = db.session.scalar(db.select(SpaceDocument))
    shown = as_member.get(f"/network/space/documents/{document.id}").get_data(as_text=True)
    assert "Leitfaden digitale Werkzeuge" in shown and "<h4>Messenger</h4>" in shown

    (announce,) = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Announce")
    )
    article = announce.payload["object"]["object"]
    assert article["type"] == "Article" and article["to"] == [
        f"http://localhost/groups/{found.actor.handle}"
    ]
    assert not announce.public
    inboxes = set(
        db.session.scalars(db.select(Delivery.inbox_url).where(Delivery.activity_id == announce.id))
    )
    assert inboxes and inboxes <= {ruth.inbox_url, ruth.shared_inbox_url}
    assert fetch(as_member, f"/network/space/documents/{document.id}").status_code == 404


def test_the_team_deletes_a_document_and_the_members_nodes_hear_it(make_client, factories):
    factories.node()
    team, found = _space_with_team(factories)
    member = factories.user("mitglied")
    _join_locally(found, member)
    ruth = _remote_member(factories, found, "ruth")
    as_team, as_member = logged_in_client(make_client, team), logged_in_client(make_client, member)
    post_form(as_team, "/network/space/documents/new", {"title": "Protokoll", "body": "Text"})
    document = db.session.scalar(db.select(SpaceDocument))
    path = f"/network/space/documents/{document.id}"

    assert post_form(as_member, f"{path}/delete", {}).status_code == 403
    assert post_form(as_team, f"{path}/delete", {}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(SpaceDocument)) is None
    assert as_team.get(path).status_code == 404
    announces = db.session.scalars(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Announce")
    ).all()
    deletion = next(a for a in announces if a.payload["object"]["type"] == "Delete")
    assert deletion.payload["object"]["object"]["type"] == "Tombstone"
    assert deletion.payload["object"]["object"]["id"] == f"http://localhost{path}"
    inboxes = set(
        db.session.scalars(db.select(Delivery.inbox_url).where(Delivery.activity_id == deletion.id))
    )
    assert inboxes and inboxes <= {ruth.inbox_url, ruth.shared_inbox_url}


def test_a_quarter_member_is_led_to_the_space_on_her_node(client, make_client, factories) -> None:
    factories.node()
    be_quarter_member(COORDINATION)
    anna = factories.user("anna")
    as_anna = logged_in_client(make_client, anna)
    assert client.get("/network/space").status_code == 404

    page = as_anna.get("/network/space")
    assert page.status_code == 200 and f"@austausch@{host(COORDINATION)}" in page.get_data(
        as_text=True
    )
    db.session.add(
        Actor(
            kind=ActorKind.GROUP,
            handle="austausch",
            domain=host(COORDINATION),
            uri=f"{COORDINATION}/groups/austausch",
            manually_approves_followers=True,
        )
    )
    db.session.commit()
    moved = as_anna.get("/network/space")
    assert moved.status_code == 302
    assert moved.headers["Location"].endswith(f"/@austausch@{host(COORDINATION)}")


def test_a_quarter_member_may_write_into_the_space_for_its_members_only(
    make_client, factories
) -> None:
    factories.node()
    be_quarter_member(COORDINATION)
    anna = factories.user("anna")
    group = Actor(
        kind=ActorKind.GROUP,
        handle="austausch",
        domain=host(COORDINATION),
        uri=f"{COORDINATION}/groups/austausch",
        manually_approves_followers=True,
    )
    db.session.add(group)
    db.session.flush()
    db.session.add(
        Follow(follower_id=anna.actor_id, followed_id=group.id, state=FollowState.ACCEPTED)
    )
    db.session.commit()

    as_anna = logged_in_client(make_client, anna)
    page = as_anna.get(f"/@austausch@{host(COORDINATION)}").get_data(as_text=True)
    assert 'name="to_group"' in page and 'value="group"' in page
    assert 'value="public"' not in page and 'value="unlisted"' not in page
    assert "Exchange space" in as_anna.get("/").get_data(as_text=True)  # in the navigation
