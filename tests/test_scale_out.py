"""Several server processes sharing PostgreSQL and Redis: live events cross processes, survive a
Redis outage without loss or duplicates, and a SIGTERM closes sockets with 1012 and exits in time.

These run in the PostgreSQL pass (WARGA_TEST_DATABASE=postgres) of `make test`.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from resolvers.ids import pk_of, to_global_id
from testkit.databases import DATABASE, REDIS_URL, postgres_database, redis_reachable
from testkit.processes import RedisProcess, ServerProcess, base_env, create, kill_all, login, run
from testkit.servers import free_port
from testkit.ws import LiveClient

pytestmark = pytest.mark.skipif(DATABASE != "postgres", reason="multi-process tests run in the PostgreSQL pass")
ADDED = "subscription { reportAdded { id body } }"


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[str]:
    async with postgres_database() as url:
        env = base_env(url, "", tmp_path / "media")
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        yield url


async def test_a_report_created_on_one_server_reaches_a_subscriber_on_the_other(database: str,
                                                                               tmp_path: Path) -> None:
    await redis_reachable(REDIS_URL)
    env = base_env(database, REDIS_URL, tmp_path / "media")
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    try:
        for server in servers:
            await server.start()
        listener = await LiveClient.open(servers[0].url)
        op = await listener.subscribe(ADDED)
        await asyncio.sleep(0.3)  # the subscription is registered before the report is posted
        async with httpx.AsyncClient(timeout=30) as http:
            token = await login(http, servers[1].url)
            started = time.monotonic()
            report_id = await create(http, servers[1].url, token, "Lintas server")
            received = (await listener.next_data(op, wait=1.0))["reportAdded"]
            latency = time.monotonic() - started
        assert received == {"id": report_id, "body": "Lintas server"}
        print(f"\ncross-process delivery: {latency * 1000:.0f} ms after the mutation was sent")
        await listener.close()
    finally:
        kill_all(servers)


async def test_redis_outage_loses_nothing_and_duplicates_nothing(database: str, tmp_path: Path) -> None:
    redis = RedisProcess(free_port(), tmp_path)
    await redis.start()
    env = base_env(database, redis.url, tmp_path / "media")
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    try:
        for server in servers:
            await server.start()
        listeners = [await LiveClient.open(server.url) for server in servers]
        ops = [await client.subscribe(ADDED) for client in listeners]
        await asyncio.sleep(0.3)
        async with httpx.AsyncClient(timeout=30) as http:
            token = await login(http, servers[1].url)
            before = await create(http, servers[1].url, token, "Sebelum Redis mati")
            await redis.stop()
            during = [await create(http, servers[i % 2].url, token, f"Saat Redis mati {i}") for i in range(6)]
            ready = await http.get(servers[0].url + "/readyz")
            assert ready.status_code == 503 and ready.json()["redis"] == "unavailable"
            await redis.start()
        expected = [before, *during]
        for client, op in zip(listeners, ops, strict=True):
            got = [(await client.next_data(op, wait=15.0))["reportAdded"]["id"] for _ in expected]
            assert sorted(got) == sorted(expected)  # every event, each once
            await client.nothing(2.0)  # and no duplicate later
            await client.close()
    finally:
        kill_all(servers)
        await redis.stop()


async def test_sigterm_closes_sockets_with_1012_and_exits_in_time(database: str, tmp_path: Path) -> None:
    await redis_reachable(REDIS_URL)
    server = ServerProcess(free_port(), base_env(database, REDIS_URL, tmp_path / "media"))
    await server.start()
    try:
        clients = [await LiveClient.open(server.url) for _ in range(3)]
        for client in clients:
            await client.subscribe(ADDED)
        await asyncio.sleep(0.2)
        stopping = asyncio.create_task(server.stop())
        for client in clients:
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await client.connection.recv()
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
        assert await stopping < 10
    finally:
        with contextlib.suppress(Exception):
            kill_all([server])


async def test_caches_are_shared_or_invalidated_across_processes(database: str, tmp_path: Path) -> None:
    """A persisted query registered on one server runs on the other; a report created on one server
    makes the other's cached anonymous feed stale at once (through the broker)."""
    import hashlib

    await redis_reachable(REDIS_URL)
    env = base_env(database, REDIS_URL, tmp_path / "media")
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    query = "query FeedTop { feed(first: 3) { edges { node { id body } } } }"
    persisted = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}
    try:
        for server in servers:
            await server.start()
        async with httpx.AsyncClient(timeout=30) as http:
            registered = await http.post(servers[0].url + "/graphql", json={"query": query, "extensions": persisted})
            assert "errors" not in registered.json()
            first = await http.post(servers[1].url + "/graphql", json={"extensions": persisted})
            assert first.json() == registered.json()
            for _ in range(50):  # a broker (re)connect right after start also empties the cache: retry
                again = await http.post(servers[1].url + "/graphql", json={"extensions": persisted})
                if again.headers.get("x-warga-cache") == "hit":
                    break
                await asyncio.sleep(0.05)
            assert again.headers.get("x-warga-cache") == "hit" and again.json() == first.json()
            report_id = await create(http, servers[0].url, await login(http, servers[0].url), "Cache lintas server")
            deadline = time.monotonic() + 2
            while True:
                top = (await http.post(servers[1].url + "/graphql", json={"extensions": persisted})).json()
                if top["data"]["feed"]["edges"][0]["node"]["id"] == report_id:
                    break
                assert time.monotonic() < deadline, "the other server kept serving its stale answer"
                await asyncio.sleep(0.02)
    finally:
        kill_all(servers)


