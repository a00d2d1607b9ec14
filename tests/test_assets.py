"""The city's assets through the API: import and re-import, readings and their alert levels, a late reading, a
silent asset going OFFLINE, who may record, reports attached to an asset (and a far one refused), river basins,
and the flood picture against an independent count. (Two server processes: tests/test_scale_out.py.)"""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta
from typing import Any

import pytest

from core import clock
from core.errors import BadInput
from core.settings import Settings
from models import Agency, Area, Asset, AssetReading, Category, Notification, Report
from models.enums import GAUGES, AlertLevel, AssetKind, AssetStatus, NotificationKind, ReportKind, Role
from resolvers.ids import to_global_id
from services import assets, readings
from services.geo import EARTH_RADIUS_M
from testkit import rows
from testkit.client import Api, unique
from testkit.reports import CREATE, photo_files, post

RECORD = """mutation($a: ID!, $i: AssetReadingInput!) { recordAssetReading(assetId: $a, input: $i) {
  status waterLevelCm alertLevel pumpsRunning lastReadingAt } }"""
ASSET = """query($id: ID!) { node(id: $id) { ... on Asset { code name kind status alertLevel openReportCount
  siaga1Cm area { code } agency { code } location { lat lng }
  readings(first: 10) { edges { node { waterLevelCm alertLevel measuredAt recordedBy { handle } } } }
  reports(first: 10) { edges { node { id } } } } } }"""
FLOOD = """query($a: ID) { floodStatus(areaId: $a) { highestAlert gauges { code alertLevel } pumpStations
  pumpsRunning pumpsTotal pumpStationsDown floodReportsLast24h } }"""
NEAR = (-6.2117, 106.8690)  # Pisangan Baru


def feature(kind: AssetKind, *, where: tuple[float, float] = NEAR, **props: Any) -> dict[str, Any]:
    lat, lng = where
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {"code": unique(kind.value.lower()), "name": "Uji", "kind": kind.value,
                           "agency_code": "SDA", **props}}


def name(level: AlertLevel | None) -> str | None:
    return level.value if level is not None else None


GAUGE: dict[str, Any] = {"siaga3_cm": 100, "siaga2_cm": 200, "siaga1_cm": 300, "expected_reading_minutes": 15}


async def imported(*features: dict[str, Any]) -> list[Asset]:
    rows = assets.rows_from_geojson({"type": "FeatureCollection", "features": list(features)})
    await assets.upsert_assets(rows, 5000)
    return [await Asset.get(code=f["properties"]["code"]) for f in features]


async def test_import_and_reimport_update_in_place(api: Api) -> None:
    gauge_feature = feature(AssetKind.FLOODGATE, **GAUGE)
    [gauge] = await imported(gauge_feature)
    assert (gauge.kind, gauge.siaga1_cm, gauge.status) == (AssetKind.FLOODGATE, 300, AssetStatus.OK)
    assert (await Area.get(id=gauge.area_id)).code == "31.75.01.1001" and gauge.silent_at is not None
    officer, _ = await api.account(Role.OFFICER, agency_id=(await Agency.get(code="SDA")).id)
    await api.gql(RECORD, {"a": to_global_id("Asset", gauge.id), "i": {"waterLevelCm": 150}}, officer)
    renamed = {**gauge_feature, "properties": {**gauge_feature["properties"], "name": "Pintu Air Baru",
                                               "siaga1_cm": 400}}
    [again] = await imported(renamed)
    assert again.id == gauge.id and again.name == "Pintu Air Baru" and again.siaga1_cm == 400
    assert again.water_level_cm == 150 and await AssetReading.filter(asset_id=gauge.id).count() == 1  # kept
    volcano = feature(AssetKind.FLOODGATE, **GAUGE)
    volcano["properties"]["kind"] = "VOLCANO"
    for bad in (feature(AssetKind.FLOODGATE, **{**GAUGE, "siaga2_cm": 50}), feature(AssetKind.FLOODGATE, siaga3_cm=1),
                volcano):
        with pytest.raises(BadInput):
            await imported(bad)
    with pytest.raises(BadInput):  # a basin is a polygon
        await imported(feature(AssetKind.RIVER_BASIN))
    with pytest.raises(BadInput):
        await imported(feature(AssetKind.PUMP_STATION))  # without pumps_total


