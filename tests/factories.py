"""Factories that put realistic rows into the database for tests.

Each returns the created object; keyword arguments override defaults.
"""

from __future__ import annotations

import itertools
from typing import Any

from flask import Flask

from quarter_node.accounts.models import AccountState, Actor, ActorKind, Role, User
from quarter_node.accounts.passwords import hash_password
from quarter_node.extensions import db
from quarter_node.groups.models import (
    Group,
    GroupRole,
    GroupVisibility,
    JoinMode,
    Membership,
    MembershipState,
)
from quarter_node.node.services import update_node_settings
from quarter_node.posts.markdown import render_markdown
from quarter_node.posts.models import Post, Visibility

DEFAULT_PASSWORD = "Nachbarschaft-2026"
_counter = itertools.count(1)


class Factories:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def node(self, **settings: Any) -> None:
        """Mark set-up as done (so pages do not redirect to /setup) and apply settings."""
        update_node_settings(
            **{"setup_complete": True, "name": "Testquartier", "default_language": "en", **settings}
        )
        db.session.commit()

    def user(
        self,
        handle: str | None = None,
        *,
        email: str | None = None,
        password: str = DEFAULT_PASSWORD,
        role: Role = Role.MEMBER,
        state: AccountState = AccountState.ACTIVE,
        display_name: str | None = None,
        locale: str | None = None,
    ) -> User:
        n = next(_counter)
        handle = handle or f"person{n}"
        actor = Actor(
            kind=ActorKind.PERSON,
            handle=handle,
            display_name=display_name if display_name is not None else handle.title(),
        )
        user = User(
            actor=actor,
            email=email or f"{handle}@example.org",
            password_hash=hash_password(password),
            role=role,
            state=state,
            locale=locale,
        )
        db.session.add(user)
        db.session.commit()
        return user

    def group(
        self,
        handle: str | None = None,
        *,
        owner: User | None = None,
        visibility: GroupVisibility = GroupVisibility.PUBLIC,
        join_mode: JoinMode = JoinMode.OPEN,
        display_name: str | None = None,
        members: tuple[User, ...] = (),
    ) -> Group:
        n = next(_counter)
        handle = handle or f"group{n}"
        actor = Actor(
            kind=ActorKind.GROUP, handle=handle, display_name=display_name or handle.title()
        )
        group = Group(actor=actor, visibility=visibility, join_mode=join_mode)
        db.session.add(group)
        db.session.flush()
        if owner is not None:
            db.session.add(
                Membership(group_id=group.id, actor_id=owner.actor_id, role=GroupRole.OWNER)
            )
        for member in members:
            db.session.add(
                Membership(
                    group_id=group.id,
                    actor_id=member.actor_id,
                    role=GroupRole.MEMBER,
                    state=MembershipState.ACTIVE,
                )
            )
        db.session.commit()
        return group

    def post(
        self,
        author: User,
        text: str = "Hallo Nachbarschaft!",
        *,
        group: Group | None = None,
        visibility: Visibility = Visibility.PUBLIC,
        in_reply_to: Post | None = None,
    ) -> Post:
        post = Post(
            author_id=author.actor_id,
            group_id=group.id if group else None,
            visibility=visibility,
            source=text,
            content_html=render_markdown(text),
            in_reply_to_id=in_reply_to.id if in_reply_to else None,
            thread_root_id=(
                (in_reply_to.thread_root_id or in_reply_to.id) if in_reply_to else None
            ),
        )
        db.session.add(post)
        db.session.commit()
        return post

    def remote_actor(
        self, handle: str, host: str = "social.example", *, kind: ActorKind = ActorKind.PERSON
    ) -> Actor:
        """A remote actor as the receiving side stores it (no key: nothing is verified)."""
        uri = f"https://{host}/users/{handle}"
        actor = Actor(
            kind=kind,
            handle=handle,
            domain=host,
            uri=uri,
            display_name=handle.title(),
            inbox_url=f"{uri}/inbox",
            shared_inbox_url=f"https://{host}/inbox",
            followers_url=f"{uri}/followers",
        )
        db.session.add(actor)
        db.session.commit()
        return actor

    def remote_post(
        self,
        author: Actor,
        text: str = "Hello from elsewhere",
        *,
        visibility: Visibility = Visibility.PUBLIC,
        in_reply_to: Post | None = None,
    ) -> Post:
        """A post received from ``author``'s server (it keeps its remote id)."""
        post = Post(
            author_id=author.id,
            uri=f"{author.uri}/statuses/{next(_counter)}",
            visibility=visibility,
            source="",
            content_html=f"<p>{text}</p>",
            in_reply_to_id=in_reply_to.id if in_reply_to else None,
            thread_root_id=(
                (in_reply_to.thread_root_id or in_reply_to.id) if in_reply_to else None
            ),
        )
        db.session.add(post)
        db.session.commit()
        return post
