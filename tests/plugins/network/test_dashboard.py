"""The coordinators' dashboard: who may see it, and the figures it draws and exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from plugins.events.models import Event
from plugins.events.participation_models import Participation
from plugins.network.models import NodeSnapshot, NodeStatus
from plugins.network.overview import dashboard
from quarter_node.accounts.models import Role
from quarter_node.extensions import db
from quarter_node.posts.models import Visibility
from tests.helpers import logged_in_client, text_of

# A Wednesday: the 12 weeks shown run from Monday 2026-09-14 to the week of 2026-11-30.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def coordinator(coordination, factories, make_client):  # noqa: ANN001, ANN201
    moderator = factories.user("mod", role=Role.MODERATOR)
    return logged_in_client(make_client, moderator)


def post_at(factories, author, when: datetime, **kw):  # noqa: ANN001, ANN201
    post = factories.remote_post(author, **kw)
    post.created_at = when
    db.session.commit()
    return post


def event_at(organizer, when: datetime, going=(), **kw) -> Event:  # noqa: ANN001
    event = Event(
        ical_uid=f"uid-{organizer.id}-{when.isoformat()}",
        organizer_id=organizer.id,
        title="Hoffest",
        start_local=when.replace(tzinfo=None),
        starts_at=when,
        **kw,
    )
    db.session.add(event)
    db.session.flush()
    for person in going:
        db.session.add(Participation(event_id=event.id, actor_id=person.id, state="going"))
    db.session.commit()
    return event


def test_only_moderators_and_admins_of_a_coordination_node_see_it(
    app, factories, make_client, member_node
) -> None:
    admin = logged_in_client(make_client, factories.user("admin", role=Role.ADMIN))
    assert admin.get("/network/dashboard").status_code == 404  # a quarter node has none
    assert admin.get("/network/health").status_code == 404
    from quarter_node.plugins.services import save_plugin_settings_by_operator

    save_plugin_settings_by_operator("network", {"role": "coordination"})
    db.session.commit()
    member = logged_in_client(make_client, factories.user("anna"))
    for url in ("/network/dashboard", "/network/dashboard.csv", "/network/health"):
        assert admin.get(url).status_code == 200, url
        assert member.get(url).status_code == 403, url
        assert make_client().get(url).status_code == 403, url


def test_posts_are_counted_per_member_and_week(coordination, factories, member_node) -> None:
    member_node("nord.example", "Nordviertel")
    member_node("sued.example", "Südstadt")
    anna = factories.remote_actor("anna", "nord.example")
    bert = factories.remote_actor("bert", "nord.example")
    cem = factories.remote_actor("cem", "sued.example")
    stranger = factories.remote_actor("eve", "social.example")
    this_week, last_week = NOW - timedelta(days=1), NOW - timedelta(days=8)
    for author, when in [
        (anna, this_week),
        (anna, this_week),
        (bert, this_week),
        (cem, last_week),
        (stranger, this_week),
    ]:
        post_at(factories, author, when)
    post_at(factories, anna, this_week, visibility=Visibility.FOLLOWERS)
    post_at(factories, anna, NOW - timedelta(weeks=13))  # before the 12 weeks
    factories.post(factories.user("local"))  # this node's own people are not a member

    board = dashboard("12w", None, now=NOW)
    nord, sued = board.parts
    assert (nord.label, sued.label) == ("Nordviertel", "Südstadt")
    assert nord.values["posts"][-2:] == [0, 3]
    assert nord.values["active_authors"][-1] == 2
    assert sued.values["posts"][-2:] == [1, 0]
    assert board.total.values["posts"] == [0] * 10 + [1, 3]
    assert board.total.values["active_authors"][-2:] == [1, 2]
    assert board.span.periods[0].isoformat() == "2026-09-14"


def test_months_and_the_initiative_filter(coordination, factories, member_node) -> None:
    member_node("nord.example")
    member_node("sued.example")
    anna = factories.remote_actor("anna", "nord.example")
    cem = factories.remote_actor("cem", "sued.example")
    post_at(factories, anna, datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
    post_at(factories, anna, datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    post_at(factories, cem, datetime(2026, 1, 15, tzinfo=UTC))
    board = dashboard("12m", "nord.example", now=NOW)
    assert [part.domain for part in board.parts] == ["nord.example"]
    assert board.total.values["posts"][-2:] == [1, 1]
    assert board.span.periods[0].isoformat() == "2026-01-01"
    assert dashboard("12m", None, now=NOW).total.values["posts"][0] == 1


def test_new_members_are_counted_in_the_period_of_their_first_post(
    coordination, factories, member_node
) -> None:
    member_node("nord.example")
    anna = factories.remote_actor("anna", "nord.example")
    bert = factories.remote_actor("bert", "nord.example")
    post_at(factories, anna, NOW - timedelta(weeks=20))
    post_at(factories, anna, NOW - timedelta(days=1))
    post_at(factories, bert, NOW - timedelta(days=8))
    post_at(factories, bert, NOW - timedelta(days=1))
    board = dashboard("12w", None, now=NOW)
    assert board.total.values["new_authors"][-2:] == [1, 0]
    assert board.total.sum("new_authors") == 1


def test_events_and_participants_come_from_the_events_plugin(
    coordination, factories, member_node
) -> None:
    member_node("nord.example")
    organizer = factories.remote_actor("kulturverein", "nord.example")
    guests = [factories.remote_actor(name, "nord.example") for name in ("a", "b", "c")]
    event_at(organizer, NOW - timedelta(days=1), going=guests)
    event_at(organizer, NOW - timedelta(days=8), going=guests[:1])
    event_at(organizer, NOW - timedelta(days=2), status="cancelled")
    event_at(organizer, NOW - timedelta(days=2), visibility="members")
    event_at(factories.remote_actor("x", "social.example"), NOW - timedelta(days=1))
    board = dashboard("12w", None, now=NOW)
    assert board.total.values["events"][-2:] == [1, 1]
    assert board.total.values["participants"][-2:] == [1, 3]
    # organising counts as being active
    assert board.total.values["active_authors"][-2:] == [1, 1]


def test_without_the_events_plugin_there_are_no_event_figures(
    coordination, factories, member_node
) -> None:
    from quarter_node.plugins.services import set_plugin_enabled_by_operator

    member_node("nord.example")
    event_at(factories.remote_actor("verein", "nord.example"), NOW - timedelta(days=1))
    set_plugin_enabled_by_operator("events", False)
    db.session.commit()
    assert dashboard("12w", None, now=NOW).total.values["events"] == [0] * 12


def test_accounts_and_active_people_come_from_the_snapshots(coordination, member_node) -> None:
    nord = member_node("nord.example")
    sued = member_node("sued.example")

    def snap(node, days_ago: float, total, active=None, reachable=True) -> None:  # noqa: ANN001
        db.session.add(
            NodeSnapshot(
                node_id=node.id,
                taken_at=NOW - timedelta(days=days_ago),
                reachable=reachable,
                users_total=total,
                active_month=active,
            )
        )

    snap(nord, 100, 10)  # before the window: the baseline
    snap(nord, 15, 12, 5)
    snap(nord, 9, 15, 6)  # last of its week counts
    snap(nord, 8, 14, 7)
    snap(nord, 2, None, reachable=False)
    snap(nord, 1, 20, 8)
    snap(sued, 1, 30, 9)  # its first reading: no growth known
    db.session.commit()
    board = dashboard("12w", None, now=NOW)
    nord_figures, sued_figures = board.parts
    assert nord_figures.values["new_accounts"][-3:] == [2, 2, 6]
    assert nord_figures.values["new_accounts"][0] is None
    assert nord_figures.values["active_month"][-3:] == [5, 7, 8]
    assert sued_figures.values["new_accounts"][-1] is None
    assert board.total.values["active_month"][-1] == 17
    assert board.total.values["new_accounts"][-1] == 6


def test_former_members_keep_their_history(coordination, factories, member_node) -> None:
    member_node("alt.example", "Altstadt", status=NodeStatus.LEFT)
    member_node("neu.example", status=NodeStatus.APPLIED)
    post_at(factories, factories.remote_actor("o", "alt.example"), NOW - timedelta(days=1))
    post_at(factories, factories.remote_actor("p", "neu.example"), NOW - timedelta(days=1))
    board = dashboard("12w", None, now=NOW)
    assert [node.domain for node in board.nodes] == ["alt.example"]
    assert board.total.values["posts"][-1] == 1


def test_the_page_draws_accessible_charts_with_a_table(coordinator, factories, member_node) -> None:
    member_node("nord.example", "Nordviertel")
    post_at(factories, factories.remote_actor("anna", "nord.example"), datetime.now(UTC))
    html = text_of(coordinator.get("/network/dashboard?period=12m"))
    assert html.count("<h1") == 1
    assert '<svg role="img" aria-labelledby="chart-posts-title chart-posts-desc"' in html
    assert '<title id="chart-posts-title">Posts – All initiatives</title>' in html
    assert '<desc id="chart-posts-desc">' in html
    assert "<script" not in html
    assert '<th scope="col">Posts</th>' in html
    assert 'href="/network/dashboard?period=12m&amp;node=nord.example"' in html
    assert '<option value="12m" selected>Last 12 months</option>' in html


def test_bad_selections_are_refused_with_a_message(coordinator, member_node) -> None:
    response = coordinator.get("/network/dashboard?period=5y")
    assert response.status_code == 400
    assert "Please choose one of the offered periods." in text_of(response)
    response = coordinator.get("/network/dashboard.csv?node=unknown.example")
    assert response.status_code == 400
    assert "There is no member initiative at this address." in text_of(response)


def test_the_csv_has_the_same_figures_and_is_safe_in_a_spreadsheet(
    coordinator, factories, member_node
) -> None:
    member_node("nord.example", '=HYPERLINK("http://evil.example")')
    post_at(factories, factories.remote_actor("anna", "nord.example"), datetime.now(UTC))
    response = coordinator.get("/network/dashboard.csv?period=26w")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="network-figures-26w.csv"'
    )
    rows = list(csv.reader(io.StringIO(text_of(response))))
    assert rows[0][:5] == ["Period", "Period starts", "Initiative", "Address", "Posts"]
    assert len(rows) == 1 + 26 * 2  # the initiative, then the total
    member_rows = [row for row in rows[1:] if row[3] == "nord.example"]
    assert all(row[2].startswith("'=HYPERLINK") for row in member_rows)
    assert member_rows[-1][4] == "1"
    assert rows[-1][2:5] == ["All initiatives", "", "1"]
    filtered = coordinator.get("/network/dashboard.csv?period=12w&node=nord.example")
    assert (
        'filename="network-figures-12w-nord.example.csv"'
        in (filtered.headers["Content-Disposition"])
    )
    assert len(list(csv.reader(io.StringIO(text_of(filtered))))) == 1 + 12


def test_coordinators_find_the_overview_in_the_navigation(app, factories, make_client) -> None:
    moderator = logged_in_client(make_client, factories.user("mod", role=Role.MODERATOR))
    member = logged_in_client(make_client, factories.user("anna"))
    assert 'href="/network/dashboard"' not in text_of(moderator.get("/about"))
    from quarter_node.plugins.services import save_plugin_settings_by_operator

    save_plugin_settings_by_operator("network", {"role": "coordination"})
    db.session.commit()
    assert 'href="/network/dashboard">Network overview</a>' in text_of(moderator.get("/about"))
    assert 'href="/network/dashboard"' not in text_of(member.get("/about"))


def test_the_dashboard_speaks_german_by_default(coordinator, member_node) -> None:
    from quarter_node.node.services import update_node_settings

    update_node_settings(default_language="de")
    db.session.commit()
    member_node("nord.example", "Nordviertel")
    html = text_of(coordinator.get("/network/dashboard"))
    assert "<h1>Aktivität im Netzwerk</h1>" in html
    assert "Letzte 12 Wochen" in html and "Teilnehmende an Veranstaltungen" in html
    assert "Keine Zahlen in diesen Zeiträumen." in html
    health = text_of(coordinator.get("/network/health"))
    assert "<h1>Zustand der Föderation</h1>" in health
