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
            if r["centroid_lat"] is None and polygon is None:
                continue
            lat = r["centroid_lat"] if r["centroid_lat"] is not None else polygon.centroid.y  # type: ignore[union-attr]
            lng = r["centroid_lng"] if r["centroid_lng"] is not None else polygon.centroid.x  # type: ignore[union-attr]
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
    with_polygon = [v for v in villages if v.polygon is not None]
    for village in with_polygon:
        if village.polygon.contains(point):  # type: ignore[union-attr]
            return village
    nearest = min(villages, key=lambda v: distance_m(lat, lng, v.lat, v.lng), default=None)
    if nearest is None:
        return None
    if with_polygon:
        # Degrees to metres at the equator's scale: plenty to tell a sliver from another city.
        gap_m = min(v.polygon.distance(point) for v in with_polygon) * 111_320  # type: ignore[union-attr]
        return nearest if gap_m <= SLIVER_M else None
    return nearest if distance_m(lat, lng, nearest.lat, nearest.lng) <= max_centroid_m else None


async def agency_for(category: Category, village: Village) -> int | None:
    """The category's agency serving the village's city, else the category's default agency."""
    extra_ids = await CategoryAgency.filter(category_id=category.id).values_list("agency_id", flat=True)
    if extra_ids:
        agencies = await Agency.filter(id__in=list(extra_ids)).select_related("area")
        ancestors = {int(part) for part in village.path.strip("/").split("/") if part}
        for agency in agencies:
            if agency.area is not None and agency.area.id in ancestors:
                return agency.id
    return category.agency_id  # type: ignore[attr-defined,no-any-return]
