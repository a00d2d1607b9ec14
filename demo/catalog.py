"""The demo's places and catalog: Jakarta Timur (the partner) and part of Kota Bogor (known, not a partner),
their real areas, DKI Jakarta's agencies, the national categories, and Kota Bogor's own catalog."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import orjson

from models import Agency, Area, Category, CategoryAgency, City
from models.enums import AreaLevel, AssetKind
from services import assets, catalog, escalation
from services.areas import AreaRow, rows_from_geojson, upsert_areas

DATA = Path(__file__).with_name("data")
JAKARTA_TIMUR, KOTA_BOGOR = "31.75", "32.71"
PARTNER_SINCE = datetime(2016, 1, 1, tzinfo=UTC)  # Jakarta's officials have answered on Qlue and CROP since

AGENCIES = [  # code, name, the area it serves: DKI Jakarta's dinas serve the province, its suku dinas one city
    ("BINA_MARGA", "Dinas Bina Marga", "31"),
    ("SUDIN_BM_JT", "Suku Dinas Bina Marga Jakarta Timur", "31.75"),
    ("SUDIN_PE_JT", "Suku Dinas Perindustrian dan Energi Jakarta Timur", "31.75"),
    ("DISHUB", "Dinas Perhubungan", "31"),
    ("DLH", "Dinas Lingkungan Hidup", "31"),
    ("SDA", "Dinas Sumber Daya Air", "31"),
    ("SATPOL_PP", "Satuan Polisi Pamong Praja", "31"),
    ("PERTAMANAN", "Dinas Pertamanan dan Hutan Kota", "31"),
    ("DAMKAR", "Dinas Penanggulangan Kebakaran dan Penyelamatan", "31"),
    ("DINSOS", "Dinas Sosial", "31"),
    ("DINKES", "Dinas Kesehatan", "31"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "31"),
    ("POLRES_JT", "Polres Metro Jakarta Timur", "31.75"),
]

# The national defaults (a city may override them in its own catalog), with DKI Jakarta's agencies: elsewhere
# they answer for nothing (an agency serves inside its area), so the kelurahan does.
CATEGORIES = [  # code, name, default agency, SLA hours, escalation step hours (None: never), further agencies
    ("MACET", "Kemacetan", "DISHUB", 6, None, []),
    ("KRIMINAL", "Kriminalitas", "POLRES_JT", 24, None, []),
    ("KEBAKARAN", "Kebakaran", "DAMKAR", 1, None, []),
    ("KEBERSIHAN", "Kebersihan", "DLH", 48, 24, []),
    ("BENCANA", "Bencana", "BPBD", 6, 6, []),
    ("SAMPAH", "Sampah", "DLH", 24, 24, []),
    ("PELANGGARAN", "Pelanggaran", "SATPOL_PP", 72, 48, []),
    ("JALAN_RUSAK", "Jalan rusak", "BINA_MARGA", 168, 72, ["SUDIN_BM_JT"]),
    ("PENGEMIS", "Pengemis dan gelandangan", "DINSOS", 72, 48, []),
    ("PKL_LIAR", "PKL liar", "SATPOL_PP", 72, 48, []),
    ("POHON_TUMBANG", "Pohon tumbang", "PERTAMANAN", 12, 12, []),
    ("FASUM", "Fasilitas umum", "BINA_MARGA", 168, 72, ["SUDIN_BM_JT"]),
    ("PARKIR_LIAR", "Parkir liar", "DISHUB", 24, None, []),
    ("BANJIR", "Banjir", "SDA", 6, 6, []),
    ("PJU_PADAM", "Lampu PJU padam", "SUDIN_PE_JT", 72, 24, []),
    ("SALURAN_MAMPET", "Selokan mampet", "SDA", 72, 24, []),
    ("RUANG_RAWAT", "Ketersediaan ruang rawat rumah sakit", "DINKES", 2, None, []),
]

# An RW and an RT of Pisangan Baru, so that RT/RW heads have neighbourhoods of their own.
NEIGHBOURHOODS = [
    AreaRow("31.75.01.1001.RW01", "RW 01 Pisangan Baru", AreaLevel.RW, "31.75.01.1001", (-6.2117, 106.8690)),
    AreaRow("31.75.01.1001.RW01.RT001", "RT 001 / RW 01 Pisangan Baru", AreaLevel.RT, "31.75.01.1001.RW01",
            (-6.2116, 106.8691)),
]


# What reports of a category are usually about: the app offers the nearest of these kinds.
ASSET_KINDS = {
    "PJU_PADAM": [AssetKind.STREET_LIGHT.value],
    "BANJIR": [AssetKind.DRAIN.value, AssetKind.PUMP_STATION.value],
    "SALURAN_MAMPET": [AssetKind.DRAIN.value, AssetKind.PUMP_STATION.value],
}
ASSETS = "jakarta_timur_assets.geojson"


def area_rows(name: str) -> list[AreaRow]:
    """A tree of areas with Kemendagri codes and centroids: DKI Jakarta › Jakarta Timur › 10 kecamatan › 65
    kelurahan, or Jawa Barat › Kota Bogor › 2 of its kecamatan › their 19 kelurahan."""
    with (DATA / name).open(newline="", encoding="utf-8") as fh:
        return [
            AreaRow(
                code=r["code"],
                name=r["name"],
                level=AreaLevel(r["level"]),
                parent_code=r["parent_code"] or None,
                centroid=(float(r["centroid_lat"]), float(r["centroid_lng"])) if r["centroid_lat"] else None,
            )
            for r in csv.DictReader(fh)
        ]


def kelurahan_boundaries() -> list[AreaRow]:
    """The kelurahan's real polygons (demo/data/SOURCES.md), as a city loads its GIS file."""
    return [row for name in ("jakarta-timur-kelurahan.geojson", "kota-bogor-kelurahan.geojson")
            for row in rows_from_geojson(orjson.loads((DATA / name).read_bytes()))]


