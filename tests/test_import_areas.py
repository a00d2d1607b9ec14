"""`server.py import-areas`: a city's GIS file updates the areas in place (matched on their Kemendagri codes),
keeps their parents, and routing follows the boundaries it brought. The routing rules themselves are in
tests/rules/test_routing.py."""

from __future__ import annotations

import asyncio
import json
import os
import sys

from shapely.geometry import shape

from core.settings import Settings
from demo import loader
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
            await upsert_areas(loader.kelurahan_boundaries())
    assert "0 areas created, 65 updated" in out.decode()  # matched on the Kemendagri codes
    assert await villages.count() == 65 and not await villages.filter(boundary__isnull=True).exists()
    routing.invalidate()
    village = await Area.get(code="31.75.01.1001").prefetch_related("parent")
    assert village.boundary is not None and village.parent is not None and village.parent.code == "31.75.01"
    for feature in json.loads(GEOJSON.read_text())["features"]:
        inside = shape(feature["geometry"]).representative_point()
        found = await routing.locate(inside.y, inside.x, 5000)
        area = await Area.get(id=found.id)
        assert area.code == feature["properties"]["code"], feature["properties"]["name"]
