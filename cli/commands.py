"""What the command line does, one coroutine a command; server.py parses the arguments."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator

import orjson
from tortoise import Tortoise

from app.resources import build_resources
from core.settings import Settings
from models.config import tortoise_config
from services import auth, workflow

log = logging.getLogger("warga")


@contextlib.asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[None]:
    await Tortoise.init(config=tortoise_config(settings.database_url, settings.db_pool_max))
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def migrate(settings: Settings) -> None:
    from tortoise.migrations.api.migrate import migrate as run_migrations

    if settings.is_sqlite:
        path = settings.database_url.removeprefix("sqlite://")
        if path != ":memory:":
            from pathlib import Path

            Path(path).parent.mkdir(parents=True, exist_ok=True)
    try:
        await run_migrations(config=tortoise_config(settings.database_url, settings.db_pool_max))
    finally:
        await Tortoise.close_connections()


def worker_count(settings: Settings, cores: int | None = None) -> int:
    """How many processes `serve` runs. More than one must share live events and rate limits (Redis) and the
    outbox relay's and duties' rows (PostgreSQL's row locks); asked for without them, SystemExit says why."""
    shared = bool(settings.redis_url) and not settings.is_sqlite
    if settings.workers is None:
        if settings.env == "production" and not shared:
            log.warning("serving from one process: several need WARGA_REDIS_URL and PostgreSQL")
        return (cores or len(os.sched_getaffinity(0))) if settings.env == "production" and shared else 1
    if settings.workers > 1 and not settings.redis_url:
        raise SystemExit(f"WARGA_WORKERS={settings.workers} needs WARGA_REDIS_URL: live events and rate limits "
                         "must reach every worker process (set WARGA_REDIS_URL, or WARGA_WORKERS=1).")
    if settings.workers > 1 and settings.is_sqlite:
        raise SystemExit(f"WARGA_WORKERS={settings.workers} needs PostgreSQL: on SQLite the workers' relays would "
                         "publish the same events and their writes would lock each other out (set "
                         "WARGA_DATABASE_URL=postgres://..., or WARGA_WORKERS=1).")
    return settings.workers


def serve(settings: Settings) -> None:
    """uvicorn with worker_count() processes on one port, each with its own event loop; each builds its app with
    server.worker_app (an import string: uvicorn starts the workers as new interpreters)."""
    import uvicorn

    workers = worker_count(settings)
    if settings.env == "development":
        asyncio.run(migrate(settings))
    uvicorn.run(
        "server:worker_app",
        factory=True,
        workers=workers,
        host=settings.host,
        port=settings.port,
        # Client addresses come from app/proxies.py (WARGA_TRUSTED_PROXIES); uvicorn's own reading of
        # X-Forwarded-For would trust 127.0.0.1 (FORWARDED_ALLOW_IPS) before it.
        proxy_headers=False,
        timeout_graceful_shutdown=8,
        # Longer than a load balancer's idle timeout (often 60 s), so the server never closes a kept-alive
        # connection at the moment a client reuses it (the client would see a reset, not an answer).
        timeout_keep_alive=75,
        # No permessage-deflate: it keeps a zlib compressor and decompressor per socket (most of a live
        # subscription's memory) and compresses each shared event message once per subscriber.
        ws_per_message_deflate=False,
        log_level="info",
        log_config=None,  # keep our handlers: JSON lines with request ids in production
    )


async def seed_demo(settings: Settings, if_empty: bool) -> None:
    from demo import loader

    async with _database(settings):
        if if_empty and await loader.has_data():
            print("The database already holds data; demo data not loaded.")
            return
        async with build_resources(settings).opened() as resources:
            print(await loader.seed(resources))


async def create_account(settings: Settings, args: argparse.Namespace) -> None:
    from models import Agency, Area
    from models.enums import Role

    async with _database(settings):
        area = await Area.get_or_none(code=args.area) if args.area else None
        agency = await Agency.get_or_none(code=args.agency) if args.agency else None
        if (args.area and area is None) or (args.agency and agency is None):
            raise SystemExit("Unknown --area or --agency code.")
        account = await auth.create_account(
            None,
            handle=args.handle,
            display_name=args.display_name or args.handle,
            password=args.password,
            role=Role(args.role),
            area=area,
            agency=agency,
            email=args.email,
        )
        print(f"Created @{account.handle} ({account.role.value}).")


async def import_areas(settings: Settings, paths: list[str]) -> None:
    """Every file in one transaction: codes decide the tree, whichever file holds a parent."""
    from pathlib import Path

    from services.areas import rows_from_geojson, upsert_areas

    rows = [row for path in paths
            for row in rows_from_geojson(orjson.loads(Path(path).read_bytes()))]  # noqa: ASYNC240 - a one-off CLI read
    async with _database(settings):
        created, updated = await upsert_areas(rows)
        print(f"Imported {', '.join(paths)}: {created} areas created, {updated} updated.")


async def import_assets(settings: Settings, path: str) -> None:
    """Pumps, gates, gauges, street lights, drains and basins from a GeoJSON FeatureCollection, updated by code."""
    from pathlib import Path

    from services import assets

    rows = assets.rows_from_geojson(orjson.loads(Path(path).read_bytes()))  # noqa: ASYNC240 - a one-off CLI read
    async with _database(settings):
        created, updated = await assets.upsert_assets(rows, settings.max_centroid_distance_m)
        print(f"Imported {path}: {created} assets created, {updated} updated.")


async def import_catalog(settings: Settings, city_code: str, path: str) -> None:
    """A city's agencies, categories, zone and rates from a JSON file (services/catalog.py says the format)."""
    from pathlib import Path

    from services import catalog, cities

    document = catalog.parse(Path(path).read_bytes())  # noqa: ASYNC240 - a one-off CLI read
    async with _database(settings):
        city = await cities.by_code(city_code)
        if city is None:
            raise SystemExit(f"No city with the code {city_code!r}: import its areas first.")
        loaded = await catalog.load(None, city.id, document)
        print(f"Loaded {path} into {city.area.name}: {loaded.agencies} agencies, {loaded.categories} categories.")


async def api_key(settings: Settings, args: argparse.Namespace) -> None:
    from services import apikeys

    async with _database(settings):
        if args.command == "create-api-key":
            print(await apikeys.issue(args.name))
        elif await apikeys.revoke(args.name):
            print(f"Revoked the key of {args.name!r}.")
        else:
            raise SystemExit(f"No active key for {args.name!r}.")


async def close_stale(settings: Settings) -> None:
    async with _database(settings):
        print(f"Closed {await workflow.close_stale()} reports followed up more than 7 days ago.")


async def rebuild_trends(settings: Settings) -> None:
    from services import trends

    trends.use_time_zone(settings.city_timezone)
    async with _database(settings):
        print(f"Counted the words of {await trends.rebuild():,} reports and comments.")
