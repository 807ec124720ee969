"""Moderators act on reports: each action changes what people see and leaves one log entry."""

from __future__ import annotations

from quarter_node.accounts.models import Role
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry, Report, ReportState
from quarter_node.notifications.models import Notification, NotificationKind
from quarter_node.posts.models import Post
from tests.helpers import logged_in_client, post_form, text_of
from tests.moderation.conftest import file_report


def _log() -> list[AuditLogEntry]:
    return list(db.session.scalars(db.select(AuditLogEntry).order_by(AuditLogEntry.id)))


def _act(client, report, action: str, note: str = ""):  # noqa: ANN001, ANN202
    return post_form(
        client, f"/moderation/reports/{report.id}/act", {"action": action, "note": note}
    )


def test_a_member_can_neither_open_the_queue_nor_act(
    make_client, factories, author, reporter
) -> None:  # noqa: ANN001
    post = factories.post(author)
    report = file_report(reporter, author.actor, post=post)
    client = logged_in_client(make_client, reporter)

    assert client.get("/moderation").status_code == 403
    assert client.get(f"/moderation/reports/{report.id}").status_code == 403
    assert client.get("/moderation/log").status_code == 403
    assert _act(client, report, "hide").status_code == 403
    warn = post_form(client, f"/moderation/reports/{report.id}/warn", {"message": "Achtung"})
    assert warn.status_code == 403
    assert db.session.get(Post, post.id).hidden_at is None and _log() == []


