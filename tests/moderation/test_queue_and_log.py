"""The node team's queue, a report's page with its history, and the audit log."""

from __future__ import annotations

from datetime import timedelta

from quarter_node.accounts.models import Role
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.groups.models import GroupVisibility
from quarter_node.moderation import audit
from quarter_node.moderation.models import AuditLogEntry
from quarter_node.posts.models import Visibility
from tests.helpers import logged_in_client, post_form, text_of
from tests.moderation.conftest import file_report


def test_node_moderators_see_every_open_report(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    group = factories.group("chor", visibility=GroupVisibility.MEMBERS_ONLY, members=(author,))
    group_post = factories.post(
        author, "Geheime Chorsache", group=group, visibility=Visibility.GROUP
    )
    file_report(reporter, author.actor, post=group_post, reason="Gruppenmeldung")
    file_report(reporter, author.actor, reason="Kontomeldung")

    page = text_of(logged_in_client(make_client, moderator).get("/moderation"))

    assert "Gruppenmeldung" in page and "Kontomeldung" in page and "Geheime Chorsache" in page


def test_an_unknown_state_filter_is_a_bad_request(make_client, moderator) -> None:  # noqa: ANN001
    client = logged_in_client(make_client, moderator)
    assert client.get("/moderation?state=lost").status_code == 400
    assert client.get("/moderation/reports/424242").status_code == 404


def test_a_report_page_shows_the_hidden_post_and_the_history(
    make_client, factories, moderator, author, reporter
) -> None:  # noqa: ANN001
    post = factories.post(author, "Schon versteckt", visibility=Visibility.FOLLOWERS)
    earlier = file_report(reporter, author.actor, reason="Früher schon mal")
    client = logged_in_client(make_client, moderator)
    post_form(client, f"/moderation/reports/{earlier.id}/warn", {"message": "Erste Verwarnung"})
    report = file_report(reporter, author.actor, post=post, reason="Wieder beleidigend")
    post_form(client, f"/moderation/reports/{report.id}/act", {"action": "hide"})

    page = text_of(client.get(f"/moderation/reports/{report.id}"))

    assert "Schon versteckt" in page and "Hidden by moderation" in page
    assert "Wieder beleidigend" in page and "@rita" in page
    assert f"/moderation/reports/{earlier.id}" in page
    assert "Account warned" in page and "Erste Verwarnung" in page and "Post hidden" in page
    assert "Show post again" in page


def _log_entries(moderator, count: int, action: str = audit.POST_HIDE) -> None:  # noqa: ANN001
    start = utcnow() - timedelta(hours=1)
    for n in range(count):
        entry = audit.record(moderator.actor, action, note=f"Eintrag {n}")
        entry.created_at = start + timedelta(seconds=n)
    db.session.commit()


def test_the_log_pages_newest_first(make_client, moderator) -> None:  # noqa: ANN001
    _log_entries(moderator, 31)
    client = logged_in_client(make_client, moderator)

    first = text_of(client.get("/moderation/log"))
    second = text_of(client.get("/moderation/log?page=2"))

    assert first.index("Eintrag 30") < first.index("Eintrag 29")
    assert "Eintrag 1<" in first and "Eintrag 0<" not in first
    assert "Eintrag 0<" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_the_log_filters_by_action_and_moderator(make_client, factories, moderator) -> None:  # noqa: ANN001
    admin = factories.user("ada", role=Role.ADMIN, locale="en")
    _log_entries(moderator, 1, audit.POST_HIDE)
    audit.record(admin.actor, "user.set_role", note="Adas Eintrag")
    db.session.commit()
    client = logged_in_client(make_client, admin)

    by_action = text_of(client.get("/moderation/log?action=user.set_role"))
    by_moderator = text_of(client.get("/moderation/log?moderator=mona"))

    assert "Adas Eintrag" in by_action and "Eintrag 0" not in by_action
    assert "Eintrag 0" in by_moderator and "Adas Eintrag" not in by_moderator
    assert db.session.scalar(db.select(db.func.count(AuditLogEntry.id))) == 2
