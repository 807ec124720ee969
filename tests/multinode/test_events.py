"""Events between two real nodes: a public event on A reaches a follower's calendar on B,
changes follow it, and a sign-up on B becomes a participation on A (Join, Accept) until
withdrawn (Leave).

Everything goes through the pages and forms people use; checks wait for the deliveries.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.multinode.conftest import Cluster
from tests.multinode.harness import (
    Browser,
    Node,
    fetch_activitypub,
    text_of_html,
    token,
    wait_until,
)
from tests.multinode.test_federation import follow

EVENT_DAY = date.today() + timedelta(days=20)


def create_event(browser: Browser, title: str, **fields: str) -> int:
    """Create a public one-off event through the form; return its id on this node."""
    data = {
        "title": title,
        "description": "Bring a cake.",
        "start_date": EVENT_DAY.isoformat(),
        "start_time": "15:00",
        "end_time": "18:00",
        "timezone": "Europe/Berlin",
        "repeat": "none",
        "repeat_end": "never",
        "place_name": "Hof Lindenstraße",
        "street_address": "Lindenstraße 12",
        "postal_code": "10969",
        "locality": "Berlin",
        "country": "DE",
        "language": "de",
        "visibility": "public",
        "join_mode": "free",
    }
    response = browser.submit("/events/new", data | fields)
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]
    match = re.search(r"/events/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def copy_of_event(node: Node, uri: str) -> int:
    found = wait_until(
        lambda: node.query("SELECT id FROM events_events WHERE uri = :uri", uri=uri),
        message=f"the event {uri} never arrived on {node.name}",
    )
    return int(found[0][0])


def test_a_public_event_reaches_a_followers_calendar_and_its_changes_follow(
    cluster: Cluster,
) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(b, anna)
    title = f"Hoffest {token('e')}"

    event_id = create_event(a, title)

    uri = f"{cluster.a.url}/events/{event_id}"
    document = fetch_activitypub(uri).json()
    assert document["type"] == "Event" and document["name"] == title
    copy_id = copy_of_event(cluster.b, uri)
    listing = text_of_html(b.page("/events"))
    assert title in listing and f"{EVENT_DAY.day}." in listing and str(EVENT_DAY.year) in listing
    assert cluster.a.host in listing  # marked as coming from A
    page = b.page(f"/events/{copy_id}")
    assert f'href="{uri}"' in page and "Lindenstraße 12" in page

    response = a.submit(f"/events/{event_id}/cancel")
    assert response.status_code in (302, 303)
    wait_until(
        lambda: cluster.b.query(
            "SELECT 1 FROM events_events WHERE id = :id AND status = 'cancelled'", id=copy_id
        ),
        message="the cancellation never reached B",
    )


def _sign_up_form(page: str, event_id: int) -> tuple[str, dict[str, str]]:
    """The event page's "I am going" form (``_signup.html``): a POST to
    ``/events/<id>/signup`` with the hidden ``state`` "going"; its action and fields."""
    for form in re.finditer(r"<form[^>]*action=\"([^\"]+)\"[^>]*>(.*?)</form>", page, re.S):
        action, body = form.group(1), form.group(2)
        fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', body))
        if action.endswith(f"/events/{event_id}/signup") and fields.get("state") == "going":
            return action, fields
    raise AssertionError("the event page has no sign-up form")


def test_a_sign_up_on_b_becomes_a_participant_on_a(cluster: Cluster) -> None:
    anna, bert = cluster.a.take(), cluster.b.take()
    a, b = cluster.a.browser(anna), cluster.b.browser(bert)
    follow(b, anna)
    title = f"Kuchenbasar {token('e')}"
    event_id = create_event(a, title)
    uri = f"{cluster.a.url}/events/{event_id}"
    copy_id = copy_of_event(cluster.b, uri)

    action, fields = _sign_up_form(b.page(f"/events/{copy_id}"), copy_id)
    response = b.submit(action.removeprefix(cluster.b.url), fields)
    assert response.status_code in (302, 303), text_of_html(response.text)[:800]

    wait_until(
        lambda: (
            f"{bert.handle}@{cluster.b.host}"
            in text_of_html(a.page(f"/events/{event_id}/participants"))
        ),
        message="bert never appeared among the participants on A",
    )
    wait_until(
        lambda: cluster.b.query(
            "SELECT 1 FROM events_participations WHERE event_id = :id AND state = 'going'",
            id=copy_id,
        ),
        message="bert's participation on B never became going",
    )
    assert "You are going." in text_of_html(b.page(f"/events/{copy_id}"))

    response = b.submit(f"/events/{copy_id}/withdraw")  # "I am not coming after all": Leave
    assert response.status_code in (302, 303)
    wait_until(
        lambda: (
            f"{bert.handle}@{cluster.b.host}"
            not in text_of_html(a.page(f"/events/{event_id}/participants"))
        ),
        message="bert's Leave never reached A",
    )
