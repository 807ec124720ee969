"""What a verifier demands of a signature, and what it reports back.

The defaults are those of an ActivityPub inbox: the method and the target must be signed,
a body must be protected by a signed digest, and the signature must be at most an hour
off. Tests of published vectors relax them explicitly, so the relaxation is visible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from federation.signatures.freshness import DEFAULT_SKEW

RFC9421 = "rfc9421"
CAVAGE = "draft-cavage"

#: Each entry must be covered; a tuple entry is satisfied by any one of its members.
Requirement = str | tuple[str, ...]


@dataclass(frozen=True)
class VerificationPolicy:
    """The rules a signature must meet beyond being cryptographically valid."""

    max_skew: timedelta = DEFAULT_SKEW
    require_digest_for_body: bool = True
    rfc9421_required: tuple[Requirement, ...] = (
        "@method",
        ("@target-uri", "@path", "@request-target"),
        ("@target-uri", "@authority"),
    )
    rfc9421_require_created: bool = True
    cavage_required: tuple[Requirement, ...] = ("(request-target)", "host", ("date", "(created)"))
    label: str | None = None


INBOX_POLICY = VerificationPolicy()


@dataclass(frozen=True)
class VerifiedSignature:
    """A signature that passed every check: who signed, how, and over what."""

    scheme: str
    key_id: str
    algorithm: str
    owner: str | None = None
    label: str | None = None
    created: datetime | None = None
    covered: tuple[str, ...] = field(default=())


def missing_requirements(covered: set[str], required: tuple[Requirement, ...]) -> list[Requirement]:
    """The requirements not satisfied by the covered component/header names."""
    missing = []
    for entry in required:
        options = (entry,) if isinstance(entry, str) else entry
        if covered.isdisjoint(options):
            missing.append(entry)
    return missing
