"""1,000 gauges reporting once a minute (issue 18): the server's latency for everyone else before, during and after
the readings, the readings' own, and how large the history grows; on PostgreSQL and Redis, one server process.

    .venv/bin/python bench/ingest.py [--gauges 1000] [--seconds 60] [--probe-rate 15] [--rounds 2]
                                     [--compact-gauges 100] [--compact-days 8] [--explain-gauges 1000] [--cut-off 60]
                                     [--skip-server] [--skip-compact]

A fresh database migrated and loaded with the demo (Jakarta Timur), then --gauges WATER_LEVEL_POST gauges of the
SDA agency at seeded random points of the city (thresholds 100/200/300 cm, expected every 5 minutes) imported by
`server.py import-assets` (services.assets.upsert_assets), and one server process (`server.py serve`, production
settings, rate limits on: recordAssetReading has none). Every gauge sends one reading first (its first state is a
change: an assetChanged event each), so that the run measures the steady state.

2 x --rounds + 1 phases of --seconds each, probes alone (the baseline) and probes while the gauges report, in
turn, so that a drift of the shared machine falls on both. The probes are ordinary requests at a steady
--probe-rate a second, sent on schedule whatever the answers do (open loop): an anonymous `feed(first: 20)` with
the public card, an anonymous `report(id)` page, and the signed-in feed (budi), in turn; whether each anonymous
answer came from the answer cache is counted (x-warga-cache). While the gauges report, `telemetri_sda` (the
demo's telemetry OFFICER of SDA) sends `recordAssetReading` for gauge i at i x 60 / gauges seconds into each
minute: 1,000 a minute, 16.7 a second, evenly; levels wander between 40 and 90 cm, below every threshold, so no
reading changes a gauge's state (no events, no alerts: the steady state of a dry day). The server's CPU per phase
comes from /proc. The p99 of every probe is also given as the median of the phases' p99s: one noisy phase of the
shared machine moves a pooled p99.

Then the history, in scratch PostgreSQL databases, in process: what a reading costs on disk (measured over
--compact-days of synthetic minute readings of --compact-gauges gauges) and what services.readings.compact keeps,
for --gauges gauges; one `compact()` over those readings (the first run that thins a day), once more at once (the
hourly run with nothing to thin), and an hour on with a year of hourly history behind them, beside a proposal (only
the day before the cutoff, through an index on measured_at; rolled back). Last, --explain-gauges gauges with 365,
90, 60 and 30 days of hourly history: the plan of the statement compact() sends (caught at the connection) and a
run of it, rolled back, cut off after --cut-off seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolvers.ids import to_global_id  # noqa: E402
from testkit.databases import BENCH_PG_ADMIN_URL, demo_database, postgres_database  # noqa: E402
from testkit.processes import ServerProcess, login, run  # noqa: E402
from testkit.servers import free_port  # noqa: E402
from testkit.synthetic import ANONYMOUS_FEED, SIGNED_IN_FEED  # noqa: E402

REDIS = os.environ.get("WARGA_BENCH_REDIS", "redis://127.0.0.1:6379/12")
SOUTH, NORTH, WEST, EAST = -6.37, -6.14, 106.84, 106.98
REPORT = "query($id: ID!) { report(id: $id) { id body status followUps { note } timeline { kind } " \
         "comments(first: 10) { edges { node { body } } } } }"
RECORD = "mutation($a: ID!, $i: AssetReadingInput!) { recordAssetReading(assetId: $a, input: $i) { " \
         "status alertLevel } }"
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)


def pct(seconds: list[float], q: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000 if ordered else float("nan")


def gauges_file(count: int, folder: Path) -> Path:
    rng = random.Random(18)
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(rng.uniform(WEST, EAST), 6),
                                                                                  round(rng.uniform(SOUTH, NORTH), 6)]},
                 "properties": {"code": f"BENCH-TMA-{n:04d}", "name": f"Pos duga air uji {n}",
                                "kind": "WATER_LEVEL_POST", "agency_code": "SDA", "siaga3_cm": 100, "siaga2_cm": 200,
                                "siaga1_cm": 300, "expected_reading_minutes": 5}} for n in range(count)]
    path = folder / "gauges.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Tally:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []
        self.cached = 0  # answers from the anonymous answer cache

    def all(self) -> list[float]:
        return [t for times in self.times.values() for t in times]

    async def post(self, http: httpx.AsyncClient, kind: str, body: dict[str, Any], token: str | None) -> None:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        began = time.perf_counter()
        try:
            response = await http.post("/graphql", json=body, headers=headers)
            result = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            self.failures.append(f"{kind}: {exc!r}")
            return
        self.times[kind].append(time.perf_counter() - began)
        self.cached += response.headers.get("x-warga-cache") == "hit"
        if response.status_code != 200 or result.get("errors"):
            self.failures.append(f"{kind}: {response.status_code} {str(result)[:300]}")


@dataclass
class Phase:
    readings: bool
    probes: Tally = field(default_factory=Tally)
    ingest: Tally = field(default_factory=Tally)
    cpu: float = 0.0
    wall: float = 0.0


def pooled(phases: list[Phase], readings: bool) -> Tally:
    """The probes of every phase with (or without) readings together."""
    tally = Tally()
    for phase in phases:
        if phase.readings == readings:
            for kind, times in phase.probes.times.items():
                tally.times[kind] += times
            tally.failures += phase.probes.failures
            tally.cached += phase.probes.cached
    return tally


async def on_schedule(rate: float, seconds: float, send: Any) -> None:
    """Calls send(n) at n / rate seconds from now, without waiting for earlier calls (an open loop)."""
    loop = asyncio.get_running_loop()
    start, tasks, n = loop.time(), [], 0
    while n < rate * seconds:
        delay = start + n / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(n)))
        n += 1
    await asyncio.gather(*tasks)


async def server_phases(args: argparse.Namespace) -> None:
    async with demo_database("warga_bench_ingest", REDIS) as env:
        env["WARGA_RATE_LIMIT_SCALE"] = "1"
        began = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="warga-bench-ingest-") as folder:
            await run("import-assets", str(gauges_file(args.gauges, Path(folder))), env=env)
        print(f"{args.gauges:,} gauges imported by `server.py import-assets` in {time.perf_counter() - began:.1f} s")
        conn = await asyncpg.connect(env["WARGA_DATABASE_URL"])
        ids = [to_global_id("Asset", r["id"]) for r in
               await conn.fetch("SELECT id FROM asset WHERE code LIKE 'BENCH-TMA-%' ORDER BY code")]
        server = await ServerProcess(free_port(), env).start()
        assert server.process is not None
        try:
            limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
            async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as http:
                gateway, budi = await login(http, server.url, "telemetri_sda"), await login(http, server.url, "budi")
                feed = (await http.post("/graphql", json={"query": ANONYMOUS_FEED})).json()
                reports = [e["node"]["id"] for e in feed["data"]["feed"]["edges"]]
                rng = random.Random(5)
                probes: list[tuple[dict[str, Any], str | None, str]] = [
                    ({"query": ANONYMOUS_FEED}, None, "feed, anonymous"),
                    ({"query": SIGNED_IN_FEED}, budi, "feed, signed in")]
                probes += [({"query": REPORT, "variables": {"id": r}}, None, "report page, anonymous") for r in reports]

                def probe(tally: Tally) -> Any:
                    async def send(n: int) -> None:
                        body, token, kind = probes[n % 2] if n % 3 else probes[2 + n // 3 % len(reports)]
                        await tally.post(http, kind, body, token)
                    return send

                def reading(tally: Tally) -> Any:
                    async def send(n: int) -> None:
                        variables = {"a": ids[n % len(ids)], "i": {"waterLevelCm": rng.randint(40, 90)}}
                        await tally.post(http, "recordAssetReading", {"query": RECORD, "variables": variables}, gateway)
                    return send

                prime = Tally()
                await on_schedule(100, len(ids) / 100, reading(prime))  # each gauge's first state, before measuring
                assert not prime.failures, prime.failures[:3]
                await on_schedule(args.probe_rate, 5, probe(Tally()))  # warm
                before = await conn.fetchval("SELECT count(*) FROM asset_reading")
                phases = [Phase(readings=n % 2 == 1) for n in range(2 * args.rounds + 1)]
                for phase in phases:
                    cpu, wall = cpu_seconds(server.process.pid), time.perf_counter()
                    jobs = [on_schedule(args.probe_rate, args.seconds, probe(phase.probes))]
                    if phase.readings:
                        jobs.append(on_schedule(args.gauges / 60, args.seconds, reading(phase.ingest)))
                    await asyncio.gather(*jobs)
                    phase.cpu, phase.wall = cpu_seconds(server.process.pid) - cpu, time.perf_counter() - wall
                stored = await conn.fetchval("SELECT count(*) FROM asset_reading") - before
        finally:
            await server.stop()
            await conn.close()
    report_phases(phases, stored, args)


def report_phases(phases: list[Phase], stored: int, args: argparse.Namespace) -> None:
    print(f"\nProbes at {args.probe_rate:g}/s (feed anonymous, feed signed in, report page anonymous, in turn), "
          f"{len(phases)} phases of {args.seconds:g} s, with and without readings in turn:")
    print(f"   {'phase':18s} {'probes':>7s} {'p50 ms':>8s} {'p99 ms':>8s} {'from cache':>10s} {'server CPU':>10s} "
          f"{'readings/s':>10s}")
    for number, phase in enumerate(phases, start=1):
        times = phase.probes.all()
        print(f"   {number} {'with readings' if phase.readings else 'baseline':16s} {len(times):7,} "
              f"{pct(times, 0.5):8.2f} {pct(times, 0.99):8.2f} {phase.probes.cached / len(times):10.0%} "
              f"{phase.cpu / phase.wall:10.0%} {len(phase.ingest.all()) / phase.wall:10.2f}")
    base, loaded = pooled(phases, False), pooled(phases, True)
    print("   pooled, p50 / p99 ms:       baseline           with readings      p50 ratio  p99 ratio")
    for kind in [*sorted(base.times), "every probe"]:
        one = base.all() if kind == "every probe" else base.times[kind]
        two = loaded.all() if kind == "every probe" else loaded.times[kind]
        print(f"   {kind:24s} {pct(one, 0.5):8.2f} / {pct(one, 0.99):7.2f}   {pct(two, 0.5):8.2f} / "
              f"{pct(two, 0.99):7.2f}   {pct(two, 0.5) / pct(one, 0.5):8.2f}x {pct(two, 0.99) / pct(one, 0.99):8.2f}x")
    quiet, busy = (statistics.median(pct(phase.probes.all(), 0.99) for phase in phases if phase.readings == reading)
                   for reading in (False, True))
    print(f"   p99 of every probe, the median over the phases (one noisy phase moves the pooled p99): baseline "
          f"{quiet:.2f} ms, with readings {busy:.2f} ms: {busy / quiet:.2f}x")
    ingest = [phase for phase in phases if phase.readings]
    readings = [t for phase in ingest for t in phase.ingest.all()]
    failures = [f for phase in phases for f in phase.probes.failures + phase.ingest.failures]
    wall = sum(phase.wall for phase in ingest)
    idle = sum(p.cpu for p in phases if not p.readings) / sum(p.wall for p in phases if not p.readings)
    extra = (sum(phase.cpu for phase in ingest) - idle * wall) / max(1, len(readings)) * 1000
    print(f"\nReadings: {len(readings):,} answered in {wall:.0f} s = {len(readings) / wall:.2f}/s (asked: "
          f"{args.gauges / 60:.2f}/s); {stored:,} rows stored; {len(failures)} failed requests"
          f"{': ' + failures[0] if failures else ''}")
    print(f"   recordAssetReading: {pct(readings, 0.5):.2f} ms p50, {pct(readings, 0.99):.2f} ms p99; server CPU "
          f"beyond the baseline's: {extra:.1f} ms a reading")


def history(row_bytes: float, heap_bytes: float, sample: int, gauges: int) -> None:
    day = gauges * 24 * 60
    week = 7 * day
    thinned_year = gauges * 24 * 365
    print(f"\nHistory of {gauges:,} gauges, one reading a minute (services.readings.compact: every reading of the "
          f"last 7 days, before that the last of each hour per gauge):")
    print(f"   on disk, measured over {sample:,} synthetic readings (no note, as gauges send them): "
          f"{row_bytes:.0f} bytes a row with its indexes, {heap_bytes:.0f} without")
    for label, rows in (("a day", day), ("the week kept whole", week), ("a year thinned to one an hour", thinned_year),
                        ("after a year: the week + the year thinned", week + thinned_year),
                        ("after a year, never thinned", 365 * day)):
        print(f"   {label:44s} {rows:>12,} rows  {rows * row_bytes / 2**30:7.2f} GiB")


# ---- compaction ----------------------------------------------------------------------------------------------

MINUTES = """INSERT INTO asset_reading (asset_id, status, water_level_cm, alert_level, measured_at, created_at)
SELECT a.id, 'OK', 40 + (m % 50), 'SIAGA_4', $1::timestamptz - m * interval '1 minute',
       $1::timestamptz - m * interval '1 minute'
