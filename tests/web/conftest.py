"""What the browser tests share: Debian's Chromium and a real server process with the demo data, on the suite's
database (SQLite, or PostgreSQL in the second pass)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testkit.browser import CHROMIUM
from testkit.databases import scratch_database
from testkit.processes import ServerProcess, base_env, run
from testkit.servers import free_port


@pytest.fixture
async def demo_server(tmp_path: Path) -> AsyncIterator[ServerProcess]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: `make test` installs it (make chromium)")
    async with scratch_database(tmp_path) as database:
        env = base_env(database, "", tmp_path / "media")
        # Tiles from a port nobody listens on: the markers must still show on a plain background.
        env.update(WARGA_MAP_TILE_URL="http://127.0.0.1:9/{z}/{x}/{y}.png", WARGA_REDIS_URL="")
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        server = ServerProcess(free_port(), env)
        await server.start()
        try:
            yield server
        finally:
            await server.stop()
