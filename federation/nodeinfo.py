"""NodeInfo: telling peers (and fediverse statistics sites) what our node is.

``/.well-known/nodeinfo`` lists the schema documents; we serve NodeInfo 2.1 and, per
FEP-2677, a link to our application actor. ``parse_nodeinfo`` reads peers' 2.0/2.1
documents, tolerating the fields servers leave out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from federation.errors import InvalidDocument

SCHEMA_21 = "http://nodeinfo.diaspora.software/ns/schema/2.1"
SCHEMA_20 = "http://nodeinfo.diaspora.software/ns/schema/2.0"
PROFILE_21 = 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"'
#: FEP-2677: the link relation naming a server's application (instance) actor.
APPLICATION_ACTOR_REL = "https://www.w3.org/ns/activitystreams#Application"


def build_well_known(nodeinfo_url: str, application_actor_url: str | None = None) -> dict:
    """The ``/.well-known/nodeinfo`` links document."""
    links = [{"rel": SCHEMA_21, "href": nodeinfo_url}]
    if application_actor_url:
        links.append({"rel": APPLICATION_ACTOR_REL, "href": application_actor_url})
    return {"links": links}


@dataclass(frozen=True)
class Usage:
    """The counts NodeInfo publishes; ``None`` leaves a count out (privacy, small nodes)."""

    users_total: int | None = None
    active_month: int | None = None
    active_halfyear: int | None = None
    local_posts: int | None = None


def build_nodeinfo(
    *,
    software_name: str,
    version: str,
    open_registrations: bool,
    usage: Usage,
    repository: str | None = None,
    homepage: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A NodeInfo 2.1 document.

    The software name must match ``^[a-z0-9-]+$`` by the schema, so it is checked here
    rather than silently producing an invalid document.
    """
    if not software_name or not all(c.islower() or c.isdigit() or c == "-" for c in software_name):
        raise ValueError("NodeInfo software names are lower-case letters, digits and '-'")
    software: dict[str, Any] = {"name": software_name, "version": version}
    software |= {k: v for k, v in (("repository", repository), ("homepage", homepage)) if v}
    users = {
        key: value
        for key, value in (
            ("total", usage.users_total),
            ("activeMonth", usage.active_month),
            ("activeHalfyear", usage.active_halfyear),
        )
        if value is not None
    }
    usage_doc: dict[str, Any] = {"users": users}
    if usage.local_posts is not None:
        usage_doc["localPosts"] = usage.local_posts
    return {
        "version": "2.1",
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": open_registrations,
        "usage": usage_doc,
        "metadata": dict(metadata or {}),
    }


def _links(well_known: Any) -> list[Mapping[str, Any]]:
    links = well_known.get("links") if isinstance(well_known, Mapping) else None
    return [link for link in links or [] if isinstance(link, Mapping)]


def nodeinfo_url(well_known: Any) -> str:
    """The best NodeInfo document URL in a peer's links document (2.1 before 2.0)."""
    by_rel = {link.get("rel"): link.get("href") for link in _links(well_known)}
    for rel in (SCHEMA_21, SCHEMA_20):
        if isinstance(by_rel.get(rel), str):
            return by_rel[rel]
    raise InvalidDocument("no NodeInfo 2.0 or 2.1 link")


def application_actor_url(well_known: Any) -> str | None:
    """The peer's application actor according to FEP-2677, if it publishes one."""
    for link in _links(well_known):
        if link.get("rel") == APPLICATION_ACTOR_REL and isinstance(link.get("href"), str):
            return link["href"]
    return None


@dataclass(frozen=True)
class PeerInfo:
    """What we keep about a peer server from its NodeInfo."""

    software: str
    version: str | None
    protocols: tuple[str, ...]
    open_registrations: bool | None
    users_total: int | None
    node_name: str | None


def parse_nodeinfo(document: Any) -> PeerInfo:
    """Read a peer's NodeInfo 2.0/2.1 document; raises ``InvalidDocument`` without software."""
    if not isinstance(document, Mapping) or not isinstance(document.get("software"), Mapping):
        raise InvalidDocument("NodeInfo without software")
    software = document["software"]
    if not isinstance(software.get("name"), str):
        raise InvalidDocument("NodeInfo without software name")
    usage = document.get("usage") if isinstance(document.get("usage"), Mapping) else {}
    users = usage.get("users") if isinstance(usage.get("users"), Mapping) else {}
    metadata = document.get("metadata") if isinstance(document.get("metadata"), Mapping) else {}
    total = users.get("total")
    registrations = document.get("openRegistrations")
    return PeerInfo(
        software=software["name"].lower(),
        version=software.get("version") if isinstance(software.get("version"), str) else None,
        protocols=tuple(p for p in document.get("protocols") or [] if isinstance(p, str)),
        open_registrations=registrations if isinstance(registrations, bool) else None,
        users_total=total if isinstance(total, int) and not isinstance(total, bool) else None,
        node_name=metadata.get("nodeName") if isinstance(metadata.get("nodeName"), str) else None,
    )
