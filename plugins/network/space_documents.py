"""Documents and guides of the exchange space: written by the project team on the
coordination node, read by the space's members wherever their account lives.

The members are remote, so a document travels to them: its ``Create``/``Update`` of an
``Article`` (title as ``name``, the rendered Markdown as ``content``) addressed to the
space's group alone is relayed by the group as ``Announce`` to the group's followers'
inboxes, exactly like a team member's post in the group (FEP-1b12). Their nodes store it
as a post written into the group, shown only to the group's members there. At its id the
Article is served only to the space's audience and to member nodes with members in it
(``space.may_fetch`` rules), as posts are.
"""

from __future__ import annotations

from typing import Any

from federation import activities
from quarter_node.plugin_api import (
    Group,
    InvalidInput,
    NotFound,
    PermissionDenied,
    User,
    _,
    absolute_url,
    actor_uri,
    db,
    followers_uri,
    is_group_moderator,
    new_activity_id,
    render_markdown,
    send_activity,
    utcnow,
)

from .models import SpaceDocument

TITLE_MAX = 200
BODY_MAX = 50_000


def documents_of(space: Group) -> list[SpaceDocument]:
    """The space's documents, the most recently changed first."""
    return list(
        db.session.scalars(
            db.select(SpaceDocument)
            .where(SpaceDocument.group_id == space.id)
            .order_by(SpaceDocument.updated_at.desc(), SpaceDocument.id.desc())
        )
    )


def document_in(space: Group, document_id: int) -> SpaceDocument:
    found = db.session.get(SpaceDocument, document_id)
    if found is None or found.group_id != space.id:
        raise NotFound(_("This document does not exist."))
    return found


def can_write(user: User | None, space: Group) -> bool:
    """The project team: the space's owners and moderators."""
    return user is not None and user.is_active and is_group_moderator(user, space)


def save_document(
    user: User | None, space: Group, title: str, body: str, document: SpaceDocument | None = None
) -> SpaceDocument:
    """Write a new document or change one, federate it to the members, commit."""
    if not can_write(user, space):
        raise PermissionDenied(_("Only the project team writes documents and guides."))
    title, body = _checked(title, body)
    created = document is None
    if document is None:
        document = SpaceDocument(group_id=space.id, author_id=user.actor_id)
        db.session.add(document)
    document.title, document.body, document.updated_at = title, body, utcnow()
    db.session.flush()
    _federate(document, space, created=created)
    db.session.commit()
    return document


def delete_document(user: User | None, space: Group, document: SpaceDocument) -> None:
    """Take a document back: the members' nodes get its ``Delete`` (relayed by the group,
    like its ``Create``) and find it gone at its id; commit."""
    if not can_write(user, space):
        raise PermissionDenied(_("Only the project team writes documents and guides."))
    _federate_deletion(document, space)
    db.session.delete(document)
    db.session.commit()


def _checked(title: str, body: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").replace("\r\n", "\n").strip()
    if not title:
        raise InvalidInput(_("Please give the document a title."))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise InvalidInput(_("The title or the text is too long."))
    return title, body


# --- ActivityPub ---------------------------------------------------------------------------


def document_uri(document: SpaceDocument) -> str:
    return absolute_url("network.space_document", document_id=document.id)


def to_ap(document: SpaceDocument, space: Group) -> dict[str, Any]:
    """The document as an ``Article`` for the space's group alone."""
    group_uri = actor_uri(space.actor)
    return {
        "id": document_uri(document),
        "type": "Article",
        "attributedTo": _author_uri(document),
        "name": document.title,
        "content": render_markdown(document.body),
        "mediaType": "text/html",
        "source": {"content": document.body, "mediaType": "text/markdown"},
        "url": document_uri(document),
        "to": [group_uri],
        "cc": [followers_uri(space.actor)],
        "audience": group_uri,
        "published": activities.format_datetime(document.created_at),
        "updated": activities.format_datetime(document.updated_at),
    }


def _author_uri(document: SpaceDocument) -> str:
    from quarter_node.plugin_api import Actor

    author = db.session.get(Actor, document.author_id) if document.author_id else None
    return actor_uri(author) if author is not None else ""


def _federate(document: SpaceDocument, space: Group, *, created: bool) -> None:
    """The author's Create/Update, relayed by the group to its followers only."""
    mark = f"nsd{document.id}"
    article = to_ap(document, space)
    author = article["attributedTo"]
    if created:
        inner = activities.create(author, article, id=new_activity_id("create", mark))
    else:
        inner = activities.update(
            author, article, id=new_activity_id("update", mark), updated=document.updated_at
        )
    _relay(space, inner, mark)


def _federate_deletion(document: SpaceDocument, space: Group) -> None:
    """The author's Delete (a Tombstone of the Article), relayed like its Create."""
    mark = f"nsd{document.id}"
    inner = activities.delete_with_tombstone(
        _author_uri(document),
        document_uri(document),
        id=new_activity_id("delete", mark),
        to=[actor_uri(space.actor)],
        cc=[followers_uri(space.actor)],
        former_type="Article",
        deleted=utcnow(),
    )
    _relay(space, inner, mark)


def _relay(space: Group, inner: dict[str, Any], mark: str) -> None:
    """The group announces ``inner`` to its followers (the space's members) alone."""
    relay = activities.announce(
        actor_uri(space.actor),
        inner,
        id=new_activity_id("announce", mark),
        to=[followers_uri(space.actor)],
    )
    send_activity(space.actor, relay, followers_of=space.actor)
