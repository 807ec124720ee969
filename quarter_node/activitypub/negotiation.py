"""Telling ActivityPub fetches from browsers, and answering them with JSON.

The ids of our actors and posts are their HTML pages. A peer asks for
``application/activity+json`` or ``application/ld+json; profile="…activitystreams"``; a
browser asks for ``text/html``. Whoever prefers ActivityStreams gets JSON.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request, Response

from federation import vocabulary as v

ACTIVITY_CONTENT_TYPE = f"{v.ACTIVITY_JSON}; charset=utf-8"


def _is_activity_type(mimetype: str) -> bool:
    """Both spellings peers use; ``application/ld+json`` also without its profile, since
    some servers (Misskey forks, older Pleroma) leave the profile out."""
    return mimetype in (v.ACTIVITY_JSON, "application/ld+json")


def wants_activity_json(request: Request) -> bool:
    """Does the ``Accept`` header prefer an ActivityStreams document over HTML?

    Quality values are honoured; when both are equally welcome, HTML wins, so a browser
    sending ``*/*`` keeps its page.
    """
    best_as, best_html = 0.0, 0.0
    for entry in request.headers.get("Accept", "").split(","):
        mimetype, _sep, rest = entry.strip().partition(";")
        mimetype = mimetype.strip().lower()
        quality = _quality(rest)
        if _is_activity_type(mimetype):
            best_as = max(best_as, quality)
        elif mimetype in ("text/html", "application/xhtml+xml"):
            best_html = max(best_html, quality)
    return best_as > 0 and best_as > best_html


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _sep, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def activity_response(document: dict[str, Any], status: int = 200) -> Response:
    """A JSON-LD document with our content type; ``Vary: Accept`` because the same URL
    also serves HTML, and shared caches must keep the two apart."""
    response = Response(
        json.dumps(document, ensure_ascii=False), status=status, content_type=ACTIVITY_CONTENT_TYPE
    )
    response.vary.add("Accept")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def not_found() -> Response:
    """The same answer for "does not exist" and "not for you": existence stays secret."""
    return activity_response({"error": "Not found"}, 404)
