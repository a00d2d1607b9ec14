"""The rules of many cities without HTTP: each city's zone from its code, duty months and days counted in the
city's zone, rankings that never mix cities, and what a catalog file may say."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.errors import BadInput, Forbidden
from core.settings import Settings
from models import Area, City, Verification
from models.enums import PerformanceUnit, ReportKind, Role, Verdict
from models.zones import WIB, WIT, WITA, zone_of_code
from services import catalog, stats
from services.performance import performance
from testkit import rows
from testkit.cities import MANADO, WENANG_UTARA, manado

RATES = stats.DutyRates(rt=10_000, rw=12_500, monthly_cap=90)


@pytest.mark.parametrize(("code", "zone"), [
    ("31.75", WIB), ("32.71", WIB), ("61.71", WIB), ("71.71", WITA), ("73.72", WITA), ("51.71", WITA),
    ("91.71", WIT), ("81.71", WIT), ("31", WIB), ("DEMO-1", WIB), ("7", WIB),
])
def test_the_zone_of_a_city_follows_its_province(code: str, zone: str) -> None:
    """Manado (71.71) and Pare-Pare (73.72) are on WITA, Jayapura (91.71) on WIT, Java and Pontianak on WIB."""
    assert zone_of_code(code) == zone


async def _duty(head_area: Area, village: Area, moments: list[datetime]) -> int:
    """An RT/RW head of the area with a VALID duty report at each moment; returns the head's id."""
    head = await rows.account(Role.RT_RW, area=head_area)
    verifier = await rows.account(Role.VERIFIER, area=village)
    for moment in moments:
        report = await rows.report(head, village, kind=ReportKind.DUTY, created_at=moment)
        await Verification.create(report=report, verdict=Verdict.VALID, verifier=verifier)
    return head.id


async def _month(village: Area, head_id: int, month: str) -> tuple[int, int]:
    admin = await rows.account(Role.ADMIN)
    found = [c for c in await stats.duty_compliance(admin, village.id, month, RATES, WIB) if c.account.id == head_id]
    return (found[0].submitted, found[0].days_compliant) if found else (0, 0)


async def test_duty_days_and_months_are_counted_in_the_citys_zone(database: Settings) -> None:
    """The same instants: 23:10, 23:20 and (the next day) 00:10 in Manado are 22:10, 22:20 and 23:10 in Jakarta.
    Three valid reports make a compliant day: in Jakarta they fall on one day, in Manado on two. And 00:30 WITA
    on the 1st of February is still the 31st of January in Jakarta."""
    await manado()
    wita = timedelta(hours=8)
    instants = [datetime(2031, 1, 14, 23, 10) - wita, datetime(2031, 1, 14, 23, 20) - wita,
                datetime(2031, 1, 15, 0, 10) - wita, datetime(2031, 2, 1, 0, 30) - wita]
    instants = [moment.replace(tzinfo=UTC) for moment in instants]
    jakarta_village, manado_village = await rows.area(rows.PISANGAN_BARU), await rows.area(WENANG_UTARA)
    jakarta_head = await _duty(await rows.area(f"{rows.PISANGAN_BARU}.RW01"), jakarta_village, instants)
    manado_head = await _duty(await rows.area(f"{WENANG_UTARA}.RW01"), manado_village, instants)
    assert await _month(jakarta_village, jakarta_head, "2031-01") == (4, 1)
    assert await _month(jakarta_village, jakarta_head, "2031-02") == (0, 0)
    assert await _month(manado_village, manado_head, "2031-01") == (3, 0)
    assert await _month(manado_village, manado_head, "2031-02") == (1, 0)


async def test_a_city_pays_its_own_duty_rates(database: Settings) -> None:
    city = await manado()
    await City.filter(id=city.id).update(duty_rate_rw=20_000, duty_monthly_cap=2)
    try:
        village = await rows.area(WENANG_UTARA)
        moments = [datetime(2031, 3, 2, 3, minute, tzinfo=UTC) for minute in (1, 2, 3)]
        head = await _duty(await rows.area(f"{WENANG_UTARA}.RW01"), village, moments)
        admin = await rows.account(Role.ADMIN)
        mine = [c for c in await stats.duty_compliance(admin, village.id, "2031-03", RATES, WIB)
                if c.account.id == head]
        assert mine[0].payable_amount == 2 * 20_000  # capped at Manado's 2, at Manado's RW rate
    finally:
        await City.filter(id=city.id).update(duty_rate_rw=None, duty_monthly_cap=None)


async def test_rankings_never_mix_cities(database: Settings) -> None:
    """A kelurahan of Manado and those of Jakarta Timur are ranked apart: each city has its own first place.
    An unhandled report (Kota Bogor is no partner) counts for nobody."""
    city = await manado()
    await City.filter(id=city.id).update(partner_since=datetime(2030, 1, 1, tzinfo=UTC))
    start = datetime(2032, 5, 1, tzinfo=UTC)
    author = await rows.account()
    for code in (WENANG_UTARA, rows.PISANGAN_BARU, rows.KAYU_MANIS):
        village = await rows.area(code)
        for hour in range(3):
            await rows.report(author, village, created_at=start + timedelta(hours=hour))
    sempur = await rows.area("32.71.03.1006")
    await rows.report(author, sempur, created_at=start, handled=False)
    ranked = await performance(PerformanceUnit.VILLAGE, start, start + timedelta(days=1), None, 1)
    firsts = [r for r in ranked if r.rank == 1]
    manado_area = await rows.area(MANADO)
    assert {r.city_id for r in firsts} >= {city.id, (await City.get(area__code="31.75")).id}
    by_area = {r.area_id: r for r in ranked}
    assert by_area[(await rows.area(WENANG_UTARA)).id].rank == 1  # alone in its city
    assert by_area[sempur.id].received == 0
    within = await performance(PerformanceUnit.VILLAGE, start, start + timedelta(days=1), manado_area.id, 1)
    assert [r.area_id for r in within] == [(await rows.area(WENANG_UTARA)).id]


@pytest.mark.parametrize(("document", "error"), [
    ([], BadInput), ({"agencies": "DLH"}, BadInput), ({"categories": [{"code": "X", "name": "X"}]}, BadInput),
    ({"categories": [{"code": "X", "name": "X", "sla_hours": True}]}, BadInput),
    ({"categories": [{"code": "X", "name": "X", "sla_hours": 5, "agency_code": "SUDIN_BM_JT"}]}, BadInput),
    ({"agencies": [{"code": "SUDIN_BM_JT", "name": "Ambil alih"}]}, Forbidden),
    ({"agencies": [{"code": "X", "name": "X", "area_code": "31.75"}]}, BadInput),
    ({"timezone": "Mars/Olympus"}, BadInput), ({"duty_rates": {"rt": -1}}, BadInput),
])
async def test_a_catalog_keeps_to_its_city(database: Settings, document: object, error: type[Exception]) -> None:
    """Manado's catalog may not name Jakarta Timur's suku dinas, take over its codes or place agencies there."""
    city = await manado()
    with pytest.raises(error):
        await catalog.load(None, city.id, document)
    assert (await City.get(id=city.id)).timezone == WITA  # nothing half-loaded
