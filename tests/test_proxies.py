"""Behind a proxy, through the suite's real server: the rate limiter counts the address a trusted proxy forwarded,
and an untrusted peer's forwarding headers change nothing.

The clients connect from 127.0.0.2 (the proxy) and 127.0.0.3 (a stranger): any 127/8 address is loopback, and
neither is the 127.0.0.1 that uvicorn's own proxy-header handling trusts in the suite's server."""

from __future__ import annotations

import ipaddress

import httpx

from testkit.client import Api, unique

LOGIN = 'mutation($h: String!) { login(handle: $h, password: "wrong-password") { token } }'


async def test_the_limiter_counts_what_a_trusted_proxy_forwarded_and_ignores_a_stranger(api: Api) -> None:
    state = api.server.app.state
    limiter, proxies = state.resources.limiter, state.proxies
    proxies.networks = (ipaddress.ip_network("127.0.0.2"),)
    limiter.scale = 0.01  # three sign-ins per address (of 300); a handle's own limit never binds: each is new

    async def codes(http: httpx.AsyncClient, **headers: str) -> list[str]:
        body = (await http.post("/graphql", headers={k.replace("_", "-"): v for k, v in headers.items()},
                                json={"query": LOGIN, "variables": {"h": unique("nobody")}})).json()
        return [error["extensions"]["code"] for error in body["errors"]]

    def client(address: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=api.server.url, transport=httpx.AsyncHTTPTransport(local_address=address))

    try:
        async with client("127.0.0.2") as proxy, client("127.0.0.3") as stranger:
            one = [await codes(proxy, x_forwarded_for="198.51.100.7") for _ in range(4)]
            assert one == [["UNAUTHENTICATED"]] * 3 + [["RATE_LIMITED"]]
            # The same client cannot start afresh by prepending an address of its choosing.
            assert await codes(proxy, x_forwarded_for="203.0.113.9, 198.51.100.7") == ["RATE_LIMITED"]
            # Its neighbours behind the proxy are counted apart (RFC 7239's header too, IPv6 by its /64).
            assert await codes(proxy, x_forwarded_for="198.51.100.8") == ["UNAUTHENTICATED"]
            for n in range(3):
                assert await codes(proxy, forwarded=f'for="[2001:db8:cafe::{n}]:4711"') == ["UNAUTHENTICATED"]
            assert await codes(proxy, forwarded='for="[2001:db8:cafe::99]"') == ["RATE_LIMITED"]
            # A stranger claiming other addresses is itself, each time.
            own = [await codes(stranger, x_forwarded_for=f"192.0.2.{n}", forwarded=f"for=192.0.2.{n}")
                   for n in range(4)]
            assert own == [["UNAUTHENTICATED"]] * 3 + [["RATE_LIMITED"]]
        counted = {key.removeprefix("login:ip:") for key in limiter.memory.hits if key.startswith("login:ip:")}
        assert counted == {"198.51.100.7", "198.51.100.8", "2001:db8:cafe::/64", "127.0.0.3"}
    finally:
        limiter.scale = 0
        limiter.memory.hits.clear()
        proxies.networks = ()
