"""The city's assets: importing them from GIS files, finding them near a point or in a box. (Their readings and
live state: services/readings.py; the flood picture: services/flood.py.)"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shapely.geometry import Point, shape
from shapely.ops import nearest_points
from tortoise.expressions import RawSQL
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from core import clock
from core.errors import BadInput, NotFound
from models import Agency, Area, Asset, Category, Report
from models.enums import GAUGES, OPEN_STATUSES, AssetKind, AssetStatus
from services import routing
from services.feed import BBox
from services.geo import EARTH_RADIUS_M, check_point, distance_m

METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180
# Lines and polygons are near where any part of them is: found by their box, measured to their nearest point.
SHAPED = (AssetKind.DRAIN, AssetKind.RIVER_BASIN)
CELL = 0.001  # degrees: the grid of Asset.cell, about 110 m at Indonesia's latitudes
MAX_RADIUS_M = 1000
MAX_NEARBY = 20
MAX_IN_BOX = 5000
BATCH = 10_000  # a map at city zoom asks for a box; more than this is for a tile layer, not a list
ATTACH_M = 250.0  # a report's asset lies within this of the report
THRESHOLDS = ("siaga3_cm", "siaga2_cm", "siaga1_cm")


def cell_of(lat: float, lng: float) -> int:
    return (math.floor(lat / CELL) + 90_000) * 400_000 + (math.floor(lng / CELL) + 180_000)


def _reach(lat: float, radius_m: float) -> tuple[float, float]:
    """The radius in degrees of latitude and of longitude, by the haversine's own metres per degree (so that the
    box covers all that distance_m counts as inside), with a margin over rounding at the edges."""
    reach = radius_m * 1.01 + 1
    return reach / METRES_PER_DEGREE, reach / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))


def cells_around(lat: float, lng: float, radius_m: float) -> list[int]:
    """Every cell a circle of the radius touches (a square of cells around the point's)."""
    dlat, dlng = _reach(lat, radius_m)
    rows = range(math.floor((lat - dlat) / CELL), math.floor((lat + dlat) / CELL) + 1)
    columns = range(math.floor((lng - dlng) / CELL), math.floor((lng + dlng) / CELL) + 1)
    return [(row + 90_000) * 400_000 + column + 180_000 for row in rows for column in columns]


@dataclass(frozen=True)
class AssetRow:
    """One feature of an import file, checked."""

    code: str
    name: str
    kind: AssetKind
    geometry: dict[str, Any]
    agency_code: str | None
    thresholds: tuple[int | None, int | None, int | None]
    pumps_total: int | None
    expected_reading_minutes: int | None


def _whole(props: dict[str, Any], key: str, where: str) -> int | None:
    value = props.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadInput(f"{where}: {key} is a whole number of at least 0.")
    return value


def _row(number: int, feature: dict[str, Any]) -> AssetRow:
    props = feature.get("properties") or {}
    where = f"Feature {number} ({props.get('code', 'no code')})"
    if not isinstance(props.get("code"), str) or not isinstance(props.get("name"), str):
        raise BadInput(f"{where} lacks the properties code and name.")
    try:
        kind = AssetKind(str(props.get("kind")))
    except ValueError as exc:
        raise BadInput(f"{where}: kind is one of {', '.join(AssetKind)}.") from exc
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict):
        raise BadInput(f"{where}: the geometry is missing.")
    try:
        shaped = shape(geometry)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BadInput(f"{where}: the geometry is not valid GeoJSON ({exc}).") from exc
    if shaped.is_empty or not shaped.is_valid:
        raise BadInput(f"{where}: the geometry is missing or invalid.")
    if (kind == AssetKind.RIVER_BASIN) != (shaped.geom_type in ("Polygon", "MultiPolygon")):
        raise BadInput(f"{where}: a river basin is a polygon, and only a river basin is.")
    low, middle, high = (_whole(props, key, where) for key in THRESHOLDS)
    if kind in GAUGES and (low is None or middle is None or high is None or not low < middle < high):
        raise BadInput(f"{where}: a gauge needs siaga3_cm < siaga2_cm < siaga1_cm.")
    pumps = _whole(props, "pumps_total", where)
    if kind == AssetKind.PUMP_STATION and not pumps:
        raise BadInput(f"{where}: a pump station needs pumps_total (at least 1).")
    agency = props.get("agency_code")
    return AssetRow(props["code"].strip(), props["name"].strip(), kind, geometry, str(agency) if agency else None,
                    (low, middle, high), pumps,
                    _whole(props, "expected_reading_minutes", where))


