"""`server.py import-areas`: a city's GIS file updates the areas in place (matched on their Kemendagri codes),
keeps their parents, and routing follows the boundaries it brought. The routing rules themselves are in
tests/rules/test_routing.py."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path

from shapely.geometry import shape

from core.settings import Settings
from demo import catalog as demo_catalog
from models import Area
from models.enums import AreaLevel
from services import routing
from services.areas import upsert_areas
from testkit.paths import GEOJSON, ROOT


async def test_import_areas_then_route_every_kelurahan(database: Settings) -> None:
    villages = Area.filter(level=AreaLevel.VILLAGE, code__startswith="31.75.")
    await villages.update(boundary=None)  # as the catalog stands before a city loads its GIS file
    assert await villages.filter(boundary__isnull=True).count() == 65
    try:
        env = {**os.environ, "WARGA_DATABASE_URL": database.database_url}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "server.py", "import-areas", str(GEOJSON), cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
    finally:
        if await villages.filter(boundary__isnull=True).exists():  # leave the session's catalog as it was
            await upsert_areas(demo_catalog.kelurahan_boundaries())
    assert "0 areas created, 65 updated" in out.decode()  # matched on the Kemendagri codes
    assert await villages.count() == 65 and not await villages.filter(boundary__isnull=True).exists()
    routing.invalidate()
    village = await Area.get(code="31.75.01.1001").prefetch_related("parent")
    assert village.boundary is not None and village.parent is not None and village.parent.code == "31.75.01"
    for feature in json.loads(GEOJSON.read_text())["features"]:
        inside = shape(feature["geometry"]).representative_point()
        found = await routing.locate(inside.y, inside.x, 5000)
        assert found is not None
        area = await Area.get(id=found.id)
        assert area.code == feature["properties"]["code"], feature["properties"]["name"]


def _collection(*features: tuple[str, str, str, str | None, dict | None]) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
         "geometry": geometry} for code, name, level, parent, geometry in features]})


async def test_several_files_load_as_one_tree_whichever_holds_the_parents(database: Settings, tmp_path: Path) -> None:
    """Kelurahan in one file, their kecamatan, kota and province in another listed after it (the province
    without a boundary): one transaction, parents first; routing then finds the new kelurahan."""
    prefix = f"6{uuid.uuid4().hex[:5]}"
    square = {"type": "Polygon", "coordinates": [[[1.0, 1.0], [1.01, 1.0], [1.01, 1.01], [1.0, 1.01], [1.0, 1.0]]]}
    villages = tmp_path / "desa.geojson"
    villages.write_text(_collection((f"{prefix}.01.01.2001", "Desa Uji", "VILLAGE", f"{prefix}.01.01", square)))
    above = tmp_path / "wilayah.geojson"
    above.write_text(_collection((f"{prefix}", "Provinsi Uji", "PROVINCE", None, None),
                                 (f"{prefix}.01", "Kabupaten Uji", "CITY", f"{prefix}", square),
                                 (f"{prefix}.01.01", "Kecamatan Uji", "DISTRICT", f"{prefix}.01", square)))
    env = {**os.environ, "WARGA_DATABASE_URL": database.database_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", "import-areas", str(villages), str(above), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "4 areas created, 0 updated" in out.decode()
    village = await Area.get(code=f"{prefix}.01.01.2001")
    province = await Area.get(code=prefix)
    assert village.path.startswith(province.path) and province.boundary is None
    routing.invalidate()
    found = await routing.locate(1.005, 1.005, 5000)
    assert found is not None and found.id == village.id
