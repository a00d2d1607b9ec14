"""One database per session, and one real server on it when a test asks for one.

`database`: a scratch database (SQLite, or PostgreSQL under WARGA_TEST_DATABASE=postgres) migrated and
loaded with the catalog (Jakarta Timur's areas with their real polygons, the agencies, the categories),
with Tortoise open in the tests' context: tests of the rules call services directly, without a server.
`server`: uvicorn in the tests' event loop, serving that same database. Its lifespan's RegisterTortoise
re-opens the Tortoise context the database fixture opened (pytest-asyncio hands a fixture's context
variables on to later fixtures and tests) and shares it, so tests and server see one ORM state.
What these fixtures use lives in testkit (databases, servers); no test module imports another.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from tortoise import Tortoise

from cli.commands import migrate
from core import clock
from core.settings import Settings
from demo.catalog import seed_catalog
from models.config import tortoise_config
from testkit.client import Api
from testkit.databases import DATABASE, REQUIRE_SERVICES, scratch_database
from testkit.servers import RunningServer, free_port


def pytest_report_header() -> str:
    return f"warga: database={DATABASE} require_services={REQUIRE_SERVICES}"


@pytest.fixture(scope="session")
async def database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Settings]:
    root = tmp_path_factory.mktemp(DATABASE)
    async with scratch_database(root) as url:
        # Rate limits are off for the suite (it signs in hundreds of accounts); test_limits turns them on.
        # Surge detection and escalation are off too: they would tell the suite's lurah accounts of other
        # tests' bursts of reports, and tests that move the clock run them by hand.
        settings = Settings(database_url=url, media_root=root / "media", port=free_port(), db_pool_max=20,
                            rate_limit_scale=0, surge_interval_s=0, escalation_interval_s=0,
                            asset_offline_interval_s=0)
        await migrate(settings)
        await Tortoise.init(config=tortoise_config(settings.database_url, settings.db_pool_max))
        try:
            await seed_catalog()
            yield settings
        finally:
            await Tortoise.close_connections()


@pytest.fixture(scope="session")
async def server(database: Settings) -> AsyncIterator[RunningServer]:
    async with RunningServer(database) as running:
        yield running


@pytest.fixture
async def api(server: RunningServer) -> AsyncIterator[Api]:
    clock.reset()
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        yield Api(http, server)
    clock.reset()
