"""A PostgreSQL database of its own for one benchmark run, with the demo data, dropped afterwards
whatever happens."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from testkit.processes import base_env, run

PG = os.environ.get("WARGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def demo_database(prefix: str, redis_url: str) -> AsyncIterator[dict[str, str]]:
    """Yields the servers' environment: this database migrated and loaded with the demo data, photos
    in a temporary folder, rate limits off (every client of a benchmark shares one address)."""
    name = f"{prefix}_{os.getpid()}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        env = base_env(PG.rsplit("/", 1)[0] + f"/{name}", redis_url, Path(tempfile.mkdtemp()) / "media")
        env["WARGA_RATE_LIMIT_SCALE"] = "0"
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        yield env
    finally:
        admin = await asyncpg.connect(PG)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
