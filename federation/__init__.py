"""Quarter Node's ActivityPub library: pure federation logic, no web framework.

This package never imports Flask, SQLAlchemy or ``quarter_node``. Storage reaches it
through small ``typing.Protocol`` interfaces (``signatures.keys.KeyLookup``,
``signatures.negotiation.SchemeMemory``) and plain values go in and out, so every rule
here is testable without an app or a database, and the app stays free to store things
as it likes.

Modules, one job each:

``vocabulary``
    ActivityStreams type names, namespaces, the public collection and the ``@context``
    we send (AS2, security v1, Mastodon's ``toot:`` terms, schema.org ``PropertyValue``,
    the event terms of Mobilizon's ``mz:``, ``ical:`` and schema.org, and our own
    ``https://quarter-node.org/ns#``).
``activities``
    Builders for the activities we send: Create, Update, Delete with Tombstone, Follow,
    Accept, Reject, Undo, Announce (also FEP-1b12 group relays), Like, Flag, Block,
    Join, Leave (of groups, and of events addressed to their organiser).
``readers``
    Tolerant readers for what peers send: ``as_list``, ``id_of``, ``first_str``,
    ``natural_text`` (``content`` or ``contentMap``), audiences and ``is_public``.
``actors`` / ``multikey``
    ``parse_actor`` into ``ActorInfo``: inboxes, keys (single, arrays, FEP-521a
    multikeys), icon, approval setting.
``objects`` / ``details``
    ``parse_object`` for Note, Article, Page, Event and Question with the quirks of
    Mastodon, Mobilizon, Gancio, Lemmy, Friendica and Misskey.
``events`` / ``event_info`` / ``event_documents``
    Federated events: ``parse_event`` reads Mobilizon, Gancio, Friendica and Hubzilla
    Events into ``EventInfo``/``PlaceInfo``/``PostalAddressInfo``; ``event_to_ap`` builds
    ours in Mobilizon's shape, with an ``event_summary_text`` (Babel, German/English) so
    Mastodon shows date, time and place.
``signatures``
    HTTP signatures: draft-cavage-12 and RFC 9421 (sign, verify, body digests, cached
    keys, per-peer scheme negotiation). See its own docstring.
``webfinger`` / ``nodeinfo`` / ``hostmeta``
    Discovery: handles and JRD, NodeInfo 2.1 (with the FEP-2677 application actor
    link) and the host-meta XRD.
``netguard`` / ``guarded_transport`` / ``safe_http``
    The one outbound HTTP client: timeouts, deadline, size cap, re-checked redirects,
    no special-use addresses (checked at connect time), ActivityStreams fetching with
    the ``id`` check.
``validation``
    The origin-based security model for incoming activities, as pure functions
    returning accept / re-fetch / reject verdicts.
``errors``
    ``FederationError`` and the errors shared between modules.
"""
