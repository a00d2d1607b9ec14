"""A second partner city in another time zone, made by the tests that need one: Kota Manado (WITA) with one
square kelurahan. Areas update by code, so making it again changes nothing."""

from __future__ import annotations

from models import City
from models.enums import AreaLevel
from services.areas import AreaRow, upsert_areas
from testkit.opinion import square

MANADO = "71.71"
WENANG_UTARA = "71.71.05.1001"
WENANG = (1.4900, 124.8400)  # the square's centre
SEMPUR = (-6.586752, 106.798557)  # a kelurahan of Kota Bogor (32.71.03.1006), not a partner city
BANDUNG = (-6.9175, 107.6191)  # in no city Warga knows


async def manado() -> City:
    """Sulawesi Utara › Kota Manado › Wenang › Wenang Utara (a square around WENANG), with an RW."""
    await upsert_areas([
        AreaRow("71", "Sulawesi Utara", AreaLevel.PROVINCE, None),
        AreaRow(MANADO, "Kota Manado", AreaLevel.CITY, "71"),
        AreaRow("71.71.05", "Wenang", AreaLevel.DISTRICT, MANADO),
        AreaRow(WENANG_UTARA, "Wenang Utara", AreaLevel.VILLAGE, "71.71.05", WENANG, square(*WENANG, side=0.02)),
        AreaRow(f"{WENANG_UTARA}.RW01", "RW 01 Wenang Utara", AreaLevel.RW, WENANG_UTARA, WENANG),
    ])
    return await City.get(area__code=MANADO)