def rows_from_geojson(collection: object) -> list[AssetRow]:
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise BadInput("Expected a GeoJSON FeatureCollection.")
    rows = [_row(number, feature) for number, feature in enumerate(collection.get("features") or [], start=1)]
    codes = [row.code for row in rows]
    if len(set(codes)) != len(codes):
        raise BadInput("Each asset's code appears once in a file.")
    return rows


async def upsert_assets(rows: list[AssetRow], max_centroid_m: float) -> tuple[int, int]:
    """Create or update assets by code, in one transaction; returns (created, updated). An asset's kelurahan is
    the one at its point; its readings and state stay when it is updated."""
    agencies = {a.code: a.id for a in await Agency.filter(code__in={r.agency_code for r in rows if r.agency_code})}
    if missing := sorted({r.agency_code for r in rows if r.agency_code and r.agency_code not in agencies}):
        raise BadInput(f"Unknown agency codes: {', '.join(missing)}.")
    created = updated = 0
    async with in_transaction():
        codes = [r.code for r in rows]
        known = {a.code: a for low in range(0, len(codes), BATCH)  # asyncpg takes 32,767 parameters at most
                 for a in await Asset.filter(code__in=codes[low:low + BATCH])}
        for row in rows:
            shaped = shape(row.geometry)
            point = shaped if shaped.geom_type == "Point" else shaped.representative_point()
            west, south, east, north = shaped.bounds
            village = await routing.locate(point.y, point.x, max_centroid_m)
            fields = {
                "name": row.name, "kind": row.kind, "geometry": row.geometry, "lat": point.y, "lng": point.x,
                "south": south, "west": west, "north": north, "east": east, "cell": cell_of(point.y, point.x),
                "area_id": village.id if village else None, "area_path": village.path if village else "",
                "agency_id": agencies[row.agency_code] if row.agency_code else None,
                "siaga3_cm": row.thresholds[0], "siaga2_cm": row.thresholds[1], "siaga1_cm": row.thresholds[2],
                "pumps_total": row.pumps_total, "expected_reading_minutes": row.expected_reading_minutes,
            }
            asset = known.get(row.code)
            if asset is None:
                asset = await Asset.create(code=row.code, **fields)
                created += 1
            else:
                await asset.update_from_dict(fields).save()
                updated += 1
            await Asset.filter(id=asset.id).update(silent_at=silent_at(asset))
    return created, updated


def silent_at(asset: Asset) -> datetime | None:
    """When the asset goes OFFLINE unless a reading comes: its expected interval after the last one (or after
    now, for an asset that has not reported yet)."""
    if asset.expected_reading_minutes is None:
        return None
    since = asset.last_reading_at or clock.now()
    return since + timedelta(minutes=asset.expected_reading_minutes)


async def nearby(lat: float, lng: float, radius_m: int, kinds: list[AssetKind] | None) -> list[Asset]:
    """Assets within the radius, nearest first: the cells around the point through their index, then the
    exact distance."""
    check_point(lat, lng)
    if not 1 <= radius_m <= MAX_RADIUS_M:
        raise BadInput(f"The radius is 1 to {MAX_RADIUS_M} metres.")
    wanted = set(kinds or AssetKind)
    dlat, dlng = _reach(lat, radius_m)
    found: list[Asset] = []
    if points := [k for k in wanted if k not in SHAPED]:
        # The cells through their index, cut to the circle's box (the 3 x 3 cells hold about four times as much).
        found += await Asset.filter(cell__in=cells_around(lat, lng, radius_m), kind__in=points, lat__gte=lat - dlat,
                                    lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng)
    if shaped := [k for k in wanted if k in SHAPED]:
        found += await Asset.filter(kind__in=shaped, south__lte=lat + dlat, north__gte=lat - dlat,
                                    west__lte=lng + dlng, east__gte=lng - dlng)
    near = [(distance_to(a, lat, lng), a) for a in found]
    near = sorted((pair for pair in near if pair[0] <= radius_m), key=lambda pair: pair[0])
    return [asset for _, asset in near[:MAX_NEARBY]]


