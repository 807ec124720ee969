"""Helpers for the federation library's tests: they need no app and no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


def load_fixture(name: str) -> Any:
    """Read ``fixtures/<server>/<file>.json`` as peers would send it."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def fixture():
    """The loader as a fixture, for tests that prefer injection over imports."""
    return load_fixture
