"""Routing: which kelurahan contains a point, and which agency owns a category there."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import shapely
from shapely import Point, STRtree
from shapely.geometry.base import BaseGeometry

from models import Agency, Category, CategoryAgency
from plumbing.columns import column
from plumbing.dialect import sql_rows
from services.geo import check_point, distance_m

# How often each process reloads its copy of the boundaries (app/duties.py): an import elsewhere shows up
# within this.
RELOAD_SECONDS = 60.0
# A point in no polygon but this close to one is in a sliver between kelurahan, not outside the city.
SLIVER_M = 300.0


@dataclass(frozen=True)
class Village:
    id: int
    path: str
    city_id: int | None
    lat: float
    lng: float
    polygon: BaseGeometry | None


class VillageIndex:
    """The kelurahan, indexed by shapely's STRtree (bounding boxes in a tree): routing a point tests the few
    polygons whose box holds it, not all of them (a country has about 83,000)."""

    def __init__(self, villages: Sequence[Village]) -> None:
        self.villages = list(villages)
        self._bounded = [(v, v.polygon) for v in self.villages if v.polygon is not None]
        self._polygons = STRtree([polygon for _, polygon in self._bounded])
        self._centroids = STRtree(shapely.points([v.lng for v in self.villages], [v.lat for v in self.villages]))

    def pick(self, lat: float, lng: float, max_centroid_m: float) -> Village | None:
        """The polygon that contains the point; else the nearest centroid, if the point is in the city.

        In the city means: within SLIVER_M of some boundary where boundaries are known (the gaps
        between separately simplified polygons), within max_centroid_m of a centroid where not.
        The nearest centroid is the nearest in degrees: at Indonesia's latitudes (|lat| < 11°) a degree of
        longitude is 98-100 % of one of latitude, so only near-ties could differ from metres.
        """
        point = Point(lng, lat)
        inside = self._polygons.query(point, predicate="within")
        if len(inside):
            return self._bounded[int(min(inside))][0]  # overlapping polygons: the first listed
        if not self.villages:
            return None
        nearest = self.villages[int(self._centroids.nearest(point))]
        if self._bounded:
            closest = self._bounded[int(self._polygons.nearest(point))][1]
            # Degrees to metres at the equator's scale: plenty to tell a sliver from another city.
            return nearest if closest.distance(point) * 111_320 <= SLIVER_M else None
        return nearest if distance_m(lat, lng, nearest.lat, nearest.lng) <= max_centroid_m else None


_cache: VillageIndex | None = None


def invalidate() -> None:
    global _cache
    _cache = None


async def reload() -> int:
    """The duty that keeps a process's copy current (an import in another process shows up within a
    period); requests never wait for a reload, which takes a second or two with a country loaded."""
    global _cache
    _cache = await _load()
    return 0  # nothing to log each time


async def _load() -> VillageIndex:
    """Every kelurahan with its boundary. The GeoJSON is read as text and parsed by shapely in one vectorised
    call: decoding 100,000 boundaries into Python dicts first, then shapes one by one, took 6 s, not 1."""
    rows = await sql_rows(
        # A kelurahan's city is its kecamatan's parent (or, in a flatter tree, its own parent).
        "SELECT v.id, v.path, v.centroid_lat, v.centroid_lng, CAST(v.boundary AS TEXT) AS boundary, "
        "COALESCE(c1.id, c2.id) AS city_id FROM area v LEFT JOIN area d ON d.id = v.parent_id "
        "LEFT JOIN city c1 ON c1.area_id = v.parent_id LEFT JOIN city c2 ON c2.area_id = d.parent_id "
        "WHERE v.level = 'VILLAGE'", [])
    shapes = shapely.from_geojson([r["boundary"] for r in rows if r["boundary"] is not None])
    polygons = iter(shapes.tolist())
    villages = []
    for r in rows:
        polygon = next(polygons) if r["boundary"] is not None else None
        lat, lng = r["centroid_lat"], r["centroid_lng"]
        if lat is None or lng is None:
            if polygon is None:
                continue  # nowhere to route to
            lat, lng = polygon.centroid.y, polygon.centroid.x
        villages.append(Village(r["id"], r["path"], r["city_id"], lat, lng, polygon))
    return VillageIndex(villages)


async def _villages() -> VillageIndex:
    global _cache
    if _cache is None:  # the first request of the process, or the first after an import here
        _cache = await _load()
    return _cache


async def locate(lat: float, lng: float, max_centroid_m: float) -> Village | None:
    """The kelurahan of a (valid) point, or None when it lies in none that Warga knows."""
    check_point(lat, lng)
    return (await _villages()).pick(lat, lng, max_centroid_m)


async def agency_for(category: Category, path: str) -> int | None:
    """Who answers for a report of this category at the area with this path: the category's further agency
    serving there (a suku dinas of the city), else its default agency if that one serves there. An agency
    serves inside its area (anywhere when it has none), so one city's agencies never get another's reports."""
    ids = [*await column(CategoryAgency.filter(category_id=category.id), "agency_id", int), category.agency_id]
    agencies = {a.id: a for a in await Agency.filter(id__in=[i for i in ids if i is not None]).select_related("area")}
    for agency_id in ids:
        agency = agencies.get(agency_id) if agency_id is not None else None
        if agency is not None and (agency.area is None or path.startswith(agency.area.path)):
            return agency.id
    return None