def test_hiding_a_reported_reply_removes_it_for_everybody_else(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    neighbour = factories.user("nina", locale="en")
    first = factories.post(reporter, "Wer kommt zum Hoffest?")
    reply = factories.post(author, "Beleidigende Antwort", in_reply_to=first)
    reporting = logged_in_client(make_client, reporter)
    post_form(
        reporting, f"/posts/{reply.id}/report", {"category": "harassment", "reason": "Gemein"}
    )
    report = db.session.scalar(db.select(Report))
    moderating = logged_in_client(make_client, moderator)
    assert "Beleidigende Antwort" in text_of(moderating.get("/moderation"))

    response = _act(moderating, report, "hide", note="Verstößt gegen Regel 2")

    assert response.status_code == 302
    others = logged_in_client(make_client, neighbour)
    assert "Beleidigende Antwort" not in text_of(others.get(f"/posts/{first.id}"))
    assert "Beleidigende Antwort" not in text_of(others.get("/local"))
    assert "Beleidigende Antwort" not in text_of(reporting.get(f"/posts/{first.id}"))
    assert others.get(f"/posts/{reply.id}").status_code == 404
    own = logged_in_client(make_client, author).get(f"/posts/{reply.id}")
    assert own.status_code == 200 and "moderators hid this post" in text_of(own)
    (entry,) = _log()
    assert (entry.moderator_id, entry.action, entry.report_id) == (
        moderator.actor_id,
        "post.hide",
        report.id,
    )
    assert entry.target_post_id == reply.id and entry.target_actor_id == author.actor_id
    assert entry.note == "Verstößt gegen Regel 2" and entry.target_label.startswith("@otto")
    report = db.session.get(Report, report.id)
    assert report.state == ReportState.RESOLVED and report.resolved_by_id == moderator.actor_id
    hidden = db.session.get(Post, reply.id)
    assert hidden.hidden_at is not None and hidden.hidden_by_id == moderator.actor_id


def test_unhiding_brings_the_post_back(make_client, factories, moderator, author, reporter) -> None:  # noqa: ANN001
    post = factories.post(author, "Wieder da")
    report = file_report(reporter, author.actor, post=post)
    client = logged_in_client(make_client, moderator)
    _act(client, report, "hide")

    assert _act(client, report, "unhide").status_code == 302

    assert "Wieder da" in text_of(make_client().get("/local"))
    assert [e.action for e in _log()] == ["post.hide", "post.unhide"]


def test_deleting_a_reported_post_keeps_a_readable_log(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    post = factories.post(author, "Weg damit")
    post_id = post.id
    report = file_report(reporter, author.actor, post=post)
    report_id = report.id
    client = logged_in_client(make_client, moderator)

    assert _act(client, report, "delete").status_code == 302

    db.session.expunge_all()
    assert db.session.get(Post, post_id) is None
    (entry,) = _log()
    assert entry.action == "post.delete" and entry.target_post_id is None
    assert entry.target_label == f"@otto, post {post_id}"
    assert db.session.get(Report, report_id).state == ReportState.RESOLVED
    page = text_of(client.get("/moderation/log"))
    assert f"@otto, post {post_id}" in page and "Post deleted" in page


def test_a_warning_reaches_the_person(make_client, factories, moderator, author, reporter) -> None:  # noqa: ANN001
    report = file_report(reporter, author.actor)
    client = logged_in_client(make_client, moderator)

    response = post_form(
        client, f"/moderation/reports/{report.id}/warn", {"message": "Bitte freundlich bleiben."}
    )

    assert response.status_code == 302
    (warning,) = db.session.scalars(
        db.select(Notification).where(Notification.kind == NotificationKind.WARNING)
    )
    assert warning.recipient_id == author.actor_id and warning.text == "Bitte freundlich bleiben."
    page = text_of(logged_in_client(make_client, author).get("/notifications"))
    assert "The moderation team sent you a warning" in page
    assert "Bitte freundlich bleiben." in page and "Mona" not in page
    (entry,) = _log()
    assert entry.action == "account.warn" and entry.note == "Bitte freundlich bleiben."


def test_a_warning_needs_a_message(make_client, factories, moderator, author, reporter) -> None:  # noqa: ANN001
    report = file_report(reporter, author.actor)
    client = logged_in_client(make_client, moderator)
    response = post_form(client, f"/moderation/reports/{report.id}/warn", {"message": ""})
    assert response.status_code == 422 and _log() == []


def test_suspension_blocks_login_and_hides_posts_until_lifted(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    factories.post(author, "Ottos Beitrag")
    report = file_report(reporter, author.actor)
    open_session = logged_in_client(make_client, author)
    client = logged_in_client(make_client, moderator)

    assert _act(client, report, "suspend", note="Wiederholt").status_code == 302

    login = make_client()
    refused = post_form(login, "/login", {"email": author.email, "password": "Nachbarschaft-2026"})
    assert refused.status_code != 302 and "suspended" in text_of(refused)
    assert "Ottos Beitrag" not in text_of(make_client().get("/local"))
    assert "Ottos Beitrag" not in text_of(client.get("/local"))
    kicked = open_session.get("/notifications")
    assert kicked.status_code == 302 and "/login" in kicked.headers["Location"]

    assert _act(client, report, "unsuspend").status_code == 302

    logged_in_client(make_client, author)  # asserts the login succeeds
    assert "Ottos Beitrag" in text_of(make_client().get("/local"))
    assert [e.action for e in _log()] == ["account.suspend", "account.unsuspend"]


def test_moderators_cannot_suspend_admins_but_admins_can(
    make_client, factories, moderator, reporter
) -> None:  # noqa: ANN001
    admin = factories.user("ada", role=Role.ADMIN)
    other_admin = factories.user("alma", role=Role.ADMIN)
    report = file_report(reporter, admin.actor)

    refused = _act(logged_in_client(make_client, moderator), report, "suspend")
    assert refused.status_code == 403 and admin.actor.suspended_at is None

    allowed = _act(logged_in_client(make_client, other_admin), report, "suspend")
    assert allowed.status_code == 302 and [e.action for e in _log()] == ["account.suspend"]


def test_nobody_acts_on_a_report_about_themselves(
    make_client, factories, moderator, reporter
) -> None:  # noqa: ANN001
    post = factories.post(moderator, "Moderatorenpost")
    report = file_report(reporter, moderator.actor, post=post)
    client = logged_in_client(make_client, moderator)

    for action in ("hide", "delete", "suspend", "dismiss"):
        assert _act(client, report, action).status_code == 403
    page = text_of(client.get(f"/moderation/reports/{report.id}"))
    assert "Another moderator must handle it" in page
    assert _log() == [] and db.session.get(Report, report.id).state == ReportState.OPEN


def test_dismissing_closes_the_report_once(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    report = file_report(reporter, author.actor)
    client = logged_in_client(make_client, moderator)

    assert _act(client, report, "dismiss", note="Kein Verstoß").status_code == 302
    again = _act(client, report, "dismiss")

    assert again.status_code == 409
    assert db.session.get(Report, report.id).state == ReportState.DISMISSED
    assert [(e.action, e.note) for e in _log()] == [("report.dismiss", "Kein Verstoß")]
    assert "@otto" in text_of(client.get("/moderation?state=dismissed"))
    assert "@otto" not in text_of(client.get("/moderation"))


def test_an_over_long_note_is_refused_and_nothing_changes(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    post = factories.post(author)
    report = file_report(reporter, author.actor, post=post)
    client = logged_in_client(make_client, moderator)

    response = _act(client, report, "hide", note="x" * 2001)

    assert response.status_code == 422 and "2000 characters" in text_of(response)
    assert db.session.get(Post, post.id).hidden_at is None and _log() == []


def test_an_unknown_action_is_a_bad_request(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    report = file_report(reporter, author.actor)
    client = logged_in_client(make_client, moderator)
    assert _act(client, report, "explode").status_code == 400
