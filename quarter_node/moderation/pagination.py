"""Simple offset pagination for the moderation and notification lists.

The ``pagination`` macro in ``_macros.html`` needs ready-made links; this builds them from
the current request, so filters in the query string survive paging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for
from sqlalchemy import Select

from quarter_node.extensions import db


@dataclass
class Page:
    items: list[Any]
    number: int
    has_prev: bool
    has_next: bool

    @property
    def prev_url(self) -> str | None:
        return _page_url(self.number - 1) if self.has_prev else None

    @property
    def next_url(self) -> str | None:
        return _page_url(self.number + 1) if self.has_next else None


def paginate(statement: Select[Any], per_page: int = 30) -> Page:
    """One page of ``statement``'s rows; the page number comes from ``?page=``. Fetching one
    row more than needed tells whether an older page exists without counting."""
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = list(db.session.scalars(statement.limit(per_page + 1).offset((number - 1) * per_page)))
    return Page(
        items=rows[:per_page], number=number, has_prev=number > 1, has_next=len(rows) > per_page
    )


def _page_url(number: int) -> str:
    args = {key: value for key, value in request.args.items() if key != "page"}
    if number > 1:
        args["page"] = str(number)
    return url_for(request.endpoint or "", **(request.view_args or {}), **args)
