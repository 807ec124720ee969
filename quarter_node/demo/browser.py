"""A person at a browser without JavaScript: a cookie session, forms with the page's CSRF
token. The demo writes its posts, events and groups through the nodes' own forms, so it
goes through the same checks (and federates the same way) as a person would."""

from __future__ import annotations

import re
from typing import Any

import requests

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class FormRefused(RuntimeError):
    """A node answered a form with something else than a redirect."""


class Browser:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=30)

    def text(self, path: str) -> str:
        response = self.get(path)
        return response.text if response.status_code == 200 else ""

    def submit(self, path: str, data: dict[str, Any], form_page: str = "/about") -> str:
        """POST a form with the CSRF token of ``form_page``; the address it redirects to."""
        match = CSRF_RE.search(self.get(form_page).text)
        if match is None:
            raise FormRefused(f"no form token on {form_page}")
        response = self.session.post(
            self.base_url + path,
            data={"csrf_token": match.group(1), **data},
            timeout=60,
            allow_redirects=False,
        )
        if response.status_code not in (302, 303):
            raise FormRefused(f"POST {path}: {response.status_code} {_visible(response.text)}")
        return response.headers.get("Location", "")

    def login(self, email: str, password: str) -> None:
        self.submit("/login", {"email": email, "password": password}, form_page="/login")


def _visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())[:400]
