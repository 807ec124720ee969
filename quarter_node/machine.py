"""Machine endpoints: URLs that other servers call, never a person's browser.

The ActivityPub inboxes receive signed JSON from remote servers at a high rate. They have
no session, no login, no language, no form and no page around them, so the app-wide hooks
written for pages (the set-up redirect, ending a suspended account's session, the plugin
404 guard, CSRF, rate limits) have nothing to do there but cost time on every request.

ONE mechanism: a blueprint is declared a machine blueprint here (``machine_blueprint``),
and every app-wide page hook asks ``is_machine_request()`` first. A machine endpoint does
whatever of those checks still matters to it itself (the inbox reads the set-up state in
its one gate query, see ``activitypub.policy.inbox_gate``), so nothing is skipped silently.
"""

from __future__ import annotations

from flask import Blueprint, request

from quarter_node.extensions import csrf, limiter

_MACHINE_BLUEPRINTS: set[str] = set()


def machine_blueprint(bp: Blueprint) -> Blueprint:
    """Mark ``bp`` as serving machines only: no CSRF token (servers sign instead), no
    per-client rate limit of the pages, and the page hooks skip its requests."""
    _MACHINE_BLUEPRINTS.add(bp.name)
    csrf.exempt(bp)
    limiter.exempt(bp)
    return bp


def is_machine_request() -> bool:
    """Is the current request for an endpoint of a machine blueprint?"""
    return request.blueprint in _MACHINE_BLUEPRINTS