async def listed(kinds: list[AssetKind] | None, box: BBox | None, area_id: int | None,
                 statuses: list[AssetStatus] | None) -> list[Asset]:
    """Assets whose shape meets the box (a basin reaches into a map it does not start in), by code: points through
    the (lat, lng) index, lines and basins (few) by their own box."""
    query = Asset.all()
    if statuses:
        query = query.filter(status__in=statuses)
    if area_id is not None:
        query = query.filter(area_path__startswith=(await area_of(area_id)).path)
    wanted = set(kinds or AssetKind)
    points, shaped = [k for k in wanted if k not in SHAPED], [k for k in wanted if k in SHAPED]
    if box is None:
        return await query.filter(kind__in=[*points, *shaped]).order_by("code").limit(MAX_IN_BOX)
    found = []
    if points:
        # The kind as an expression, not the column: with a kind IN (...) beside the ranges SQLite, which has no
        # statistics, would read the kind's index instead of the box's (bench/assets.py).
        found += await query.filter(box.q()).annotate(kind_text=RawSQL("kind || ''")).filter(
            kind_text__in=[k.value for k in points]).order_by("code").limit(MAX_IN_BOX)
    if shaped:
        meets = query.filter(kind__in=shaped, south__lte=box.north, north__gte=box.south)
        if box.west <= box.east:
            meets = meets.filter(west__lte=box.east, east__gte=box.west)
        found += await meets.order_by("code").limit(MAX_IN_BOX)
    return sorted(found, key=lambda a: a.code)[:MAX_IN_BOX]


async def area_of(area_id: int) -> Area:
    area = await Area.get_or_none(id=area_id)
    if area is None:
        raise NotFound("No such area.")
    return area


async def get(asset_id: int) -> Asset:
    asset = await Asset.get_or_none(id=asset_id)
    if asset is None:
        raise NotFound("No such asset.")
    return asset


def distance_to(asset: Asset, lat: float, lng: float) -> float:
    """Metres to the asset itself: to a point, or to the nearest part of a line or polygon (0 inside one)."""
    if asset.geometry.get("type") == "Point":
        return distance_m(lat, lng, asset.lat, asset.lng)
    here = Point(lng, lat)
    nearest = nearest_points(shape(asset.geometry), here)[0]
    return distance_m(lat, lng, nearest.y, nearest.x)


async def for_report(asset_id: int | None, category: Category, lat: float, lng: float) -> Asset | None:
    """The asset a new report points at: one of the kinds its category is about (any but a basin, where the
    category names none), lying within ATTACH_M of the report."""
    if asset_id is None:
        return None
    asset = await Asset.get_or_none(id=asset_id)
    if asset is None:
        raise BadInput("Unknown asset.")
    if asset.kind not in (category.asset_kinds or [k.value for k in AssetKind if k != AssetKind.RIVER_BASIN]):
        raise BadInput(f"A report of {category.name} is not about a {asset.kind.value} asset.")
    if distance_to(asset, lat, lng) > ATTACH_M:
        raise BadInput(f"That asset lies more than {ATTACH_M:.0f} m from the report's location.")
    return asset


async def basin_at(lat: float, lng: float) -> Asset | None:
    """The river basin whose polygon contains the point: the few whose box holds it, then the polygon."""
    boxes = Asset.filter(kind=AssetKind.RIVER_BASIN, south__lte=lat, north__gte=lat, west__lte=lng, east__gte=lng)
    for basin in await boxes.order_by("code"):
        if shape(basin.geometry).covers(shape({"type": "Point", "coordinates": [lng, lat]})):
            return basin
    return None


async def open_report_counts(asset_ids: list[int]) -> dict[int, int]:
    rows = await Report.filter(asset_id__in=asset_ids, status__in=list(OPEN_STATUSES), hidden=False).group_by(
        "asset_id").annotate(n=Count("id")).values_list("asset_id", "n")
    return {int(asset_id): int(n) for asset_id, n in rows}
