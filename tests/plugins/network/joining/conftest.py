"""Network tests run a node in DEV_MODE (loopback peers allowed) with fake nodes served by
``responses`` (the ActivityPub inbox fixtures): nothing leaves the process."""

from __future__ import annotations

from tests.activitypub.inbox.conftest import app, peers, pooled_local_keys  # noqa: F401
