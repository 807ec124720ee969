"""Serving uploaded images: only to people who may see the post an image belongs to.

A post's image is as private as the post: the same ``can_view_post`` rule decides, and a
refusal looks exactly like a missing file (404). Avatars are public.
"""

from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from werkzeug.wrappers import Response

from quarter_node.extensions import db
from quarter_node.media.models import Media
from quarter_node.media.services import upload_dir
from quarter_node.permissions import current_account
from quarter_node.posts.models import Post
from quarter_node.posts.visibility import can_view_post

bp = Blueprint("media", __name__)

ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<name>")
def file(name: str) -> Response:
    media = db.session.scalar(db.select(Media).where(Media.storage_name == name))
    if media is None:
        abort(404)
    is_avatar = media.purpose == "avatar"
    if not is_avatar and not _may_see_post_image(media):
        abort(404)
    response = send_from_directory(
        upload_dir(), media.storage_name, mimetype=media.mime_type, max_age=ONE_YEAR
    )
    # Names are random and files never change. Post images stay out of shared caches: a
    # proxy must not hand a members-only picture to the next visitor, nor keep one a
    # moderator has hidden.
    scope = "public" if is_avatar else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age={ONE_YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _may_see_post_image(media: Media) -> bool:
    post = db.session.get(Post, media.post_id) if media.post_id is not None else None
    return post is not None and post.deleted_at is None and can_view_post(current_account(), post)
