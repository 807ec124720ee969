"""Reading content objects (Note, Article, Page, Event, Question) from any server.

``parse_object`` flattens the quirks of the servers our neighbourhoods talk to:

* Friendica and Pixelfed may send only ``contentMap``, not ``content``;
* Misskey puts the MFM source in ``_misskey_content`` and quotes in ``_misskey_quote``
  (Fedibird/Akkoma: ``quoteUrl``/``quoteUri``; FEP-e232/FEP-044f: ``quote``);
* Lemmy sends a Page whose ``name`` is the title and whose community is in ``audience``;
  PeerTube lists ``attributedTo`` as [Person, Group];
* Mobilizon and Gancio Events carry times, a Place and a PostalAddress.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from federation import vocabulary as v
from federation.details import (
    Attachment,
    EventDetails,
    PollDetails,
    parse_attachments,
    parse_datetime,
    parse_event,
    parse_poll,
    parse_tags,
)
from federation.errors import InvalidDocument
from federation.readers import (
    as_list,
    audiences,
    content_language,
    first_str,
    first_url,
    id_of,
    is_public,
    natural_text,
    types_of,
)


@dataclass(frozen=True)
class ParsedObject:
    """The parts of a content object the app stores and shows."""

    id: str
    type: str
    attributed_to: str | None
    content: str | None
    name: str | None = None
    summary: str | None = None
    language: str | None = None
    url: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    in_reply_to: str | None = None
    community: str | None = None
    quote_url: str | None = None
    source_text: str | None = None
    sensitive: bool = False
    public: bool = False
    addressees: frozenset[str] = frozenset()
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    event: EventDetails | None = None
    poll: PollDetails | None = None


def _author(document: Mapping[str, Any]) -> str | None:
    """The author: the first Person in ``attributedTo`` (PeerTube adds its channel Group)."""
    candidates = as_list(document.get("attributedTo"))
    people = [c for c in candidates if isinstance(c, Mapping) and v.PERSON in types_of(c)]
    return id_of((people or candidates or [None])[0]) or id_of(document.get("actor"))


def _community(document: Mapping[str, Any]) -> str | None:
    """The group a post belongs to: Lemmy's ``audience``, or a Group in ``attributedTo``."""
    if audience := id_of(next(iter(as_list(document.get("audience"))), None)):
        return audience
    groups = [
        c
        for c in as_list(document.get("attributedTo"))
        if isinstance(c, Mapping) and v.GROUP in types_of(c)
    ]
    return id_of(groups[0]) if groups else None


def _quote(document: Mapping[str, Any]) -> str | None:
    """The quoted post, under whichever of the competing property names was used."""
    for key in ("quote", "quoteUrl", "quoteUri", "_misskey_quote"):
        if found := id_of(document.get(key)):
            return found
    return None


def _source_text(document: Mapping[str, Any]) -> str | None:
    """The author's plain source (Markdown, MFM) when the server shares it."""
    source = document.get("source")
    if isinstance(source, Mapping) and isinstance(source.get("content"), str):
        return source["content"]
    return first_str(document.get("_misskey_content"))


def parse_object(document: Any, languages: tuple[str, ...] = ()) -> ParsedObject:
    """Read a Note, Article, Page, Event or Question into ``ParsedObject``.

    ``languages`` orders the preferred languages for ``contentMap``/``nameMap``.
    Raises ``InvalidDocument`` for anything without an id or of another type, so the
    caller can tell "not for us" from a broken post.
    """
    if not isinstance(document, Mapping) or not id_of(document.get("id")):
        raise InvalidDocument("an object needs an id")
    kinds = [k for k in types_of(document) if k in v.CONTENT_TYPES]
    if not kinds:
        raise InvalidDocument(f"not a content object: {types_of(document)}")
    kind = kinds[0]
    hashtags, mentions = parse_tags(document.get("tag"))
    return ParsedObject(
        id=str(id_of(document["id"])),
        type=kind,
        attributed_to=_author(document),
        content=natural_text(document, "content", languages),
        name=natural_text(document, "name", languages),
        summary=natural_text(document, "summary", languages),
        language=content_language(document),
        url=first_url(document.get("url")),
        published=parse_datetime(document.get("published")),
        updated=parse_datetime(document.get("updated")),
        in_reply_to=id_of(next(iter(as_list(document.get("inReplyTo"))), None)),
        community=_community(document),
        quote_url=_quote(document),
        source_text=_source_text(document),
        sensitive=document.get("sensitive") is True,
        public=is_public(document),
        addressees=frozenset(audiences(document)),
        hashtags=hashtags,
        mentions=mentions,
        attachments=parse_attachments(document.get("attachment")),
        event=parse_event(document) if kind == v.EVENT else None,
        poll=parse_poll(document, languages) if kind == v.QUESTION else None,
    )
