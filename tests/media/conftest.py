from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _request(request: pytest.FixtureRequest) -> Iterator[None]:
    """Services speak the user's language, which comes from a request. Tests without the
    ``app`` fixture (pure functions) do without, and stay fast."""
    if "app" not in request.fixturenames:
        yield
        return
    with request.getfixturevalue("app").test_request_context():
        yield
