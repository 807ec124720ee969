"""Markdown rendering (to be built)."""

from markupsafe import escape


def render_markdown(text: str) -> str:
    return str(escape(text))
