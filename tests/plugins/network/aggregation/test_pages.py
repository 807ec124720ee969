"""The coordination node's pages of what its members publish: timeline, calendar and
directory; 404 on quarter nodes; a navigation entry on the coordination node only."""

from __future__ import annotations

import re

from quarter_node.accounts.models import Actor
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings
from quarter_node.plugins.services import set_plugin_enabled_by_operator
from quarter_node.posts.models import Post
from quarter_node.social.models import Follow, FollowState
from tests.plugins.network.aggregation.helpers import publish, publish_event

PAGES = ("/network", "/network/calendar", "/network/directory", "/network/search")


def _one_h1(html: str) -> None:
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_the_pages_exist_on_the_coordination_node_only(client, app) -> None:  # noqa: ANN001
    for path in PAGES:
        assert client.get(path).status_code == 404, path
    assert 'href="/network"' not in client.get("/local").text


def test_the_navigation_leads_to_the_network_on_the_coordination_node(client, coordination) -> None:  # noqa: ANN001
    assert 'href="/network"' in client.get("/local").text


def test_the_timeline_lists_members_public_posts_with_their_initiative(
    client, coordination, olga, fritz, stranger
) -> None:  # noqa: ANN001
    publish(client, olga, "Gießkannen gesucht")
    publish(client, fritz, "Toaster repariert")
    publish(client, stranger, "Werbung")
    page = client.get("/network")
    assert page.status_code == 200
    html = page.text
    _one_h1(html)
    assert "Gießkannen gesucht" in html and "Toaster repariert" in html
    assert "Werbung" not in html
    assert "From Garten Oberbilk (Oberbilk)" in html
    assert "From Repair Flingern (Flingern)" in html
    assert html.index("Toaster repariert") < html.index("Gießkannen gesucht")  # newest first


def test_the_timeline_is_paged(client, coordination, olga) -> None:  # noqa: ANN001
    for number in range(25):
        publish(client, olga, f"Beitrag Nummer {number:02d}")
    first = client.get("/network").text
    assert "Beitrag Nummer 24" in first and "Beitrag Nummer 00" not in first
    older = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert older is not None
    second = client.get(older.group(1).replace("&amp;", "&")).text
    assert "Beitrag Nummer 00" in second and "Beitrag Nummer 24" not in second


def test_the_calendar_shows_members_events_of_the_month(
    client, peers, coordination, fritz, stranger
) -> None:  # noqa: ANN001
    publish_event(client, peers, fritz, "Repair-Café")
    publish_event(client, peers, stranger, "Verkaufsparty")
    page = client.get("/network/calendar?month=2027-06")
    assert page.status_code == 200
    _one_h1(page.text)
    assert "Repair-Café" in page.text and "From Repair Flingern (Flingern)" in page.text
    assert "Verkaufsparty" not in page.text
    assert "Repair-Café" not in client.get("/network/calendar?month=2027-07").text


def test_without_the_events_plugin_the_calendar_says_so(client, coordination) -> None:  # noqa: ANN001
    set_plugin_enabled_by_operator("events", False)
    db.session.commit()
    page = client.get("/network/calendar")
    assert page.status_code == 200
    assert "This node does not show events." in page.text
    assert client.get("/network/directory").status_code == 200


def test_the_directory_describes_each_initiative_with_its_recent_activity(
    client, peers, coordination, olga, fritz
) -> None:  # noqa: ANN001
    publish(client, olga, "Gießkannen gesucht")
    publish_event(client, peers, fritz, "Repair-Café")
    html = client.get("/network/directory").text
    _one_h1(html)
    oberbilk = html[html.index("Garten Oberbilk") : html.index("Repair Flingern")]
    assert "Oberbilk" in oberbilk and "Garten, Kultur" in oberbilk
    assert 'href="mailto:garten@oberbilk.example"' in oberbilk
    assert 'href="http://127.0.0.1:59999/"' in oberbilk
    assert "Gießkannen gesucht" in oberbilk and "<time" in oberbilk
    flingern = html[html.index("Repair Flingern") :]
    assert "Reparieren" in flingern and "Repair-Café" in flingern


def test_the_pages_speak_german_by_default(client, coordination, olga) -> None:  # noqa: ANN001
    update_node_settings(default_language="de")
    db.session.commit()
    publish(client, olga, "Gießkannen gesucht")
    assert "Beiträge des Netzwerks" in client.get("/network").text
    assert "Von Garten Oberbilk (Oberbilk)" in client.get("/network").text
    assert "Initiativen des Netzwerks" in client.get("/network/directory").text
    assert "Kalender des Netzwerks" in client.get("/network/calendar").text


def test_members_posts_kept_for_a_follower_here_stay_off_the_network_pages(
    client, coordination, olga, factories
) -> None:  # noqa: ANN001
    publish(client, olga, "Öffentlich")  # stores olga
    follower = factories.user("fiona")
    olga_row = db.session.scalar(db.select(Actor).where(Actor.uri == olga.uri))
    db.session.add(
        Follow(follower_id=follower.actor_id, followed_id=olga_row.id, state=FollowState.ACCEPTED)
    )
    db.session.commit()
    note = publish(client, olga, "Nur für Folgende", to=[f"{olga.uri}/followers"], cc=[])
    assert db.session.scalar(db.select(Post.id).where(Post.uri == note["id"])) is not None

    for path in ("/network", "/network/directory"):
        html = client.get(path).text
        assert "Öffentlich" in html and "Nur für Folgende" not in html, path
