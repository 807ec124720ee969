"""Flag: a report from another server about one of our people or posts."""

from __future__ import annotations

from federation import vocabulary as v
from federation.readers import ids_of, natural_text
from quarter_node.accounts.models import ActorKind
from quarter_node.activitypub import ingest
from quarter_node.activitypub.handlers import Context, register
from quarter_node.extensions import db
from quarter_node.moderation.models import Report
from quarter_node.notifications.models import NotificationKind
from quarter_node.notifications.services import notify_node_moderators

MAX_REASON = 5000


@register(v.FLAG)
def flag(ctx: Context) -> bool:
    """File a report in our moderation queue, with the remote moderator's comment.

    The reporter is the sending actor (usually the remote server's instance actor: the
    person who reported stays anonymous, as Mastodon does it). Only local targets count.
    """
    targets = ids_of(ctx.activity.get("object"))
    posts = [p for p in map(ingest.find_post, targets) if p is not None and p.uri is None]
    people = [a for a in map(ingest.local_actor, targets) if a is not None]
    target = people[0] if people else (posts[0].author if posts else None)
    if target is None or target.kind == ActorKind.APPLICATION:
        return False
    post = next((p for p in posts if p.author_id == target.id), None)
    comment = natural_text(ctx.activity, "content") or ""
    report = Report(
        reporter_id=ctx.actor.id,
        target_actor_id=target.id,
        target_post_id=post.id if post else None,
        group_id=post.group_id if post else None,
        reason=(comment.strip() or f"Report from {ctx.actor.domain}")[:MAX_REASON],
    )
    db.session.add(report)
    db.session.flush()
    notify_node_moderators(NotificationKind.REPORT, actor=ctx.actor, report_id=report.id)
    return True
