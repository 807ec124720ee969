"""Fake remote servers for inbox tests: actor documents served with ``responses`` and
requests signed with ``federation.signatures`` by the fake actors' own keys."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import responses
from flask.testing import FlaskClient

from federation import vocabulary as v
from federation.signatures import CAVAGE, HttpMessage, SigningKey, sign_request
from federation.signatures.keys import KeyPair, generate_rsa_keypair, load_private_key

ACTIVITY_JSON = "application/activity+json"
_counter = itertools.count(1)


@lru_cache(maxsize=8)
def keypair(number: int) -> KeyPair:
    """A few RSA keys per test process: generating one per test would be slow."""
    return generate_rsa_keypair()


@dataclass
class RemoteActor:
    """A person (or group) on a fake server, e.g. ``http://127.0.0.1:59999/users/bob``."""

    name: str
    origin: str = "http://127.0.0.1:59999"
    kind: str = v.PERSON
    key_number: int = 0
    locked: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    fixed_uri: str | None = None  # an id from a real server's payload

    @property
    def uri(self) -> str:
        return self.fixed_uri or f"{self.origin}/users/{self.name}"

    @property
    def key_id(self) -> str:
        return f"{self.uri}#main-key"

    @property
    def inbox(self) -> str:
        return f"{self.uri}/inbox"

    @property
    def keys(self) -> KeyPair:
        return keypair(self.key_number)

    def document(self) -> dict[str, Any]:
        return {
            "@context": v.CONTEXT,
            "id": self.uri,
            "type": self.kind,
            "preferredUsername": self.name.capitalize(),
            "name": f"{self.name.capitalize()} Remote",
            "inbox": self.inbox,
            "outbox": f"{self.uri}/outbox",
            "followers": f"{self.uri}/followers",
            "following": f"{self.uri}/following",
            "endpoints": {"sharedInbox": f"{self.origin}/inbox"},
            "manuallyApprovesFollowers": self.locked,
            "publicKey": {
                "id": self.key_id,
                "owner": self.uri,
                "publicKeyPem": self.keys.public_pem,
            },
            **self.extra,
        }

    def serve(self, mock: responses.RequestsMock) -> RemoteActor:
        """Serve the actor document and accept deliveries to its inboxes."""
        mock.upsert(
            responses.GET, self.uri, body=json.dumps(self.document()), content_type=ACTIVITY_JSON
        )
        for inbox in (self.inbox, f"{self.origin}/inbox"):
            mock.upsert(responses.POST, inbox, status=202)
        return self

    def new_id(self, kind: str = "activity") -> str:
        return f"{self.origin}/{kind}/{next(_counter)}"

    def activity(self, kind: str, obj: Any, **more: Any) -> dict[str, Any]:
        return {
            "@context": v.AS_NAMESPACE,
            "id": self.new_id(kind.lower()),
            "type": kind,
            "actor": self.uri,
            "object": obj,
            **more,
        }

    def note(self, content: str, **more: Any) -> dict[str, Any]:
        note_id = self.new_id("notes")
        return {
            "id": note_id,
            "type": v.NOTE,
            "attributedTo": self.uri,
            "content": content,
            "published": "2025-05-01T10:00:00Z",
            "url": note_id,
            **more,
        }

    def create(self, note: dict[str, Any]) -> dict[str, Any]:
        return self.activity(
            "Create",
            note,
            to=note.get("to", []),
            cc=note.get("cc", []),
            id=f"{note['id']}/activity",
        )


def signed_headers(
    path: str,
    body: bytes,
    key_id: str,
    private_pem: str,
    *,
    scheme: str = CAVAGE,
    now: datetime | None = None,
    content_type: str = ACTIVITY_JSON,
) -> dict[str, str]:
    message = HttpMessage.build(
        "POST", f"http://localhost{path}", {"Content-Type": content_type}, body
    )
    key = SigningKey(key_id, load_private_key(private_pem))
    return {"Content-Type": content_type, **sign_request(message, key, scheme, now=now)}


def deliver(
    client: FlaskClient,
    sender: RemoteActor,
    activity: dict[str, Any] | bytes,
    *,
    path: str = "/inbox",
    scheme: str = CAVAGE,
    now: datetime | None = None,
    key_id: str | None = None,
    private_pem: str | None = None,
    content_type: str = ACTIVITY_JSON,
    tamper: bytes | None = None,
):  # noqa: ANN201  (a test response)
    """POST ``activity`` to our inbox, signed by ``sender`` (or the given key)."""
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    headers = signed_headers(
        path,
        body,
        key_id or sender.key_id,
        private_pem or sender.keys.private_pem,
        scheme=scheme,
        now=now,
        content_type=content_type,
    )
    return client.post(path, data=tamper if tamper is not None else body, headers=headers)
