"""Events federation tests reuse the node fixtures of the ActivityPub tests: loopback
receivers that verify our signatures (outgoing) and fake signed peers (incoming)."""

from __future__ import annotations

from tests.activitypub.delivery.conftest import app, key_ring, receivers  # noqa: F401
from tests.activitypub.inbox.conftest import bob, carol, peers, pooled_local_keys  # noqa: F401
