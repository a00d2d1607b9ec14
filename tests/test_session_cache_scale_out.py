"""Two server processes sharing PostgreSQL and a Redis of their own: a token that server B remembers
(app/sessions.py) stops signing in within a second of its logout on server A, a change to the account made on A
shows on B as fast, and what no event announces (a hand edit of the database) lives TTL_SECONDS at most.

These run in the PostgreSQL pass (WARGA_TEST_DATABASE=postgres).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from app.sessions import TTL_SECONDS
from testkit.databases import DATABASE, postgres_database
from testkit.processes import RedisProcess, ServerProcess, base_env, kill_all, login, run
from testkit.servers import free_port

pytestmark = pytest.mark.skipif(DATABASE != "postgres", reason="multi-process tests run in the PostgreSQL pass")
ME = "{ me { handle role area { code } } }"
PISANGAN_BARU = "31.75.01.1001"


async def me(http: httpx.AsyncClient, server: ServerProcess, token: str) -> dict[str, Any] | None:
    body = (await http.post(server.url + "/graphql", headers={"authorization": f"Bearer {token}"},
                            json={"query": ME})).json()
    assert not body.get("errors"), body
    found: dict[str, Any] | None = body["data"]["me"]
    return found


async def remembered_on(http: httpx.AsyncClient, server: ServerProcess, token: str) -> dict[str, Any]:
    """Sign the token in on this server twice: it now answers from memory."""
    first, second = await me(http, server, token), await me(http, server, token)
    assert first is not None and first == second
    return first


async def seconds_until(check: Any, limit: float) -> float:
    """How long until `check()` holds, polled every 10 ms; fails past `limit` seconds."""
    started = time.monotonic()
    while not await check():
        assert time.monotonic() - started < limit, f"not within {limit} s"
        await asyncio.sleep(0.01)
    return time.monotonic() - started


@pytest.fixture(scope="module")
async def servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[ServerProcess, ServerProcess, str]]:
    tmp = tmp_path_factory.mktemp("session-cache")
    redis = RedisProcess(free_port(), Path(tmp))  # its own: other tests' servers publish on the shared one
    await redis.start()
    try:
        async with postgres_database() as url:
            env = base_env(url, redis.url, tmp / "media")
            env["WARGA_RATE_LIMIT_SCALE"] = "0"
            await run("migrate", env=env)
            await run("seed-demo", env=env)
            pair = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
            try:
                for server in pair:
                    await server.start()
                yield pair[0], pair[1], url
            finally:
                kill_all(pair)
    finally:
        await redis.stop()


async def test_a_logout_on_one_server_refuses_the_token_on_the_other_within_a_second(
        servers: tuple[ServerProcess, ServerProcess, str]) -> None:
    a, b, _ = servers
    async with httpx.AsyncClient(timeout=30) as http:
        token = await login(http, a.url, "budi")
        assert (await remembered_on(http, b, token))["handle"] == "budi"
        logout = await http.post(a.url + "/graphql", headers={"authorization": f"Bearer {token}"},
                                 json={"query": "mutation { logout }"})
        assert logout.json() == {"data": {"logout": True}}

        async def refused() -> bool:
            return await me(http, b, token) is None

        took = await seconds_until(refused, 1.0)
    print(f"\nlogout on A refused on B after {took * 1000:.0f} ms")


async def test_an_account_changed_on_one_server_shows_on_the_other_within_a_second(
        servers: tuple[ServerProcess, ServerProcess, str]) -> None:
    a, b, _ = servers
    async with httpx.AsyncClient(timeout=30) as http:
        token = await login(http, a.url, "siti")
        before = await remembered_on(http, b, token)
        villages = (await http.post(a.url + "/graphql", json={"query": "{ areas(level: VILLAGE) { id code } }"})
                    ).json()["data"]["areas"]
        other = next(v for v in villages if v["code"] != (before["area"] or {}).get("code"))
        moved = await http.post(a.url + "/graphql", headers={"authorization": f"Bearer {token}"},
                                json={"query": "mutation($a: ID!) { setHomeArea(areaId: $a) { handle } }",
                                      "variables": {"a": other["id"]}})
        assert "errors" not in moved.json(), moved.json()

        async def moved_on_b() -> bool:
            now = await me(http, b, token)
            return now is not None and now["area"] == {"code": other["code"]}

        took = await seconds_until(moved_on_b, 1.0)
    print(f"\nhome area set on A seen on B after {took * 1000:.0f} ms")


async def test_a_hand_edit_of_the_database_shows_within_the_ttl(
        servers: tuple[ServerProcess, ServerProcess, str]) -> None:
    """A role changed in the database by hand (no service, no event): B keeps the old role for a while, proof
    that it answers from memory, and no longer than TTL_SECONDS."""
    _, b, url = servers
    async with httpx.AsyncClient(timeout=30) as http:
        token = await login(http, b.url, "andi")
        assert (await remembered_on(http, b, token))["role"] == "CITIZEN"
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("UPDATE account SET role = 'VERIFIER' WHERE handle = 'andi'")
        finally:
            await conn.close()
        still = await me(http, b, token)
        assert still is not None and still["role"] == "CITIZEN"

        async def changed() -> bool:
            now = await me(http, b, token)
            return now is not None and now["role"] == "VERIFIER"

        took = await seconds_until(changed, TTL_SECONDS + 1.0)
    print(f"\na hand edit seen on B after {took:.1f} s (TTL {TTL_SECONDS:.0f} s)")
