"""Warga's Starlette app factory and command line.

    python server.py serve | migrate | seed-demo | create-account ... | import-areas FILE | export-schema
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ParamSpec

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from tortoise import Tortoise, connections
from tortoise.contrib.starlette import RegisterTortoise

from graphql_http.cache import ResponseCache
from graphql_http.persisted import PersistedQueries
from graphql_http.view import WargaGraphQL, viewer_of
from media.storage import LocalStorage, S3Storage
from models.config import tortoise_config
from observability import Metrics, RequestContext, configure_logging
from open311.routes import routes as open311_routes
from resolvers.context import AppServices
from schema.build import build_schema
from services import auth, workflow
from services.ratelimit import RateLimiter
from settings import Settings, get_settings
from subscriptions.broker import RedisBroker, broker_for
from subscriptions.hub import Hub
from subscriptions.relay import Relay
from subscriptions.websocket import websocket_endpoint
from web.pages import routes as page_routes

log = logging.getLogger("warga")
P = ParamSpec("P")
class MediaFiles(StaticFiles):
    """Stored images: content-addressed, so cacheable forever, and never sniffed as anything else."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["cache-control"] = "public, max-age=31536000, immutable"
        response.headers["x-content-type-options"] = "nosniff"
        return response


def _invalidating(cache: ResponseCache, handler: Callable[P, Awaitable[None]]) -> Callable[P, Awaitable[None]]:
    """Every event that reaches this process (from any process) makes cached anonymous answers stale."""

    async def handle(*args: P.args, **kwargs: P.kwargs) -> None:
        cache.invalidate()
        await handler(*args, **kwargs)

    return handle


async def _close_stale_every(seconds: float) -> None:
    """Followed-up reports close themselves after 7 days; every server runs this (it is idempotent)."""
    if seconds <= 0:
        return
    while True:
        await asyncio.sleep(seconds)
        try:
            closed = await workflow.close_stale()
            if closed:
                log.info("closed %d reports followed up more than 7 days ago", closed)
        except Exception:  # the loop must outlive a database hiccup
            log.exception("closing stale reports failed")


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    checks: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # any failure means not ready; the reason goes to the log, not the client
        log.warning("readiness: database: %s", exc)
        checks["database"] = "unavailable"
    broker = request.app.state.broker
    if isinstance(broker, RedisBroker):
        try:
            await broker.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            log.warning("readiness: redis: %s", exc)
            checks["redis"] = "unavailable"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"ready": ready, **checks}, status_code=200 if ready else 503)


def storage_for(settings: Settings) -> LocalStorage | S3Storage:
    if not settings.s3_bucket:
        return LocalStorage(settings.media_root, settings.media_url)
    secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
    return S3Storage(
        settings.s3_bucket,
        settings.s3_public_url or f"{settings.s3_endpoint_url}/{settings.s3_bucket}",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=secret,
    )


KNOWN_PATHS = ("/graphql", "/healthz", "/readyz", "/metrics", "/")


def _route_of(path: str) -> str:
    """Metric labels by route, so that arbitrary URLs cannot grow the label set."""
    if path.startswith(("/media/", "/open311/", "/static/", "/vendor/")):
        return path[: path.index("/", 1)]
    return path if path in KNOWN_PATHS else "other"


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    settings.media_root.mkdir(parents=True, exist_ok=True)
    storage = storage_for(settings)
    limiter = RateLimiter(settings.redis_url, settings.rate_limit_scale)
    services = AppServices(settings=settings, storage=storage, limiter=limiter)
    persisted = PersistedQueries(settings.redis_url)
    cache = ResponseCache()
    graphql = WargaGraphQL(
        services,
        persisted,
        cache,
        graphql_ide="graphiql" if settings.env == "development" else None,
        allow_queries_via_get=True,
    )

    hub = Hub(graphql.schema._schema, services)
    broker = broker_for(settings.redis_url)
    sockets = {"open": 0}

    def count_socket(change: int) -> None:
        sockets["open"] += change

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            if isinstance(storage, S3Storage):
                await stack.enter_async_context(storage)
            await stack.enter_async_context(
                RegisterTortoise(app, config=tortoise_config(settings.database_url, settings.db_pool_max))
            )
            stack.push_async_callback(limiter.close)
            stack.push_async_callback(persisted.close)
            await hub.start_from_now()
            await broker.start(_invalidating(cache, hub.receive), _invalidating(cache, hub.resync))
            stack.push_async_callback(broker.stop)
            relay = Relay(broker)
            relay.start()
            stack.push_async_callback(relay.stop)
            closer = asyncio.create_task(
                _close_stale_every(settings.auto_close_interval_s), name="warga-close-stale"
            )
            stack.callback(closer.cancel)
            yield

    metrics = Metrics()

    async def metrics_endpoint(request: Request) -> Response:
        gauges = {
            "warga_open_websockets": ("WebSockets open now.", sockets["open"]),
            "warga_subscriptions": ("Live subscriptions now.", hub.subscriptions),
            "warga_subscription_groups": ("Groups of identical subscriptions (one execution each).",
                                          len(hub.groups)),
            "warga_events_delivered_total": ("Subscription messages sent.", hub.delivered),
            "warga_broker_lag_seconds": ("From commit to dispatch, for the last event.", hub.lag_seconds),
        }
        return PlainTextResponse(metrics.render(gauges), media_type="text/plain; version=0.0.4")

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", websocket_endpoint(hub, graphql.schema, services, viewer_of, count_socket)),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *open311_routes(services),
            *page_routes(settings),
            Mount("/media", MediaFiles(directory=settings.media_root, check_dir=False), name="media"),
        ],
        middleware=[Middleware(RequestContext, metrics=metrics, route_of=_route_of)],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.hub = hub
    app.state.broker = broker
    app.state.sockets = sockets
    return app


