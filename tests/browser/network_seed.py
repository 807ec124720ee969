"""Content of three member initiatives on a coordination node, written into its database:
``python -m tests.browser.network_seed`` with the node's environment (``QN_DATABASE_URL``,
``QN_INSTANCE_PATH``), before the node starts.

The rows are what the join protocol and aggregation leave behind (approved ``NetworkNode``
entries, remote people, their public posts, indexed for the search as the ORM saves them,
daily NodeInfo snapshots), written the way ``tests/bench/network_search.py`` writes them:
the browser test is about the pages, the protocol is tested in ``tests/multinode/network/``.
Nobody here has an avatar or a remote picture, so a page that loads anything from a
member's server is a defect.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

MEMBERS = [
    # domain, name, quarter, topics, latitude, longitude
    ("flingern.example", "Nachbarschaft Flingern", "Flingern", "Garten, Kultur", 51.2290, 6.8040),
    ("bilk.example", "Stadtteilladen Bilk", "Bilk", "Reparieren", 51.2080, 6.7790),
    ("oberbilk.example", "Garten Oberbilk", "Oberbilk", "Garten", 51.2140, 6.8010),
]
PEOPLE = ("anna", "ben")
POSTS = [
    "Das Hoffest im Gemeinschaftsgarten beginnt am Samstag um 14 Uhr.",
    "Repair-Café: Toaster, Lampen und Fahrräder werden wieder heil.",
    "Wir suchen Helferinnen und Helfer für die Pflanzaktion an der Kiefernstraße.",
    "Lesung im Stadtteilladen mit Kaffee und Kuchen, alle sind willkommen.",
]


def seed() -> None:
    from plugins.network.models import NetworkNode, NodeSnapshot, NodeStatus
    from quarter_node.accounts.models import Actor, ActorKind
    from quarter_node.extensions import db
    from quarter_node.posts.models import Post, Visibility

    now = datetime.now(UTC)
    for number, (domain, name, quarter, topics, lat, lon) in enumerate(MEMBERS):
        node = NetworkNode(
            domain=domain,
            actor_uri=f"https://{domain}/actor",
            status=NodeStatus.APPROVED,
            name=name,
            quarter=quarter,
            topics=topics,
            contact=f"kontakt@{domain}",
            summary=f"Die Initiative {name} verbindet die Nachbarschaft in {quarter}.",
            latitude=lat,
            longitude=lon,
            software="quarter-node",
            version="1.0",
            reachable=True,
            checked_at=now,
            decided_at=now - timedelta(days=120),
        )
        db.session.add(node)
        db.session.flush()
        for week in range(12):
            db.session.add(
                NodeSnapshot(
                    node_id=node.id,
                    taken_at=now - timedelta(weeks=week),
                    reachable=True,
                    users_total=40 + 5 * number - week,
                    active_month=12 + number + week % 3,
                    local_posts=200 - 4 * week,
                )
            )
        for handle in PEOPLE:
            actor = Actor(
                kind=ActorKind.PERSON,
                handle=handle,
                domain=domain,
                display_name=f"{handle.title()} aus {quarter}",
                uri=f"https://{domain}/users/{handle}",
                inbox_url=f"https://{domain}/users/{handle}/inbox",
                profile_url=f"https://{domain}/@{handle}",
                fetched_at=now,
            )
            db.session.add(actor)
            db.session.flush()
            for index, text in enumerate(POSTS):
                uri = f"https://{domain}/posts/{handle}-{index}"
                post = Post(
                    author_id=actor.id,
                    visibility=Visibility.PUBLIC,
                    source="",
                    content_html=f"<p>{text}</p>",
                    language="de",
                    uri=uri,
                    url=uri,
                    created_at=now - timedelta(days=3 * index + number + 1, hours=len(handle)),
                )
                db.session.add(post)
    db.session.commit()


def main() -> None:
    from quarter_node.app import create_app

    with create_app().app_context():
        seed()


if __name__ == "__main__":
    main()
