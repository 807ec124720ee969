from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _request(app):  # noqa: ANN001, ANN202
    """Services speak the user's language, which comes from a request."""
    with app.test_request_context():
        yield
