"""A city's street lights (issue 18): 300,000 poles over Jakarta Timur, `nearbyAssets` and the map's box read on
SQLite and PostgreSQL, each beside baselines measured in the same run.

    .venv/bin/python bench/assets.py [--poles 300000] [--points 1000] [--scan-points 100] [--boxes 200]
                                     [--databases sqlite,postgres]

Per database (a temporary SQLite file, a fresh PostgreSQL database), migrated: --poles STREET_LIGHT rows at seeded
uniform random points of lng 106.84..106.98, lat -6.37..-6.14 (about 750 a square kilometre), written by
`Asset.bulk_create` (1,000 rows a statement; `cell` from services.assets.cell_of, the box the point itself), timed;
beside it `upsert_assets` (the import-assets path: one row at a time) over 2,000 more, extrapolated. PostgreSQL is
then ANALYZEd (autovacuum would do so within a minute); SQLite is not (Warga never runs ANALYZE on `asset`).

`services.assets.nearby(lat, lng, 100, [STREET_LIGHT])` for --points random points of the extent, p50/p95, beside
the same search done the naive way (a `lat BETWEEN .. AND lng BETWEEN ..` band through asset_location_idx, then the
exact distance, through the same model) and a full scan (the band's predicates with the indexes defeated, `lat + 0`,
over --scan-points points); every answer must equal the service's. `services.assets.listed([STREET_LIGHT], box)` for
--boxes random boxes of 0.009 x 0.009 degrees (1 km x 1 km), beside the same box read as a lat/lng band of points
and as cell ranges (one `cell BETWEEN` per grid row: what the poles' own grid index could give the box read). The
EXPLAIN lines are those of the very statements the services sent (captured at the connection), with their values.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from tortoise.expressions import Q

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.commands import migrate  # noqa: E402
from core.settings import Settings  # noqa: E402
from models import Asset  # noqa: E402
from models.config import tortoise_config  # noqa: E402
from models.enums import AssetKind  # noqa: E402
from services.assets import CELL, MAX_IN_BOX, AssetRow, cell_of, cells_around, listed, nearby, upsert_assets  # noqa: E402
from services.feed import BBox  # noqa: E402
from services.geo import distance_m  # noqa: E402
from testkit.databases import bench_database  # noqa: E402

SOUTH, NORTH, WEST, EAST = -6.37, -6.14, 106.84, 106.98
RADIUS_M = 100
BOX = 0.009  # degrees: 1 km of latitude, 0.99 km of longitude here
KINDS = [AssetKind.STREET_LIGHT]
SAMPLE_UPSERT = 2000
Search = Callable[[float, float], Awaitable[list[Asset]]]


def spots(count: int, seed: int) -> list[tuple[float, float]]:
    rng = random.Random(seed)
    return [(round(rng.uniform(SOUTH, NORTH), 7), round(rng.uniform(WEST, EAST), 7)) for _ in range(count)]


def pole(number: int, lat: float, lng: float) -> Asset:
    return Asset(code=f"PJU-{number:07d}", name=f"Tiang PJU {number}", kind=AssetKind.STREET_LIGHT, lat=lat, lng=lng,
                 south=lat, north=lat, west=lng, east=lng, cell=cell_of(lat, lng),
                 geometry={"type": "Point", "coordinates": [lng, lat]})


def pct(seconds: list[float], q: float) -> float:
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


# ---- the searches -------------------------------------------------------------------------------------------

def band(lat: float, lng: float, radius_m: float) -> tuple[float, float, float, float]:
    """south, north, west, east of the square around the circle (as services.assets.cells_around reckons it)."""
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def nearest(lat: float, lng: float, found: list[Asset]) -> list[Asset]:
    near = sorted(((distance_m(lat, lng, a.lat, a.lng), a) for a in found), key=lambda pair: pair[0])
    return [asset for d, asset in near if d <= RADIUS_M][:20]


async def service(lat: float, lng: float) -> list[Asset]:
    return await nearby(lat, lng, RADIUS_M, KINDS)


async def cells_banded(lat: float, lng: float) -> list[Asset]:
    """The service's statement with the band's bounds added: the cells through their index, but only the rows of the
    square around the circle come back (a proposal)."""
    south, north, west, east = band(lat, lng, RADIUS_M)
    return nearest(lat, lng, await Asset.filter(cell__in=cells_around(lat, lng, RADIUS_M), kind__in=KINDS,
                                                lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east))


def band_sql(south: float, north: float, west: float, east: float, indexed: bool) -> str:
    """Points of the kind inside the band, through asset_location_idx (lat, lng) or with every index defeated (the
    kind as an expression, so that SQLite's planner cannot pick asset_kind_box_idx and read the whole kind)."""
    plus = "" if indexed else " + 0"
    return (f"SELECT * FROM asset WHERE kind || '' = 'STREET_LIGHT' AND lat{plus} BETWEEN {south!r} AND {north!r} "
            f"AND lng{plus} BETWEEN {west!r} AND {east!r}")


async def naive(lat: float, lng: float) -> list[Asset]:
    return nearest(lat, lng, await Asset.raw(band_sql(*band(lat, lng, RADIUS_M), indexed=True)))


async def scan(lat: float, lng: float) -> list[Asset]:
    return nearest(lat, lng, await Asset.raw(band_sql(*band(lat, lng, RADIUS_M), indexed=False)))


def box_at(lat: float, lng: float) -> BBox:
    return BBox(south=lat - BOX / 2, west=lng - BOX / 2, north=lat + BOX / 2, east=lng + BOX / 2)


async def box_listed(lat: float, lng: float) -> list[Asset]:
    return await listed(KINDS, box_at(lat, lng), None, None)


async def box_band(lat: float, lng: float) -> list[Asset]:
    box = box_at(lat, lng)
    return await Asset.raw(band_sql(box.south, box.north, box.west, box.east, indexed=True)
                           + f" ORDER BY code LIMIT {MAX_IN_BOX}")


def cell_ranges(box: BBox) -> Q:
    """The box's cells as one `cell BETWEEN` a grid row (cell = row * 400,000 + column: a row's cells are adjacent).
    No kind in the statement: with `kind IN (?)` beside a range, SQLite's planner (no ANALYZE) reads the whole kind
    through asset_kind_box_idx once per row instead."""
    first, last = math.floor(box.west / CELL) + 180_000, math.floor(box.east / CELL) + 180_000
    rows = range(math.floor(box.south / CELL) + 90_000, math.floor(box.north / CELL) + 90_001)
    return Q(*(Q(cell__gte=row * 400_000 + first, cell__lte=row * 400_000 + last) for row in rows),
             join_type="OR")


async def box_cells(lat: float, lng: float) -> list[Asset]:
    """The box read as its cells, then the kinds, the exact box and the order in Python (a proposal for point
    kinds; the other kinds are few)."""
    box = box_at(lat, lng)
    inside = [a for a in await Asset.filter(cell_ranges(box))
              if a.kind in KINDS and box.south <= a.lat <= box.north and box.west <= a.lng <= box.east]
    return sorted(inside, key=lambda a: a.code)[:MAX_IN_BOX]


async def timed(search: Search, points: list[tuple[float, float]]) -> tuple[list[float], list[list[Asset]]]:
    times, answers = [], []
    for lat, lng in points:
        began = time.perf_counter()
        answers.append(await search(lat, lng))
        times.append(time.perf_counter() - began)
    return times, answers


# ---- EXPLAIN of what the service sent ----------------------------------------------------------------------

async def sent(action: Callable[[], Awaitable[Any]]) -> list[tuple[str, list[Any]]]:
    """The statements (with their values) that the action sent through the default connection."""
    from tortoise import connections

    client = connections.get("default")
    original = client.execute_query
    seen: list[tuple[str, list[Any]]] = []

    async def capture(query: str, values: list[Any] | None = None) -> Any:
        seen.append((query, list(values or [])))
        return await original(query, values)

    client.execute_query = capture
    try:
        await action()
    finally:
        del client.execute_query
    return seen


async def explain(postgres: bool, query: str, values: list[Any]) -> list[str]:
    from tortoise import connections

    client = connections.get("default")
    if postgres:
        rows = await client.execute_query_dict("EXPLAIN (ANALYZE, TIMING OFF) " + query, values)
        return [str(row["QUERY PLAN"]) for row in rows]
    rows = await client.execute_query_dict("EXPLAIN QUERY PLAN " + query, values)
    return [str(row["detail"]) for row in rows]


async def show_plan(postgres: bool, title: str, action: Callable[[], Awaitable[Any]]) -> None:
    [(query, values)] = await sent(action)
    print(f"   {title}:\n      {query if len(query) < 400 else query[:400] + ' ...'}")
    for line in await explain(postgres, query, values):
        print(f"      | {line}")


# ---- one database -------------------------------------------------------------------------------------------

def database(kind: str) -> AbstractAsyncContextManager[str]:
    return bench_database(kind, "warga_bench_assets")


async def load(count: int) -> tuple[float, float]:
    """Seconds for bulk_create of the poles, and seconds a row through upsert_assets (a sample, removed after)."""
    from tortoise import connections

    places = spots(count, seed=18)
    began = time.perf_counter()
    for start in range(0, count, 20_000):
        chunk = places[start:start + 20_000]
        await Asset.bulk_create([pole(start + n, lat, lng) for n, (lat, lng) in enumerate(chunk)], batch_size=1000)
    bulk = time.perf_counter() - began
    rows = [AssetRow(f"UPS-{n:05d}", f"Tiang {n}", AssetKind.STREET_LIGHT,
                     {"type": "Point", "coordinates": [lng, lat]}, None, (None, None, None), None, None)
            for n, (lat, lng) in enumerate(spots(SAMPLE_UPSERT, seed=81))]
    began = time.perf_counter()
    created, _ = await upsert_assets(rows, 5000)
    per_row = (time.perf_counter() - began) / created
    await Asset.filter(code__startswith="UPS-").delete()
    if connections.get("default").capabilities.dialect == "postgres":
        await connections.get("default").execute_script("ANALYZE asset")
    return bulk, per_row


async def alone(search: Search, points: list[tuple[float, float]]) -> list[float]:
    """Seconds of the search's statement alone, sent again with its values (the driver's rows, no models made)."""
    from tortoise import connections

    client = connections.get("default")
    captured = [(await sent(partial(search, lat, lng)))[0] for lat, lng in points]
    times = []
    for query, values in captured:
        began = time.perf_counter()
        await client.execute_query(query, values)
        times.append(time.perf_counter() - began)
    return times


def same(ours: list[list[Asset]], theirs: list[list[Asset]]) -> None:
    assert all([a.id for a in one] == [a.id for a in other] for one, other in zip(ours, theirs, strict=True))


def line(label: str, times: list[float], versus: float | None = None, what: str = "") -> None:
    ratio = f" -> {pct(times, 0.5) / versus:.2f}x the service's p50" if versus else ""
    print(f"   {label:48s}{pct(times, 0.5):8.2f} ms p50, {pct(times, 0.95):7.2f} p95{ratio}{what}")


async def measured(kind: str, args: argparse.Namespace) -> None:
    from tortoise import Tortoise
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    postgres = kind == "postgres"
    async with database(kind) as url:
        await migrate(Settings(database_url=url))
        await Tortoise.init(config=tortoise_config(url))
        try:
            bulk, per_row = await load(args.poles)
            assert await Asset.all().count() == args.poles
            print(f"\n{'PostgreSQL' if postgres else 'SQLite'}: {args.poles:,} STREET_LIGHT poles")
            print(f"   load, Asset.bulk_create (1,000 a statement):  {bulk:8.1f} s  ({args.poles / bulk:,.0f} rows/s)")
            print(f"   upsert_assets, {SAMPLE_UPSERT:,} more one by one:       {per_row * 1000:8.2f} ms a row "
                  f"-> {per_row * args.poles:,.0f} s for {args.poles:,} ({per_row * args.poles / bulk:.0f}x)")
            points = spots(args.points, seed=7)
            await timed(service, points[:50])  # warm: connections, prepared statements, caches
            times, answers = await timed(service, points)
            p50 = pct(times, 0.5)
            found = statistics.fmean(len(a) for a in answers)
            print(f"   nearby(100 m, [STREET_LIGHT]), {len(points):,} points (target < 5 ms p50; {found:.1f} found on "
                  f"average):")
            line("services.assets.nearby", times)
            line("  its statement alone (no models)", await alone(service, points[:200]), p50)
            for label, search, count in (("baseline: naive lat/lng band + distance", naive, len(points)),
                                         ("baseline: full scan", scan, args.scan_points),
                                         ("proposal: the cells and the band's bounds", cells_banded, len(points))):
                other, theirs = await timed(search, points[:count])
                same(answers[:count], theirs)
                line(f"{label}, {count:,}", other, p50)
            boxes = spots(args.boxes, seed=11)
            await timed(box_listed, boxes[:20])
            box_times, box_answers = await timed(box_listed, boxes)
            b50 = pct(box_times, 0.5)
            in_box = statistics.fmean(len(a) for a in box_answers)
            print(f"   listed([STREET_LIGHT], a 1 km box), {len(boxes)} boxes ({in_box:.0f} poles a box):")
            line("services.assets.listed", box_times)
            line("  its statement alone (no models)", await alone(box_listed, boxes[:50]), b50)
            for label, search in (("baseline/proposal: a lat/lng band of points", box_band),
                                  ("proposal: the box's cells, a range a row", box_cells)):
                other, theirs = await timed(search, boxes)
                same(box_answers, theirs)
                line(label, other, b50)
                line("  its statement alone (no models)", await alone(search, boxes[:50]), b50)
            lat, lng = points[0]
            how = "EXPLAIN (ANALYZE, TIMING OFF)" if postgres else "EXPLAIN QUERY PLAN"
            print(f"   plans ({how}) of the statements sent, around ({lat}, {lng}):")
            await show_plan(postgres, "nearby", partial(service, lat, lng))
            await show_plan(postgres, "listed", partial(box_listed, lat, lng))
            await show_plan(postgres, "baseline: naive band", partial(naive, lat, lng))
            await show_plan(postgres, "baseline: full scan", partial(scan, lat, lng))
            await show_plan(postgres, "proposal: the cells and the band's bounds", partial(cells_banded, lat, lng))
            await show_plan(postgres, "proposal: the box's cells", partial(box_cells, lat, lng))
        finally:
            await Tortoise.close_connections()
            EXECUTOR_CACHE.clear()  # Tortoise keeps insert SQL per connection name across inits


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--poles", type=int, default=300_000)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--scan-points", type=int, default=100)
    parser.add_argument("--boxes", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    print(f"assets.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.2f} (2 cores): "
          f"{args.poles:,} poles over lat {SOUTH}..{NORTH}, lng {WEST}..{EAST}; radius {RADIUS_M} m; boxes of {BOX}°")
    for kind in filter(None, args.databases.split(",")):
        await measured(kind, args)
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
