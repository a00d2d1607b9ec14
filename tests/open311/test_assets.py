"""Open311's address_id is the code of one of the city's assets: a POST may name one (with lat/long it is attached
at that point, within 250 m; alone, its point is the request's), and every request shows its asset's code back,
empty without one. The demo's street-light poles PJU-JT-000101..110 stand in Pisangan Baru."""

from __future__ import annotations

from typing import Any

from models import Asset, Report
from resolvers.ids import pk_of, to_global_id
from services import apikeys
from testkit.client import Api, unique
from testkit.open311 import GeoReport
from testkit.reports import PISANGAN_BARU, post

FORMATS = ("json", "xml")
POLE = "PJU-JT-000106"  # some 25 m from PISANGAN_BARU
FAR_POLE = "PJU-JT-000201"  # in Cakung, kilometres away
AT_PISANGAN_BARU = {"lat": str(PISANGAN_BARU[0]), "long": str(PISANGAN_BARU[1])}
REPORT = "query($id: ID!) { report(id: $id) { asset { code } location { lat lng } area { code } } }"


async def form(**fields: str) -> dict[str, str]:
    """A street-light request with a fresh key; `fields` add to it or replace."""
    return {"api_key": await apikeys.issue(unique("app")), "service_code": "PJU_PADAM",
            "description": f"Lampu mati {unique()}", **fields}


async def report_of(api: Api, number: str) -> dict[str, Any]:
    return dict((await api.gql(REPORT, {"id": to_global_id("Report", int(number))}))["report"])


async def test_lat_long_and_address_id_attach_the_asset_and_requests_show_it(api: Api, georeport: GeoReport) -> None:
    for fmt in FORMATS:
        posted = await georeport.post(f"requests.{fmt}", data=await form(**AT_PISANGAN_BARU, address_id=POLE))
        number = georeport.created(posted, fmt)["service_request_id"]
        report = await report_of(api, number)
        assert report["asset"] == {"code": POLE}
        assert report["location"] == {"lat": PISANGAN_BARU[0], "lng": PISANGAN_BARU[1]}  # the request's own point
        as_json, as_xml = await georeport.get_both("requests", "service_requests", "request",
                                                   service_request_id=number)
        assert as_json[0]["address_id"] == as_xml[0]["address_id"] == POLE
        for shown in FORMATS:
            assert (await georeport.one(number, shown))["address_id"] == POLE


async def test_address_id_alone_places_the_request_at_the_asset(api: Api, georeport: GeoReport) -> None:
    pole = await Asset.get(code=POLE)
    # The spec's empty optional arguments count as absent, lat and long as much as jurisdiction_id.
    for fmt, extra in zip(FORMATS, ({}, {"lat": "", "long": "", "jurisdiction_id": "31.75"}), strict=True):
        posted = await georeport.post(f"requests.{fmt}", data=await form(address_id=POLE, **extra))
        number = georeport.created(posted, fmt)["service_request_id"]
        report = await report_of(api, number)
        assert report["asset"] == {"code": POLE} and report["area"] == {"code": "31.75.01.1001"}  # Pisangan Baru
        assert report["location"] == {"lat": pole.lat, "lng": pole.lng}
        shown = await georeport.one(number, fmt)
        assert (shown["address_id"], str(shown["lat"]), str(shown["long"])) == (POLE, str(pole.lat), str(pole.lng))
    # The asset's point must lie in a jurisdiction the request names, as lat/long must.
    in_bogor = await georeport.post("requests.json", data=await form(address_id=POLE, jurisdiction_id="32.71"))
    assert "outside jurisdiction_id 32.71" in georeport.error(in_bogor, 400, "json")


async def test_an_unknown_or_far_asset_is_refused(georeport: GeoReport) -> None:
    before = await Report.all().count()
    for fmt in FORMATS:
        url = f"requests.{fmt}"
        for place in (AT_PISANGAN_BARU, {}):
            unknown = await georeport.post(url, data=await form(**place, address_id="PJU-JT-999999"))
            description = georeport.error(unknown, 400, fmt)
            assert "address_id 'PJU-JT-999999'" in description and "asset" in description
        far = await georeport.post(url, data=await form(**AT_PISANGAN_BARU, address_id=FAR_POLE))
        assert "250 m" in georeport.error(far, 400, fmt)
        nowhere = await georeport.post(url, data=await form())  # neither lat/long nor address_id
        assert "address_id" in georeport.error(nowhere, 400, fmt)
        half = await georeport.post(url, data=await form(lat=AT_PISANGAN_BARU["lat"], address_id=POLE))
        assert "lat and long" in georeport.error(half, 400, fmt)
    assert await Report.all().count() == before


async def test_address_id_is_empty_without_an_asset_and_whichever_way_the_asset_came(
    api: Api, georeport: GeoReport
) -> None:
    plain = georeport.created(await georeport.post("requests.json", data=await form(**AT_PISANGAN_BARU)), "json")
    resident, _ = await api.account()
    pole = await Asset.get(code=POLE)
    in_app = await post(api, resident, PISANGAN_BARU, assetId=to_global_id("Asset", pole.id))  # GraphQL's assetId
    numbers = [plain["service_request_id"], str(pk_of(in_app["id"], "Report"))]
    as_json, as_xml = await georeport.get_both("requests", "service_requests", "request",
                                               service_request_id=",".join(numbers))
    expected = dict(zip(numbers, ["", POLE], strict=True))
    assert {r["service_request_id"]: r["address_id"] for r in as_json} == expected
    assert {r["service_request_id"]: r["address_id"] for r in as_xml} == expected
    assert (await georeport.one(numbers[0], "xml"))["address_id"] == ""
