"""Descriptions as plain text: Google Calendar (and some CMS exports) put HTML into
DESCRIPTION, which RFC 5545 defines as plain text. The plugin stores Markdown source and
renders it sanitised, so markup is reduced to text here rather than passed on."""

from __future__ import annotations

import html
import re

_HTML_TAG = re.compile(r"</?(?:a|b|i|u|em|strong|br|p|div|span|ul|ol|li|h[1-6])\b[^>]*>", re.I)
_LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']([^"']+)["'][^>]*>(.*?)</a>""", re.I | re.S)
_BREAK = re.compile(r"<br\s*/?>|<(?:ul|ol)\b[^>]*>|</(?:p|div|li|h[1-6])>", re.I)
_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")


def plain_text(text: str) -> str:
    """``text`` unchanged unless it contains HTML markup; then its text, with line
    breaks where blocks ended and each link's address after its words."""
    if not _HTML_TAG.search(text):
        return text
    text = _LINK.sub(_link_as_text, text)
    text = _ITEM.sub("- ", _BREAK.sub("\n", text))
    text = html.unescape(_ANY_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _link_as_text(match: re.Match[str]) -> str:
    address, words = match[1], _ANY_TAG.sub("", match[2]).strip()
    return address if not words or words == address else f"{words} ({address})"
