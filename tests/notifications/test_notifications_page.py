"""The notifications page: readable sentences, unread marks, and nothing one may not see."""

from __future__ import annotations

from datetime import timedelta

from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility, Membership
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.notifications.services import notify
from quarter_node.posts.models import Visibility
from tests.helpers import logged_in_client, post_form, text_of


def _notify(recipient, kind, *, actor=None, minutes_ago: int = 0, **ids) -> Notification:  # noqa: ANN001
    notification = notify(recipient.actor, kind, actor=actor.actor if actor else None, **ids)
    assert notification is not None
    notification.created_at = utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return notification


def _unread_count(user) -> int:  # noqa: ANN001
    return db.session.scalar(
        db.select(db.func.count(Notification.id)).where(
            Notification.recipient_id == user.actor_id, Notification.read_at.is_(None)
        )
    )


def test_notifications_read_as_sentences_newest_first(make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", display_name="Anna Amsel", locale="en")
    ben = factories.user("ben", display_name="Ben Birke")
    group = factories.group("garten", display_name="Gartenfreunde")
    post = factories.post(anna, "Mein Beitrag über Tomaten")
    reply = factories.post(ben, "Tolle Tomaten!", in_reply_to=post)
    _notify(anna, NotificationKind.FOLLOW, actor=ben, minutes_ago=30)
    _notify(anna, NotificationKind.LIKE, actor=ben, post_id=post.id, minutes_ago=20)
    _notify(anna, NotificationKind.GROUP_INVITE, actor=ben, group_id=group.id, minutes_ago=10)
    _notify(anna, NotificationKind.REPLY, actor=ben, post_id=reply.id)

    page = text_of(logged_in_client(make_client, anna).get("/notifications"))

    sentences = [
        "Ben Birke replied to your post.",
        "Ben Birke invited you to Gartenfreunde.",
        "Ben Birke liked your post.",
        "Ben Birke follows you now.",
    ]
    positions = [page.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)
    assert "Tolle Tomaten!" in page and "Mein Beitrag über Tomaten" in page
    assert f'href="/posts/{reply.id}"' in page and 'href="/@ben"' in page
    assert 'href="/groups/garten"' in page


def test_opening_the_page_keeps_them_unread_until_marked(make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", locale="en")
    ben = factories.user("ben")
    _notify(anna, NotificationKind.FOLLOW, actor=ben, minutes_ago=5)
    _notify(anna, NotificationKind.FOLLOW, actor=ben)
    client = logged_in_client(make_client, anna)

    page = text_of(client.get("/notifications"))

    assert page.count("notification--unread") == 2 and "New" in page
    assert 'aria-label="2 unread"' in page
    assert _unread_count(anna) == 2
    response = post_form(client, "/notifications/read", follow_redirects=True)
    assert response.status_code == 200 and _unread_count(anna) == 0
    assert "notification--unread" not in text_of(response)
    assert "You have no unread notifications." in text_of(response)


def test_mark_all_read_spares_what_arrived_after_the_page_was_shown(make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", locale="en")
    ben = factories.user("ben")
    shown = _notify(anna, NotificationKind.FOLLOW, actor=ben)
    client = logged_in_client(make_client, anna)
    client.get("/notifications")
    later = _notify(anna, NotificationKind.MENTION, actor=ben, post_id=factories.post(ben).id)

    post_form(client, "/notifications/read", {"up_to": str(shown.id)})

    assert db.session.get(Notification, shown.id).read_at is not None
    assert db.session.get(Notification, later.id).read_at is None


def test_posts_one_can_no_longer_see_are_not_quoted(make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", locale="en")
    ben = factories.user("ben", display_name="Ben Birke")
    group = factories.group(visibility=GroupVisibility.MEMBERS_ONLY, members=(anna, ben))
    group_post = factories.post(
        ben, "Gruppengeheimnis @anna", group=group, visibility=Visibility.GROUP
    )
    hidden_post = factories.post(ben, "Versteckter Text @anna")
    hidden_post.hidden_at = utcnow()
    _notify(anna, NotificationKind.MENTION, actor=ben, post_id=group_post.id)
    _notify(anna, NotificationKind.MENTION, actor=ben, post_id=hidden_post.id)
    db.session.execute(
        db.delete(Membership).where(
            Membership.group_id == group.id, Membership.actor_id == anna.actor_id
        )
    )
    db.session.commit()

    page = text_of(logged_in_client(make_client, anna).get("/notifications"))

    assert page.count("Ben Birke mentioned you in a post that is no longer available.") == 2
    assert "Gruppengeheimnis" not in page and "Versteckter Text" not in page
    assert f"/posts/{group_post.id}" not in page and f"/posts/{hidden_post.id}" not in page


def test_moderators_read_about_reports_and_registrations(make_client, factories) -> None:  # noqa: ANN001
    from quarter_node.accounts.models import AccountState, Role
    from quarter_node.moderation.models import Report

    mona = factories.user("mona", role=Role.MODERATOR, locale="en")
    rita = factories.user("rita", display_name="Rita Reporter")
    applicant = factories.user("paul", display_name="Paul Neu", state=AccountState.PENDING)
    report = Report(reporter_id=rita.actor_id, target_actor_id=applicant.actor_id, reason="x")
    db.session.add(report)
    db.session.commit()
    _notify(mona, NotificationKind.REPORT, actor=rita, report_id=report.id, minutes_ago=1)
    _notify(mona, NotificationKind.REGISTRATION, actor=applicant)

    page = text_of(logged_in_client(make_client, mona).get("/notifications"))

    assert "Rita Reporter sent a report to the moderators." in page
    assert f'href="/moderation/reports/{report.id}"' in page
    assert "Paul Neu would like to join this node and waits for approval." in page
    assert 'href="/moderation/registrations"' in page


def test_group_teams_read_about_join_requests(make_client, factories) -> None:  # noqa: ANN001
    gerd = factories.user("gerd", locale="en")
    ben = factories.user("ben", display_name="Ben Birke")
    group = factories.group("garten", owner=gerd, display_name="Gartenfreunde")
    _notify(gerd, NotificationKind.JOIN_REQUEST, actor=ben, group_id=group.id)

    page = text_of(logged_in_client(make_client, gerd).get("/notifications"))

    assert "Ben Birke asks to join Gartenfreunde." in page
    assert 'href="/groups/garten/settings"' in page


def test_the_list_is_paged(make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", locale="en")
    ben = factories.user("ben", display_name="Ben Birke")
    for minutes in range(31):
        _notify(anna, NotificationKind.FOLLOW, actor=ben, minutes_ago=minutes)
    client = logged_in_client(make_client, anna)

    first = text_of(client.get("/notifications"))
    second = text_of(client.get("/notifications?page=2"))

    assert first.count("Ben Birke follows you now.") == 30
    assert second.count("Ben Birke follows you now.") == 1


def test_only_their_own_notifications_and_only_for_members(client, make_client, factories) -> None:  # noqa: ANN001
    anna = factories.user("anna", locale="en")
    ben = factories.user("ben", display_name="Ben Birke")
    carl = factories.user("carl", display_name="Carl Castor")
    _notify(anna, NotificationKind.FOLLOW, actor=carl)

    page = text_of(logged_in_client(make_client, ben).get("/notifications"))
    visitor = client.get("/notifications")

    assert "Carl Castor" not in page
    assert visitor.status_code == 302 and "/login" in visitor.headers["Location"]
    post_form(logged_in_client(make_client, ben), "/notifications/read")
    assert _unread_count(anna) == 1
