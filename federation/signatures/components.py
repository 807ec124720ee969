"""Component values for RFC 9421 signature bases (section 2).

A component is a header field (lower-case name) or a derived component (``@method``,
``@target-uri``, ...). Both signer and verifier compute the same canonical value from
their view of the message; any difference makes the signature fail, so each rule of the
RFC is implemented literally here.
"""

from __future__ import annotations

import base64
from urllib.parse import parse_qsl, quote

from federation.signatures.errors import MissingHeader, UnsupportedComponent
from federation.signatures.message import HttpMessage
from federation.signatures.structured import Item, parse_dictionary, serialize_member

_SUPPORTED_FIELD_PARAMS = {"key", "bs"}


def _query_param(message: HttpMessage, params: dict) -> str:
    """``@query-param``: the single value of the named parameter, re-encoded (2.2.8)."""
    name = params.get("name")
    if not isinstance(name, str):
        raise UnsupportedComponent("@query-param needs a name parameter")
    values = [v for k, v in parse_qsl(message.query, keep_blank_values=True) if quote(k) == name]
    if len(values) != 1:
        raise MissingHeader(f"query parameter {name!r} must occur exactly once")
    return quote(values[0], safe="")


def _derived(message: HttpMessage, name: str, params: dict) -> str:
    """The value of a derived component."""
    if name == "@status":
        if message.status is None:
            raise UnsupportedComponent("@status exists only for responses")
        return str(message.status)
    values = {
        "@method": lambda: message.method.upper(),
        "@target-uri": lambda: message.url,
        "@authority": lambda: message.authority,
        "@scheme": lambda: message.scheme,
        "@request-target": lambda: message.request_target,
        "@path": lambda: message.path,
        "@query": lambda: "?" + message.query,
        "@query-param": lambda: _query_param(message, params),
    }
    if name not in values:
        raise UnsupportedComponent(f"unknown derived component {name}")
    return values[name]()


def _field(message: HttpMessage, name: str, params: dict) -> str:
    """The value of a header field, honouring the ``key`` and ``bs`` parameters."""
    unsupported = set(params) - _SUPPORTED_FIELD_PARAMS
    if unsupported:
        raise UnsupportedComponent(f"component parameters {sorted(unsupported)} on {name}")
    lines = message.header_lines(name)
    if not lines:
        raise MissingHeader(f"header {name!r} is signed but missing")
    if params.get("bs"):
        return ", ".join(":" + base64.b64encode(line.encode()).decode() + ":" for line in lines)
    if "key" in params:
        member = parse_dictionary(", ".join(lines)).get(str(params["key"]))
        if member is None:
            raise MissingHeader(f"dictionary member {params['key']!r} missing in {name}")
        return serialize_member(member)
    return ", ".join(lines)


def component_value(message: HttpMessage, component: Item) -> str:
    """The canonical value of one covered component of ``message``."""
    name = component.value
    if not isinstance(name, str) or name != name.lower():
        raise UnsupportedComponent(f"component names must be lower-case strings: {name!r}")
    if name.startswith("@"):
        value = _derived(message, name, component.params)
    else:
        value = _field(message, name, component.params)
    if "\n" in value or "\r" in value:
        raise UnsupportedComponent(f"component {name} contains a line break")
    return value
