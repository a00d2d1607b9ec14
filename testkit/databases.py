"""Which database the suite runs on, scratch databases of their own, and the rule for unreachable services.

The suite runs once per database: WARGA_TEST_DATABASE=sqlite (the default) or postgres (`make test` runs
both; Tortoise keeps per-process state, so one database a process). PostgreSQL and Redis are the servers on
their standard loopback ports; when one is unreachable its tests are skipped with the reason, unless
WARGA_REQUIRE_SERVICES=1 turns the skip into a failure.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NoReturn

import asyncpg
import pytest
from redis import asyncio as aioredis

from testkit.processes import base_env, run

DATABASE = os.environ.get("WARGA_TEST_DATABASE", "sqlite")
PG_ADMIN_URL = os.environ.get("WARGA_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("WARGA_TEST_REDIS", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("WARGA_REQUIRE_SERVICES") == "1"
# The benchmarks' own server, so that a benchmark and the tests may run side by side.
BENCH_PG_ADMIN_URL = os.environ.get("WARGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


def unavailable(service: str, reason: str) -> NoReturn:
    """Skip the test (or fail it under WARGA_REQUIRE_SERVICES=1): a service it needs is unreachable.
    Outside pytest (a benchmark) the skip surfaces as an exception that names the service."""
    message = f"{service} is unreachable ({reason})"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}; WARGA_REQUIRE_SERVICES=1 makes this a failure")
    pytest.skip(message)


async def redis_reachable(url: str = REDIS_URL) -> None:
    client = aioredis.from_url(url)
    try:
        await client.ping()
    except (OSError, aioredis.RedisError) as exc:
        unavailable("Redis", str(exc))
    finally:
        await client.aclose()


async def _admin(admin_url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(admin_url, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", str(exc))


@asynccontextmanager
async def postgres_database(prefix: str = "warga_test", admin_url: str = PG_ADMIN_URL) -> AsyncIterator[str]:
    """A new, empty PostgreSQL database (its URL), dropped afterwards whatever happens."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = await _admin(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await _admin(admin_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@asynccontextmanager
async def scratch_database(root: Path, database: str = DATABASE) -> AsyncIterator[str]:
    """An empty database of the suite's kind (its URL): a SQLite file under root, or a PostgreSQL database."""
    if database == "postgres":
        async with postgres_database() as url:
            yield url
    else:
        yield f"sqlite://{root / 'warga.sqlite3'}"


@asynccontextmanager
async def bench_database(kind: str, prefix: str) -> AsyncIterator[str]:
    """An empty database for a benchmark (its URL): a SQLite file in a temporary folder, or a PostgreSQL database
    on the benchmarks' server; both gone afterwards."""
    if kind == "postgres":
        async with postgres_database(prefix, BENCH_PG_ADMIN_URL) as url:
            yield url
    else:
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as folder:
            yield f"sqlite://{Path(folder) / 'warga.sqlite3'}"


@asynccontextmanager
async def demo_database(prefix: str, redis_url: str, admin_url: str = BENCH_PG_ADMIN_URL
                        ) -> AsyncIterator[dict[str, str]]:
    """A PostgreSQL database migrated and loaded with the demo data by the command line, dropped afterwards.

    Yields the servers' environment: this database, photos in a temporary folder (where seed-demo stored
    the demo's), rate limits off (every client of a benchmark shares one address)."""
    async with postgres_database(prefix, admin_url) as url:
        env = base_env(url, redis_url, Path(tempfile.mkdtemp()) / "media")
        env["WARGA_RATE_LIMIT_SCALE"] = "0"
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        yield env
