"""Which network addresses our outgoing requests may reach (SSRF protection).

Peers hand us URLs (actor ids, inboxes, attachments). Without a guard, a hostile peer
could make our node request its own admin interfaces, the cloud metadata service or
anything else on the internal network. Every address is checked *at connect time*, after
DNS resolution, and the connection then goes to exactly the checked address, so a
hostname that resolves differently on a second lookup (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from federation.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_EXTRA_FORBIDDEN = [
    ipaddress.ip_network(net)
    for net in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fc00::/7", "fe80::/10")
]


class ForbiddenAddress(FetchError):
    """The destination is a loopback, private or otherwise special-use address."""


def system_resolver(host: str, port: int) -> list[str]:
    """Resolve a host name to all its addresses with the operating system's resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in an IPv6 one (mapped, NAT64, 6to4, Teredo), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    return address.teredo[1] if address.teredo else None


def is_forbidden(address: IPAddress) -> bool:
    """Whether an address is anything but a plain public unicast address."""
    inner = embedded_ipv4(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return is_forbidden(address.ipv4_mapped)
    if inner is not None and is_forbidden(inner):
        return True
    special = (
        address.is_loopback,
        address.is_private,
        address.is_link_local,
        address.is_multicast,
        address.is_reserved,
        address.is_unspecified,
        not address.is_global,
    )
    return any(special) or any(
        address in net for net in _EXTRA_FORBIDDEN if net.version == address.version
    )


def parse_ip(host: str) -> IPAddress | None:
    """The address if ``host`` is an IP literal (brackets allowed), else ``None``."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass(frozen=True)
class AddressPolicy:
    """The guard's configuration: a development allowlist and the resolver to use.

    ``allowlist`` holds ``host:port`` entries (``127.0.0.1:5001``, ``[::1]:5002``,
    ``localhost:5001``) that may be reached despite being special-use; it exists for
    running several nodes on one machine and must stay empty in production.
    """

    allowlist: frozenset[str] = field(default_factory=frozenset)
    resolver: Resolver = system_resolver

    @classmethod
    def allowing(
        cls, entries: Iterable[str], resolver: Resolver = system_resolver
    ) -> AddressPolicy:
        """A policy that lets the given ``host:port`` entries through."""
        return cls(frozenset(entry.lower() for entry in entries), resolver)

    def allows(self, host: str, port: int) -> bool:
        """Whether ``host:port`` is on the development allowlist."""
        return _host_port(host.lower().strip("[]"), port) in self.allowlist

    def check_literal(self, host: str, port: int) -> None:
        """Refuse, without any DNS lookup, IP literals and ``localhost`` names that are
        special-use. Used before a request is even built."""
        if self.allows(host, port):
            return
        name = host.lower().rstrip(".")
        address = parse_ip(name)
        if name == "localhost" or name.endswith(".localhost"):
            raise ForbiddenAddress(f"{host} is a loopback name")
        if address is not None and is_forbidden(address):
            raise ForbiddenAddress(f"{host} is not a public address")

    def addresses_for(self, host: str, port: int) -> list[str]:
        """Resolve ``host`` and return the addresses to connect to, all of them checked.

        If any address of the name is special-use the whole name is refused: mixing a
        public and a private record is a rebinding trick, not a configuration to honour.
        """
        literal = parse_ip(host)
        addresses = [str(literal)] if literal else self.resolver(host, port)
        if not addresses:
            raise ForbiddenAddress(f"{host} does not resolve")
        if self.allows(host, port):
            return addresses
        for address in addresses:
            if is_forbidden(ipaddress.ip_address(address)) and not self.allows(address, port):
                raise ForbiddenAddress(f"{host} resolves to {address}, which is not public")
        return addresses
