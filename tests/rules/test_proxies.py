"""Which address is the client's (app/proxies.py), and which actions count it (plumbing/ratelimit.py)."""

from __future__ import annotations

import ipaddress

import pytest
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from app.proxies import ProxyHeaders, TrustedProxies, forwarded_for, parse_address
from core.errors import RateLimited
from core.settings import Settings
from plumbing.ratelimit import LIMITS, RateLimiter, address_key

PROXIES = TrustedProxies(Settings(trusted_proxies="10.0.0.0/8, 127.0.0.1, fd00::/8").trusted_proxies)
PROXY = ("10.1.2.3", 51000)


def client(peer: tuple[str, int], **headers: str | list[str]) -> tuple[str, int]:
    raw = [(name.replace("_", "-").encode(), value.encode())
           for name, values in headers.items() for value in ([values] if isinstance(values, str) else values)]
    return PROXIES.client(peer, raw)


def test_an_untrusted_peer_is_its_own_address_whatever_it_says() -> None:
    peer = ("198.51.100.7", 40000)
    assert client(peer, x_forwarded_for="203.0.113.1") == peer
    assert client(peer, forwarded="for=203.0.113.1") == peer
    assert client(("2001:db8::5", 1), x_forwarded_for="203.0.113.1") == ("2001:db8::5", 1)
    assert client(("not an address", 1), x_forwarded_for="203.0.113.1") == ("not an address", 1)


def test_a_trusted_proxy_forwards_the_client_it_saw() -> None:
    assert client(PROXY, x_forwarded_for="203.0.113.7") == ("203.0.113.7", 0)
    assert client(PROXY, x_forwarded_for="203.0.113.7:4711") == ("203.0.113.7", 4711)
    assert client(PROXY, forwarded="for=203.0.113.7;proto=https;by=10.1.2.3") == ("203.0.113.7", 0)
    assert client(("127.0.0.1", 1), forwarded='For="203.0.113.7:4711"') == ("203.0.113.7", 4711)
    assert client(PROXY) == PROXY  # nothing forwarded: the proxy itself (a health check)


def test_the_rightmost_untrusted_hop_is_the_client_so_a_prepended_address_is_never_believed() -> None:
    # The client wrote 1.2.3.4 itself; the CDN edge (untrusted here) appended the client, our proxies the rest.
    assert client(PROXY, x_forwarded_for="1.2.3.4, 203.0.113.7, 10.9.9.9") == ("203.0.113.7", 0)
    assert client(PROXY, x_forwarded_for=["1.2.3.4", "203.0.113.7, 10.9.9.9"]) == ("203.0.113.7", 0)
    assert client(PROXY, forwarded=["for=1.2.3.4", "for=203.0.113.7, for=10.9.9.9"]) == ("203.0.113.7", 0)
    assert client(PROXY, x_forwarded_for="10.4.4.4, 10.9.9.9") == ("10.4.4.4", 0)  # all ours: the leftmost


def test_networks_and_ipv6() -> None:
    assert client(("fd12::1", 1), x_forwarded_for="2001:db8:cafe::17") == ("2001:db8:cafe::17", 0)
    assert client(("fd12::1", 1), x_forwarded_for="[2001:db8:cafe::17]:4711") == ("2001:db8:cafe::17", 4711)
    assert client(("fd12::1", 1), forwarded='for="[2001:db8:cafe::17]:4711"') == ("2001:db8:cafe::17", 4711)
    assert client(("fd12::1", 1), x_forwarded_for="2001:db8::1, fd00::9") == ("2001:db8::1", 0)
    assert client(("::ffff:10.0.0.1", 1), x_forwarded_for="203.0.113.7") == ("203.0.113.7", 0)  # dual stack
    assert client(PROXY, x_forwarded_for="::ffff:203.0.113.7") == ("203.0.113.7", 0)
    assert client(("11.0.0.1", 1), x_forwarded_for="203.0.113.7") == ("11.0.0.1", 1)  # outside 10.0.0.0/8


@pytest.mark.parametrize("malformed", ["unknown", "_hidden", "203.0.113.7:99999", "203.0.113.7:", "[::1",
                                       "[::1]x", "2001:db8::zz", "1.2.3", "203.0.113.7 evil", "٣.1.1.1"])
def test_a_hop_no_proxy_could_name_leaves_the_last_one_named(malformed: str) -> None:
    assert client(PROXY, x_forwarded_for=malformed) == PROXY
    assert client(PROXY, forwarded=f'for="{malformed}"') == PROXY
    assert client(PROXY, x_forwarded_for=f"203.0.113.7, {malformed}, 10.9.9.9") == ("10.9.9.9", 0)
    assert client(PROXY, x_forwarded_for=f"{malformed}, 203.0.113.7") == ("203.0.113.7", 0)  # left: never reached