FROM asset a CROSS JOIN generate_series(0, $2::int - 1) m WHERE a.code LIKE 'BENCH-%'"""
HOURS = """INSERT INTO asset_reading (asset_id, status, water_level_cm, alert_level, measured_at, created_at)
SELECT a.id, 'OK', 40 + (h % 50), 'SIAGA_4', $1::timestamptz - h * interval '1 hour' - interval '1 minute',
       $1::timestamptz - h * interval '1 hour'
FROM asset a CROSS JOIN generate_series(0, $2::int - 1) h WHERE a.code LIKE 'BENCH-%'"""
GAUGE = """INSERT INTO asset (code, name, kind, lat, lng, south, west, north, east, cell, geometry, area_path, status)
SELECT 'BENCH-' || g, 'Pos ' || g, 'WATER_LEVEL_POST', -6.2, 106.9, -6.2, 106.9, -6.2, 106.9, 0, '{}', '', 'OK'
FROM generate_series(1, $1::int) g"""


PROPOSAL = """DELETE FROM asset_reading WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (
PARTITION BY asset_id, date_trunc('hour', measured_at) ORDER BY measured_at DESC, id DESC) AS n FROM asset_reading
WHERE measured_at >= $1 AND measured_at < $2) AS aged WHERE n > 1)"""


async def compact_statement(now: datetime) -> tuple[str, list[Any]]:
    """The statement services.readings.compact sends at `now`, caught at the connection and not run."""
    from tortoise import connections

    from services.readings import compact

    client = connections.get("default")
    seen: list[tuple[str, list[Any]]] = []

    async def catch(query: str, values: list[Any] | None = None) -> list[dict[str, Any]]:
        seen.append((query, list(values or [])))
        return []

    client.execute_query_dict = catch
    try:
        await compact(now)
    finally:
        del client.execute_query_dict
    [statement] = seen
    return statement


async def timed_compact(conn: asyncpg.Connection, now: datetime, label: str) -> None:
    from services.readings import compact

    await conn.execute("ANALYZE asset_reading")
    rows = await conn.fetchval("SELECT count(*) FROM asset_reading")
    began = time.perf_counter()
    await compact(now)
    took = time.perf_counter() - began
    left = await conn.fetchval("SELECT count(*) FROM asset_reading")
    print(f"   {label:52s} {rows:>10,} rows -> {left:>10,} in {took:7.2f} s")


async def thinning(conn: asyncpg.Connection, gauges: int, days: int, city_gauges: int) -> None:
    from services.readings import KEEP_EVERY

    now = ANCHOR
    await conn.execute(MINUTES, now, days * 24 * 60)
    await conn.execute("VACUUM ANALYZE asset_reading")
    rows = await conn.fetchval("SELECT count(*) FROM asset_reading")
    total, heap = await conn.fetchrow("SELECT pg_total_relation_size('asset_reading'), "
                                      "pg_relation_size('asset_reading')")
    history(total / rows, heap / rows, rows, city_gauges)
    print(f"\ncompact() over {gauges} gauges (PostgreSQL, in process):")
    await timed_compact(conn, now, f"{days} days of minutes, the first run")
    await timed_compact(conn, now, "again at once (the hourly run, nothing to thin)")
    await conn.execute(HOURS, now - timedelta(days=days), 365 * 24)  # older, thinned already
    await conn.execute(MINUTES, now + timedelta(hours=1), 60)  # the hour since
    now += timedelta(hours=1)
    cutoff = now - KEEP_EVERY
    proposal = conn.transaction()  # rolled back: compact() then meets the same rows
    await proposal.start()
    try:
        await conn.execute("CREATE INDEX bench_reading_time ON asset_reading (measured_at)")
        await conn.execute("ANALYZE asset_reading")
        began = time.perf_counter()
        done = await conn.execute(PROPOSAL, cutoff - timedelta(days=1), cutoff)
        took = time.perf_counter() - began
    finally:
        await proposal.rollback()
    await timed_compact(conn, now, "plus a year of hourly history behind it, an hour on")
    print(f"   proposal: row_number() over the day before the cutoff, through an index on measured_at: "
          f"{int(done.split()[-1]):,} rows deleted in {took:.3f} s (rolled back before compact() ran)")


async def plan_at_scale(conn: asyncpg.Connection, gauges: int, cut_off_s: float) -> None:
    """compact()'s statement over shorter and longer thinned histories: its plan, and a run (rolled back) cut off at
    `cut_off_s` seconds (statement_timeout)."""
    from services.readings import KEEP_EVERY

    now = ANCHOR + timedelta(hours=1)
    await conn.execute(HOURS, ANCHOR - KEEP_EVERY, 365 * 24)
    query, values = await compact_statement(now)
    print(f"\ncompact() with {gauges:,} gauges and their history thinned to hours, an hour after the last run "
          f"(each run rolled back, cut off after {cut_off_s:g} s):")
    for days in (365, 90, 60, 30):
        await conn.execute("DELETE FROM asset_reading WHERE measured_at < $1", now - KEEP_EVERY - timedelta(days=days))
        await conn.execute("ANALYZE asset_reading")
        rows = await conn.fetchval("SELECT count(*) FROM asset_reading")
        plan = [str(row[0]) for row in await conn.fetch("EXPLAIN " + query, *values)]
        run = conn.transaction()
        await run.start()
        try:
            await conn.execute(f"SET LOCAL statement_timeout = {int(cut_off_s * 1000)}")
            began = time.perf_counter()
            await conn.execute(query, *values)
            took = f"ran in {time.perf_counter() - began:.1f} s"
        except asyncpg.QueryCanceledError:
            took = f"**cancelled after {cut_off_s:g} s**"
        finally:
            await run.rollback()
        kind = "a hashed subplan" if any("hashed SubPlan" in line for line in plan) else \
            "a subplan NOT hashed (scanned again for every row)" if any("SubPlan" in line for line in plan) else \
            "no subplan"
        print(f"   {days:3d} days of hours ({rows:>9,} rows): {kind}, estimated cost "
              f"{plan[0].split('..')[1].split()[0]}; {took}")
        if days == 365:
            for line in plan:
                print(f"      | {line}")


async def compaction(args: argparse.Namespace) -> None:
    from tortoise import Tortoise

    from cli.commands import migrate
    from core.settings import Settings
    from models.config import tortoise_config

    for gauges, at_scale in ((args.compact_gauges, False), (args.explain_gauges, True)):
        if not gauges:
            continue
        async with postgres_database("warga_bench_compact", BENCH_PG_ADMIN_URL) as url:
            await migrate(Settings(database_url=url))
            conn = await asyncpg.connect(url)
            await Tortoise.init(config=tortoise_config(url))
            try:
                await conn.execute(GAUGE, gauges)
                if at_scale:
                    await plan_at_scale(conn, gauges, args.cut_off)
                else:
                    await thinning(conn, gauges, args.compact_days, args.gauges)
            finally:
                await Tortoise.close_connections()
                await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gauges", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--probe-rate", type=float, default=15)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--compact-gauges", type=int, default=100)
    parser.add_argument("--compact-days", type=int, default=8)
    parser.add_argument("--explain-gauges", type=int, default=1000)
    parser.add_argument("--cut-off", type=float, default=60)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-compact", action="store_true")
    args = parser.parse_args()
    print(f"ingest.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.2f}")
    if not args.skip_server:
        await server_phases(args)
    if not args.skip_compact:
        await compaction(args)
    print(f"load average at the end {os.getloadavg()[0]:.2f} (2 cores)")


if __name__ == "__main__":
    asyncio.run(main())