@pytest.mark.parametrize(("level", "alert"), [(0, AlertLevel.SIAGA_4), (99, AlertLevel.SIAGA_4),
                                              (100, AlertLevel.SIAGA_3), (199, AlertLevel.SIAGA_3),
                                              (200, AlertLevel.SIAGA_2), (300, AlertLevel.SIAGA_1),
                                              (9000, AlertLevel.SIAGA_1)])
def test_a_gauges_own_thresholds_give_its_alert_level(level: int, alert: AlertLevel) -> None:
    assert readings.alert_level(Asset(siaga3_cm=100, siaga2_cm=200, siaga1_cm=300), level) == alert


async def test_readings_late_ones_and_who_may_record(api: Api) -> None:
    [gauge] = await imported(feature(AssetKind.WATER_LEVEL_POST, **GAUGE))
    gid = to_global_id("Asset", gauge.id)
    sda = (await Agency.get(code="SDA")).id
    officer, _ = await api.account(Role.OFFICER, agency_id=sda)
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    now = clock.now()
    first = await api.gql(RECORD, {"a": gid, "i": {"waterLevelCm": 210, "measuredAt": now.isoformat()}}, officer)
    assert first["recordAssetReading"]["alertLevel"] == "SIAGA_2"
    assert first["recordAssetReading"]["status"] == "ALERT"
    late = (now - timedelta(minutes=10)).isoformat()
    after_late = await api.gql(RECORD, {"a": gid, "i": {"waterLevelCm": 50, "measuredAt": late}}, lurah)
    assert after_late["recordAssetReading"]["waterLevelCm"] == 210  # history only
    seen = (await api.gql(ASSET, {"id": gid}))["node"]
    assert [e["node"]["waterLevelCm"] for e in seen["readings"]["edges"]] == [210, 50]  # newest measured first
    # Refused: signed out, a resident, an officer of another agency and area, nonsense values, the future.
    other, _ = await api.account(Role.OFFICER, agency_id=(await Agency.get(code="DINKES")).id)
    resident, _ = await api.account()
    assert await api.error_codes(RECORD, {"a": gid, "i": {"waterLevelCm": 1}}) == ["UNAUTHENTICATED"]
    for token in (resident, other):
        assert await api.error_codes(RECORD, {"a": gid, "i": {"waterLevelCm": 1}}, token) == ["FORBIDDEN"]
    future = (now + timedelta(hours=1)).isoformat()
    for bad in ({"waterLevelCm": -1}, {"pumpsRunning": 1, "waterLevelCm": 5}, {},
                {"waterLevelCm": 5, "measuredAt": future}):
        assert await api.error_codes(RECORD, {"a": gid, "i": bad}, officer) == ["BAD_USER_INPUT"], bad
    assert await AssetReading.filter(asset_id=gauge.id).count() == 2  # nothing refused was kept


async def test_a_silent_station_goes_offline_once_and_tells_the_area(api: Api) -> None:
    [station] = await imported(feature(AssetKind.PUMP_STATION, pumps_total=4, expected_reading_minutes=60))
    officer, _ = await api.account(Role.OFFICER, agency_id=(await Agency.get(code="SDA")).id)
    _, lurah = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    await api.gql(RECORD, {"a": to_global_id("Asset", station.id), "i": {"pumpsRunning": 3}}, officer)
    clock.advance(61 * 60)
    try:
        assert await readings.run() >= 1
        assert await readings.run() == 0  # each change once
    finally:
        clock.reset()
    assert (await Asset.get(id=station.id)).status == AssetStatus.OFFLINE
    alerts = await Notification.filter(account_id=lurah.id, kind=NotificationKind.ASSET_ALERT,
                                       asset_id=station.id).count()
    assert alerts == 1
    # A reading brings it back.
    back = await api.gql(RECORD, {"a": to_global_id("Asset", station.id), "i": {"pumpsRunning": 4}}, officer)
    assert back["recordAssetReading"]["status"] == "OK"


