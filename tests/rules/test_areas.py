"""Loading areas (services/areas.py): a file may hold several provinces and cities in any order (codes decide
the tree), existing codes are updated in place, and a file whose parents are unknown or circular changes nothing."""

from __future__ import annotations

import random
import uuid

import pytest

from core.errors import BadInput
from core.settings import Settings
from models import Area
from models.enums import AreaLevel
from services.areas import AreaRow, upsert_areas


def tree(prefix: str) -> list[AreaRow]:
    """Two provinces, each with two cities of two districts of three villages: 38 areas."""
    rows = []
    for p in (1, 2):
        province = f"{prefix}{p}"
        rows.append(AreaRow(province, f"Provinsi {p}", AreaLevel.PROVINCE, None))
        for c in (1, 2):
            city = f"{province}.{c:02d}"
            rows.append(AreaRow(city, f"Kota {p}.{c}", AreaLevel.CITY, province))
            for d in (1, 2):
                district = f"{city}.{d:02d}"
                rows.append(AreaRow(district, f"Kecamatan {d}", AreaLevel.DISTRICT, city))
                rows += [AreaRow(f"{district}.100{v}", f"Kelurahan {v}", AreaLevel.VILLAGE, district,
                                 centroid=(-6.0 - p, 106.0 + c)) for v in (1, 2, 3)]
    return rows


async def test_several_provinces_in_any_order_make_one_tree(database: Settings) -> None:
    prefix = f"8{uuid.uuid4().hex[:5]}."
    rows = tree(prefix)
    random.Random(3).shuffle(rows)  # children before their parents, as a merged file may list them
    assert await upsert_areas(rows) == (38, 0)
    areas = {a.code: a for a in await Area.filter(code__startswith=prefix)}
    assert len(areas) == 38
    by_id = {a.id: a for a in areas.values()}
    for row in rows:
        area = areas[row.code]
        parent = by_id.get(area.parent_id) if area.parent_id else None
        assert (parent.code if parent else None) == row.parent_code
        expected = f"{parent.path if parent else '/'}{area.id}/"
        assert area.path == expected, row.code
    # Again, renamed: matched on the codes, updated in place, the tree kept.
    renamed = [AreaRow(r.code, r.name.upper(), r.level, r.parent_code) for r in rows]
    assert await upsert_areas(renamed) == (0, 38)
    again = {a.code: a for a in await Area.filter(code__startswith=prefix)}
    assert {c: (a.id, a.path, a.name) for c, a in again.items()} == {
        c: (a.id, a.path, a.name.upper()) for c, a in areas.items()}


@pytest.mark.parametrize("why", ["an unknown parent", "parents in a circle"])
async def test_a_file_with_broken_parents_changes_nothing(database: Settings, why: str) -> None:
    prefix = f"7{uuid.uuid4().hex[:5]}."
    if why == "an unknown parent":
        rows = [AreaRow(f"{prefix}1", "Kota", AreaLevel.CITY, f"{prefix}0"), AreaRow(f"{prefix}1.01", "Kec",
                                                                                   AreaLevel.DISTRICT, f"{prefix}1")]
    else:
        rows = [AreaRow(f"{prefix}1", "A", AreaLevel.CITY, f"{prefix}2"),
                AreaRow(f"{prefix}2", "B", AreaLevel.CITY, f"{prefix}1")]
    with pytest.raises(BadInput) as refused:
        await upsert_areas(rows)
    assert (f"{prefix}0" if why == "an unknown parent" else "cycle") in str(refused.value)
    assert not await Area.filter(code__startswith=prefix).exists()
