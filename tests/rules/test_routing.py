"""Routing (services/routing.py) by README's rule: the kelurahan whose boundary contains the point; in none of
them but within 300 m of one (a sliver between separately simplified polygons, or just past the city's
edge), the nearest centroid; without boundaries, the nearest centroid within 5 km; else outside the city.
And the agency: the category's suku dinas serving the point's city, else its default agency.

The database holds Jakarta Timur's 65 real kelurahan polygons (seed_catalog loads them).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from shapely import Point
from shapely.geometry import Polygon, box, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from core.errors import BadInput
from core.settings import Settings
from models import Agency, Area, Category
from models.enums import AreaLevel
from services import geo, routing
from services.routing import SLIVER_M, Village, VillageIndex
from testkit import rows
from testkit.paths import GEOJSON

METRE = 1 / 111_320  # in degrees, near the equator (routing measures polygon gaps the same way)
MAX_CENTROID_M = 5000.0
BANDUNG = (-6.9175, 107.6191)


@cache
def features() -> list[dict[str, Any]]:
    return list(json.loads(GEOJSON.read_text())["features"])


@cache
def city() -> BaseGeometry:
    return unary_union([shape(f["geometry"]) for f in features()])


@pytest.fixture(autouse=True)
def fresh_boundaries() -> Iterator[None]:
    routing.invalidate()  # another test may have imported areas since the cache was filled
    yield
    routing.invalidate()


# Without the database: pick_village over two made-up squares, 0.01° (about 1.1 km) a side, 0.004° apart.
WEST = Village(1, "/1/", None, -6.205, 106.855, box(106.850, -6.210, 106.860, -6.200))
EAST = Village(2, "/2/", None, -6.205, 106.869, box(106.864, -6.210, 106.874, -6.200))
CENTROID_ONLY = [Village(1, "/1/", None, -6.20, 106.86, None), Village(2, "/2/", None, -6.25, 106.90, None)]
POLYGON_CASES = [
    # (why, lat, lng, expected village id or None)
    ("inside the west square", -6.205, 106.851, 1),
    ("inside the east square", -6.201, 106.873, 2),
    ("on the west square's centroid", -6.205, 106.855, 1),
    ("in the gap, 100 m from the west square", -6.205, 106.860 + 100 * METRE, 1),
    ("in the gap, 100 m from the east square", -6.205, 106.864 - 100 * METRE, 2),
    ("400 m north of both squares", -6.200 + 400 * METRE, 106.862, None),
    ("250 m north of the west square", -6.200 + 250 * METRE, 106.852, 1),
    ("2 km west: within 5 km of a centroid, but boundaries are known", -6.205, 106.850 - 2000 * METRE, None),
    ("Bandung", *BANDUNG, None),
]
CENTROID_CASES = [
    ("near the first centroid", -6.205, 106.865, 1),
    ("near the second centroid", -6.26, 106.91, 2),
    ("4 km from the first centroid", -6.20, 106.86 - 4000 * METRE, 1),
    ("6 km from the nearest centroid", -6.20, 106.86 - 6000 * METRE, None),
    ("Bandung", *BANDUNG, None),
]


@pytest.mark.parametrize(("why", "lat", "lng", "expected"), POLYGON_CASES, ids=[c[0] for c in POLYGON_CASES])
def test_the_index_with_boundaries(why: str, lat: float, lng: float, expected: int | None) -> None:
    found = VillageIndex([WEST, EAST]).pick(lat, lng, MAX_CENTROID_M)
    assert (found.id if found else None) == expected, why


@pytest.mark.parametrize(("why", "lat", "lng", "expected"), CENTROID_CASES, ids=[c[0] for c in CENTROID_CASES])
def test_the_index_with_centroids_only(why: str, lat: float, lng: float, expected: int | None) -> None:
    found = VillageIndex(CENTROID_ONLY).pick(lat, lng, MAX_CENTROID_M)
    assert (found.id if found else None) == expected, why


def test_the_index_without_villages() -> None:
    assert VillageIndex([]).pick(-6.2, 106.86, MAX_CENTROID_M) is None


# With the database's real polygons.
PLACES = [
    # (name, lat, lng, kelurahan code): the points the other tests post at, and a few more
    ("Pisangan Baru", -6.2117, 106.8690, "31.75.01.1001"),
    ("Ceger", -6.308509, 106.892381, "31.75.10.1008"),
    ("Cakung Barat", -6.173047, 106.934692, "31.75.06.1007"),
    ("Setu", -6.313026, 106.914819, "31.75.10.1005"),
    ("Ceger, by Lubang Buaya", -6.3000, 106.9000, "31.75.10.1008"),
    ("Jati, by Jatinegara Kaum", -6.2, 106.9, "31.75.02.1007"),
]
# Of those, the points nearer another kelurahan's centroid than their own: the boundary decides.
NEARER_ANOTHER_CENTROID = {"Ceger, by Lubang Buaya": "31.75.10.1007", "Jati, by Jatinegara Kaum": "31.75.02.1004"}


async def code_at(lat: float, lng: float) -> str:
    village = await routing.locate(lat, lng, MAX_CENTROID_M)
    assert village is not None
    return (await Area.get(id=village.id)).code


async def nearest_centroid_code(lat: float, lng: float) -> str:
    villages = await Area.filter(level="VILLAGE", centroid_lat__isnull=False).values(
        "code", "centroid_lat", "centroid_lng")
    return str(min(villages, key=lambda v: geo.distance_m(lat, lng, v["centroid_lat"], v["centroid_lng"]))["code"])


@pytest.mark.parametrize(("name", "lat", "lng", "code"), PLACES, ids=[p[0] for p in PLACES])
async def test_a_point_goes_to_the_kelurahan_that_contains_it(database: Settings, name: str, lat: float, lng: float,
                                                              code: str) -> None:
    assert await code_at(lat, lng) == code, name
    if name in NEARER_ANOTHER_CENTROID:
        assert await nearest_centroid_code(lat, lng) == NEARER_ANOTHER_CENTROID[name]


async def test_every_kelurahan_gets_a_point_inside_it(database: Settings) -> None:
    assert len(features()) == 65
    for feature in features():
        inside = shape(feature["geometry"]).representative_point()
        assert await code_at(inside.y, inside.x) == feature["properties"]["code"], feature["properties"]["name"]


def sliver_points() -> list[Point]:
    """A point in each of the first holes of the union: the slivers that no polygon contains."""
    outline = city()
    assert isinstance(outline, Polygon) and len(outline.interiors) > 100
    return [Polygon(hole).representative_point() for hole in outline.interiors[:10]]


async def test_a_sliver_between_kelurahan_goes_to_the_nearest_centroid(database: Settings) -> None:
    polygons = [shape(f["geometry"]) for f in features()]
    for sliver in sliver_points():
        assert not any(p.contains(sliver) for p in polygons)
        assert min(p.distance(sliver) for p in polygons) / METRE <= SLIVER_M
        assert await code_at(sliver.y, sliver.x) == await nearest_centroid_code(sliver.y, sliver.x)


def beyond_the_edge(metres: float) -> list[tuple[float, float]]:
    """Points this far outside the city, straight out from its northern, eastern, southern and western tips."""
    coords = list(city().exterior.coords)
    tips = [(max(coords, key=lambda c: c[1]), (0, 1)), (max(coords, key=lambda c: c[0]), (1, 0)),
            (min(coords, key=lambda c: c[1]), (0, -1)), (min(coords, key=lambda c: c[0]), (-1, 0))]
    return [(y + dy * metres * METRE, x + dx * metres * METRE) for (x, y), (dx, dy) in tips]


@pytest.mark.parametrize("metres", [50, 250])
async def test_just_past_the_city_edge_goes_to_the_nearest_centroid(database: Settings, metres: float) -> None:
    for lat, lng in beyond_the_edge(metres):
        assert not city().contains(Point(lng, lat))
        assert await code_at(lat, lng) == await nearest_centroid_code(lat, lng)


@pytest.mark.parametrize("metres", [400, 1500])
async def test_further_out_is_outside_the_city_though_a_centroid_is_near(database: Settings, metres: float) -> None:
    for lat, lng in beyond_the_edge(metres):
        villages = await Area.filter(level="VILLAGE", centroid_lat__isnull=False).values("centroid_lat", "centroid_lng")
        nearest = min(geo.distance_m(lat, lng, v["centroid_lat"], v["centroid_lng"]) for v in villages)
        assert nearest < MAX_CENTROID_M  # the centroid rule alone would have taken it in
        assert await routing.locate(lat, lng, MAX_CENTROID_M) is None


async def test_a_point_in_no_known_kelurahan_has_none(database: Settings) -> None:
    """Bandung's areas are not loaded: a report there is kept without a city (services/reports.py)."""
    assert await routing.locate(*BANDUNG, MAX_CENTROID_M) is None


