"""Set-up tests keep the set-up token in a throw-away instance folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def own_instance_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Autouse fixtures run before ``app``, so the app is made with this instance folder
    (the developer's ``instance/`` never receives a token from a test)."""
    instance = tmp_path / "instance"
    monkeypatch.setenv("QN_INSTANCE_PATH", str(instance))
    return instance
