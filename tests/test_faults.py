"""PostgreSQL restarted under a running server: requests during the outage fail cleanly, the server
recovers by itself, and nothing it acknowledged is lost (the outbox delivers what was committed).

A private PostgreSQL cluster on its own port (testkit/processes.py), so that stopping it touches
nobody else. The Redis outage has its own test in tests/test_scale_out.py. PostgreSQL pass only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from testkit.databases import DATABASE
from testkit.processes import PostgresProcess, ServerProcess, base_env, create, login, run
from testkit.servers import free_port
from testkit.ws import LiveClient

pytestmark = [pytest.mark.skipif(DATABASE != "postgres", reason="fault tests run in the PostgreSQL pass"),
              pytest.mark.timeout(240)]
REPORT = "query($id: ID!) { report(id: $id) { id body } }"


async def test_a_postgres_restart_loses_nothing_acknowledged(tmp_path: Path) -> None:
    postgres = PostgresProcess(free_port())
    await postgres.init()
    await postgres.start()
    server = None
    try:
        admin = await asyncpg.connect(postgres.admin_url)
        await admin.execute("CREATE DATABASE warga")
        await admin.close()
        env = base_env(postgres.admin_url.rsplit("/", 1)[0] + "/warga", "", tmp_path / "media")
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        server = await ServerProcess(free_port(), env).start()
        listener = await LiveClient.open(server.url)
        op = await listener.subscribe("subscription { reportAdded { id } }")
        async with httpx.AsyncClient(timeout=30) as http:
            token = await login(http, server.url)
            acknowledged = [await create(http, server.url, token, f"Sebelum gangguan {i}") for i in range(3)]

            await postgres.stop()
            feed = {"query": "{ feed(first: 1) { edges { node { id } } } }"}
            during = await http.post(server.url + "/graphql", json=feed, headers={"authorization": f"Bearer {token}"})
            body = during.json()
            assert during.status_code == 503 and during.headers["retry-after"] == "5"
            assert body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", body
            assert "asyncpg" not in during.text and "Traceback" not in during.text
            assert (await http.get(server.url + "/readyz")).status_code == 503
            assert (await http.get(server.url + "/healthz")).status_code == 200

            await postgres.start()
            started, recovered = time.monotonic(), None
            while recovered is None:
                try:
                    recovered = await create(http, server.url, token, "Setelah gangguan")
                except AssertionError:
                    assert time.monotonic() - started < 30, "the server did not recover by itself"
                    await asyncio.sleep(0.5)
            print(f"\nrecovered {time.monotonic() - started:.1f} s after PostgreSQL came back")
            assert (await http.get(server.url + "/readyz")).status_code == 200
            for report_id in [*acknowledged, recovered]:
                query = {"query": REPORT, "variables": {"id": report_id}}
                found = (await http.post(server.url + "/graphql", json=query)).json()
                assert found["data"]["report"]["id"] == report_id
        ours, received = {*acknowledged, recovered}, list[str]()
        while not ours <= set(received):  # the demo data's own events may come first: the relay sends those too
            received.append((await listener.next_data(op, wait=10))["reportAdded"]["id"])
        await asyncio.sleep(0.5)
        with contextlib.suppress(AssertionError, TimeoutError):
            received.append((await listener.next_data(op, wait=0.5))["reportAdded"]["id"])
        assert sorted(r for r in received if r in ours) == sorted(ours)  # each exactly once
        await listener.close()
    finally:
        if server is not None:
            await server.stop()
        await postgres.destroy()
