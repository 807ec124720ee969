"""Links to other domains' pages, built by endpoint name with the documented path as a
fallback, so notification and moderation pages work while those pages are being built and
follow them if their URLs change."""

from __future__ import annotations

from typing import Any

from flask import url_for
from werkzeug.routing import BuildError


def _url(endpoint: str, fallback: str, **values: Any) -> str:
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return fallback


def post_url(post_id: int) -> str:
    return _url("posts.view", f"/posts/{post_id}", post_id=post_id)


def profile_url(handle: str) -> str:
    return _url("social.profile", f"/@{handle}", handle=handle)


def group_url(handle: str) -> str:
    return _url("groups.view", f"/groups/{handle}", handle=handle)


def join_requests_url(handle: str) -> str:
    """Where group moderators answer join requests (the group's settings page)."""
    return _url("groups.settings", f"/groups/{handle}/settings", handle=handle)


def follow_requests_url(requester_handle: str) -> str:
    """Where people answer follow requests (federation's page); the requester's profile
    if that page is missing."""
    return _url("federation_ui.follow_requests", profile_url(requester_handle))


def registrations_url() -> str:
    return _url("accounts.registration_queue", "/moderation/registrations")
