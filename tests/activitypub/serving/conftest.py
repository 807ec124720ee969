"""Fixtures of the serving tests."""

from __future__ import annotations

import itertools

import pytest

from quarter_node.activitypub import keys
from tests.activitypub.serving.support import keypair


@pytest.fixture(autouse=True)
def pooled_local_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Local actors get keys from a small pool made once per process instead of a fresh
    RSA-2048 key each (the slowest part of these tests). Key ids stay distinct; only the
    key material repeats, which nothing served here depends on. Remote test actors sign
    with pair 0 and forgeries with pair 1, so the pool uses others."""
    pool = itertools.cycle([keypair(2), keypair(3), keypair(4)])
    monkeypatch.setattr(keys, "generate_rsa_keypair", lambda *args, **kwargs: next(pool))
