"""The categories events are filed under: a list the node's admins configure.

The setting ``events.categories`` holds ``slug: Label`` pairs separated by commas, in the
order the form shows them; slugs are what is stored and appears in URLs (feeds, filters).
"""

from __future__ import annotations

import re

from quarter_node.plugin_api import plugin_setting

DEFAULT_CATEGORIES = (
    "nachbarschaft: Nachbarschaft, kultur: Kultur, musik: Musik, sport: Sport und Bewegung, "
    "kinder: Kinder und Familie, senioren: Seniorinnen und Senioren, bildung: Bildung, "
    "garten: Garten und Umwelt, essen: Essen und Trinken, markt: Markt und Flohmarkt, "
    "hilfe: Nachbarschaftshilfe, politik: Politik und Beteiligung, feste: Feste"
)
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


def parse_categories(text: str) -> dict[str, str]:
    """``slug -> label`` from the setting's text; malformed entries are skipped."""
    found: dict[str, str] = {}
    for entry in (text or "").split(","):
        slug, _, label = entry.partition(":")
        slug = slug.strip().lower()
        if SLUG.match(slug):
            found.setdefault(slug, label.strip() or slug)
    return found


def configured_categories() -> dict[str, str]:
    """The node's categories in the admins' order (the default list when unset)."""
    return parse_categories(str(plugin_setting("events", "categories") or "")) or parse_categories(
        DEFAULT_CATEGORIES
    )


def category_label(slug: str) -> str:
    return configured_categories().get(slug, slug)
