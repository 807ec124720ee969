"""Snapshots: the coordination node reads each member's NodeInfo (HTTP faked by
``responses``; one test at the end asks a real node process)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import responses
from sqlalchemy import select

from plugins.network import snapshots
from plugins.network.models import NodeSnapshot, NodeStatus
from quarter_node.extensions import db

WELL_KNOWN = "https://{}/.well-known/nodeinfo"
SCHEMA_21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"


@pytest.fixture
def app(app_factory):  # noqa: ANN001, ANN201
    """A node in development mode (the guarded client then lets ``responses`` answer)."""
    app = app_factory(DEV_MODE=True)
    with app.app_context():
        from quarter_node.node.services import update_node_settings

        update_node_settings(setup_complete=True, name="Netzwerk", default_language="en")
        db.session.commit()
        yield app
        db.session.remove()


@pytest.fixture
def peers() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def serve_nodeinfo(peers, domain: str, document: dict, href: str | None = None) -> None:  # noqa: ANN001
    href = href or f"https://{domain}/nodeinfo/2.1"
    peers.get(WELL_KNOWN.format(domain), json={"links": [{"rel": SCHEMA_21, "href": href}]})
    peers.get(href, json=document)


def nodeinfo(total: int = 40, active: int = 12, posts: int = 300, version: str = "1.4.0") -> dict:
    return {
        "version": "2.1",
        "software": {"name": "quarter-node", "version": version},
        "protocols": ["activitypub"],
        "usage": {"users": {"total": total, "activeMonth": active}, "localPosts": posts},
        "openRegistrations": False,
    }


def snapshots_of(node) -> list[NodeSnapshot]:  # noqa: ANN001
    query = select(NodeSnapshot).where(NodeSnapshot.node_id == node.id).order_by(NodeSnapshot.id)
    return list(db.session.scalars(query))


def test_a_reachable_member_gets_a_snapshot_with_its_figures(
    coordination, member_node, peers
) -> None:
    node = member_node("nord.example", "Nordviertel")
    serve_nodeinfo(peers, "nord.example", nodeinfo(total=40, active=12, posts=300))
    snapshots.take_snapshots()
    [snapshot] = snapshots_of(node)
    assert snapshot.reachable is True
    assert (snapshot.users_total, snapshot.active_month, snapshot.local_posts) == (40, 12, 300)
    db.session.refresh(node)
    assert (node.software, node.version, node.reachable) == ("quarter-node", "1.4.0", True)
    assert node.checked_at is not None


def test_an_unreachable_member_gets_a_snapshot_without_figures(
    coordination, member_node, peers
) -> None:
    node = member_node("sued.example", software="quarter-node", version="1.3.0")
    peers.get(WELL_KNOWN.format("sued.example"), body=requests.ConnectionError("refused"))
    snapshots.take_snapshots()
    [snapshot] = snapshots_of(node)
    assert snapshot.reachable is False and snapshot.users_total is None
    db.session.refresh(node)
    # what it ran when last read stays known; it is marked unreachable now
    assert (node.reachable, node.version) == (False, "1.3.0")


@pytest.mark.parametrize(
    "links",
    [
        {"status": 404, "json": {}},
        {"json": {"links": []}},
        {"body": "<html>not json</html>"},
    ],
)
def test_a_member_without_a_usable_nodeinfo_counts_as_unreachable(
    coordination, member_node, peers, links
) -> None:
    node = member_node("ost.example")
    peers.get(WELL_KNOWN.format("ost.example"), **links)
    snapshots.take_snapshots()
    assert [s.reachable for s in snapshots_of(node)] == [False]


def test_a_nodeinfo_document_on_another_host_is_not_fetched(
    coordination, member_node, peers
) -> None:
    node = member_node("west.example")
    serve_nodeinfo(peers, "west.example", nodeinfo(), href="https://elsewhere.example/ni")
    snapshots.take_snapshots()
    assert [s.reachable for s in snapshots_of(node)] == [False]
    assert [call.request.url for call in peers.calls] == [WELL_KNOWN.format("west.example")]


def test_only_approved_members_are_asked(coordination, member_node, peers) -> None:
    member_node("bewerber.example", status=NodeStatus.APPLIED)
    member_node("weg.example", status=NodeStatus.LEFT)
    serve_nodeinfo(peers, "nord.example", nodeinfo())
    member = member_node("nord.example")
    taken = snapshots.take_snapshots()
    assert [snapshot.node_id for snapshot in taken] == [member.id]


def test_strange_counts_are_left_out(coordination, member_node, peers) -> None:
    document = nodeinfo()
    document["usage"] = {"users": {"total": -3, "activeMonth": True}, "localPosts": "12"}
    node = member_node("nord.example")
    serve_nodeinfo(peers, "nord.example", document)
    snapshots.take_snapshots()
    [snapshot] = snapshots_of(node)
    assert snapshot.reachable is True
    assert (snapshot.users_total, snapshot.active_month, snapshot.local_posts) == (None,) * 3


def test_the_command_takes_snapshots_now_and_reports_them(
    coordination, member_node, peers, runner
) -> None:
    member_node("nord.example")
    member_node("sued.example")
    serve_nodeinfo(peers, "nord.example", nodeinfo())
    peers.get(WELL_KNOWN.format("sued.example"), status=503)
    result = runner.invoke(args=["network", "snapshot"])
    assert result.exit_code == 0, result.output
    assert "nord.example: reachable" in result.output
    assert "sued.example: unreachable" in result.output
    assert "1 of 2 members reachable." in result.output


def test_a_quarter_node_takes_no_snapshots(member_node, peers, runner) -> None:
    member_node("nord.example")
    result = runner.invoke(args=["network", "snapshot"])
    assert result.exit_code == 1
    assert "Only a coordination node" in result.output
    snapshots.daily_snapshots.call_local()
    assert db.session.scalar(select(db.func.count(NodeSnapshot.id))) == 0
    assert len(peers.calls) == 0


def test_the_daily_job_takes_snapshots_on_the_coordination_node(
    coordination, member_node, peers
) -> None:
    node = member_node("nord.example")
    serve_nodeinfo(peers, "nord.example", nodeinfo())
    snapshots.daily_snapshots.call_local()
    assert [s.reachable for s in snapshots_of(node)] == [True]
