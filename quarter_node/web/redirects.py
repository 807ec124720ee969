"""Redirect targets taken from requests, limited to this node."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_url(candidate: str | None, fallback: str) -> str:
    """Return ``candidate`` if it is a path on this node, else ``fallback`` (no open redirect)."""
    if not candidate:
        return fallback
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc or not candidate.startswith("/") or candidate.startswith("//"):
        return fallback
    if "\\" in candidate:
        return fallback
    return candidate
