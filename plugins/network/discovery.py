"""Finding another node from what an admin typed: its base URL, its instance actor, and
whether it coordinates a network (it serves ``/network/directory.json``)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from federation.errors import FetchError
from quarter_node.plugin_api import (
    Actor,
    InvalidInput,
    _,
    base_url,
    fetch_remote_actor,
    safe_http_get,
)

DIRECTORY_PATH = "/network/directory.json"
DIRECTORY_TYPE = "QuarterNodeNetworkDirectory"


def base_of(address: str) -> str:
    """``https://netz.example/about`` or ``netz.example`` → ``https://netz.example``; a
    bare name means plain http only on a node that runs on plain http itself (development
    and tests on loopback), never as a fallback from https."""
    value = (address or "").strip()
    if value and "://" not in value:
        scheme = "http" if base_url().startswith("http://") else "https"
        value = f"{scheme}://{value}"
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc or " " in value:
        raise InvalidInput(_("Please enter the address of a node, like https://netz.example."))
    return f"{parts.scheme}://{parts.netloc.lower()}"


def domain_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def fetch_directory(base: str) -> dict[str, Any]:
    """The coordination node's directory; refuses what is unreachable or not a network."""
    try:
        answer = safe_http_get(base + DIRECTORY_PATH, headers={"Accept": "application/json"})
    except FetchError as error:
        raise InvalidInput(_("The node at %(address)s cannot be reached.", address=base)) from error
    if answer.status == 404:
        raise InvalidInput(
            _("The node at %(address)s does not coordinate a network.", address=base)
        )
    if answer.status != 200:
        raise InvalidInput(_("The node at %(address)s cannot be reached.", address=base))
    return _parse_directory(answer.body, base)


def _parse_directory(body: bytes, base: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    if not isinstance(document, dict) or document.get("type") != DIRECTORY_TYPE:
        raise InvalidInput(
            _("The node at %(address)s does not coordinate a network.", address=base)
        )
    return document


def instance_actor_at(base: str) -> Actor:
    """The instance actor of the node at ``base`` (``/actor``, where Quarter Node keeps it)."""
    try:
        actor = fetch_remote_actor(base + "/actor")
    except FetchError:
        actor = None
    if actor is None:
        raise InvalidInput(_("The node at %(address)s cannot be reached.", address=base))
    return actor