async def test_a_report_attaches_to_a_near_asset_and_learns_its_basin(api: Api) -> None:
    [pole] = await imported(feature(AssetKind.STREET_LIGHT, where=(NEAR[0] + 0.0005, NEAR[1]),
                                    agency_code="SUDIN_PE_JT"))
    far = (await imported(feature(AssetKind.STREET_LIGHT, where=(NEAR[0] + 0.01, NEAR[1]))))[0]
    offered = await api.gql("""query($lat: Float!, $lng: Float!) { nearbyAssets(lat: $lat, lng: $lng,
        radiusMeters: 100, kinds: [STREET_LIGHT]) { code } }""", {"lat": NEAR[0], "lng": NEAR[1]})
    codes = [a["code"] for a in offered["nearbyAssets"]]
    assert pole.code in codes and far.code not in codes
    resident, _ = await api.account()
    reports = [(await post(api, resident, NEAR, assetId=to_global_id("Asset", pole.id)))["id"] for _ in range(2)]
    too_far = {"input": {"body": "Lampu mati", "categoryCode": "PJU_PADAM", "lat": NEAR[0], "lng": NEAR[1],
                         "photos": [None], "assetId": to_global_id("Asset", far.id)}}
    assert await api.error_codes(CREATE, too_far, resident, files=photo_files()) == ["BAD_USER_INPUT"]
    pole_id = to_global_id("Asset", pole.id)
    flood_about_a_pole = {"input": {**too_far["input"], "categoryCode": "BANJIR", "assetId": pole_id}}
    assert await api.error_codes(CREATE, flood_about_a_pole, resident, files=photo_files()) == ["BAD_USER_INPUT"]
    seen = (await api.gql(ASSET, {"id": to_global_id("Asset", pole.id)}))["node"]
    assert seen["openReportCount"] == 2 and {e["node"]["id"] for e in seen["reports"]["edges"]} == set(reports)
    admin, _ = await api.account(Role.ADMIN)
    await api.gql('mutation($id: ID!) { hideReport(reportId: $id, reason: "Spam") { hidden } }', {"id": reports[1]},
                  admin)
    assert (await api.gql(ASSET, {"id": to_global_id("Asset", pole.id)}))["node"]["openReportCount"] == 1
    basin = (await api.gql("query($id: ID!) { report(id: $id) { asset { code } riverBasin { kind code } } }",
                           {"id": reports[0]}))["report"]
    assert basin["asset"] == {"code": pole.code} and basin["riverBasin"]["kind"] == "RIVER_BASIN"


async def test_flood_status_equals_an_independent_count(api: Api) -> None:
    resident, _ = await api.account()
    await post(api, resident, NEAR, category="BANJIR")
    for area_code in (None, "31.75.01", "31.75.01.1001"):
        area = await Area.get(code=area_code) if area_code else None
        answer = (await api.gql(FLOOD, {"a": to_global_id("Area", area.id) if area else None}))["floodStatus"]
        inside = [a for a in await Asset.all() if area is None or a.area_path.startswith(area.path)]
        gauges = [a for a in inside if a.kind in GAUGES]
        stations = [a for a in inside if a.kind == AssetKind.PUMP_STATION]
        order = [AlertLevel.SIAGA_1, AlertLevel.SIAGA_2, AlertLevel.SIAGA_3, AlertLevel.SIAGA_4, None]
        levels = sorted((order.index(g.alert_level), g.code) for g in gauges)
        flood = {c.id for c in await Category.all() if AssetKind.PUMP_STATION.value in c.asset_kinds}
        since = clock.now() - timedelta(hours=24)
        recent = [r for r in await Report.filter(kind=ReportKind.CITIZEN, hidden=False, created_at__gte=since)
                  if r.category_id in flood and (area is None or r.area_path.startswith(area.path))]
        assert answer == {
            "highestAlert": next((name(order[i]) for i, _ in levels if order[i]), "SIAGA_4"),
            "gauges": [{"code": code, "alertLevel": name(order[i])} for i, code in levels],
            "pumpStations": len(stations),
            "pumpsRunning": sum(s.pumps_running or 0 for s in stations if s.status != AssetStatus.OFFLINE),
            "pumpsTotal": sum(s.pumps_total or 0 for s in stations),
            "pumpStationsDown": sum(s.status in (AssetStatus.FAULT, AssetStatus.OFFLINE) for s in stations),
            "floodReportsLast24h": len(recent),
        }, area_code


