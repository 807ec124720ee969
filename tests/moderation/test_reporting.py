"""Members report posts and accounts; the right moderators hear about it."""

from __future__ import annotations

from quarter_node.accounts.models import Role
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.moderation.models import Report, ReportCategory, ReportState
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Visibility
from tests.helpers import logged_in_client, post_form, text_of


def _reports() -> list[Report]:
    return list(db.session.scalars(db.select(Report).order_by(Report.id)))


def _report_notices_for(user) -> list[Notification]:  # noqa: ANN001
    return list(
        db.session.scalars(
            db.select(Notification).where(
                Notification.recipient_id == user.actor_id,
                Notification.kind == NotificationKind.REPORT,
            )
        )
    )


def test_a_member_reports_a_reply_and_the_moderators_are_told(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    first = factories.post(reporter, "Wer kommt zum Hoffest?")
    reply = factories.post(author, "Du Trottel", in_reply_to=first)
    client = logged_in_client(make_client, reporter)

    form = client.get(f"/posts/{reply.id}/report")
    assert form.status_code == 200 and "Du Trottel" in text_of(form)
    response = post_form(
        client,
        f"/posts/{reply.id}/report",
        {"category": "harassment", "reason": "Beleidigt mich"},
        follow_redirects=True,
    )

    assert response.status_code == 200 and "Thank you for your report" in text_of(response)
    (report,) = _reports()
    assert (report.reporter_id, report.target_actor_id, report.target_post_id) == (
        reporter.actor_id,
        author.actor_id,
        reply.id,
    )
    assert report.category == ReportCategory.HARASSMENT and report.state == ReportState.OPEN
    assert report.reason == "Beleidigt mich" and report.group_id is None
    (notice,) = _report_notices_for(moderator)
    assert notice.report_id == report.id and notice.actor_id == reporter.actor_id


def test_an_account_can_be_reported(make_client, factories, moderator, author, reporter) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, reporter)
    assert "Otto Ostwall" in text_of(client.get("/@otto/report"))

    response = post_form(client, "/@otto/report", {"category": "spam", "reason": "Nur Werbung"})

    assert response.status_code == 302
    (report,) = _reports()
    assert report.target_actor_id == author.actor_id and report.target_post_id is None
    assert report.category == ReportCategory.SPAM
    assert len(_report_notices_for(moderator)) == 1


def test_nobody_reports_themselves(make_client, factories, author) -> None:  # noqa: ANN001
    post = factories.post(author)
    client = logged_in_client(make_client, author)

    own_post = post_form(client, f"/posts/{post.id}/report", {"category": "spam", "reason": "x"})
    own_account = post_form(client, "/@otto/report", {"category": "spam", "reason": "x"})

    assert own_post.status_code == 400 and "your own post" in text_of(own_post)
    assert own_account.status_code == 400 and "your own account" in text_of(own_account)
    assert _reports() == []


def test_an_over_long_or_empty_reason_is_refused(make_client, factories, author, reporter) -> None:  # noqa: ANN001
    post = factories.post(author)
    client = logged_in_client(make_client, reporter)

    too_long = post_form(
        client, f"/posts/{post.id}/report", {"category": "spam", "reason": "x" * 2001}
    )
    empty = post_form(client, f"/posts/{post.id}/report", {"category": "spam", "reason": "  "})
    no_category = post_form(client, f"/posts/{post.id}/report", {"reason": "Spam"})

    assert too_long.status_code == 422 and "2000 characters" in text_of(too_long)
    assert 'aria-invalid="true"' in text_of(too_long)
    assert empty.status_code == 422 and no_category.status_code == 422
    assert _reports() == []
    exactly_enough = post_form(
        client, f"/posts/{post.id}/report", {"category": "spam", "reason": "x" * 2000}
    )
    assert exactly_enough.status_code == 302 and len(_reports()) == 1


def test_reporting_a_members_only_group_post_as_an_outsider_is_not_found(
    make_client, factories, author, reporter
) -> None:  # noqa: ANN001
    group = factories.group(visibility=GroupVisibility.MEMBERS_ONLY, owner=author)
    post = factories.post(author, "Nur für uns", group=group, visibility=Visibility.GROUP)
    client = logged_in_client(make_client, reporter)

    assert client.get(f"/posts/{post.id}/report").status_code == 404
    response = post_form(client, f"/posts/{post.id}/report", {"category": "spam", "reason": "x"})

    assert response.status_code == 404 and "Nur für uns" not in text_of(response)
    assert _reports() == []


def test_posts_one_cannot_see_or_that_do_not_exist_cannot_be_reported(
    make_client, factories, author, reporter
) -> None:  # noqa: ANN001
    followers_only = factories.post(author, "Nur Follower", visibility=Visibility.FOLLOWERS)
    client = logged_in_client(make_client, reporter)

    assert client.get(f"/posts/{followers_only.id}/report").status_code == 404
    assert client.get("/posts/999999/report").status_code == 404
    assert client.get("/@niemand/report").status_code == 404


def test_visitors_are_sent_to_the_login(client, factories, author) -> None:  # noqa: ANN001
    post = factories.post(author)
    response = client.get(f"/posts/{post.id}/report")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_group_post_report_reaches_the_group_team_once(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    owner = factories.user("gerda", locale="en")
    bystander = factories.user("bernd")
    group = factories.group("garten", owner=owner, members=(author, reporter, bystander, moderator))
    post = factories.post(author, "Gartenpost", group=group)
    client = logged_in_client(make_client, reporter)

    post_form(client, f"/posts/{post.id}/report", {"category": "other", "reason": "Off-topic"})

    (report,) = _reports()
    assert report.group_id == group.id
    assert len(_report_notices_for(owner)) == 1
    assert len(_report_notices_for(moderator)) == 1  # a node moderator, also a member
    assert _report_notices_for(bystander) == []
    assert _report_notices_for(reporter) == []


def test_reporting_the_same_thing_twice_while_open_is_refused(
    make_client, factories, author, reporter
) -> None:  # noqa: ANN001
    post = factories.post(author)
    client = logged_in_client(make_client, reporter)
    data = {"category": "spam", "reason": "Spam"}

    assert post_form(client, f"/posts/{post.id}/report", data).status_code == 302
    again = post_form(client, f"/posts/{post.id}/report", data)

    assert again.status_code == 409 and "already reported" in text_of(again)
    assert len(_reports()) == 1


def test_the_admin_is_told_too(make_client, factories, author, reporter) -> None:  # noqa: ANN001
    admin = factories.user("ada", role=Role.ADMIN)
    client = logged_in_client(make_client, reporter)
    post_form(client, "/@otto/report", {"category": "other", "reason": "Komisch"})
    assert len(_report_notices_for(admin)) == 1
