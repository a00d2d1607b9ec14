"""A PostgreSQL database of its own for one benchmark run, dropped afterwards whatever happens."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg

PG = os.environ.get("WARGA_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")


@asynccontextmanager
async def scratch_database(prefix: str) -> AsyncIterator[str]:
    name = f"{prefix}_{os.getpid()}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    try:
        yield PG.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin = await asyncpg.connect(PG)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
