"""The area tree: kelurahan inside kecamatan inside the city, loaded from GIS files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry import shape
from tortoise.transactions import in_transaction

from core.errors import BadInput
from models import Area
from models.enums import AreaLevel
from services import routing


@dataclass(frozen=True)
class AreaRow:
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    centroid: tuple[float, float] | None = None
    boundary: dict[str, Any] | None = None


async def upsert_areas(rows: list[AreaRow]) -> tuple[int, int]:
    """Create or update areas by code, parents first; returns (created, updated)."""
    created = updated = 0
    async with in_transaction():
        known = {a.code: a for a in await Area.all()}
        pending = list(rows)
        while pending:
            ready = [r for r in pending if r.parent_code is None or r.parent_code in known]
            if not ready:
                missing = sorted({r.parent_code for r in pending if r.parent_code})
                raise BadInput(f"Unknown parent codes: {', '.join(missing)}")
            for row in ready:
                area = known.get(row.code)
                parent = known.get(row.parent_code) if row.parent_code else None
                if area is None:
                    area = Area(code=row.code, path="")
                    created += 1
                else:
                    updated += 1
                area.name = row.name
                area.level = row.level
                if parent is not None:
                    area.parent = parent
                elif area.parent_id is None:
                    area.parent = None
                if row.centroid is not None:
                    area.centroid_lat, area.centroid_lng = row.centroid
                if row.boundary is not None:
                    area.boundary = row.boundary
                await area.save()
                known[row.code] = area
            pending = [r for r in pending if r not in ready]
        await _rebuild_paths(known)
    routing.invalidate()
    return created, updated


async def _rebuild_paths(areas: dict[str, Area]) -> None:
    by_id = {a.id: a for a in areas.values()}

    def path_of(area: Area) -> str:
        parent_id = area.parent_id
        prefix = path_of(by_id[parent_id]) if parent_id else "/"
        return f"{prefix}{area.id}/"

    for area in by_id.values():
        path = path_of(area)
        if area.path != path:
            area.path = path
            await area.save(update_fields=["path"])


def rows_from_geojson(collection: dict[str, Any]) -> list[AreaRow]:
    if collection.get("type") != "FeatureCollection":
        raise BadInput("Expected a GeoJSON FeatureCollection.")
    rows = []
    for number, feature in enumerate(collection.get("features") or [], start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry")
        if not props.get("code") or not props.get("name"):
            raise BadInput(f"Feature {number} lacks the properties code and name.")
        if not geometry or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise BadInput(f"Feature {number} ({props['code']}) is not a Polygon or MultiPolygon.")
        try:
            level = AreaLevel(props.get("level") or AreaLevel.VILLAGE)
            polygon = shape(geometry)
        except (ValueError, TypeError, KeyError) as exc:
            raise BadInput(f"Feature {number} ({props['code']}) is not valid: {exc}") from exc
        if not polygon.is_valid or polygon.is_empty:
            raise BadInput(f"Feature {number} ({props['code']}) has an invalid geometry.")
        centre = polygon.centroid
        rows.append(
            AreaRow(
                code=str(props["code"]),
                name=str(props["name"]),
                level=level,
                parent_code=props.get("parent_code"),
                centroid=(round(centre.y, 6), round(centre.x, 6)),
                boundary=geometry,
            )
        )
    return rows
