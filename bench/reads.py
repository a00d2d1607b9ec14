"""Reads against the raw limit (issue 15): the signed-in feed, the anonymous feed with the answer cache
off, and a report's page, each beside bench/baseline.py's Starlette + asyncpg + orjson endpoint for the
same data in the same run; with the compiled read path and with graphql-core's executor alone; with one
worker and with two.

    .venv/bin/python bench/reads.py [--seconds 10]

PostgreSQL and Redis on their standard loopback ports, `wrk` (Debian's package) as the load generator
(one thread, 16 connections), 10,000 synthetic reports on top of the demo data, production settings.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.feed import REDIS, Process, wrk  # noqa: E402
from resolvers.ids import to_global_id  # noqa: E402
from testkit.databases import demo_database  # noqa: E402
from testkit.processes import login  # noqa: E402
from testkit.servers import free_port  # noqa: E402
from testkit.synthetic import ANONYMOUS_FEED, SIGNED_IN_FEED, fill  # noqa: E402

REPORT_PAGE = """query($id: ID!) { report(id: $id) { id body status badge isOverdue createdAt supportCount
  commentCount category { code name } area { name } author { handle displayName } photos { url thumbnailUrl }
  followUps { note createdAt officer { handle } photos { url thumbnailUrl } }
  timeline { kind status note createdAt actor { handle } }
  comments(first: 20) { edges { node { id body createdAt author { handle } } } pageInfo { hasNextPage } } } }"""
# The demo report with the most to show: follow-ups, comments, events.
BUSIEST = """SELECT r.id FROM report r WHERE NOT r.hidden AND NOT r.anonymous ORDER BY
  (SELECT count(*) FROM comment c WHERE c.report_id = r.id)
  + (SELECT count(*) FROM follow_up f WHERE f.report_id = r.id)
  + (SELECT count(*) FROM report_event e WHERE e.report_id = r.id) DESC, r.id LIMIT 1"""
NO_CACHE = {"Cache-Control": "no-cache"}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    async with demo_database("warga_bench_reads", REDIS) as env:
        url, workdir = env["WARGA_DATABASE_URL"], Path(tempfile.mkdtemp())
        env.update(WARGA_ENV="production", WARGA_AUTO_CLOSE_INTERVAL_S="0")
        conn = await asyncpg.connect(url)
        await fill(conn, 1, 10_000, datetime.now(UTC) - timedelta(days=1))
        busiest = await conn.fetchval(BUSIEST)
        await conn.close()

        def warga(name: str, **settings: str) -> Process:
            port = free_port()
            return Process([sys.executable, "server.py", "serve"], {**env, **settings, "WARGA_PORT": str(port)},
                           port, workdir / f"{name}.log")

        port = free_port()
        baseline = Process([sys.executable, "-m", "uvicorn", "bench.baseline:app", "--port", str(port),
                            "--no-access-log", "--log-level", "warning"], env, port, workdir / "baseline.log")
        await baseline.start("/feed")
        print(f"reads.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL + Redis, wrk -t1 -c16 -d{args.seconds}s, "
              f"10,000 reports; ratios against the raw endpoint of the same data in this run")
        try:
            raw_feed = await wrk(baseline.url + "/feed", {}, {}, args.seconds, workdir)
            raw_report = await wrk(f"{baseline.url}/report/{busiest}", {}, {}, args.seconds, workdir)
            print(f"   raw feed page (Starlette + asyncpg + orjson)   {raw_feed:7.0f} req/s")
            print(f"   raw report page                                {raw_report:7.0f} req/s")
            for name, settings in (("compiled, 1 worker", {"WARGA_WORKERS": "1"}),
                                   ("graphql-core's executor, 1 worker",
                                    {"WARGA_WORKERS": "1", "WARGA_COMPILED_READS": "0"}),
                                   ("compiled, 2 workers", {"WARGA_WORKERS": "2"})):
                server = warga(name.split(",")[0].replace("'", "").replace(" ", "-") + settings["WARGA_WORKERS"],
                               **settings)
                await server.start("/healthz")
                try:
                    async with httpx.AsyncClient(timeout=60) as http:
                        signed_in = {"Authorization": f"Bearer {await login(http, server.url)}"}
                    gql = server.url + "/graphql"
                    rid = await report_id(server.url, busiest)
                    feed = await wrk(gql, {"query": SIGNED_IN_FEED}, signed_in, args.seconds, workdir)
                    anonymous = await wrk(gql, {"query": ANONYMOUS_FEED}, NO_CACHE, args.seconds, workdir)
                    page = await wrk(gql, {"query": REPORT_PAGE, "variables": {"id": rid}}, signed_in, args.seconds,
                                     workdir)
                finally:
                    await server.stop()
                print(f"\n   Warga, {name}")
                print(f"     signed-in feed(first: 20), full card + viewer   {feed:7.0f} req/s  "
                      f"{feed / raw_feed:5.2f}x (target >= 0.25x)")
                print(f"     anonymous feed, answer cache off                {anonymous:7.0f} req/s  "
                      f"{anonymous / raw_feed:5.2f}x (target >= 0.30x)")
                print(f"     a report's page, signed in                      {page:7.0f} req/s  "
                      f"{page / raw_report:5.2f}x (target >= 0.20x)")
        finally:
            await baseline.stop()


async def report_id(url: str, pk: int) -> str:
    """The report's global id, and a check that Warga answers the page without errors."""
    rid = to_global_id("Report", pk)
    async with httpx.AsyncClient(timeout=60) as http:
        body = (await http.post(url + "/graphql", json={"query": REPORT_PAGE, "variables": {"id": rid}})).json()
    assert "errors" not in body and body["data"]["report"]["comments"], body
    return rid


if __name__ == "__main__":
    asyncio.run(main())
