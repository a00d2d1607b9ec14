"""The area tree: kelurahan inside kecamatan inside the city, loaded from GIS files."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from shapely.geometry import shape
from tortoise.transactions import in_transaction

from core.errors import BadInput
from models import Area
from models.enums import AreaLevel
from services import cities, routing


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    centroid: tuple[float, float] | None = None
    boundary: dict[str, Any] | None = None


BATCH = 1000  # rows a bulk statement carries (SQLite allows 32,766 parameters)


def _parents_first(rows: list[AreaRow], known: dict[str, Area]) -> list[list[AreaRow]]:
    """The rows in generations: each one's parent is known already or in an earlier generation (a tree is a
    handful of levels deep, so a handful of passes)."""
    pending = {row.code: row for row in rows}
    placed = set(known) - set(pending)
    generations = []
    while pending:
        generation = [r for r in pending.values() if r.parent_code is None or r.parent_code in placed]
        if not generation:
            missing = sorted({r.parent_code for r in pending.values()
                              if r.parent_code and r.parent_code not in known and r.parent_code not in pending})
            raise BadInput(f"Unknown parent codes: {', '.join(missing) or 'a cycle of parents'}")
        for row in generation:
            del pending[row.code]
        placed.update(row.code for row in generation)
        generations.append(generation)
    return generations


async def upsert_areas(rows: list[AreaRow]) -> tuple[int, int]:
    """Create or update areas by code, parents first, in bulk statements; returns (created, updated)."""
    created = updated = 0
    async with in_transaction():
        known = {a.code: a for a in await Area.all()}
        for generation in _parents_first(rows, known):
            fresh, changed = [], []
            for row in generation:
                area = known.get(row.code)
                if area is None:
                    area = Area(code=row.code, path="")
                    fresh.append(area)
                else:
                    changed.append(area)
                area.name, area.level = row.name, row.level
                if row.parent_code is not None:
                    area.parent_id = known[row.parent_code].id
                if row.centroid is not None:
                    area.centroid_lat, area.centroid_lng = row.centroid
                if row.boundary is not None:
                    area.boundary = row.boundary
            await Area.bulk_create(fresh, batch_size=BATCH)
            for low in range(0, len(fresh), BATCH):  # bulk inserts do not hand their ids back on every database
                batch = fresh[low:low + BATCH]
                ids = dict(await Area.filter(code__in=[a.code for a in batch]).values_list("code", "id"))
                for area in batch:
                    area.id = ids[area.code]
            if changed:
                fields = ["name", "level", "parent_id", "centroid_lat", "centroid_lng", "boundary"]
                await Area.bulk_update(changed, fields=fields, batch_size=BATCH)
            known.update((a.code, a) for a in fresh)
            created, updated = created + len(fresh), updated + len(changed)
        await _rebuild_paths(known)
        await cities.ensure_cities(list(known.values()))
    routing.invalidate()
    return created, updated


async def _rebuild_paths(areas: dict[str, Area]) -> None:
    """Each area's materialised path ("/1/4/27/") from its parent's, written where it changed."""
    by_id = {a.id: a for a in areas.values()}
    paths: dict[int, str] = {}

    def path_of(area: Area) -> str:
        chain = [area]
        while chain[-1].parent_id is not None and chain[-1].parent_id not in paths:
            chain.append(by_id[chain[-1].parent_id])
        for link in reversed(chain):
            parent_path = paths[link.parent_id] if link.parent_id is not None else "/"
            paths[link.id] = f"{parent_path}{link.id}/"
        return paths[area.id]

    stale = []
    for area in by_id.values():
        path = path_of(area)
        if area.path != path:
            area.path = path
            stale.append(area)
    if stale:
        await Area.bulk_update(stale, fields=["path"], batch_size=BATCH)


def rows_from_geojson(collection: dict[str, Any]) -> list[AreaRow]:
    if collection.get("type") != "FeatureCollection":
        raise BadInput("Expected a GeoJSON FeatureCollection.")
    rows = []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not props.get("code") or not props.get("name"):
            raise BadInput(f"Feature {number} lacks the properties code and name.")
        try:
            level = AreaLevel(props.get("level") or AreaLevel.VILLAGE)
        except ValueError as exc:
            raise BadInput(f"Feature {number} ({props['code']}) has an unknown level.") from exc
        row = AreaRow(str(props["code"]), str(props["name"]), level, props.get("parent_code"))
        if geometry is None and level != AreaLevel.VILLAGE:  # a province or city listed for its place in the tree
            rows.append(row)
            continue
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BadInput(f"Feature {number} ({props['code']}) is not a Polygon or MultiPolygon.")
        try:
            polygon = shape(geometry)
        except (ValueError, TypeError, KeyError) as exc:
            raise BadInput(f"Feature {number} ({props['code']}) is not valid: {exc}") from exc
        if not polygon.is_valid or polygon.is_empty:
            raise BadInput(f"Feature {number} ({props['code']}) has an invalid geometry.")
        centre = polygon.centroid
        rows.append(replace(row, centroid=(round(centre.y, 6), round(centre.x, 6)), boundary=geometry))
    return rows
