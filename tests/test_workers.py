"""`serve` with WARGA_WORKERS processes on one port: both answer, they share the outbox relay and the duties
(each event published once, each report closed once), and several refuse to start without Redis or on SQLite.

The multi-process tests run in the PostgreSQL pass (WARGA_TEST_DATABASE=postgres) of `make test`.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import orjson
import pytest
from redis import asyncio as aioredis

from plumbing.broker import CHANNEL
from testkit.databases import DATABASE, REDIS_URL, postgres_database, redis_reachable
from testkit.processes import RedisProcess, base_env, run
from testkit.servers import free_port
from testkit.workers import Serve, alive, metrics_by_worker, parent_of, refused

postgres_only = pytest.mark.skipif(DATABASE != "postgres", reason="multi-process tests run in the PostgreSQL pass")
AUTO_CLOSE = "close reports followed up more than 7 days ago"


@pytest.fixture(scope="module")
async def seeded(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    async with postgres_database() as url:
        env = base_env(url, "", tmp_path_factory.mktemp("media"))
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        yield url


@postgres_only
async def test_two_workers_answer_on_one_port_and_stop_together(seeded: str, tmp_path: Path) -> None:
    await redis_reachable(REDIS_URL)
    serve = Serve(free_port(), {**base_env(seeded, REDIS_URL, tmp_path / "media"), "WARGA_WORKERS": "2"})
    await serve.start()
    try:
        workers = await metrics_by_worker(serve.url, 2)
        assert len(workers) == 2, workers.keys()  # two processes answered on the one port
        assert {parent_of(pid) for pid in workers} == {serve.pid}  # both are serve's own workers
        assert await serve.stop() < 15
        assert serve.process is not None and serve.process.returncode == 0
        assert not any(alive(pid) for pid in workers)
    finally:
        serve.kill()


@postgres_only
async def test_workers_publish_each_event_once_and_close_each_report_once(seeded: str, tmp_path: Path) -> None:
    """Both workers relay the outbox and run auto-close five times a second. 3,000 events written in waves while
    they run, and the events of 300 closings, each reach the broker once, shared between the two relays; each
    report closes once, with one CLOSED event and one notification per listener, whichever worker closed it."""
    redis = RedisProcess(free_port(), tmp_path)  # its own: every Redis database shares one pub/sub namespace
    await redis.start()
    conn = await asyncpg.connect(seeded)
    listener = aioredis.from_url(redis.url)
    pubsub = listener.pubsub()
    await pubsub.subscribe(CHANNEL)
    published: list[int] = []

    async def listen() -> None:
        async for message in pubsub.listen():
            if message["type"] == "message":
                published.append(orjson.loads(message["data"])["id"])

    listening = asyncio.create_task(listen())
    env = {**base_env(seeded, redis.url, tmp_path / "media"), "WARGA_WORKERS": "2",
           "WARGA_AUTO_CLOSE_INTERVAL_S": "0.2"}
    serve = Serve(free_port(), env)
    try:
        first_id = await conn.fetchval("SELECT coalesce(max(id), 0) FROM outbox_event")
        since = await conn.fetchval("SELECT now()")
        await serve.start()
        assert len(await metrics_by_worker(serve.url, 2)) == 2  # both workers' duties run from here on
        # 300 copies of demo reports, followed up 8 days ago, appear at once: both workers find them due together.
        await conn.execute("CREATE TEMP TABLE due AS SELECT r.* FROM report r CROSS JOIN generate_series(1, 30) "
                           "ORDER BY r.id LIMIT 300")
        await conn.execute("UPDATE due SET id = nextval(pg_get_serial_sequence('report', 'id')), status = "
                           "'FOLLOWED_UP', last_follow_up_at = now() - interval '8 days'")
        stale = [r["id"] for r in await conn.fetch("INSERT INTO report SELECT * FROM due RETURNING id")]
        assert len(stale) == 300
        for _ in range(10):
            await conn.execute("INSERT INTO outbox_event (topic, payload, created_at) SELECT 'poll', "
                               "'{\"poll_id\": 0, \"change\": \"votes\"}', now() FROM generate_series(1, 300)")
            await asyncio.sleep(0.3)
        deadline = time.monotonic() + 30
        while True:
            pending = await conn.fetchval("SELECT count(*) FROM outbox_event WHERE published_at IS NULL")
            still_open = await conn.fetchval("SELECT count(*) FROM report WHERE id = any($1) AND status <> 'CLOSED'",
                                             stale)
            written = [r["id"] for r in await conn.fetch("SELECT id FROM outbox_event WHERE id > $1", first_id)]
            if not pending and not still_open and len(published) >= len(written):
                break
            assert time.monotonic() < deadline, f"{pending} events unpublished, {still_open} reports open"
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # many more runs of both relays and duties: nothing further may happen
        workers = await metrics_by_worker(serve.url, 2)
        closed = await conn.fetch("SELECT report_id, count(*) AS n FROM report_event WHERE kind = 'CLOSED' "
                                  "AND report_id = any($1) AND created_at >= $2 GROUP BY report_id", stale, since)
        told = await conn.fetch("SELECT report_id, account_id, count(*) AS n FROM notification WHERE report_id = "
                                "any($1) AND kind = 'STATUS_CHANGED' AND created_at >= $2 "
                                "GROUP BY report_id, account_id", stale, since)
        await serve.stop()
    finally:
        serve.kill()
        listening.cancel()
        await pubsub.aclose()
        await listener.aclose()
        await conn.close()
        await redis.stop()
    assert len(written) > 3000  # ours and the closings' own (a timeline event each, notifications)
    repeated = [event for event, n in collections.Counter(published).items() if n > 1]
    assert not repeated, f"published more than once: {repeated[:10]}"
    assert sorted(published) == sorted(written)
    relayed = {pid: int(metrics["warga_events_relayed_total"]) for pid, metrics in workers.items()}
    assert len(relayed) == 2 and all(relayed.values()), relayed  # both relays took a share
    assert sum(relayed.values()) == len(written)
    assert {r["report_id"]: r["n"] for r in closed} == dict.fromkeys(stale, 1)
    assert told and {r["n"] for r in told} == {1} and {r["report_id"] for r in told} == set(stale)
    by_worker: collections.Counter[int] = collections.Counter()
    for line in serve.log.read_text().splitlines():
        entry = orjson.loads(line) if line.startswith("{") else {}
        if str(entry.get("message", "")).startswith(f"{AUTO_CLOSE}: "):
            by_worker[entry["pid"]] += int(entry["message"].rsplit(" ", 1)[1])
    assert sum(by_worker.values()) == 300 and len(by_worker) == 2, by_worker  # both took some, none twice
    print(f"\nevents relayed per worker: {relayed}; reports closed per worker: {dict(by_worker)}")


async def test_several_workers_need_redis_and_postgresql(tmp_path: Path) -> None:
    """Refused before anything starts: in-process live events and rate limits would stay in each worker, and on
    SQLite two relays would publish the same rows."""
    sqlite = f"sqlite://{tmp_path / 'warga.sqlite3'}"
    postgres = "postgres://postgres@127.0.0.1:5432/never_opened"
    without_redis = {k: v for k, v in base_env(postgres, "", tmp_path).items() if k != "WARGA_REDIS_URL"}
    for env in ({**without_redis, "WARGA_WORKERS": "2"}, {**base_env(postgres, "", tmp_path), "WARGA_WORKERS": "2"}):
        status, said = await refused(env)
        assert status != 0 and "WARGA_WORKERS=2 needs WARGA_REDIS_URL" in said, said
    status, said = await refused({**base_env(sqlite, "redis://127.0.0.1:6379/15", tmp_path), "WARGA_WORKERS": "3"})
    assert status != 0 and "WARGA_WORKERS=3 needs PostgreSQL" in said, said
    assert not (tmp_path / "warga.sqlite3").exists()  # refused before migrating
