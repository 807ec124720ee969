"""Pages of the exchange space under ``/network/space``.

On the coordination node the space's members here (the project team, moderators) read it
in sections; people elsewhere read it on their own node, on the page of the group they
follow, which this page links to on a quarter node. Anybody else gets 404, as for every
members-only group: nobody learns more than that the address exists.
"""

from __future__ import annotations

from flask import abort, redirect, render_template
from werkzeug import Response

from quarter_node.plugin_api import (
    can_see_group_content,
    current_account,
    find_actor,
    is_enabled,
)

from . import space, space_content
from .blueprint import bp


def readable_space():  # noqa: ANN201  (a Group)
    """The space, if the viewer may read it here (its members); else 404."""
    found = space.the_space()
    if found is None or not can_see_group_content(current_account(), found):
        abort(404)
    return found


@bp.get("/network/space")
def space_index() -> str | Response:
    """The sections of the space (coordination node) or the way to it (quarter node)."""
    if not space.is_coordination():
        return _quarter_view()
    found = readable_space()
    viewer = current_account()
    team = space.team_ids(found)
    return render_template(
        "network/space.html",
        space=found,
        viewer=viewer,
        announcements=space_content.announcements(found, viewer, team),
        discussions=space_content.discussions(found, viewer, team),
        events_enabled=is_enabled("events"),
    )


@bp.get("/network/space/people")
def space_people() -> str:
    """Who is in the space, grouped by the topics they state (hashtags in their profile,
    else their initiative's topics from the directory)."""
    found = readable_space()
    return render_template(
        "network/space_people.html", space=found, topics=space_content.people_by_topic(found)
    )


def _quarter_view() -> str | Response:
    """On a quarter node: the followed space's page, else how to join it."""
    domain = space.coordination_domain()
    if current_account() is None or domain is None:
        abort(404)
    handle = f"{space.space_handle()}@{domain}"
    if find_actor(space.remote_space_uri()) is not None:
        return redirect(f"/@{handle}")
    return render_template("network/space_join.html", handle=handle)
