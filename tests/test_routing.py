"""Routing with the real boundaries of Jakarta Timur's 65 kelurahan, and without them."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest
from shapely.geometry import Polygon, shape
from shapely.ops import unary_union

from core.errors import BadInput
from models import Agency, Area, Category
from services import geo, routing
from services.areas import rows_from_geojson, upsert_areas
from services.routing import Village, pick_village
from testkit.client import Api
from testkit.paths import GEOJSON, ROOT

BANDUNG = (-6.9175, 107.6191)


def features() -> list[dict]:
    return json.loads(GEOJSON.read_text())["features"]


def test_centroids_only_nearest_within_5_km() -> None:
    villages = [Village(1, "/1/", -6.20, 106.86, None), Village(2, "/2/", -6.25, 106.90, None)]
    assert pick_village(villages, -6.205, 106.865, 5000).id == 1  # type: ignore[union-attr]
    assert pick_village(villages, -6.26, 106.91, 5000).id == 2  # type: ignore[union-attr]
    assert pick_village(villages, *BANDUNG, 5000) is None
    assert pick_village([], -6.2, 106.86, 5000) is None


async def test_import_areas_then_route_every_kelurahan(api: Api) -> None:
    env = {**os.environ, "WARGA_DATABASE_URL": api.server.settings.database_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", "import-areas", str(GEOJSON), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "0 areas created, 65 updated" in out.decode()  # matched on the Kemendagri codes
    routing.invalidate()
    village = await Area.get(code="31.75.01.1001").prefetch_related("parent")
    assert village.boundary is not None and village.parent.code == "31.75.01"  # the parent was kept
    for feature in features():
        inside = shape(feature["geometry"]).representative_point()
        found = await routing.locate(inside.y, inside.x, 5000)
        area = await Area.get(id=found.id)
        assert area.code == feature["properties"]["code"], feature["properties"]["name"]
    with pytest.raises(BadInput):
        await routing.locate(*BANDUNG, 5000)


@pytest.fixture
async def boundaries(api: Api) -> None:
    await upsert_areas(rows_from_geojson(json.loads(GEOJSON.read_text())))


async def test_sliver_between_kelurahan_goes_to_nearest_centroid(boundaries: None) -> None:
    polygons = [shape(f["geometry"]) for f in features()]
    city = unary_union(polygons)
    # The holes of the union are the slivers that separately simplified polygons leave between them.
    assert len(city.interiors) > 100
    sliver = Polygon(city.interiors[0]).representative_point()
    assert not any(p.contains(sliver) for p in polygons)
    routing.invalidate()
    found = await routing.locate(sliver.y, sliver.x, 5000)
    villages = await Area.filter(level="VILLAGE").values("id", "centroid_lat", "centroid_lng")
    nearest = min(villages, key=lambda v: geo.distance_m(sliver.y, sliver.x, v["centroid_lat"], v["centroid_lng"]))
    assert found.id == nearest["id"]


async def test_category_goes_to_the_suku_dinas_of_the_city(api: Api) -> None:
    road = await Category.get(code="JALAN_RUSAK")
    village = await routing.locate(-6.2117, 106.8690, 5000)
    agency = await Agency.get(id=await routing.agency_for(road, village))
    assert agency.code == "SUDIN_BM_JT"
    flood = await Category.get(code="BANJIR")
    assert (await Agency.get(id=await routing.agency_for(flood, village))).code == "SDA"
