"""Routing: which kelurahan contains a point, and which agency owns a category there."""

from __future__ import annotations

import time
from dataclasses import dataclass

from shapely import Point, prepare
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from core.errors import BadInput
from models import Agency, Area, Category, CategoryAgency
from models.enums import AreaLevel
from plumbing.columns import column
from services.geo import check_point, distance_m

# How long a process trusts its copy of the boundaries (an import elsewhere shows up after this).
CACHE_SECONDS = 60.0
# A point in no polygon but this close to one is in a sliver between kelurahan, not outside the city.
SLIVER_M = 300.0


@dataclass(frozen=True)
class Village:
    id: int
    path: str
    lat: float
    lng: float
    polygon: BaseGeometry | None


_cache: tuple[float, list[Village]] | None = None


def invalidate() -> None:
    global _cache
    _cache = None


async def _villages() -> list[Village]:
    global _cache
    if _cache is None or time.monotonic() - _cache[0] > CACHE_SECONDS:
        rows = await Area.filter(level=AreaLevel.VILLAGE).values(
            "id", "path", "centroid_lat", "centroid_lng", "boundary"
        )
        villages = []
        for r in rows:
            polygon = shape(r["boundary"]) if r["boundary"] else None
            if polygon is not None:
                prepare(polygon)
            lat, lng = r["centroid_lat"], r["centroid_lng"]
            if lat is None or lng is None:
                if polygon is None:
                    continue
                lat = polygon.centroid.y if lat is None else lat
                lng = polygon.centroid.x if lng is None else lng
            villages.append(Village(r["id"], r["path"], lat, lng, polygon))
        _cache = (time.monotonic(), villages)
    return _cache[1]


async def locate(lat: float, lng: float, max_centroid_m: float) -> Village:
    """The kelurahan of a point; BAD_USER_INPUT when the point is outside every one."""
    check_point(lat, lng)
    village = pick_village(await _villages(), lat, lng, max_centroid_m)
    if village is None:
        raise BadInput("That location is outside every kelurahan that Warga serves.")
    return village


def pick_village(villages: list[Village], lat: float, lng: float, max_centroid_m: float) -> Village | None:
    """The polygon that contains the point; else the nearest centroid, if the point is in the city.

    In the city means: within SLIVER_M of some boundary where boundaries are known (the gaps
    between separately simplified polygons), within max_centroid_m of a centroid where not.
    """
    point = Point(lng, lat)
    with_polygon = [(v, v.polygon) for v in villages if v.polygon is not None]
    for village, polygon in with_polygon:
        if polygon.contains(point):
            return village
    nearest = min(villages, key=lambda v: distance_m(lat, lng, v.lat, v.lng), default=None)
    if nearest is None:
        return None
    if with_polygon:
        # Degrees to metres at the equator's scale: plenty to tell a sliver from another city.
        gap_m = min(polygon.distance(point) for _, polygon in with_polygon) * 111_320
        return nearest if gap_m <= SLIVER_M else None
    return nearest if distance_m(lat, lng, nearest.lat, nearest.lng) <= max_centroid_m else None


async def agency_for(category: Category, village: Village) -> int | None:
    """The category's agency serving the village's city, else the category's default agency."""
    extra_ids = await column(CategoryAgency.filter(category_id=category.id), "agency_id", int)
    if extra_ids:
        agencies = await Agency.filter(id__in=extra_ids).select_related("area")
        ancestors = {int(part) for part in village.path.strip("/").split("/") if part}
        for agency in agencies:
            if agency.area is not None and agency.area.id in ancestors:
                return agency.id
    return category.agency_id
