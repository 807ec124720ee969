"""Group owners and moderators handle the reports about their group's posts, and only those."""

from __future__ import annotations

import pytest

from quarter_node.extensions import db
from quarter_node.groups.models import GroupRole, GroupVisibility, Membership
from quarter_node.moderation.models import AuditLogEntry, Report, ReportState
from quarter_node.posts.models import Post, Visibility
from tests.helpers import logged_in_client, post_form, text_of
from tests.moderation.conftest import file_report


@pytest.fixture
def setting(factories, author, reporter):  # noqa: ANN001, ANN201
    """Two groups; Gabi moderates the garden group only. One report about each group."""
    gabi = factories.user("gabi", display_name="Gabi Gärtnerin", locale="en")
    garden = factories.group("garten", owner=factories.user("gerd"), members=(author, reporter))
    db.session.add(Membership(group_id=garden.id, actor_id=gabi.actor_id, role=GroupRole.MODERATOR))
    db.session.commit()
    choir = factories.group("chor", members=(author, reporter, gabi))
    garden_post = factories.post(author, "Unkraut-Tipps mit Werbung", group=garden)
    choir_post = factories.post(author, "Chorprobe fällt aus", group=choir)
    return {
        "gabi": gabi,
        "garden": garden,
        "choir": choir,
        "garden_post": garden_post,
        "garden_report": file_report(reporter, author.actor, post=garden_post),
        "choir_report": file_report(reporter, author.actor, post=choir_post),
        "account_report": file_report(reporter, author.actor),
    }


def _act(client, report, action: str):  # noqa: ANN001, ANN202
    return post_form(client, f"/moderation/reports/{report.id}/act", {"action": action})


def test_a_group_moderator_sees_only_their_groups_reports(make_client, setting) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, setting["gabi"])

    queue = text_of(client.get("/moderation"))

    assert "Unkraut-Tipps" in queue and "Chorprobe" not in queue
    assert client.get(f"/moderation/reports/{setting['garden_report'].id}").status_code == 200
    assert client.get(f"/moderation/reports/{setting['choir_report'].id}").status_code == 403
    assert client.get(f"/moderation/reports/{setting['account_report'].id}").status_code == 403
    assert client.get("/moderation/log").status_code == 403


def test_a_group_moderator_hides_a_post_of_their_group(make_client, setting) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, setting["gabi"])
    report = setting["garden_report"]

    assert _act(client, report, "hide").status_code == 302

    assert db.session.get(Post, setting["garden_post"].id).hidden_at is not None
    (entry,) = db.session.scalars(db.select(AuditLogEntry))
    assert entry.moderator_id == setting["gabi"].actor_id and entry.group_id == setting["garden"].id
    assert db.session.get(Report, report.id).state == ReportState.RESOLVED


def test_a_group_moderator_cannot_act_elsewhere_or_node_wide(make_client, setting) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, setting["gabi"])
    garden_report = setting["garden_report"]

    assert _act(client, setting["choir_report"], "hide").status_code == 403
    assert _act(client, setting["choir_report"], "dismiss").status_code == 403
    assert _act(client, setting["account_report"], "dismiss").status_code == 403
    assert _act(client, garden_report, "suspend").status_code == 403
    warn = post_form(client, f"/moderation/reports/{garden_report.id}/warn", {"message": "Stopp"})
    assert warn.status_code == 403

    assert db.session.scalars(db.select(AuditLogEntry)).all() == []
    assert db.session.get(Report, garden_report.id).state == ReportState.OPEN
    page = text_of(client.get(f"/moderation/reports/{garden_report.id}"))
    assert "Hide post" in page and "Suspend account" not in page and "Send warning" not in page


def test_a_group_moderator_dismisses_their_groups_report(make_client, setting) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, setting["gabi"])
    assert _act(client, setting["garden_report"], "dismiss").status_code == 302
    assert db.session.get(Report, setting["garden_report"].id).state == ReportState.DISMISSED


def test_a_group_owner_moderates_too(make_client, factories, setting) -> None:  # noqa: ANN001
    owner = db.session.scalar(
        db.select(Membership).where(
            Membership.group_id == setting["garden"].id, Membership.role == GroupRole.OWNER
        )
    )
    client = logged_in_client(make_client, owner.actor.user)
    assert "Unkraut-Tipps" in text_of(client.get("/moderation"))
    assert _act(client, setting["garden_report"], "delete").status_code == 302


def test_a_moderator_of_a_members_only_group_sees_the_reported_post(
    make_client, factories, author, reporter
) -> None:  # noqa: ANN001
    owner = factories.user("olga", locale="en")
    group = factories.group(
        visibility=GroupVisibility.MEMBERS_ONLY, owner=owner, members=(author, reporter)
    )
    post = factories.post(
        author, "Interna der Hausgemeinschaft", group=group, visibility=Visibility.GROUP
    )
    report = file_report(reporter, author.actor, post=post)

    page = text_of(logged_in_client(make_client, owner).get(f"/moderation/reports/{report.id}"))

    assert "Interna der Hausgemeinschaft" in page