# The command line ----------------------------------------------------------------------------


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


async def _seed_demo(settings: Settings, if_empty: bool) -> None:
    from services import demo

    async with _database(settings):
        if if_empty and await demo.has_data():
            print("The database already holds data; demo data not loaded.")
            return
        summary = await demo.seed(LocalStorage(settings.media_root, settings.media_url))
        print(summary)


async def _create_account(settings: Settings, args: argparse.Namespace) -> None:
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


async def _import_areas(settings: Settings, path: str) -> None:
    from pathlib import Path

    from services.areas import rows_from_geojson, upsert_areas

    collection = orjson.loads(Path(path).read_bytes())  # noqa: ASYNC240 - a one-off CLI read
    async with _database(settings):
        created, updated = await upsert_areas(rows_from_geojson(collection))
        print(f"Imported {path}: {created} areas created, {updated} updated.")


async def _api_key(settings: Settings, args: argparse.Namespace) -> None:
    from services import apikeys

    async with _database(settings):
        if args.command == "create-api-key":
            print(await apikeys.issue(args.name))
        elif await apikeys.revoke(args.name):
            print(f"Revoked the key of {args.name!r}.")
        else:
            raise SystemExit(f"No active key for {args.name!r}.")


async def _close_stale(settings: Settings) -> None:
    async with _database(settings):
        print(f"Closed {await workflow.close_stale()} reports followed up more than 7 days ago.")


def _serve(settings: Settings) -> None:
    import uvicorn

    if settings.env == "development":
        asyncio.run(migrate(settings))
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        timeout_graceful_shutdown=8,
        # Longer than a load balancer's idle timeout (often 60 s), so the server never closes a kept-alive
        # connection at the moment a client reuses it (the client would see a reset, not an answer).
        timeout_keep_alive=75,
        log_level="info",
        log_config=None,  # keep our handlers: JSON lines with request ids in production
    )


def main(argv: list[str] | None = None) -> int:
    from models.enums import Role
    from services.errors import DomainError

    parser = argparse.ArgumentParser(prog="server.py", description="Warga: the citizen-reporting backend.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the HTTP and WebSocket server")
    commands.add_parser("migrate", help="apply database migrations")
    seed = commands.add_parser("seed-demo", help="load the Jakarta Timur demo data")
    seed.add_argument("--if-empty", action="store_true", help="only when the database holds no areas")
    account = commands.add_parser("create-account", help="create an account of any role")
    account.add_argument("--handle", required=True)
    account.add_argument("--password", required=True)
    account.add_argument("--role", required=True, choices=[r.value for r in Role])
    account.add_argument("--area", help="area code, e.g. 31.75.01.1001")
    account.add_argument("--agency", help="agency code")
    account.add_argument("--display-name")
    account.add_argument("--email")
    areas = commands.add_parser("import-areas", help="load area boundaries from a GeoJSON FeatureCollection")
    areas.add_argument("file")
    for name, help_text in (("create-api-key", "register an Open311 app and print its key"),
                            ("revoke-api-key", "revoke an Open311 app's key")):
        commands.add_parser(name, help=help_text).add_argument("--name", required=True, help="the app's name")
    commands.add_parser("export-schema", help="print the GraphQL SDL")
    commands.add_parser("close-stale", help="close reports followed up more than 7 days ago")
    args = parser.parse_args(argv)

    settings = get_settings()
    configure_logging(settings.env == "production")
    try:
        if args.command == "serve":
            _serve(settings)
        elif args.command == "migrate":
            asyncio.run(migrate(settings))
        elif args.command == "seed-demo":
            asyncio.run(_seed_demo(settings, args.if_empty))
        elif args.command == "create-account":
            asyncio.run(_create_account(settings, args))
        elif args.command == "import-areas":
            asyncio.run(_import_areas(settings, args.file))
        elif args.command in ("create-api-key", "revoke-api-key"):
            asyncio.run(_api_key(settings, args))
        elif args.command == "close-stale":
            asyncio.run(_close_stale(settings))
        elif args.command == "export-schema":
            print(str(build_schema(settings.env == "production")))
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