async def test_demo_data_is_not_announced_as_news(database: str) -> None:
    """seed-demo leaves nothing for a relay to publish: a server started afterwards must not send its
    first subscribers 36 old reports as new ones (the page test saw them arrive live)."""
    conn = await asyncpg.connect(database)
    try:
        assert await conn.fetchval("SELECT count(*) FROM outbox_event") > 0
        assert await conn.fetchval("SELECT count(*) FROM outbox_event WHERE published_at IS NULL") == 0
    finally:
        await conn.close()


async def test_two_servers_escalate_each_step_exactly_once(database: str, tmp_path: Path) -> None:
    """Both servers run the escalation duty five times a second over a report whose deadline passed 90 minutes
    ago (the clock cannot be moved in another process: the rows are): it climbs to the kecamatan and then the
    kota, one event and one notification per head each step, however the two race."""
    env = {**base_env(database, "", tmp_path / "media"), "WARGA_ESCALATION_INTERVAL_S": "0.2"}
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    conn = await asyncpg.connect(database)
    try:
        async with httpx.AsyncClient(timeout=30) as http:
            await servers[0].start()
            token = await login(http, servers[0].url)
            report_id = pk_of(await create(http, servers[0].url, token, "Sampah menumpuk seminggu"), "Report")
        for head, area in (("camat_uji", "31.75.01"), ("walikota_uji", "31.75")):
            await conn.execute(
                "INSERT INTO account (handle, display_name, role, area_id, password_hash, created_at)"
                " SELECT $1, $1, 'AREA_HEAD', id, '-', now() FROM area WHERE code = $2", head, area)
        await conn.execute("UPDATE category SET escalate_every_hours = 1 WHERE code = 'SAMPAH'")
        await conn.execute("UPDATE report SET escalate_at = now() - interval '90 minutes' WHERE id = $1", report_id)
        await servers[1].start()
        deadline = time.monotonic() + 20
        while await conn.fetchval("SELECT escalation_level FROM report WHERE id = $1", report_id) < 2:
            assert time.monotonic() < deadline, "the report did not climb two levels"
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # many more runs of both duties: nothing further may happen
        events = await conn.fetch("SELECT note FROM report_event WHERE report_id = $1 AND kind = 'ESCALATED' "
                                  "ORDER BY id", report_id)
        told = await conn.fetch("SELECT a.handle, count(*) AS n FROM notification n JOIN account a ON a.id = "
                                "n.account_id WHERE n.report_id = $1 AND n.kind = 'ESCALATED' GROUP BY a.handle",
                                report_id)
        row = await conn.fetchrow("SELECT r.escalation_level, a.code, r.escalate_at FROM report r "
                                  "JOIN area a ON a.id = r.escalated_to_id WHERE r.id = $1", report_id)
    finally:
        kill_all(servers)
        await conn.close()
    assert [e["note"].split(":")[0] for e in events] == ["Naik ke kecamatan Matraman", "Naik ke kota Jakarta Timur"]
    assert tuple(row) == (2, "31.75", None)  # the kota is the top: no step is due any more
    heads = {r["handle"]: r["n"] for r in told}
    assert heads["camat_uji"] == 1 and heads["walikota_uji"] == 1 and set(heads.values()) == {1}


CHANGED = "subscription { assetChanged(kinds: [FLOODGATE, WATER_LEVEL_POST]) { code alertLevel waterLevelCm } }"
RECORD = """mutation($a: ID!, $l: Int!) { recordAssetReading(assetId: $a, input: {waterLevelCm: $l}) { alertLevel } }"""


async def test_an_asset_reading_on_one_server_reaches_a_subscriber_on_the_other(database: str,
                                                                              tmp_path: Path) -> None:
    """The telemetry gateway posts to one server; a flood view subscribed on the other sees the gauge turn SIAGA_1,
    once; a reading that changes nothing but the level within its band is no event."""
    await redis_reachable(REDIS_URL)
    env = base_env(database, REDIS_URL, tmp_path / "media")
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    conn = await asyncpg.connect(database)
    try:
        gauge = await conn.fetchrow("SELECT id, code, siaga1_cm FROM asset WHERE kind = 'FLOODGATE' "
                                    "AND alert_level = 'SIAGA_4' ORDER BY code LIMIT 1")
        for server in servers:
            await server.start()
        listener = await LiveClient.open(servers[0].url)
        op = await listener.subscribe(CHANGED)
        await asyncio.sleep(0.3)
        async with httpx.AsyncClient(timeout=30) as http:
            token = await login(http, servers[1].url, "telemetri_sda")

            async def record(level: int) -> dict:
                body = (await http.post(servers[1].url + "/graphql", headers={"authorization": f"Bearer {token}"},
                                        json={"query": RECORD, "variables": {"a": to_global_id("Asset", gauge["id"]),
                                                                             "l": level}})).json()
                assert "errors" not in body, body
                return dict(body["data"])

            await record(gauge["siaga1_cm"] + 10)
            received = (await listener.next_data(op, wait=2.0))["assetChanged"]
            assert received == {"code": gauge["code"], "alertLevel": "SIAGA_1", "waterLevelCm": gauge["siaga1_cm"] + 10}
            await record(gauge["siaga1_cm"] + 20)  # still SIAGA_1: no change of state
            await listener.nothing(1.0)
        await listener.close()
    finally:
        kill_all(servers)
        await conn.close()
