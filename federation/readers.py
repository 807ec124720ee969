"""Tolerant readers for JSON-LD documents as peers really send them.

ActivityStreams allows almost every property to be a single value, an array, an embedded
object or a bare id, and servers use all of these forms. These helpers let the rest of the
code ask one question ("which ids does ``to`` hold?") without caring about the spelling.
They never raise on odd input: a value of an unexpected shape simply reads as absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from federation.vocabulary import PUBLIC_SPELLINGS

AUDIENCE_FIELDS = ("to", "cc", "bto", "bcc", "audience")


def as_list(value: Any) -> list[Any]:
    """Read a property that may be missing, a single value or an array, as a list.

    ``None`` becomes ``[]`` so callers can always iterate.
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [item for item in value if item is not None]
    return [value]


def id_of(value: Any) -> str | None:
    """The id of a reference that is either a bare id string or an embedded object.

    Link objects (``{"type": "Link", "href": ...}``) count as references to their href.
    """
    if isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        for key in ("id", "@id", "href"):
            if isinstance(value.get(key), str) and value[key]:
                return value[key]
    return None


def ids_of(value: Any) -> list[str]:
    """All ids of a property holding one or many references, in document order."""
    return [found for item in as_list(value) if (found := id_of(item)) is not None]


def first_str(value: Any) -> str | None:
    """The first non-empty string of a property that may be a string or a list of them.

    Servers disagree on whether e.g. ``url`` or ``name`` is a string or an array; we only
    ever want one.
    """
    for item in as_list(value):
        if isinstance(item, str) and item:
            return item
    return None


def first_url(value: Any) -> str | None:
    """The first URL of a ``url``/``icon``/``image`` property in any of its shapes.

    Mastodon sends strings, Lemmy and Mobilizon send Link or Image objects, Misskey sends
    an array mixing both. For Link objects a ``text/html`` link wins.
    """
    items = as_list(value)
    html = [i for i in items if isinstance(i, Mapping) and i.get("mediaType") == "text/html"]
    for item in html + items:
        if isinstance(item, str) and item:
            return item
        if isinstance(item, Mapping):
            found = first_str(item.get("href")) or first_url(item.get("url"))
            if found:
                return found
    return None


def types_of(document: Any) -> list[str]:
    """The ``type`` of a document as a list of names (JSON-LD allows several)."""
    if not isinstance(document, Mapping):
        return []
    return [item for item in as_list(document.get("type")) if isinstance(item, str)]


def has_type(document: Any, *names: str) -> bool:
    """Whether the document is of any of the given types."""
    return any(name in names for name in types_of(document))


def language_map_value(mapping: Any, languages: Sequence[str] = ()) -> str | None:
    """Pick one text from a ``contentMap``/``nameMap``, preferring the given languages.

    The tags ``de`` and ``de-DE`` both match a preference ``de``; without a match the first
    entry wins, because showing something beats showing nothing.
    """
    if not isinstance(mapping, Mapping):
        return None
    texts = {str(k).lower(): v for k, v in mapping.items() if isinstance(v, str) and v}
    for wanted in (lang.lower() for lang in languages):
        for tag, text in texts.items():
            if tag == wanted or tag.split("-")[0] == wanted:
                return text
    return next(iter(texts.values()), None)


def natural_text(
    document: Mapping[str, Any], field: str, languages: Sequence[str] = ()
) -> str | None:
    """Read a natural-language property (``content``, ``name``, ``summary``).

    The plain property wins when present: it is what the author's server chose to show.
    Otherwise the ``...Map`` variant (Friendica, Pixelfed send only that) is consulted.
    """
    plain = document.get(field)
    if isinstance(plain, str) and plain:
        return plain
    return language_map_value(document.get(f"{field}Map"), languages)


def content_language(document: Mapping[str, Any]) -> str | None:
    """The language the content is written in, taken from the ``contentMap`` key."""
    mapping = document.get("contentMap")
    if isinstance(mapping, Mapping) and mapping:
        return str(next(iter(mapping)))
    return None


def audiences(document: Mapping[str, Any], fields: Iterable[str] = AUDIENCE_FIELDS) -> set[str]:
    """All addressees of an activity or object across ``to``/``cc``/``bto``/``bcc``/``audience``."""
    return {found for field in fields for found in ids_of(document.get(field))}


def is_public(document: Mapping[str, Any]) -> bool:
    """Whether the document is addressed to the public collection in any spelling.

    Only the addressing fields count; ``bto``/``bcc`` are included because a peer that
    leaks them still meant the public.
    """
    return not PUBLIC_SPELLINGS.isdisjoint(audiences(document))


def is_unlisted(document: Mapping[str, Any]) -> bool:
    """Mastodon's "unlisted": public only in ``cc``, so it stays off public timelines."""
    to = set(ids_of(document.get("to")))
    cc = set(ids_of(document.get("cc")))
    return PUBLIC_SPELLINGS.isdisjoint(to) and not PUBLIC_SPELLINGS.isdisjoint(cc)


def embedded(value: Any) -> dict[str, Any] | None:
    """The embedded object of a reference, or ``None`` when only an id was sent."""
    return dict(value) if isinstance(value, Mapping) else None