@pytest.mark.parametrize(("lat", "lng"), [(91.0, 106.87), (-6.2, 181.0), (float("nan"), 106.87)],
                         ids=["latitude past the pole", "longitude past 180", "not a number"])
async def test_off_the_earth_is_bad_input(database: Settings, lat: float, lng: float) -> None:
    with pytest.raises(BadInput):
        await routing.locate(lat, lng, MAX_CENTROID_M)


AGENCIES = [
    # (category, where, agency): JALAN_RUSAK and FASUM have Jakarta Timur's suku dinas besides their default
    ("JALAN_RUSAK", "Jakarta Timur", "SUDIN_BM_JT"),
    ("FASUM", "Jakarta Timur", "SUDIN_BM_JT"),
    ("JALAN_RUSAK", "another city", "BINA_MARGA"),
    ("FASUM", "another city", "BINA_MARGA"),
    ("BANJIR", "Jakarta Timur", "SDA"),
    ("PJU_PADAM", "Jakarta Timur", "SUDIN_PE_JT"),
    ("KRIMINAL", "Jakarta Timur", "POLRES_JT"),
    ("SAMPAH", "another city", "DLH"),
]


@pytest.mark.parametrize(("category", "where", "agency"), AGENCIES, ids=[f"{c} in {w}" for c, w, _ in AGENCIES])
async def test_the_agency_of_a_category_at_a_place(database: Settings, category: str, where: str,
                                                   agency: str) -> None:
    if where == "Jakarta Timur":
        village = await routing.locate(-6.2117, 106.8690, MAX_CENTROID_M)
        assert village is not None
        path = village.path
    else:  # a kelurahan of another city of the province: its path shares only the province with Jakarta Timur
        path = f"{(await Area.get(code='31')).path}{10**9 - 1}/{10**9}/"
    found = await routing.agency_for(await Category.get(code=category, city_id=None), path)
    assert found is not None and (await Agency.get(id=found)).code == agency


