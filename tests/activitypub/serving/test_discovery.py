"""WebFinger, NodeInfo and host-meta as other servers read them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from federation.nodeinfo import application_actor_url, nodeinfo_url, parse_nodeinfo
from federation.webfinger import actor_url_from_jrd, subject_handle
from quarter_node.accounts.models import AccountState
from quarter_node.db_types import utcnow
from quarter_node.extensions import db
from quarter_node.node.services import update_node_settings

BASE = "http://localhost"


def _finger(client, resource: str):  # noqa: ANN001, ANN202
    return client.get("/.well-known/webfinger", query_string={"resource": resource})


@pytest.mark.parametrize(
    ("resource", "actor_url"),
    [
        ("acct:anna@localhost", f"{BASE}/@anna"),
        ("acct:Anna@LOCALHOST", f"{BASE}/@anna"),
        ("acct:garten@localhost", f"{BASE}/groups/garten"),
        ("acct:instance.actor@localhost", f"{BASE}/actor"),
        (f"{BASE}/@anna", f"{BASE}/@anna"),
        (f"{BASE}/groups/garten", f"{BASE}/groups/garten"),
    ],
)
def test_webfinger_finds_people_groups_and_the_instance_actor(
    client, factories, resource: str, actor_url: str
) -> None:
    factories.user("anna")
    factories.group("garten")
    response = _finger(client, resource)
    assert response.status_code == 200
    assert response.mimetype == "application/jrd+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    jrd = response.get_json()
    assert actor_url_from_jrd(jrd) == actor_url
    assert subject_handle(jrd).host == "localhost"
    if "instance.actor" not in resource:
        profile = [link for link in jrd["links"] if link["rel"].endswith("profile-page")]
        assert profile[0]["href"] == actor_url


@pytest.mark.parametrize(
    "resource", ["acct:nobody@localhost", "acct:anna@elsewhere.example", "acct:waiting@localhost"]
)
def test_webfinger_unknown_resources_are_404(client, factories, resource: str) -> None:
    factories.user("anna")
    factories.user("waiting", state=AccountState.PENDING)
    assert _finger(client, resource).status_code == 404


@pytest.mark.parametrize("resource", ["", "anna", "acct:@localhost", "mailto:x"])
def test_webfinger_bad_resources_are_400(client, resource: str) -> None:
    assert _finger(client, resource).status_code == 400
    assert client.get("/.well-known/webfinger").status_code == 400


def test_nodeinfo_links_and_document(client, factories) -> None:
    update_node_settings(registration_mode="invitation", name="Nordstadt")
    active = factories.user("anna")
    active.last_login_at = utcnow() - timedelta(days=3)
    old = factories.user("bert")
    old.last_login_at = utcnow() - timedelta(days=90)
    factories.user("waiting", state=AccountState.PENDING)
    factories.post(active)
    factories.post(old).deleted_at = utcnow()
    db.session.commit()
    links = client.get("/.well-known/nodeinfo").get_json()
    assert nodeinfo_url(links) == f"{BASE}/nodeinfo/2.1"
    assert application_actor_url(links) == f"{BASE}/actor"
    response = client.get("/nodeinfo/2.1")
    assert "nodeinfo.diaspora.software/ns/schema/2.1" in response.headers["Content-Type"]
    document = response.get_json()
    info = parse_nodeinfo(document)
    assert (info.software, info.protocols) == ("quarter-node", ("activitypub",))
    assert info.version and info.version[0].isdigit()
    assert info.open_registrations is False
    assert info.node_name == "Nordstadt"
    users = document["usage"]["users"]
    assert (users["total"], users["activeMonth"], users["activeHalfyear"]) == (2, 1, 2)
    assert document["usage"]["localPosts"] == 1


def test_nodeinfo_says_open_registrations_when_anybody_can_register(client) -> None:
    update_node_settings(registration_mode="open")
    db.session.commit()
    assert client.get("/nodeinfo/2.1").get_json()["openRegistrations"] is True


def test_host_meta_points_to_webfinger(client) -> None:
    response = client.get("/.well-known/host-meta")
    assert response.mimetype == "application/xrd+xml"
    body = response.get_data(as_text=True)
    assert 'rel="lrdd"' in body
    assert f'template="{BASE}/.well-known/webfinger?resource={{uri}}"' in body
