"""Helpers for driving the app like a browser: forms with their CSRF token, logging in."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.factories import DEFAULT_PASSWORD

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/about") -> str:
    """Fetch a page and take the CSRF token from its forms (every page has one: language)."""
    html = client.get(page).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


def post_form(
    client: FlaskClient,
    url: str,
    data: dict[str, Any] | None = None,
    *,
    follow_redirects: bool = False,
    **kwargs: Any,
) -> TestResponse:
    """POST like a browser would: with this session's CSRF token."""
    payload = {"csrf_token": csrf_token(client), **(data or {})}
    return client.post(url, data=payload, follow_redirects=follow_redirects, **kwargs)


def login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD) -> TestResponse:
    response = post_form(client, "/login", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def logged_in_client(make_client, user, password: str = DEFAULT_PASSWORD) -> FlaskClient:  # noqa: ANN001
    client = make_client()
    login(client, user.email, password)
    return client


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def found(viewer: Any, query: str, **filters: Any) -> list[str]:
    """The URLs the core search finds for ``viewer`` (None: a visitor), best first."""
    from quarter_node.search.services import SearchRequest, run_search

    return [hit.url for hit in run_search(SearchRequest(query=query, **filters), viewer).hits]
