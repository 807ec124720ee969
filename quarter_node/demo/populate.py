"""The demo's people at work: they follow each other across the nodes, then write posts,
found a group and announce events, all through the nodes' own forms."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .browser import Browser
from .content import PASSWORD, Event, Initiative, Person
from .nodes import DemoNode, poll

FOLLOW_TIMEOUT = 30.0
GROUP_ID_RE = re.compile(r'name="group_id"[^>]*value="(\d+)"')


def logged_in(node: DemoNode, person: Person) -> Browser:
    browser = Browser(node.url)
    browser.login(person.email, PASSWORD)
    return browser


def follow(browser: Browser, follower: Person, target: Person, target_node: DemoNode) -> None:
    """``follower`` follows ``@target@host`` by typing it into the remote-follow form."""
    browser.submit("/remote/follow", {"handle": f"@{target.handle}@{target_node.host}"})
    following = f"/@{follower.handle}/following"
    if not poll(lambda: target.handle in browser.text(following), FOLLOW_TIMEOUT):
        raise TimeoutError(f"{target_node.host} never accepted {follower.handle}'s follow")


def publish(node: DemoNode, initiative: Initiative) -> None:
    """Posts, the group with its first post, and the events of one initiative."""
    browsers = {person.handle: logged_in(node, person) for person in initiative.people}
    for handle, text in initiative.posts:
        browsers[handle].submit("/posts", _post(text))
    admin = browsers[initiative.admin.handle]
    if initiative.group is not None:
        group = initiative.group
        admin.submit(
            "/groups/new",
            {
                "handle": group.handle,
                "display_name": group.name,
                "description": group.description,
                "visibility": "public",
                "join_mode": "open",
            },
        )
        match = GROUP_ID_RE.search(admin.text(f"/groups/{group.handle}"))
        if match:
            admin.submit("/posts", _post(group.post) | {"group_id": match.group(1)})
    for event in initiative.events:
        admin.submit("/events/new", _event_form(event))


def _post(text: str) -> dict[str, str]:
    return {"text": text, "visibility": "public", "group_id": "", "in_reply_to": ""}


def _event_form(event: Event) -> dict[str, str]:
    day = date.today() + timedelta(days=event.days_ahead)
    return {
        "title": event.title,
        "description": event.description,
        "start_date": day.isoformat(),
        "start_time": event.time,
        "timezone": "Europe/Berlin",
        "repeat": "none",
        "interval": "1",
        "repeat_end": "never",
        "place_name": event.place,
        "street_address": event.street,
        "locality": "Düsseldorf",
        "country": "DE",
        "latitude": str(event.latitude),
        "longitude": str(event.longitude),
        "language": "de",
        "visibility": "public",
        "join_mode": "free",
    }
