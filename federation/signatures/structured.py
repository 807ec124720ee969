"""Just enough of RFC 8941 (Structured Field Values) for RFC 9421 and RFC 9530.

``Signature-Input``, ``Signature`` and ``Content-Digest`` are Structured Field
dictionaries. The signature base must contain the *canonical* serialisation of the
signature parameters, so we parse strictly and serialise exactly as the RFC prescribes;
a lenient parser here would make signatures fail to verify for reasons nobody can see.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from dataclasses import dataclass, field

from federation.signatures.errors import MalformedSignature


class Token(str):
    """A token bare item (written without quotes), as opposed to a string."""


BareItem = bool | int | float | str | bytes
Params = dict[str, BareItem]


@dataclass
class Item:
    """A bare item with parameters."""

    value: BareItem
    params: Params = field(default_factory=dict)


@dataclass
class InnerList:
    """A parenthesised list of items, with parameters of its own."""

    items: list[Item]
    params: Params = field(default_factory=dict)


Member = Item | InnerList

_KEY_START = set(string.ascii_lowercase + "*")
_KEY_CHARS = _KEY_START | set(string.digits + "_-.")
_TOKEN_START = set(string.ascii_letters + "*")
_TOKEN_CHARS = _TOKEN_START | set(string.digits + "!#$%&'+-.^_`|~:/")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_BASE64 = re.compile(r"[A-Za-z0-9+/=]*")


class _Parser:
    """A cursor over the field value; every method consumes what it parses."""

    def __init__(self, text: str) -> None:
        self.text, self.pos = text, 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def fail(self, what: str) -> MalformedSignature:
        return MalformedSignature(f"structured field: {what} at {self.pos}")

    def skip(self, chars: str) -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f"expected {char!r}")
        self.pos += 1

    def key(self) -> str:
        start = self.pos
        if self.peek() not in _KEY_START or not self.peek():
            raise self.fail("bad key")
        while self.peek() and self.peek() in _KEY_CHARS:
            self.pos += 1
        return self.text[start : self.pos]

    def bare_item(self) -> BareItem:
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            return self.boolean()
        if char == "-" or char.isdigit():
            return self.number()
        if char and char in _TOKEN_START:
            return self.token()
        raise self.fail("bad item")

    def string(self) -> str:
        self.expect('"')
        out = []
        while (char := self.peek()) != '"':
            if not char or not (" " <= char <= "~"):
                raise self.fail("bad string")
            if char == "\\":
                self.pos += 1
                if self.peek() not in ('"', "\\"):
                    raise self.fail("bad escape")
                char = self.peek()
            out.append(char)
            self.pos += 1
        self.pos += 1
        return "".join(out)

    def token(self) -> Token:
        start = self.pos
        while self.peek() and self.peek() in _TOKEN_CHARS:
            self.pos += 1
        return Token(self.text[start : self.pos])

    def byte_sequence(self) -> bytes:
        self.expect(":")
        match = _BASE64.match(self.text, self.pos)
        self.pos = match.end()
        self.expect(":")
        try:
            return base64.b64decode(match.group(), validate=True)
        except binascii.Error as error:
            raise self.fail("bad base64") from error

    def boolean(self) -> bool:
        self.expect("?")
        char = self.peek()
        if char not in ("0", "1") or not char:
            raise self.fail("bad boolean")
        self.pos += 1
        return char == "1"

    def number(self) -> int | float:
        match = _NUMBER.match(self.text, self.pos)
        if not match or len(match.group().lstrip("-").split(".")[0]) > 15:
            raise self.fail("bad number")
        self.pos = match.end()
        return float(match.group()) if match.group(1) else int(match.group())

    def params(self) -> Params:
        found: Params = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip(" ")
            name = self.key()
            value: BareItem = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare_item()
            found[name] = value
        return found

    def item(self) -> Item:
        value = self.bare_item()
        return Item(value, self.params())

    def inner_list(self) -> InnerList:
        self.expect("(")
        items = []
        while True:
            self.skip(" ")
            if self.peek() == ")":
                self.pos += 1
                return InnerList(items, self.params())
            items.append(self.item())
            if self.peek() not in (" ", ")"):
                raise self.fail("bad inner list")

    def member(self) -> Member:
        return self.inner_list() if self.peek() == "(" else self.item()

    def dictionary(self) -> dict[str, Member]:
        found: dict[str, Member] = {}
        self.skip(" ")
        while self.peek():
            name = self.key()
            if self.peek() == "=":
                self.pos += 1
                found[name] = self.member()
            else:
                found[name] = Item(True, self.params())
            self.skip(" \t")
            if not self.peek():
                break
            self.expect(",")
            self.skip(" \t")
            if not self.peek():
                raise self.fail("trailing comma")
        return found


def parse_dictionary(text: str) -> dict[str, Member]:
    """Parse a Structured Field dictionary; raises ``MalformedSignature`` on bad input."""
    return _Parser(text.strip()).dictionary()


def parse_item(text: str) -> Item:
    """Parse one item with parameters, e.g. a component id ``"@query-param";name="a"``."""
    parser = _Parser(text.strip())
    found = parser.item()
    if parser.peek():
        raise parser.fail("trailing characters")
    return found


def serialize_bare(value: BareItem) -> str:
    """Serialise a bare item canonically."""
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.1f}"
    if isinstance(value, bytes):
        return ":" + base64.b64encode(value).decode() + ":"
    if isinstance(value, Token):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def serialize_params(params: Params) -> str:
    """Serialise parameters; a ``True`` value is written as the bare key."""
    return "".join(f";{k}" if v is True else f";{k}={serialize_bare(v)}" for k, v in params.items())


def serialize_item(item: Item) -> str:
    """Serialise an item with its parameters."""
    return serialize_bare(item.value) + serialize_params(item.params)


def serialize_inner_list(inner: InnerList) -> str:
    """Serialise an inner list, e.g. the value of ``@signature-params``."""
    return (
        "("
        + " ".join(serialize_item(i) for i in inner.items)
        + ")"
        + serialize_params(inner.params)
    )


def serialize_member(member: Member) -> str:
    """Serialise a dictionary member value."""
    return serialize_inner_list(member) if isinstance(member, InnerList) else serialize_item(member)


def serialize_dictionary(members: dict[str, Member]) -> str:
    """Serialise a dictionary, e.g. a ``Signature`` or ``Content-Digest`` field."""
    parts = []
    for name, member in members.items():
        if isinstance(member, Item) and member.value is True:
            parts.append(name + serialize_params(member.params))
        else:
            parts.append(f"{name}={serialize_member(member)}")
    return ", ".join(parts)
