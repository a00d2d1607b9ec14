"""PostgreSQL restarted under a running server: requests during the outage fail cleanly, the server
recovers by itself, and nothing it acknowledged is lost (the outbox delivers what was committed).

A private PostgreSQL cluster on its own port (testkit/processes.py), so that stopping it touches
nobody else. The Redis outage has its own test in tests/test_scale_out.py. PostgreSQL pass only.
The restart cuts the relay's connection at a moment nobody chooses; the two ways that lost events
(about one restart in ten on a busy machine) are also played on purpose below, every time.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import time
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from plumbing import outbox
from plumbing.relay import Relay
from services import live
from testkit.client import Api
from testkit.databases import DATABASE
from testkit.processes import PostgresProcess, ServerProcess, base_env, create, login, run
from testkit.reports import post
from testkit.servers import RunningServer, free_port
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


OURS: contextvars.ContextVar[bool] = contextvars.ContextVar("ours", default=False)


async def test_the_relay_outlives_a_connection_cut_as_it_is_handed_back(server: RunningServer,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """A restart once cut the relay's connection while its transaction handed it back to the pool; Tortoise then
    left that dead transaction current in the relay's context, and every later pass failed ("connection has been
    released back to the pool"): nothing was published again until the server restarted."""
    release, cut = asyncpg.Pool.release, asyncio.Event()

    async def cut_once(pool: asyncpg.Pool, connection: Any, **options: Any) -> None:
        await release(pool, connection, **options)
        if OURS.get() and not cut.is_set():  # this test's relay only: the session's server runs one too
            cut.set()
            raise asyncpg.InternalClientError("cannot switch to state 15; another operation (2) is in progress")

    monkeypatch.setattr(asyncpg.Pool, "release", cut_once)
    # A second relay beside the server's, publishing to the server's broker: what it takes, the server's hub gets.
    relay, passes = Relay(server.app.state.broker, poll_seconds=0.05), list[str]()
    flush = relay.flush

    async def watched() -> int:
        try:
            published = await flush()
        except Exception as exc:
            passes.append(type(exc).__name__)
            raise
        passes.append("ok")
        return published

    monkeypatch.setattr(relay, "flush", watched)
    token = OURS.set(True)
    relay.start()  # its task starts from this context, with OURS set
    OURS.reset(token)
    try:
        started = time.monotonic()
        while "InternalClientError" not in passes or "ok" not in passes[passes.index("InternalClientError"):]:
            assert time.monotonic() - started < 10, f"the relay stayed broken after the cut: {passes[-5:]}"
            await asyncio.sleep(0.05)
    finally:
        await relay.stop()


async def test_an_event_whose_delivery_lost_the_database_still_arrives_once(api: Api,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The hub once remembered an event as seen before delivering it: when the database went away mid-delivery,
    the relay published it again after the restart and the hub dropped it as a duplicate, for good. Here the
    relay's own transaction survives the cut, so nothing publishes the event again (as with Redis, when another
    process's relay marked it published): the hub delivers what it owes once a delivery succeeds again."""
    match, cut = live.match, asyncio.Event()

    async def cut_once(interest: live.Interest, event: live.Event) -> object | None:
        if not cut.is_set() and event.topic == outbox.REPORT and event.payload["created"]:
            cut.set()
            raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
        return await match(interest, event)

    token, _ = await api.account()
    listener = await LiveClient.open(api.server.url)
    op = await listener.subscribe("subscription { reportAdded { id } }")
    await listener.nothing(0.2)  # subscribed
    monkeypatch.setattr(live, "match", cut_once)
    first = await post(api, token, body="Lampu mati saat basis data putus")
    second = await post(api, token, body="Lampu mati setelah basis data kembali")
    received = [(await listener.next_data(op))["reportAdded"]["id"] for _ in range(2)]
    assert cut.is_set()
    assert sorted(received) == sorted([first["id"], second["id"]])
    await listener.nothing(0.5)  # and each once
    await listener.close()