def test_forwarded_syntax() -> None:
    assert forwarded_for(['for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8:cafe::17]:4711"']) == [
        "192.0.2.60", "[2001:db8:cafe::17]:4711"]
    assert forwarded_for(['for="a,b;c", proto=https, for=x']) == ["a,b;c", None, "x"]  # quoted separators
    assert forwarded_for(['for="\\"q\\""', " , ", ""]) == ['"q"']
    assert client(PROXY, x_forwarded_for="203.0.113.7, ,") == ("203.0.113.7", 0)  # empty list elements do not count
    assert client(PROXY, forwarded='for=""') == client(PROXY, x_forwarded_for=" ") == PROXY
    # `Forwarded: proto=https` names no client: X-Forwarded-For decides.
    assert client(PROXY, forwarded="proto=https", x_forwarded_for="203.0.113.7") == ("203.0.113.7", 0)
    # A proxy that writes both: they agree. They disagree only when one came from the client: the proxy then.
    assert client(PROXY, forwarded="for=203.0.113.7", x_forwarded_for="203.0.113.7") == ("203.0.113.7", 0)
    assert client(PROXY, forwarded="for=198.51.100.1", x_forwarded_for="203.0.113.7") == PROXY


def test_addresses_as_written() -> None:
    v4, v6 = ipaddress.ip_address("203.0.113.7"), ipaddress.ip_address("2001:db8::7")
    assert parse_address(" 203.0.113.7 ") == (v4, 0)
    assert parse_address("[2001:db8::7]") == (v6, 0)
    assert parse_address("[203.0.113.7]:80") == (v4, 80)
    assert parse_address("2001:db8::7") == (v6, 0)


def test_the_setting_reads_a_comma_separated_list_and_refuses_typos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WARGA_TRUSTED_PROXIES", "10.0.0.0/8,127.0.0.1, ::1")
    assert [str(n) for n in Settings().trusted_proxies] == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"]
    monkeypatch.setenv("WARGA_TRUSTED_PROXIES", "")
    assert Settings().trusted_proxies == ()
    for typo in ("10.0.0.1/8", "proxy.internal", "10.0.0.0/33"):
        monkeypatch.setenv("WARGA_TRUSTED_PROXIES", typo)
        with pytest.raises(ValidationError):
            Settings()


async def _through(middleware: ProxyHeaders, scope: Scope) -> Scope:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope)

    async def receive() -> Message:
        return {}

    async def send(message: Message) -> None:
        return None

    middleware.app = app
    await middleware(scope, receive, send)
    return seen[0]


async def test_the_middleware_rewrites_http_and_websocket_scopes_in_place() -> None:
    middleware = ProxyHeaders(lambda *_: None, PROXIES)  # type: ignore[arg-type]
    for kind in ("http", "websocket"):
        scope = {"type": kind, "client": PROXY, "headers": [(b"x-forwarded-for", b"203.0.113.7")]}
        passed = await _through(middleware, scope)
        assert passed is scope and scope["client"] == ("203.0.113.7", 0)  # the dict uvicorn's access log reads
    lifespan = {"type": "lifespan"}
    assert await _through(middleware, lifespan) == {"type": "lifespan"}
    nobody = ProxyHeaders(middleware.app, TrustedProxies())
    scope = {"type": "http", "client": PROXY, "headers": [(b"x-forwarded-for", b"203.0.113.7")]}
    assert (await _through(nobody, scope))["client"] == PROXY


async def test_addresses_count_only_where_there_is_no_account() -> None:
    assert {action for action, (_, per_address) in LIMITS.items() if per_address} == {"login", "register"}
    limiter = RateLimiter(None, scale=1)
    for _ in range(LIMITS["createReport"][0].hits):
        await limiter.check("createReport", 1, "203.0.113.7")
    with pytest.raises(RateLimited):
        await limiter.check("createReport", 1, "203.0.113.7")
    for account in range(2, 40):  # many accounts behind one carrier address
        await limiter.check("createReport", account, "203.0.113.7")
    assert not any(":ip:" in key for key in limiter.memory.hits)


async def test_an_ipv6_client_counts_as_its_64() -> None:
    assert address_key("2001:db8:1:2:aaaa::1") == address_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:203.0.113.7") == address_key("203.0.113.7") == "203.0.113.7"
    limiter = RateLimiter(None, scale=1)
    per_address = LIMITS["register"][1]
    assert per_address is not None
    for n in range(per_address.hits):
        await limiter.check("register", None, f"2001:db8:1:2::{n:x}")
    with pytest.raises(RateLimited):
        await limiter.check("register", None, "2001:db8:1:2:ffff::1")
    await limiter.check("register", None, "2001:db8:1:3::1")  # the neighbouring /64 is someone else
