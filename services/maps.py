"""The map: reports near a point, and reports grouped into grid cells by the database."""

from __future__ import annotations

import math
from dataclasses import dataclass

from tortoise.expressions import RawSQL
from tortoise.functions import Avg, Count, Min

from core.errors import BadInput
from models import Account, Category, Report
from models.enums import OPEN_STATUSES
from plumbing.dialect import floor_sql
from services.feed import BBox, FeedFilter, feed_query
from services.geo import check_point, distance_m

MAX_RADIUS_M = 5000
MAX_NEARBY = 50
METRES_PER_DEGREE = 111_320.0


async def nearby(
    viewer: Account | None, lat: float, lng: float, radius_m: int, category_code: str | None
) -> list[Report]:
    """Open reports within the radius, nearest first: the "is this already reported?" screen."""
    check_point(lat, lng)
    if not 1 <= radius_m <= MAX_RADIUS_M:
        raise BadInput(f"The radius is 1 to {MAX_RADIUS_M} metres.")
    dlat = radius_m / METRES_PER_DEGREE
    dlng = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    # The box is an indexed range scan; the exact circle is cut from its few candidates.
    box = BBox(south=lat - dlat, west=lng - dlng, north=lat + dlat, east=lng + dlng)
    query = (await feed_query(FeedFilter(bbox=box), viewer)).filter(status__in=list(OPEN_STATUSES))
    if category_code is not None:
        if not await Category.exists(code=category_code):
            raise BadInput(f"Unknown category {category_code!r}.")
        query = query.filter(category__code=category_code)  # the national one or a city's own of that code
    candidates = await query.order_by("-created_at").limit(1000)
    near = [(distance_m(lat, lng, r.lat, r.lng), r) for r in candidates]
    near = [pair for pair in near if pair[0] <= radius_m]
    near.sort(key=lambda pair: pair[0])
    return [report for _, report in near[:MAX_NEARBY]]


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


@dataclass(frozen=True)
class Cluster:
    center: Point
    count: int
    report_id: int | None  # set when the cluster holds one report


def cell_degrees(zoom: int) -> float:
    """About 64 screen pixels of a 256-pixel Web Mercator tile at this zoom."""
    return 360.0 / 2.0**zoom / 4


async def clusters(viewer: Account | None, bbox: BBox, zoom: int, f: FeedFilter | None) -> list[Cluster]:
    if not 0 <= zoom <= 22:
        raise BadInput("zoom is 0 to 22.")
    for value in (bbox.south, bbox.west, bbox.north, bbox.east):
        if not math.isfinite(value):
            raise BadInput("bbox must be finite numbers.")
    cell = cell_degrees(zoom)
    merged = FeedFilter(**{**(f.__dict__ if f else {}), "bbox": bbox})
    # Numbers formatted by Python (floats only) are safe to place in the SQL text.
    rows = (
        await (await feed_query(merged, viewer))
        .annotate(
            cell_y=RawSQL(floor_sql(f'("lat" - {bbox.south!r}) / {cell!r}')),
            cell_x=RawSQL(floor_sql(f'("lng" - {bbox.west!r}) / {cell!r}')),
        )
        .annotate(n=Count("id"), mean_lat=Avg("lat"), mean_lng=Avg("lng"), any_id=Min("id"))
        .group_by("cell_y", "cell_x")
        .values("cell_y", "cell_x", "n", "mean_lat", "mean_lng", "any_id")
    )
    return [
        Cluster(Point(float(r["mean_lat"]), float(r["mean_lng"])), int(r["n"]), r["any_id"] if r["n"] == 1 else None)
        for r in rows
    ]
