"""A ``requests`` transport whose connections go only to addresses ``netguard`` allows.

urllib3 opens sockets in ``HTTPConnection._new_conn``. Our subclasses resolve the host
themselves, check every address, and connect to a checked address directly; TLS still
uses the original host name for SNI and certificate checks, because ``self.host`` is left
untouched. Proxies are disabled: through a proxy we could not see the real destination.
"""

from __future__ import annotations

import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from federation.netguard import AddressPolicy


class _GuardedConnectionMixin:
    """Replaces urllib3's socket creation with check-then-connect."""

    address_policy: AddressPolicy

    def _new_conn(self) -> socket.socket:
        """Connect to the first reachable checked address of the host."""
        addresses = self.address_policy.addresses_for(self._dns_host, self.port)
        error: OSError | None = None
        for address in addresses:
            try:
                return urllib3_connection.create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as timeout:
                raise ConnectTimeoutError(self, f"connecting to {self.host} timed out") from timeout
            except OSError as failure:
                error = failure
        raise NewConnectionError(self, f"cannot connect to {self.host}: {error}")


class GuardedHTTPConnection(_GuardedConnectionMixin, HTTPConnection):
    """Plain HTTP connection with the address guard."""


class GuardedHTTPSConnection(_GuardedConnectionMixin, HTTPSConnection):
    """HTTPS connection with the address guard; certificate checks are unchanged."""


def _bound(base: type, policy: AddressPolicy) -> type:
    """A connection class carrying one policy (urllib3 instantiates classes itself)."""
    return type(f"Bound{base.__name__}", (base,), {"address_policy": policy})


class GuardedAdapter(HTTPAdapter):
    """A ``requests`` adapter whose pools use the guarded connection classes."""

    def __init__(self, policy: AddressPolicy, **kwargs: Any) -> None:
        self._address_policy = policy
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Build the pool manager, then swap in pools that create guarded connections."""
        super().init_poolmanager(*args, **kwargs)
        http = type(
            "GuardedHTTPPool",
            (HTTPConnectionPool,),
            {"ConnectionCls": _bound(GuardedHTTPConnection, self._address_policy)},
        )
        https = type(
            "GuardedHTTPSPool",
            (HTTPSConnectionPool,),
            {"ConnectionCls": _bound(GuardedHTTPSConnection, self._address_policy)},
        )
        self.poolmanager.pool_classes_by_scheme = {"http": http, "https": https}

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """Refuse proxies: the guard must see the real destination."""
        raise ValueError("proxies are not supported by the guarded transport")
