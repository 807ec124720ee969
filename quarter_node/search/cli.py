"""``quarter-node search reindex``: rebuild the index from the posts and the plugins."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from quarter_node.extensions import db
from quarter_node.posts.models import Post
from quarter_node.search import index
from quarter_node.search.models import SearchEntry
from quarter_node.search.plugins import plugin_documents
from quarter_node.search.posts import is_searchable, post_document

BATCH = 500


@click.group("search")
def search_group() -> None:
    """The full-text search index."""


@search_group.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Empty the index and index every post and every enabled plugin's documents again
    (after an upgrade, a restore, or enabling a plugin); one transaction."""
    counts = rebuild()
    click.echo(f"Indexed {counts[0]} posts and {counts[1]} plugin documents.")


def fill_empty_search_index() -> None:
    """On start-up: a node upgraded to a version with search has posts but an empty index;
    build it once so search works at once (an empty index with no posts costs one query)."""
    if db.session.scalar(select(SearchEntry.id).limit(1)) is not None:
        return
    if db.session.scalar(select(Post.id).limit(1)) is None:
        return
    posts, others = rebuild()
    click.echo(f"Search index built: {posts} posts, {others} plugin documents.")


def rebuild() -> tuple[int, int]:
    """The whole index anew, committed once: readers see the old index until then."""
    index.clear()
    posts = 0
    query = select(Post).where(Post.deleted_at.is_(None), Post.hidden_at.is_(None))
    for post in db.session.scalars(query.execution_options(yield_per=BATCH)):
        if is_searchable(post):
            index.index(post_document(post))
            posts += 1
    others = 0
    for document in plugin_documents():
        index.index(document)
        others += 1
    db.session.commit()
    return posts, others
