"""WebFinger (RFC 7033): handles, JRD documents, and finding an actor's URL.

People type ``@anna@social.example``, ``anna@social.example`` or paste a profile URL;
``parse_handle`` accepts all of these. ``build_jrd`` serves our own actors and
``actor_url_from_jrd`` reads a peer's answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from federation.errors import InvalidDocument
from federation.vocabulary import ACTIVITY_JSON, AS_NAMESPACE

JRD_JSON = "application/jrd+json"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
SUBSCRIBE = "http://ostatus.org/schema/1.0/subscribe"
_AS_TYPES = {ACTIVITY_JSON, "application/ld+json"}


@dataclass(frozen=True)
class Handle:
    """A fediverse address: a user name at a host."""

    username: str
    host: str

    @property
    def acct(self) -> str:
        """The ``acct:`` URI to ask WebFinger about."""
        return f"acct:{self.username}@{self.host}"

    def __str__(self) -> str:
        return f"@{self.username}@{self.host}"


def parse_handle(text: str) -> Handle | str:
    """Read what a person typed: a ``Handle``, or the URL itself if they pasted one.

    Hosts are lower-cased (they are case-insensitive); user names keep their case,
    since some servers distinguish it. Raises ``InvalidDocument`` for anything else.
    """
    value = text.strip()
    if value.startswith(("https://", "http://")):
        if not urlsplit(value).hostname:
            raise InvalidDocument(f"not a usable URL: {text!r}")
        return value
    value = value.removeprefix("acct:").removeprefix("@")
    username, sep, host = value.partition("@")
    if not sep or not username or not host or "@" in host or "/" in host or " " in value:
        raise InvalidDocument(f"not a fediverse address: {text!r}")
    return Handle(username, host.lower())


def webfinger_url(handle: Handle, scheme: str = "https") -> str:
    """The URL to query for a handle, on the handle's own host."""
    return (
        f"{scheme}://{handle.host}/.well-known/webfinger?resource={quote(handle.acct, safe='@:')}"
    )


def build_jrd(
    handle: Handle, actor_url: str, *, profile_url: str | None = None, aliases: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Our WebFinger answer for one of our actors.

    The ``self`` link with ``application/activity+json`` is what every server looks for;
    the profile page link lets clients show a "view profile" button.
    """
    links: list[dict[str, str]] = [{"rel": "self", "type": ACTIVITY_JSON, "href": actor_url}]
    if profile_url:
        links.insert(0, {"rel": PROFILE_PAGE, "type": "text/html", "href": profile_url})
    return {
        "subject": handle.acct,
        "aliases": list(
            dict.fromkeys([actor_url, *aliases, *([profile_url] if profile_url else [])])
        ),
        "links": links,
    }


def _is_activity_type(media_type: Any) -> bool:
    """``application/activity+json`` or JSON-LD with the ActivityStreams profile."""
    if not isinstance(media_type, str):
        return False
    base = media_type.split(";")[0].strip().lower()
    if base == ACTIVITY_JSON:
        return True
    return base == "application/ld+json" and AS_NAMESPACE in media_type


def actor_url_from_jrd(jrd: Any) -> str:
    """The actor URL in a peer's JRD: the ``self`` link of an ActivityStreams type.

    Raises ``InvalidDocument`` when there is none (e.g. a non-fediverse WebFinger).
    """
    links = jrd.get("links") if isinstance(jrd, Mapping) else None
    for link in links if isinstance(links, list) else []:
        if not isinstance(link, Mapping) or link.get("rel") != "self":
            continue
        href = link.get("href")
        if _is_activity_type(link.get("type")) and isinstance(href, str) and href:
            return href
    raise InvalidDocument("the WebFinger answer has no ActivityPub self link")


def subject_handle(jrd: Any) -> Handle | None:
    """The canonical handle a peer states in ``subject`` (may differ from what was asked)."""
    subject = jrd.get("subject") if isinstance(jrd, Mapping) else None
    if not isinstance(subject, str) or not subject.startswith("acct:"):
        return None
    parsed = parse_handle(subject)
    return parsed if isinstance(parsed, Handle) else None
