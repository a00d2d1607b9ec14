"""The execution floor of a signed-in feed page: how fast the server could answer bench/feed.py's
signed-in request if the database cost nothing.

    .venv/bin/python bench/floor.py [--requests 500]

In process (httpx's ASGI transport, one request at a time) on a scratch PostgreSQL database with
2,000 reports. The same request is timed twice in the same run: as it is, then with the three
database reads a page makes (the session, the page of reports, what the page's cards need)
answered from memory after their first answer, so that what is left is HTTP, Strawberry and
graphql-core; and GET /healthz, the cost of the in-process client and routing, which the floor
subtracts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import graphql_http.view as view
import services.feed as feeds
from execution.executor import CompiledExecutor, StandardExecutor
from resolvers.loaders import CARD_FIELDS, Loaders
from testkit.databases import demo_database
from testkit.processes import login
from testkit.synthetic import SIGNED_IN_FEED, fill

REDIS = os.environ.get("WARGA_BENCH_REDIS", "redis://127.0.0.1:6379/13")


def answer_reads_from_memory() -> None:
    """Each of the three reads runs once; later requests get its first answer."""
    kept: dict[str, Any] = {}
    viewer_of, feed, prefetch = view.viewer_of, feeds.feed, Loaders.prefetch_reports

    async def remembered_viewer(token: str | None) -> Any:
        if "viewer" not in kept:
            kept["viewer"] = await viewer_of(token)
        return kept["viewer"]

    async def remembered_feed(*args: Any, **kwargs: Any) -> Any:
        if "page" not in kept:
            kept["page"] = await feed(*args, **kwargs)
        return kept["page"]

    async def remembered_cards(loaders: Loaders, reports: list[Any], fields: Any) -> None:
        if "cards" not in kept:
            await prefetch(loaders, reports, fields)
            kept["cards"] = {name: {key: future.result() for key, future in
                                    getattr(loaders, name).cache_map.cache_map.items()}
                             for name, _ in CARD_FIELDS.values()}
        for name, values in kept["cards"].items():
            getattr(loaders, name).prime_many(values)

    for owner, name, replacement in ((view, "viewer_of", remembered_viewer), (feeds, "feed", remembered_feed),
                                     (Loaders, "prefetch_reports", remembered_cards)):
        setattr(owner, name, replacement)


async def per_request_ms(http: httpx.AsyncClient, headers: dict[str, str], requests: int) -> float:
    for _ in range(20):  # warm the caches (parser, validation, catalog)
        body = (await http.post("/graphql", json={"query": SIGNED_IN_FEED}, headers=headers)).json()
        assert "errors" not in body, body
    started = time.perf_counter()
    for _ in range(requests):
        await http.post("/graphql", json={"query": SIGNED_IN_FEED}, headers=headers)
    return (time.perf_counter() - started) / requests * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    async with demo_database("warga_bench_floor", REDIS) as env:
        conn = await asyncpg.connect(env["WARGA_DATABASE_URL"])
        await fill(conn, 1, 2_000, datetime.now(UTC) - timedelta(days=1))
        await conn.close()
        os.environ.update(env, WARGA_AUTO_CLOSE_INTERVAL_S="0")
        from core.settings import Settings
        from server import create_app

        app = create_app(Settings())
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                headers = {"authorization": f"Bearer {await login(http, 'http://bench')}"}
                full = await per_request_ms(http, headers, args.requests)
                app.state.schema.execution_context_class = StandardExecutor
                stock_full = await per_request_ms(http, headers, args.requests)
                answer_reads_from_memory()
                stock_floor = await per_request_ms(http, headers, args.requests)
                app.state.schema.execution_context_class = CompiledExecutor
                floor = await per_request_ms(http, headers, args.requests)
                started = time.perf_counter()
                for _ in range(args.requests):
                    await http.get("/healthz")
                harness = (time.perf_counter() - started) / args.requests * 1000
    print(f"floor.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, signed-in feed(first: 20), full card, in process")
    print(f"   as it is (compiled)               {full:6.2f} ms a request")
    print(f"   graphql-core's executor           {stock_full:6.2f} ms a request  ({stock_full / full:.2f}x)")
    print(f"   database reads from memory        {floor:6.2f} ms a request  ({floor / full:.2f}x)")
    print(f"   the same, graphql-core's executor {stock_floor:6.2f} ms a request  ({stock_floor / floor:.2f}x)")
    print(f"   GET /healthz (client and routing)  {harness:6.2f} ms a request: a worker answers at most "
          f"{1000 / (floor - harness):.0f} such pages/s")


if __name__ == "__main__":
    asyncio.run(main())
