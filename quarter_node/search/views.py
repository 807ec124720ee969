"""``/search``: the results page (a GET form, usable without JavaScript)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from markupsafe import Markup, escape

from quarter_node.errors import InvalidInput
from quarter_node.permissions import current_account
from quarter_node.search import index
from quarter_node.search.plugins import searchable_kinds
from quarter_node.search.services import SearchRequest, run_search

bp = Blueprint("search", __name__)


@bp.get("/search")
def search() -> tuple[str, int]:
    viewer = current_account()
    args = request.args
    search_request = SearchRequest(
        query=args.get("q", "").strip(),
        kind=args.get("type", ""),
        group=args.get("group", "").strip(),
        date_from=args.get("from", "").strip(),
        date_to=args.get("to", "").strip(),
        page=args.get("page", 1, type=int) or 1,
    )
    result, error, status = None, None, 200
    if "q" in args:  # sent, even empty: an empty search gets its message
        try:
            result = run_search(search_request, viewer)
        except InvalidInput as refused:
            error, status = refused.message, 400
    kinds = result.kinds if result else searchable_kinds(viewer)
    page = render_template(
        "search/results.html",
        search=search_request,
        result=result,
        error=error,
        kinds=kinds,
        labels={kind.name: kind.label for kind in kinds},
    )
    return page, status


def highlighted(snippet: str) -> Markup:
    """The snippet escaped, then only the index's own marks turned into ``<mark>``: no
    markup of the indexed text can reach the page."""
    safe = str(escape(snippet))
    return Markup(safe.replace(index.MARK_START, "<mark>").replace(index.MARK_END, "</mark>"))


@bp.app_template_filter("search_snippet")
def search_snippet(snippet: str) -> Markup:
    return highlighted(snippet)
