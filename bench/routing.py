"""Routing a point at national scale (issue 17): 100,000 village polygons, about Indonesia's 83,000 desa and
kelurahan, routed in memory and through the database, and imported, each figure beside a baseline of the same run.

    .venv/bin/python bench/routing.py [--villages 100000] [--points 2000] [--scan-points 200]
                                      [--databases sqlite,postgres]

The villages are squares on a grid over Indonesia's extent (lng 95..141, lat -11..6; 400 x 250 cells for
100,000), each shrunk by a seeded random 0..1% of its cell so that slivers lie between neighbours, grouped 20 to
a kecamatan, 10 kecamatan to a city and 10 cities to a province (codes "11", "11.01", "11.01.01",
"11.01.01.1001"), as services.areas.AreaRow with GeoJSON Polygon boundaries and centroids.

Pure routing (no database): services.routing.VillageIndex built over the villages, then `pick` for --points
random points of the extent, beside a linear scan (every prepared polygon's `contains`, first hit, the design
the index replaces) over the first --scan-points of them; both must name the same village wherever both route.

Import, per database (a temporary SQLite file, a fresh PostgreSQL database), migrated: `upsert_areas` of every
row, then `routing.locate` cold (the cache loaded from the database) and warm (p50 of 1,000 points). Baseline:
a plain executemany of the same rows (code, name, level, centroid, boundary as JSON text; no parents, no paths)
into a scratch table shaped like `area` with a unique index on code, through the same Tortoise connection.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import statistics
import sys
import time
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime
from pathlib import Path

from shapely import Point, prepare
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cli.commands import migrate  # noqa: E402
from core.errors import BadInput  # noqa: E402
from core.settings import Settings  # noqa: E402
from models.config import tortoise_config  # noqa: E402
from models.enums import AreaLevel  # noqa: E402
from services import routing  # noqa: E402
from services.areas import AreaRow, upsert_areas  # noqa: E402
from services.routing import Village, VillageIndex  # noqa: E402
from testkit.databases import bench_database  # noqa: E402

WEST, EAST, SOUTH, NORTH = 95.0, 141.0, -11.0, 6.0
PER_DISTRICT, PER_CITY, PER_PROVINCE = 20, 10, 10
MAX_CENTROID_M = 5_000.0


# ---- the villages ---------------------------------------------------------------------------------------

def generate(count: int, seed: int = 17) -> tuple[list[AreaRow], tuple[float, float, float, float]]:
    """The area rows, parents first, and the extent (west, south, east, north) of the grid (its last line may be
    partly empty: points there are outside every village)."""
    rng = random.Random(seed)
    columns = max(1, round(math.sqrt(count * 400 / 250)))
    lines = math.ceil(count / columns)
    width, height = (EAST - WEST) / columns, (NORTH - SOUTH) / lines
    parents: list[AreaRow] = []
    villages: list[AreaRow] = []
    district = ""
    for number in range(count):
        d, c, p = number // PER_DISTRICT, number // (PER_DISTRICT * PER_CITY), \
            number // (PER_DISTRICT * PER_CITY * PER_PROVINCE)
        if number % PER_DISTRICT == 0:
            province = f"{11 + p}"
            city = f"{province}.{1 + c % PER_PROVINCE:02d}"
            district = f"{city}.{1 + d % PER_CITY:02d}"
            if number % (PER_DISTRICT * PER_CITY * PER_PROVINCE) == 0:
                parents.append(AreaRow(province, f"Provinsi {p + 1}", AreaLevel.PROVINCE, None))
            if number % (PER_DISTRICT * PER_CITY) == 0:
                parents.append(AreaRow(city, f"Kota {c + 1}", AreaLevel.CITY, province))
            parents.append(AreaRow(district, f"Kecamatan {d + 1}", AreaLevel.DISTRICT, city))
        row, column = divmod(number, columns)
        inset = rng.uniform(0, 0.01)
        x0, x1 = WEST + (column + inset) * width, WEST + (column + 1 - inset) * width
        y0, y1 = SOUTH + (row + inset) * height, SOUTH + (row + 1 - inset) * height
        ring = [[round(x, 6), round(y, 6)] for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
        villages.append(AreaRow(f"{district}.{1001 + number % PER_DISTRICT}", f"Desa {number + 1}", AreaLevel.VILLAGE,
                                district, (round((y0 + y1) / 2, 6), round((x0 + x1) / 2, 6)),
                                {"type": "Polygon", "coordinates": [ring]}))
    return parents + villages, (WEST, SOUTH, EAST, NORTH)


def points(count: int, extent: tuple[float, float, float, float], seed: int) -> list[tuple[float, float]]:
    """(lat, lng) pairs uniformly inside the extent."""
    rng = random.Random(seed)
    west, south, east, north = extent
    return [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(count)]


def ms(seconds: list[float]) -> tuple[float, float]:
    """p50 and mean, in ms."""
    return statistics.median(seconds) * 1000, statistics.fmean(seconds) * 1000


# ---- pure routing ---------------------------------------------------------------------------------------

def pure(rows: list[AreaRow], extent: tuple[float, float, float, float], count: int, scan: int) -> None:
    t0 = time.perf_counter()
    villages = [Village(number, f"/{number}/", None, r.centroid[0], r.centroid[1], shape(r.boundary))
                for number, r in enumerate(rows) if r.level == AreaLevel.VILLAGE and r.centroid and r.boundary]
    made = time.perf_counter() - t0
    t0 = time.perf_counter()
    index = VillageIndex(villages)
    built = time.perf_counter() - t0
    probes = points(count, extent, seed=3)
    picked, times = [], []
    for lat, lng in probes:
        t0 = time.perf_counter()
        picked.append(index.pick(lat, lng, MAX_CENTROID_M))
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for village in villages:
        if village.polygon is not None:
            prepare(village.polygon)
    prepared = time.perf_counter() - t0
    scanned, scan_times = [], []
    for lat, lng in probes[:scan]:
        t0 = time.perf_counter()
        point = Point(lng, lat)
        scanned.append(next((v for v in villages if v.polygon is not None and v.polygon.contains(point)), None))
        scan_times.append(time.perf_counter() - t0)
    both = [(a, b) for a, b in zip(picked, scanned, strict=False) if a is not None and b is not None]
    assert all(a.id == b.id for a, b in both), "the index and the linear scan disagree"
    routed = sum(v is not None for v in picked)
    in_polygon = sum(v is not None for v in scanned)
    index_p50, index_mean = ms(times)
    scan_p50, scan_mean = ms(scan_times)
    print(f"\nPure routing, {len(villages):,} villages (shapely objects made in {made:.1f} s):")
    print(f"   VillageIndex built in                      {built * 1000:9.0f} ms")
    print(f"   VillageIndex.pick, {len(probes):,} points:            {index_p50:9.4f} ms p50, {index_mean:.4f} mean "
          f"(target < 1 ms); {routed:,} routed")
    print(f"   baseline: linear scan, {len(scanned):,} points:         {scan_p50:9.2f} ms p50, {scan_mean:.2f} mean "
          f"({in_polygon} in a polygon; polygons prepared in {prepared:.1f} s first)")
    print(f"   -> the index is {scan_p50 / index_p50:,.0f}x faster (p50), {scan_mean / index_mean:,.0f}x (mean); "
          f"same village for all {len(both)} points both routed")


# ---- the databases --------------------------------------------------------------------------------------

def database(kind: str) -> AbstractAsyncContextManager[str]:
    return bench_database(kind, "warga_bench_routing")


async def baseline_insert(rows: list[AreaRow], postgres: bool) -> float:
    """Seconds of a plain executemany of the rows into a scratch table shaped like `area`."""
    from tortoise import connections

    conn = connections.get("default")
    await conn.execute_script("CREATE TABLE bench_area AS SELECT code, name, level, parent_id, path, centroid_lat, "
                              "centroid_lng, boundary FROM area WHERE 1 = 0; "
                              "CREATE UNIQUE INDEX bench_area_code ON bench_area (code)")
    marks = ", ".join(f"${n}" if postgres else "?" for n in range(1, 9))
    values = [[r.code, r.name, r.level.value, None, "", r.centroid[0] if r.centroid else None,
               r.centroid[1] if r.centroid else None, json.dumps(r.boundary) if r.boundary else None] for r in rows]
    t0 = time.perf_counter()
    await conn.execute_many(f"INSERT INTO bench_area (code, name, level, parent_id, path, centroid_lat, "
                            f"centroid_lng, boundary) VALUES ({marks})", values)
    return time.perf_counter() - t0


async def imported(kind: str, rows: list[AreaRow], extent: tuple[float, float, float, float]) -> None:
    from tortoise import Tortoise
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    from models import Area

    async with database(kind) as url:
        await migrate(Settings(database_url=url))
        await Tortoise.init(config=tortoise_config(url))
        try:
            t0 = time.perf_counter()
            created, updated = await upsert_areas(rows)
            took = time.perf_counter() - t0
            assert (created, updated) == (len(rows), 0), (created, updated)
            assert await Area.filter(path="").count() == 0, "areas left without a path"
            routing.invalidate()
            probes = points(1001, extent, seed=5)
            t0 = time.perf_counter()
            await routing.locate(*probes[0], MAX_CENTROID_M)
            cold = time.perf_counter() - t0
            times, outside = [], 0
            for lat, lng in probes[1:]:
                t0 = time.perf_counter()
                try:
                    await routing.locate(lat, lng, MAX_CENTROID_M)
                except BadInput:
                    outside += 1
                times.append(time.perf_counter() - t0)
            warm_p50, warm_mean = ms(times)
            plain = await baseline_insert(rows, kind == "postgres")
        finally:
            await Tortoise.close_connections()
            # Tortoise keeps each model's insert SQL per connection name across inits: drop it, lest the next
            # database get this one's placeholders ("?" sent to PostgreSQL).
            EXECUTOR_CACHE.clear()
    print(f"\n{'PostgreSQL' if kind == 'postgres' else 'SQLite'}: import of {len(rows):,} areas")
    print(f"   upsert_areas:                              {took:9.2f} s  ({len(rows) / took:,.0f} rows/s; "
          f"target < 60 s)")
    print(f"   baseline: plain executemany, same rows:    {plain:9.2f} s  -> upsert_areas is {took / plain:.1f}x")
    print(f"   locate, cold (loads the cache):            {cold * 1000:9.0f} ms")
    print(f"   locate, warm, {len(times):,} points:              {warm_p50:9.4f} ms p50, {warm_mean:.4f} mean "
          f"({outside} outside)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--scan-points", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    args = parser.parse_args()
    rows, extent = generate(args.villages)
    print(f"routing.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.villages:,} villages, {len(rows):,} areas in "
          f"all, extent lng {extent[0]:.1f}..{extent[2]:.1f}, lat {extent[1]:.1f}..{extent[3]:.1f}")
    pure(rows, extent, args.points, args.scan_points)
    for kind in filter(None, args.databases.split(",")):
        await imported(kind, rows, extent)


if __name__ == "__main__":
    asyncio.run(main())
