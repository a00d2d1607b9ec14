"""Warga's Starlette app factory and command line.

    python server.py serve | migrate | seed-demo | create-account ... | import-areas FILE... |
        import-catalog CITY FILE | import-assets FILE | export-schema
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, ParamSpec

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from app import duties, sessions
from app.observability import CountedBroker, Metrics, RequestContext, configure_logging
from app.proxies import ProxyHeaders, TrustedProxies
from app.resources import build_resources
from cli import commands
from core.settings import Settings, get_settings
from execution.executor import COUNTS as executions
from graphql_http.cache import ResponseCache
from graphql_http.persisted import PersistedQueries
from graphql_http.view import WargaGraphQL
from models.config import tortoise_config
from open311.routes import routes as open311_routes
from plumbing.broker import RedisBroker, broker_for
from plumbing.relay import Relay
from resolvers.context import viewer_of
from schema.build import build_schema
from subscriptions.hub import Hub
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


KNOWN_PATHS = ("/graphql", "/healthz", "/readyz", "/metrics", "/")


def _route_of(path: str) -> str:
    """Metric labels by route, so that arbitrary URLs cannot grow the label set."""
    if path.startswith(("/media/", "/open311/", "/static/", "/vendor/")):
        return path[: path.index("/", 1)]
    return path if path in KNOWN_PATHS else "other"


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    resources = build_resources(settings)
    persisted = PersistedQueries(settings.redis_url)
    cache = ResponseCache()
    schema = build_schema(settings.env == "production", settings.compiled_reads)
    graphql = WargaGraphQL(
        schema,
        resources,
        persisted,
        cache,
        graphql_ide="graphiql" if settings.env == "development" else None,
        allow_queries_via_get=True,
    )

    hub = Hub(schema, resources)
    broker = broker_for(settings.redis_url)
    relayed = CountedBroker(broker)
    proxies = TrustedProxies(settings.trusted_proxies)
    sockets = {"open": 0}

    def count_socket(change: int) -> None:
        sockets["open"] += change

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            await stack.enter_async_context(resources.opened())
            await stack.enter_async_context(
                RegisterTortoise(app, config=tortoise_config(settings.database_url, settings.db_pool_max))
            )
            stack.push_async_callback(persisted.close)
            await hub.start_from_now()
            receive, resync = sessions.cache.listening(hub.receive, hub.resync)  # signed-in tokens forget first
            await broker.start(_invalidating(cache, receive), _invalidating(cache, resync))
            stack.push_async_callback(broker.stop)
            relay = Relay(relayed)
            relay.start()
            stack.push_async_callback(relay.stop)
            await stack.enter_async_context(duties.running(settings))
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
            "warga_response_cache_hits_total": ("Anonymous answers served from the response cache.", cache.hits),
            "warga_response_cache_misses_total": ("Anonymous answers the response cache did not hold.", cache.misses),
            "warga_events_relayed_total": ("Outbox events this process published to the broker.", relayed.published),
            "warga_graphql_compiled_total": ("Documents executed from compiled plans.", executions["compiled"]),
            "warga_graphql_standard_total": ("Documents executed by graphql-core's executor (mutations, or "
                                             "the compiled path off).", executions["standard"]),
            "warga_graphql_standard_fields_total": ("Fields of compiled documents that graphql-core executed "
                                                    "(introspection).", executions["standard_fields"]),
            # Each of serve's workers answers for itself: the one that answered this request.
            "warga_process_id": ("The server process that answered.", os.getpid()),
        }
        return PlainTextResponse(metrics.render(gauges), media_type="text/plain; version=0.0.4")

    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", websocket_endpoint(hub, schema, resources, viewer_of, count_socket)),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *open311_routes(resources),
            *page_routes(settings),
            Mount("/media", MediaFiles(directory=settings.media_root, check_dir=False), name="media"),
        ],
        # The client's address first, so everything after it (logs, rate limits) reads the one chosen there.
        middleware=[Middleware(ProxyHeaders, proxies=proxies),
                    Middleware(RequestContext, metrics=metrics, route_of=_route_of)],
        lifespan=lifespan,
    )
    app.state.resources = resources
    app.state.schema = schema
    app.state.hub = hub
    app.state.broker = broker
    app.state.sockets = sockets
    app.state.proxies = proxies
    return app


# The command line ----------------------------------------------------------------------------


def worker_app() -> Starlette:
    """The app of one of `serve`'s processes: uvicorn calls this in each worker (cli/commands.py's serve)."""
    settings = get_settings()
    configure_logging(settings.env == "production")  # a worker is a new interpreter: nothing is configured
    _stop_with_supervisor()
    app = create_app(settings)
    # The cyclic collector's full passes stop the process: with 2,500 sockets open (about 140 tracked
    # objects each) one took 100-300 ms, and every live message waited behind it. What exists now
    # (modules, the schema) lives as long as the process and leaves the passes; larger thresholds make
    # full passes about a hundred times rarer (only cyclic garbage waits longer: refcounting frees the rest).
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    return app


def _stop_with_supervisor() -> None:
    """A worker whose supervisor died (SIGKILL: it could not stop its workers) shuts down as on SIGTERM,
    rather than serve on, unsupervised, holding the port."""
    parent = multiprocessing.parent_process()
    if parent is None:  # one worker: uvicorn serves in this very process
        return

    def watch() -> None:
        parent.join()
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="warga-supervisor-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    from core.errors import DomainError
    from models.enums import Role

    parser = argparse.ArgumentParser(prog="server.py", description="Warga: the citizen-reporting backend.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP and WebSocket server")
    sub.add_parser("migrate", help="apply database migrations")
    seed = sub.add_parser("seed-demo", help="load the Jakarta Timur demo data")
    seed.add_argument("--if-empty", action="store_true", help="only when the database holds no areas")
    account = sub.add_parser("create-account", help="create an account of any role")
    account.add_argument("--handle", required=True)
    account.add_argument("--password", required=True)
    account.add_argument("--role", required=True, choices=[r.value for r in Role])
    account.add_argument("--area", help="area code, e.g. 31.75.01.1001")
    account.add_argument("--agency", help="agency code")
    account.add_argument("--display-name")
    account.add_argument("--email")
    areas = sub.add_parser("import-areas", help="load areas and their boundaries from GeoJSON FeatureCollections")
    areas.add_argument("files", nargs="+", metavar="FILE", help="one or more; a parent may be in another file")
    sub.add_parser("import-assets", help="load the city's assets from a GeoJSON FeatureCollection").add_argument(
        "file", metavar="FILE", help="features with code, name, kind, agency_code and, for gauges, siaga3_cm...")
    city_catalog = sub.add_parser("import-catalog", help="load a city's agencies and categories from a JSON file")
    city_catalog.add_argument("city", metavar="CITY", help="the city's code, e.g. 32.71")
    city_catalog.add_argument("file", metavar="FILE")
    for name, help_text in (("create-api-key", "register an Open311 app and print its key"),
                            ("revoke-api-key", "revoke an Open311 app's key")):
        sub.add_parser(name, help=help_text).add_argument("--name", required=True, help="the app's name")
    sub.add_parser("export-schema", help="print the GraphQL SDL")
    sub.add_parser("close-stale", help="close reports followed up more than 7 days ago")
    sub.add_parser("rebuild-trends", help="count the words of every stored report and comment again (servers stopped)")
    args = parser.parse_args(argv)

    settings = get_settings()
    configure_logging(settings.env == "production")
    try:
        if args.command == "serve":
            commands.serve(settings)
        elif args.command == "migrate":
            asyncio.run(commands.migrate(settings))
        elif args.command == "seed-demo":
            asyncio.run(commands.seed_demo(settings, args.if_empty))
        elif args.command == "create-account":
            asyncio.run(commands.create_account(settings, args))
        elif args.command == "import-areas":
            asyncio.run(commands.import_areas(settings, args.files))
        elif args.command == "import-assets":
            asyncio.run(commands.import_assets(settings, args.file))
        elif args.command == "import-catalog":
            asyncio.run(commands.import_catalog(settings, args.city, args.file))
        elif args.command in ("create-api-key", "revoke-api-key"):
            asyncio.run(commands.api_key(settings, args))
        elif args.command == "close-stale":
            asyncio.run(commands.close_stale(settings))
        elif args.command == "rebuild-trends":
            asyncio.run(commands.rebuild_trends(settings))
        elif args.command == "export-schema":
            print(str(build_schema(settings.env == "production")))
    except DomainError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