async def test_near_means_within_the_radius_at_the_cells_edges_and_along_a_line(database: Settings) -> None:
    """The cells cover what the distance counts as inside, south of the equator too; a drain is near where any part
    of it is, not only its middle."""
    origin = (-6.199988, 106.9)
    north = (origin[0] + 999.5 / (EARTH_RADIUS_M * math.pi / 180), origin[1])
    [edge] = await imported(feature(AssetKind.STREET_LIGHT, where=north, agency_code="SUDIN_PE_JT"))
    assert edge.id in [a.id for a in await assets.nearby(*origin, 1000, [AssetKind.STREET_LIGHT])]
    line = {"type": "LineString", "coordinates": [[106.8800, -6.2300], [106.8900, -6.2300], [106.9000, -6.2300]]}
    drain = {**feature(AssetKind.DRAIN), "geometry": line}
    [ditch] = await imported(drain)
    at_the_end = (-6.2301, 106.8801)  # 2 km from the drain's middle, 15 m from its west end
    assert [a.id for a in await assets.nearby(*at_the_end, 50, [AssetKind.DRAIN])] == [ditch.id]
    saluran = await Category.get(code="SALURAN_MAMPET", city_id=None)
    assert await assets.for_report(ditch.id, saluran, *at_the_end) == ditch


async def test_concurrent_readings_keep_the_newest_and_alert_once(database: Settings) -> None:
    [gauge] = await imported(feature(AssetKind.FLOODGATE, **GAUGE))
    officer = await rows.account(Role.OFFICER, agency=await Agency.get(code="SDA"))
    lurah = await rows.account(Role.AREA_HEAD, area=await rows.area("31.75.01.1001"))
    now = clock.now()
    await asyncio.gather(
        readings.record(officer, gauge.id, readings.NewReading(water_level_cm=310, measured_at=now)),
        *(readings.record(officer, gauge.id, readings.NewReading(water_level_cm=level, measured_at=now - ago))
          for level, ago in ((320, timedelta(seconds=5)), (330, timedelta(seconds=9)))),
    )
    state = await Asset.get(id=gauge.id)
    assert (state.water_level_cm, state.alert_level) == (310, AlertLevel.SIAGA_1)
    assert await Notification.filter(account_id=lurah.id, asset_id=gauge.id).count() == 1


async def test_a_reading_keeps_the_anonymous_answers_a_change_of_state_drops_them(api: Api) -> None:
    """A gauge reports every minute: its readings must not empty the public answer cache each time, but the
    reading that changes its state does (through its event), and any other mutation still does."""
    [gauge] = await imported(feature(AssetKind.WATER_LEVEL_POST, **GAUGE))
    officer, _ = await api.account(Role.OFFICER, agency_id=(await Agency.get(code="SDA")).id)
    body = {"query": "{ feed(first: 3) { edges { node { id } } } }"}

    async def cached() -> bool:
        return (await api.http.post("/graphql", json=body)).headers.get("x-warga-cache") == "hit"

    async def emptied() -> bool:  # a change of state reaches the cache through the broker, a moment later
        for _ in range(50):
            if not await cached():
                return True
            await asyncio.sleep(0.05)
        return False

    record = {"a": to_global_id("Asset", gauge.id), "i": {"waterLevelCm": 10}}
    await api.gql(RECORD, record, officer)  # its first alert level, SIAGA_4: a change of state
    assert await emptied()
    await cached()
    assert await cached()
    await api.gql(RECORD, {**record, "i": {"waterLevelCm": 20}}, officer)  # within SIAGA_4: no change
    assert await cached()
    await api.gql(RECORD, {**record, "i": {"waterLevelCm": 150}}, officer)  # SIAGA_3
    assert await emptied()


async def test_old_readings_thin_to_the_last_measured_of_each_hour(database: Settings) -> None:
    [gauge] = await imported(feature(AssetKind.WATER_LEVEL_POST, **GAUGE))
    now = clock.now()
    hour = (now - timedelta(days=7, hours=5)).replace(minute=0, second=0, microsecond=0)
    old = [hour + timedelta(minutes=m) for m in (40, 5, 20)]  # arrived out of order: the one measured last stays
    recent = [now - timedelta(days=2, minutes=m) for m in (1, 2)]
    for moment in (*old, *recent):
        await AssetReading.create(asset_id=gauge.id, status=AssetStatus.OK, water_level_cm=moment.minute,
                                  measured_at=moment, created_at=now)
    await readings.compact(now)
    kept = sorted(r.measured_at for r in await AssetReading.filter(asset_id=gauge.id))
    assert kept == sorted([old[0], *recent])
