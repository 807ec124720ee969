"""Every hook a plugin may implement, in one place.

Each hook is an empty function whose docstring says when the core calls it and what a plugin
returns. A plugin implements a hook by defining a function of the same name decorated with
``quarter_node.plugin_api.hookimpl``; it may leave out arguments it does not need.

Hooks a plugin answers once at start-up (blueprints, commands, translations, migrations) are
collected from every installed plugin; hooks called while the node runs (navigation,
handlers, serializers, ...) reach only the plugins enabled on this node at that moment.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "quarter_node"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def quarter_blueprints() -> Any:
    """A list of Flask blueprints the plugin serves (registered at start-up).

    Name them after the plugin (``events`` or ``events_admin``). While the plugin is disabled
    every URL of these blueprints answers 404. A blueprint's ``template_folder`` is searched
    after the node's own templates (``instance/templates``, then the core's), so a node can
    override any plugin template; keep templates in a folder named after the plugin.
    """


@hookspec
def quarter_navigation(user: Any) -> Any:
    """A list of ``NavItem`` for the main navigation, shown only while the plugin is enabled.

    ``user`` is the logged-in ``User`` or ``None`` for visitors: return only what they may use.
    """


@hookspec
def quarter_admin_navigation(user: Any) -> Any:
    """A list of ``NavItem`` for the administration's navigation (next to Federation and
    Plugins): the plugin's admin pages. ``user`` is the logged-in ``User``; return only what
    she may use."""


@hookspec
def quarter_settings() -> Any:
    """A list of ``SettingField`` the admin edits on ``/admin/plugins/<name>/settings``.

    The type of each field follows its default (``str``, ``int`` or ``bool``). The plugin reads
    the stored value with ``plugin_setting(name, key)``.
    """


@hookspec
def quarter_inbound_handlers() -> Any:
    """A list of ``InboundHandler`` applying received ActivityPub activities in the worker.

    They are asked before the core's handlers and only while the plugin is enabled, so give
    each a ``when`` predicate that picks out the plugin's own objects (``Create`` of an
    ``Event``, not every ``Create``).
    """


@hookspec(firstresult=True)
def quarter_object_to_ap(obj: Any) -> Any:
    """The ActivityStreams JSON (a ``dict``) for ``obj`` if it is one of the plugin's own
    objects, else ``None``. The first plugin that answers wins (``plugin_api.object_to_ap``)."""


@hookspec
def quarter_cli_commands() -> Any:
    """A list of click commands or groups added under ``quarter-node`` (at start-up).

    They are there while the plugin is installed, enabled or not: the operator controls the
    server and may, for example, prepare data before enabling the plugin.
    """


@hookspec
def quarter_translations_directory() -> Any:
    """The path of the plugin's translations (``<lang>/LC_MESSAGES/<plugin name>.mo`` inside).

    The plugin's catalog is its own gettext domain, merged into the node's at start-up, so
    the plugin and its templates use the ordinary ``_()``; where the plugin and the core
    translate the same msgid, the core's translation wins.
    """


@hookspec
def quarter_migrations_directory() -> Any:
    """The path of the folder with the plugin's Alembic revisions.

    The first revision starts its own branch (``branch_labels = ("<plugin name>",)``, and
    ``depends_on`` the core revision whose tables it references). ``quarter-node db upgrade``
    applies every branch.
    """


@hookspec
def quarter_home_teaser(user: Any) -> Any:
    """Markup (a small ``<section>`` with a heading) shown on the home page above the
    timeline, or ``None``: what the plugin offers the neighbourhood right now, with a link to
    its pages (the events plugin shows the next events and leads to the calendar).

    ``user`` is the logged-in ``User`` or ``None`` for visitors: show only what they may see.
    """


@hookspec
def quarter_group_tabs(group: Any, user: Any) -> Any:
    """A list of ``NavItem`` added to the tabs of a group's pages (next to Posts, Members),
    shown to those who may see the group's content: the plugin's pages about the group.

    ``user`` is the logged-in ``User`` or ``None``.
    """


@hookspec
def quarter_timeline_items(timeline: Any) -> Any:
    """A list of ``TimelineEntry`` (``at``, ``html``) the plugin shows on one page of a
    timeline, which the core merges among the posts by time (newest first).

    ``timeline`` is a ``TimelineWindow``: which timeline (``kind``: home, local or group,
    with its ``group``), who reads it (``viewer``, ``None`` for visitors) and the time range
    the page's posts cover, ``[older_bound, newer_bound)`` (``None`` = open). Return only
    entries inside that range (``timeline.time_filter(column)`` is the SQL condition), at
    most ``timeline.limit`` of them, the newest; so each entry appears on exactly one page
    and one query per page suffices. Return only what ``viewer`` may see.
    """


@hookspec(firstresult=True)
def quarter_notification_text(notification: Any, viewer: Any) -> Any:
    """``(sentence, url)`` describing a notification of a kind the plugin defined, or
    ``None``. Called for notifications whose kind is not one of the core's (plugins create
    them with ``plugin_api.notify`` and a kind named ``<plugin>.<kind>``); the
    notification's ``subject`` and ``text`` are what the plugin stored."""


