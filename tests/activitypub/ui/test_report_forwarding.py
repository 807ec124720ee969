"""Reports about remote accounts can go to their server's moderators as a Flag."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Role
from quarter_node.activitypub.models import Delivery, OutboundActivity
from quarter_node.extensions import db
from quarter_node.moderation.models import AuditLogEntry, Report
from tests.helpers import logged_in_client, post_form, text_of


@pytest.fixture
def moderator(factories):  # noqa: ANN001, ANN201
    return factories.user("mo", role=Role.MODERATOR, locale="en")


@pytest.fixture
def browser(make_client, moderator):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, moderator)


def _report_about(reporter_client, url: str) -> Report:  # noqa: ANN001
    response = post_form(
        reporter_client, url, {"reason": "Beleidigt Nachbarn", "category": "other"}
    )
    assert response.status_code == 302, text_of(response)[:500]
    return db.session.scalar(db.select(Report).order_by(Report.id.desc()))


@pytest.fixture
def reporter(make_client, factories):  # noqa: ANN001, ANN201
    return logged_in_client(make_client, factories.user("rita"))


def test_forwarding_a_report_about_a_remote_post(
    browser, moderator, reporter, remote_actor, remote_post
) -> None:  # noqa: ANN001, E501
    maria = remote_actor("maria")
    post = remote_post(maria)
    report = _report_about(reporter, f"/posts/{post.id}/report")
    page = text_of(browser.get(f"/moderation/reports/{report.id}"))
    assert "Forward to social.example" in page

    response = post_form(browser, f"/moderation/reports/{report.id}/forward")
    assert response.status_code == 302
    flag = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Flag")
    )
    assert flag.payload["object"] == [maria.uri, post.uri]
    assert flag.payload["content"] == "Beleidigt Nachbarn"
    assert flag.payload["actor"] == "http://localhost/actor"  # the node, not the reporter
    assert "rita" not in str(flag.payload)
    inboxes = db.session.scalars(
        db.select(Delivery.inbox_url).where(Delivery.activity_id == flag.id)
    )
    assert list(inboxes) == ["https://social.example/inbox"]
    entry = db.session.scalar(
        db.select(AuditLogEntry).where(AuditLogEntry.action == "report.forward")
    )
    assert entry.moderator_id == moderator.actor_id and entry.report_id == report.id


def test_a_remote_account_can_be_reported_and_forwarded(browser, reporter, remote_actor) -> None:  # noqa: ANN001
    maria = remote_actor("maria")
    report = _report_about(reporter, "/@maria@social.example/report")
    assert report.target_actor_id == maria.id
    assert post_form(browser, f"/moderation/reports/{report.id}/forward").status_code == 302
    flag = db.session.scalar(
        db.select(OutboundActivity).where(OutboundActivity.activity_type == "Flag")
    )
    assert flag.payload["object"] == [maria.uri]


def test_reports_about_local_accounts_stay_here(browser, reporter, factories) -> None:  # noqa: ANN001
    factories.user("ben")
    report = _report_about(reporter, "/@ben/report")
    assert "Forward to" not in text_of(browser.get(f"/moderation/reports/{report.id}"))
    response = post_form(browser, f"/moderation/reports/{report.id}/forward")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(OutboundActivity.id))) == 0


def test_members_cannot_forward(make_client, factories, reporter, remote_actor) -> None:  # noqa: ANN001
    remote_actor("maria")
    report = _report_about(reporter, "/@maria@social.example/report")
    member = logged_in_client(make_client, factories.user())
    assert post_form(member, f"/moderation/reports/{report.id}/forward").status_code == 403
    assert db.session.scalar(db.select(db.func.count(OutboundActivity.id))) == 0
