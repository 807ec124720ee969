"""The plugins' side of the index: their documents in, their visibility rules out.

Each searchable kind has one owner that decides who sees its objects: the core for posts,
a plugin for its own kinds (``quarter_search_kinds``). Kinds of disabled plugins are not
asked for, so their documents are never found.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists

from quarter_node.plugins.types import SearchDocument, SearchKind
from quarter_node.plugins.wiring import call_hook
from quarter_node.posts.models import Post
from quarter_node.posts.visibility import visible_posts_filter
from quarter_node.search import index
from quarter_node.search.posts import KIND as POST_KIND


def searchable_kinds(viewer: Any) -> list[SearchKind]:
    """The core's posts, then every enabled plugin's kinds, each with ``viewer``'s rule."""

    def post_visible(object_id: Any) -> Any:
        return exists().where(Post.id == object_id, visible_posts_filter(viewer))

    kinds = [SearchKind(POST_KIND, "posts", _l("Posts"), post_visible)]
    for answer in call_hook("quarter_search_kinds", viewer=viewer):
        kinds.extend(answer or [])
    return kinds


def index_for_search(obj: Any) -> None:
    """Index (again) what the enabled plugins make of ``obj``, in the caller's transaction."""
    for answer in call_hook("quarter_search_documents", obj=obj):
        for document in answer or []:
            index.index(document)


def plugin_documents() -> Iterator[SearchDocument]:
    """Every document of every enabled plugin (for a rebuild)."""
    for answer in call_hook("quarter_search_all_documents"):
        yield from answer or []