@hookspec
def quarter_search_documents(obj: Any) -> Any:
    """A list of ``SearchDocument`` to index for ``obj`` if it is one of the plugin's own
    objects (else ``None`` or ``[]``). Called by ``plugin_api.index_for_search(obj)``, which
    the plugin calls inside its transaction when an object was created or changed."""


@hookspec
def quarter_search_all_documents() -> Any:
    """Every ``SearchDocument`` of the plugin (an iterable), for ``quarter-node search
    reindex``, which rebuilds the whole index."""


@hookspec
def quarter_search_kinds(viewer: Any) -> Any:
    """A list of ``SearchKind``: the kinds of documents the plugin indexes, each with the SQL
    condition that ``viewer`` (a ``User`` or ``None``) may see the object of a given id. A
    disabled plugin is not asked, so its documents are not found."""


@hookspec
def quarter_map_places(viewer: Any) -> Any:
    """A list of ``MapPlace``: the plugin's places with coordinates that ``viewer`` (a
    ``User`` or ``None``) may see, for maps (the network map). Keep it short (current
    things, a few hundred at most); a disabled plugin is not asked."""


@hookspec
def quarter_activity_records(since: Any) -> Any:
    """A list of ``ActivityRecord``: the plugin's public objects that happened at or after
    ``since`` (an aware datetime), local and remote, for figures of activity over time
    (``plugin_api.activity_records``; the network dashboard counts them per server and
    period). Only what anyone may see; a disabled plugin is not asked."""


@hookspec
def quarter_keeps_public_content(actor: Any) -> Any:
    """``True`` when the node should keep PUBLIC posts and events of the remote ``actor``
    although nobody here follows them (else ``False`` or ``None``).

    The node stores a remote post or event only when someone here has a reason to see it.
    A plugin that shows public content beyond that (the network plugin aggregates what the
    members of its network publish) answers ``True`` for those authors. Asked only for
    content addressed to the public: it never widens who may see anything else.
    """


@hookspec
def quarter_remote_group_visibilities(group_actor: Any) -> Any:
    """The visibilities a resident may choose for a post written into ``group_actor`` (a
    group on another server that she joined), as a list of ``Visibility`` values
    (``"public"``, ``"unlisted"``, ``"group"``), or ``None`` to leave the core's choice
    (public or unlisted, which the group's members on third servers can fetch).

    ``"group"`` stores the post as addressed to the group alone (its members here see it;
    elsewhere only the group and the servers the plugin lets fetch it through
    ``quarter_may_fetch_post``): offer it only for groups whose members' servers may fetch
    such posts. The first plugin answering with a non-empty list decides.
    """


@hookspec
def quarter_may_fetch_post(signer: Any, post: Any) -> Any:
    """``True`` to serve the local ``post`` to a signed fetch by ``signer`` (an ``Actor``,
    usually another server's instance actor) that the core's own audience rules refuse.

    Asked only for signed fetches of posts that are neither deleted nor hidden, and only
    when the core would answer 404; never asked when choosing whom to deliver to, so an
    answer widens who may *fetch* a post, not who receives it. Answer ``True`` only for
    servers that show the post to nobody but its audience (the network plugin: a post
    into the network's closed exchange space, fetched by a member node of the network).
    """