async def seed_catalog() -> tuple[dict[str, Area], dict[str, Agency]]:
    """The areas, agencies and categories: Jakarta Timur's and Kota Bogor's (what the tests start from too)."""
    await upsert_areas([*area_rows("jakarta_timur_areas.csv"), *NEIGHBOURHOODS, *area_rows("kota_bogor_areas.csv")])
    await upsert_areas(kelurahan_boundaries())  # routing by the real polygons, not the nearest centroid
    areas = {a.code: a for a in await Area.all()}
    agencies = {}
    for code, name, serves in AGENCIES:
        agency, _ = await Agency.update_or_create(code=code, defaults={"name": name, "area": areas[serves]})
        agencies[code] = agency
    for code, name, agency_code, sla, every, extra in CATEGORIES:
        category, _ = await Category.update_or_create(
            code=code, city_id=None,
            defaults={"name": name, "agency": agencies[agency_code], "sla_hours": sla, "escalate_every_hours": every,
                      "asset_kinds": ASSET_KINDS.get(code, [])},
        )
        await escalation.schedule_waiting(category)  # a database seeded before escalation existed
        for extra_code in extra:
            await CategoryAgency.get_or_create(category=category, agency=agencies[extra_code])
    # Jakarta Timur is the partner; Kota Bogor is known (its residents report) but has not signed on.
    await City.filter(area__code=JAKARTA_TIMUR, partner_since=None).update(partner_since=PARTNER_SINCE)
    bogor = await City.get(area__code=KOTA_BOGOR)
    await catalog.load(None, bogor.id, orjson.loads((DATA / "kota_bogor_catalog.json").read_bytes()))
    # Jakarta Timur's waterways, gauges, pump stations and some street lights (demo values: SOURCES.md).
    await assets.upsert_assets(assets.rows_from_geojson(orjson.loads((DATA / ASSETS).read_bytes())), 5000)
    return areas, agencies
