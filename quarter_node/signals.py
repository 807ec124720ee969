"""Every domain event the core announces, declared in one place with what it carries.

Services send these INSIDE their transaction, before committing, so a subscriber (federation's
transactional outbox, plugins) adds its rows to the same commit: either everything is stored
or nothing. Subscribers must not commit.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

post_published = _signals.signal("post-published")
"""A local post (or reply) was created. ``sender``: the ``Post``."""

post_edited = _signals.signal("post-edited")
"""A local post's text changed. ``sender``: the ``Post``."""

post_deleted = _signals.signal("post-deleted")
"""A local post is being deleted (row still loaded). ``sender``: the ``Post``."""

post_liked = _signals.signal("post-liked")
"""``sender``: the ``Like`` row (actor_id, post_id) just added."""

post_unliked = _signals.signal("post-unliked")
"""``sender``: the ``Like`` row being removed (still loaded)."""

follow_requested = _signals.signal("follow-requested")
"""A local actor asked to follow someone. ``sender``: the ``Follow`` row."""

follow_undone = _signals.signal("follow-undone")
"""A local actor stopped following. ``sender``: the ``Follow`` row being removed."""

follow_accepted = _signals.signal("follow-accepted")
"""A local actor accepted a follower. ``sender``: the ``Follow`` row."""

follow_rejected = _signals.signal("follow-rejected")
"""A local actor refused or removed a follower. ``sender``: the ``Follow`` row (still loaded)."""

actor_updated = _signals.signal("actor-updated")
"""A local person's or group's profile changed. ``sender``: the ``Actor``."""

actor_deleted = _signals.signal("actor-deleted")
"""A local person or group is being deleted (row still loaded). ``sender``: the ``Actor``."""

post_shared = _signals.signal("post-shared")
"""A local actor shared (boosted) a post. ``sender``: the ``Share`` row just added."""

post_unshared = _signals.signal("post-unshared")
"""A local actor took back a share. ``sender``: the ``Share`` row being removed (still loaded)."""

actor_blocked = _signals.signal("actor-blocked")
"""A local actor blocked someone. ``sender``: the ``Block`` row just added (follows between
the two are already gone, each announced with ``follow_undone``/``follow_rejected``)."""

actor_unblocked = _signals.signal("actor-unblocked")
"""A local actor lifted a block. ``sender``: the ``Block`` row being removed (still loaded)."""

plugin_settings_saved = _signals.signal("plugin-settings-saved")
"""An admin or the operator saved settings of a plugin. ``sender``: the plugin's name;
``values``: the settings saved, by key (already of their field's type)."""
