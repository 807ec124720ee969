"""The ActivityStreams words Quarter Node speaks, and the JSON-LD context it sends.

Every type name and namespace lives here once, so that a typo cannot silently create a
new, unknown type somewhere in the code, and so that readers can compare against the same
constants the builders use.
"""

from __future__ import annotations

from typing import Any, Final

AS_NAMESPACE: Final = "https://www.w3.org/ns/activitystreams"
SECURITY_NAMESPACE: Final = "https://w3id.org/security/v1"
TOOT_NAMESPACE: Final = "http://joinmastodon.org/ns#"
SCHEMA_NAMESPACE: Final = "http://schema.org#"
#: Mobilizon's event terms (``joinMode``, ``timezone``, ``isOnline``, ...).
MOBILIZON_NAMESPACE: Final = "https://joinmobilizon.org/ns#"
#: PeerTube's namespace, where ``commentsEnabled`` comes from.
PEERTUBE_NAMESPACE: Final = "https://joinpeertube.org/ns#"
#: iCalendar as RDF, for ``ical:status``.
ICAL_NAMESPACE: Final = "http://www.w3.org/2002/12/cal/ical#"
#: Our own terms (e.g. the quarter an actor belongs to). A namespace URL only has to be
#: stable and ours; it is never fetched by other servers.
QUARTER_NAMESPACE: Final = "https://quarter-node.org/ns#"

#: The special collection meaning "everyone". Peers write it in three spellings.
PUBLIC: Final = f"{AS_NAMESPACE}#Public"
PUBLIC_SPELLINGS: Final = frozenset({PUBLIC, "as:Public", "Public"})

#: Media types of ActivityStreams documents, the first one is what we send.
ACTIVITY_JSON: Final = "application/activity+json"
LD_JSON_AS: Final = f'application/ld+json; profile="{AS_NAMESPACE}"'
#: What we ask for when fetching: both spellings, as Mastodon and Fedify do.
ACCEPT_ACTIVITY: Final = f"{ACTIVITY_JSON}, {LD_JSON_AS}"

# Actor types
PERSON: Final = "Person"
GROUP: Final = "Group"
APPLICATION: Final = "Application"
SERVICE: Final = "Service"
ORGANIZATION: Final = "Organization"
ACTOR_TYPES: Final = frozenset({PERSON, GROUP, APPLICATION, SERVICE, ORGANIZATION})

# Object types
NOTE: Final = "Note"
ARTICLE: Final = "Article"
PAGE: Final = "Page"
EVENT: Final = "Event"
PLACE: Final = "Place"
QUESTION: Final = "Question"
TOMBSTONE: Final = "Tombstone"
IMAGE: Final = "Image"
DOCUMENT: Final = "Document"
HASHTAG: Final = "Hashtag"
MENTION: Final = "Mention"
LINK: Final = "Link"
POSTAL_ADDRESS: Final = "PostalAddress"
PROPERTY_VALUE: Final = "PropertyValue"
CONTENT_TYPES: Final = frozenset({NOTE, ARTICLE, PAGE, EVENT, QUESTION})

# Activity types
CREATE: Final = "Create"
UPDATE: Final = "Update"
DELETE: Final = "Delete"
FOLLOW: Final = "Follow"
ACCEPT: Final = "Accept"
REJECT: Final = "Reject"
UNDO: Final = "Undo"
ANNOUNCE: Final = "Announce"
LIKE: Final = "Like"
FLAG: Final = "Flag"
BLOCK: Final = "Block"
JOIN: Final = "Join"
LEAVE: Final = "Leave"
ACTIVITY_TYPES: Final = frozenset(
    {CREATE, UPDATE, DELETE, FOLLOW, ACCEPT, REJECT, UNDO, ANNOUNCE, LIKE, FLAG, BLOCK}
    | {JOIN, LEAVE}
)

#: The terms of Events as Mobilizon defines them (schema.org, its own ``mz:`` namespace,
#: iCalendar's status). They are part of the shared context, so a Create or Update carrying an
#: Event describes it fully; actor and Note documents simply do not use them.
EVENT_CONTEXT_TERMS: Final[dict[str, Any]] = {
    "mz": MOBILIZON_NAMESPACE,
    "pt": PEERTUBE_NAMESPACE,
    "ical": ICAL_NAMESPACE,
    "PostalAddress": "schema:PostalAddress",
    "address": "schema:address",
    "streetAddress": "schema:streetAddress",
    "postalCode": "schema:postalCode",
    "addressLocality": "schema:addressLocality",
    "addressRegion": "schema:addressRegion",
    "addressCountry": "schema:addressCountry",
    "propertyID": "schema:propertyID",
    "uuid": "schema:identifier",
    "category": "schema:category",
    "inLanguage": "schema:inLanguage",
    "maximumAttendeeCapacity": "schema:maximumAttendeeCapacity",
    "remainingAttendeeCapacity": "schema:remainingAttendeeCapacity",
    "timezone": {"@id": "mz:timezone", "@type": "schema:Text"},
    "joinMode": {"@id": "mz:joinMode", "@type": "mz:joinModeType"},
    "isOnline": {"@id": "mz:isOnline", "@type": "schema:Boolean"},
    "participantCount": {"@id": "mz:participantCount", "@type": "schema:Integer"},
    "anonymousParticipationEnabled": {
        "@id": "mz:anonymousParticipationEnabled",
        "@type": "schema:Boolean",
    },
    "externalParticipationUrl": {"@id": "mz:externalParticipationUrl", "@type": "schema:URL"},
    "participationMessage": {"@id": "mz:participationMessage", "@type": "schema:Text"},
    "draft": {"@id": "mz:draft", "@type": "schema:Boolean"},
    "repliesModerationOption": {
        "@id": "mz:repliesModerationOption",
        "@type": "mz:repliesModerationOptionType",
    },
    "commentsEnabled": {"@id": "pt:commentsEnabled", "@type": "schema:Boolean"},
}
#: The extension terms we use, mapped so that JSON-LD aware peers understand them and
#: plain-JSON peers (most of the fediverse) see the short names they expect.
EXTENSION_CONTEXT: Final[dict[str, Any]] = {
    "toot": TOOT_NAMESPACE,
    "schema": SCHEMA_NAMESPACE,
    "qn": QUARTER_NAMESPACE,
    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
    "sensitive": "as:sensitive",
    "Hashtag": "as:Hashtag",
    "discoverable": "toot:discoverable",
    "indexable": "toot:indexable",
    "featured": {"@id": "toot:featured", "@type": "@id"},
    "PropertyValue": "schema:PropertyValue",
    "value": "schema:value",
    "quarter": {"@id": "qn:quarter", "@type": "@id"},
    **EVENT_CONTEXT_TERMS,
}


#: The ``@context`` of every document we publish.
CONTEXT: Final[list[Any]] = [AS_NAMESPACE, SECURITY_NAMESPACE, EXTENSION_CONTEXT]


def with_context(document: dict[str, Any]) -> dict[str, Any]:
    """Return ``document`` with our ``@context`` first, as peers expect it at the top.

    Only the outermost document carries a context; embedded objects inherit it, so the
    builders call this once on the activity, never on the object inside.
    """
    return {"@context": CONTEXT, **{k: v for k, v in document.items() if k != "@context"}}
