"""Markdown to safe HTML for posts and the node's own pages.

Two layers on purpose: markdown-it renders without passing any HTML from the source through
(it is escaped), then nh3 cleans the result against a short allowlist. Even a bug or a new
feature in the Markdown renderer cannot bring a script, an event handler or a ``javascript:``
link onto a page, because nh3 has the last word.

Mentions: ``render_markdown(text, mentions={"anna"})`` links ``@anna`` to her profile, and
``remote_mentions={"bert@b.example": "https://b.example/@bert"}`` links ``@bert@b.example`` to
his. Which handles are real people is decided by the caller (``posts.mentions``), so the
renderer never touches the database or the network.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Collection, Mapping

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import escape

log = logging.getLogger(__name__)

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener ugc"

# Post headings sit below the page's h1/h2, so "# Title" becomes an h3.
HEADING_TAGS = {"h1": "h3", "h2": "h4", "h3": "h5", "h4": "h6", "h5": "h6", "h6": "h6"}

# "@anna" but not "anna@example.org" or "@anna@other.example" (see REMOTE_MENTION_RE).
MENTION_RE = re.compile(r"(?<![\w@/])@([a-zA-Z0-9_]{1,64})(?![\w@])")
# "@bert@b.example" or "@bert@127.0.0.1:8001"; a full stop after the host ends the sentence.
REMOTE_MENTION_RE = re.compile(
    r"(?<![\w@/])@([a-zA-Z0-9_](?:[a-zA-Z0-9_.-]{0,62}[a-zA-Z0-9_])?)"
    r"@((?:[a-zA-Z0-9-]+\.)*[a-zA-Z0-9-]+(?::[0-9]{1,5})?)(?![\w@:-]|\.[\w-])"
)


def mentioned_handles(text: str) -> set[str]:
    """Handles written as ``@handle`` in Markdown source (lower-cased, maybe not existing)."""
    return {match.lower() for match in MENTION_RE.findall(text or "")}


def mentioned_remote_handles(text: str) -> list[str]:
    """``name@host`` of every ``@name@host`` in the source, in order of appearance, each once
    (compared case-insensitively; the spelling of the first one is kept for WebFinger)."""
    seen: dict[str, str] = {}
    for name, host in REMOTE_MENTION_RE.findall(text or ""):
        seen.setdefault(f"{name}@{host}".lower(), f"{name}@{host.lower()}")
    return list(seen.values())


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_TAGS[token.tag]


def _link_mentions(state: StateCore) -> None:
    """Turn ``@handle`` in plain text (not in code, not inside links) into profile links."""
    links = _mention_links(state.env.get("mentions") or (), state.env.get("remote_mentions") or {})
    if not links:
        return
    for block in state.tokens:
        if block.type == "inline" and block.children:
            block.children = _split_mentions(block.children, links)


def _mention_links(local: Collection[str], remote: Mapping[str, str]) -> dict[str, str]:
    """Lower-cased handle as written (``anna``, ``bert@b.example``) → the link's target."""
    links = {handle.lower(): f"/@{handle.lower()}" for handle in local}
    links.update({handle.lower(): href for handle, href in remote.items()})
    return links


def _split_mentions(children: list[Token], mentions: Mapping[str, str]) -> list[Token]:
    result: list[Token] = []
    link_depth = 0
    for token in children:
        if token.type == "link_open":
            link_depth += 1
        elif token.type == "link_close":
            link_depth -= 1
        if token.type != "text" or link_depth > 0:
            result.append(token)
            continue
        result.extend(_mention_tokens(token.content, mentions))
    return result


def _mention_matches(text: str) -> list[re.Match[str]]:
    """Local and remote mentions in ``text`` in order (the two patterns never overlap)."""
    found = [*MENTION_RE.finditer(text), *REMOTE_MENTION_RE.finditer(text)]
    return sorted(found, key=lambda match: match.start())


def _mention_tokens(text: str, mentions: Mapping[str, str]) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in _mention_matches(text):
        href = mentions.get(match.group(0)[1:].lower())
        if href is None:
            continue
        tokens.append(_text_token(text[position : match.start()]))
        tokens.append(Token("link_open", "a", 1, attrs={"href": href}))
        tokens.append(_text_token(match.group(0)))
        tokens.append(Token("link_close", "a", -1))
        position = match.end()
    tokens.append(_text_token(text[position:]))
    return [token for token in tokens if token.type != "text" or token.content]


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _build_renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")  # images are attachments with alt text, not hotlinks
    if importlib.util.find_spec("linkify_it") is not None:
        md.options["linkify"] = True
        md.enable("linkify")
    md.core.ruler.push("shift_headings", _shift_headings)
    md.core.ruler.push("link_mentions", _link_mentions)
    return md


_renderer = _build_renderer()


def clean_html(html: str) -> str:
    """The allowlist filter every rendered text passes before it is stored or shown."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(
    text: str, mentions: Collection[str] = (), remote_mentions: Mapping[str, str] | None = None
) -> str:
    """Render Markdown to sanitised HTML. Never raises: broken input still gives a page.

    ``mentions``: local handles to link; ``remote_mentions``: ``name@host`` → profile URL.
    """
    env = {"mentions": set(mentions), "remote_mentions": dict(remote_mentions or {})}
    try:
        html = _renderer.render(text or "", env)
    except Exception:  # noqa: BLE001  (a renderer bug must not make a post unreadable)
        log.exception("Markdown rendering failed; showing the text escaped")
        html = "<p>" + str(escape(text or "")).replace("\n", "<br>") + "</p>"
    return clean_html(html).strip()