async def test_an_agency_never_serves_outside_its_area(database: Settings) -> None:
    """Kota Bogor's kelurahan lie outside DKI Jakarta: no DKI dinas or Jakarta Timur suku dinas answers there."""
    bogor = await Area.get(code="32.71.03.1001")
    for category in await Category.filter(city_id=None):
        assert await routing.agency_for(category, bogor.path) is None, category.code


async def test_a_kelurahan_added_elsewhere_is_routed_to_after_the_reload(database: Settings) -> None:
    """Another process's import does not invalidate this one's copy: the reload duty brings it in, and the
    request path never waits for a reload."""
    await routing.locate(-6.2117, 106.8690, MAX_CENTROID_M)  # the copy is loaded
    square = {"type": "Polygon", "coordinates": [[[0.0, 0.0], [0.01, 0.0], [0.01, 0.01], [0.0, 0.01], [0.0, 0.0]]]}
    district = await rows.area(rows.MATRAMAN)
    added = await Area.create(code=f"{rows.MATRAMAN}.9{uuid.uuid4().hex[:3]}", name="Uji", level=AreaLevel.VILLAGE,
                              parent=district, path="", boundary=square)
    try:
        added.path = f"{district.path}{added.id}/"
        await added.save()
        # Far from every kelurahan this process knows, until it reloads.
        assert await routing.locate(0.005, 0.005, MAX_CENTROID_M) is None
        await routing.reload()
        found = await routing.locate(0.005, 0.005, MAX_CENTROID_M)
        assert found is not None and found.id == added.id
    finally:
        await added.delete()
