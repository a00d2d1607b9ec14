"""One real server per database: uvicorn on a loopback port, in the tests' event loop.

The suite runs once per database: WARGA_TEST_DATABASE=sqlite (the default) or postgres
(`make test` runs both; Tortoise keeps per-process state, so one database a process).
PostgreSQL and Redis are the servers on their standard loopback ports; when one is
unreachable its tests are skipped with the reason, unless WARGA_REQUIRE_SERVICES=1 turns the
skip into a failure.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import uvicorn

from cli.commands import migrate
from core import clock
from core.settings import Settings
from demo import loader
from server import create_app
from testkit.client import Api

PG_ADMIN_URL = os.environ.get("WARGA_TEST_PG", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("WARGA_TEST_REDIS", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("WARGA_REQUIRE_SERVICES") == "1"
DATABASE = os.environ.get("WARGA_TEST_DATABASE", "sqlite")


def pytest_report_header() -> str:
    return f"warga: database={DATABASE} require_services={REQUIRE_SERVICES}"


def unavailable(service: str, reason: str) -> None:
    message = f"{service} is unreachable ({reason})"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}; WARGA_REQUIRE_SERVICES=1 makes this a failure")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _postgres_database() -> tuple[str, str]:
    name = f"warga_test_{uuid.uuid4().hex[:10]}"
    try:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=3)
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable("PostgreSQL", str(exc))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return name, PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres_database(name: str) -> None:
    conn = await asyncpg.connect(PG_ADMIN_URL)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


class RunningServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning",
                           lifespan="on", timeout_graceful_shutdown=2)
        )
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> RunningServer:
        self.task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self.task.done():
                self.task.result()
            await asyncio.sleep(0.02)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.should_exit = True
        assert self.task is not None
        await self.task


@pytest.fixture(scope="session")
async def server(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningServer]:
    root: Path = tmp_path_factory.mktemp(DATABASE)
    pg_name = None
    if DATABASE == "postgres":
        pg_name, url = await _postgres_database()
    else:
        url = f"sqlite://{root / 'warga.sqlite3'}"
    # Rate limits are off for the suite (it signs in hundreds of accounts); test_limits turns them on.
    settings = Settings(database_url=url, media_root=root / "media", port=free_port(), db_pool_max=20,
                        rate_limit_scale=0)
    await migrate(settings)
    try:
        async with RunningServer(settings) as running:
            await loader.seed_catalog()
            yield running
    finally:
        if pg_name:
            await _drop_postgres_database(pg_name)


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    clock.reset()
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield Api(http, server)
    clock.reset()


@pytest.fixture
def backend(server: RunningServer) -> str:
    return "sqlite" if server.settings.is_sqlite else "postgres"
