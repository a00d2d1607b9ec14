"""Client addresses behind reverse proxies (WARGA_TRUSTED_PROXIES).

A peer's address is its own, unless the peer is a trusted proxy: then the client is the rightmost address of its
`X-Forwarded-For` or `Forwarded` (RFC 7239, `for=`) chain that is not itself a trusted proxy. Each proxy appends
the address it saw, so what a client writes itself lies to the left of that and is never reached.

uvicorn's ProxyHeadersMiddleware is not used (`serve` turns it off): it reads X-Forwarded-For only, so behind a
proxy that writes `Forwarded` a client's own X-Forwarded-For would be believed, and it takes text that is no
address (`unknown`) as the client's address.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Client = tuple[str, int]


def parse_address(text: str) -> tuple[Address, int] | None:
    """An address as proxies write it (`203.0.113.7`, `203.0.113.7:4711`, `2001:db8::7`, `[2001:db8::7]:4711`)
    with its port (0 when absent); None for anything else: `unknown`, an obfuscated `_hidden`, garbage."""
    text, port = text.strip(), "0"
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:] or "0"
    elif text.count(":") == 1:  # IPv4 with a port (an IPv6 address has at least two colons)
        host, _, port = text.partition(":")
    else:
        host = text
    if not (port.isascii() and port.isdigit() and int(port) <= 65535):
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped, int(port)  # a dual-stack socket's view of an IPv4 peer
    return address, int(port)


def _split(text: str, separator: str) -> list[str]:
    """Split on a separator outside quoted strings (RFC 7230 lists and RFC 7239 pairs)."""
    parts: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def forwarded_for(values: list[str]) -> list[str | None]:
    """The `for=` of each element of `Forwarded` headers, in order; None for an element without one."""
    chain: list[str | None] = []
    for element in _split(",".join(values), ","):
        if not element.strip():
            continue  # an empty list element is ignored (RFC 7230, 7)
        found = None
        for pair in _split(element, ";"):
            name, _, value = pair.partition("=")
            if name.strip().lower() == "for":
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = re.sub(r"\\(.)", r"\1", value[1:-1])  # a quoted-string's \x is x
                found = value
        chain.append(found)
    return chain


@dataclass
class TrustedProxies:
    """The proxies whose forwarding headers are believed (replaceable while serving, as the tests do)."""

    networks: tuple[Network, ...] = ()

    def trusts(self, address: Address) -> bool:
        return any(address in network for network in self.networks)

    def client(self, peer: Client, headers: list[tuple[bytes, bytes]]) -> Client:
        """The client of a connection from `peer` with these headers."""
        seen = parse_address(peer[0])
        if seen is None or not self.trusts(seen[0]):
            return peer
        forwarded = [value.decode("latin-1") for name, value in headers if name == b"forwarded"]
        listed = [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]
        chains = []
        named = forwarded_for(forwarded)
        if any(named):  # `Forwarded: proto=https` alone names no client
            chains.append(named)
        if listed:
            chains.append([entry for entry in ",".join(listed).split(",") if entry.strip()])
        answers = [self._walk(seen[0], peer[1], chain) for chain in chains]
        if not answers or any(address != answers[0][0] for address, _ in answers):
            # Both headers but different clients: one of them came from the client, and nothing says which.
            return peer
        return str(answers[0][0]), answers[0][1]

    def _walk(self, peer: Address, port: int, chain: list[str | None]) -> tuple[Address, int]:
        """From the right, hop by hop while a trusted proxy vouches for the next one."""
        client = peer, port
        for entry in reversed(chain):
            parsed = parse_address(entry) if entry is not None else None
            if parsed is None:
                break  # a hop the proxy could not name: the last one named is all that is known
            client = parsed
            if not self.trusts(parsed[0]):
                break
        return client


class ProxyHeaders:
    """ASGI middleware: scope["client"] becomes the client's address for HTTP and WebSocket. The scope is changed
    in place, so uvicorn's access log (which holds the same dict) reports it too."""

    def __init__(self, app: ASGIApp, proxies: TrustedProxies) -> None:
        self.app = app
        self.proxies = proxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.proxies.networks and scope.get("client"):
            host, port = scope["client"]
            scope["client"] = self.proxies.client((host, port), scope["headers"])
        await self.app(scope, receive, send)
