"""People and a report that most moderation tests start from."""

from __future__ import annotations

import pytest

from quarter_node.accounts.models import Role
from quarter_node.extensions import db
from quarter_node.moderation.models import Report, ReportCategory


@pytest.fixture
def moderator(factories):  # noqa: ANN001, ANN201
    return factories.user("mona", role=Role.MODERATOR, display_name="Mona Moderatorin", locale="en")


@pytest.fixture
def author(factories):  # noqa: ANN001, ANN201
    return factories.user("otto", display_name="Otto Ostwall", locale="en")


@pytest.fixture
def reporter(factories):  # noqa: ANN001, ANN201
    return factories.user("rita", display_name="Rita Reporter", locale="en")


def file_report(reporter, target_actor, *, post=None, reason="Beleidigend", group=None):  # noqa: ANN001, ANN201
    """A report as the report form stores it (for tests about handling reports)."""
    report = Report(
        reporter_id=reporter.actor_id,
        target_actor_id=target_actor.id,
        target_post_id=post.id if post else None,
        group_id=group.id if group else (post.group_id if post else None),
        reason=reason,
        category=ReportCategory.HARASSMENT,
    )
    db.session.add(report)
    db.session.commit()
    return report
