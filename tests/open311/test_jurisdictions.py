"""Open311 per jurisdiction: jurisdiction_id is a city's code, optional on every call (Jakarta Timur 31.75 is a
partner, Kota Bogor 32.71 is known with its own catalog but not a partner); requests outside partner cities are
taken, and their service_notice says nobody handles them yet."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import product
from typing import Any
from xml.etree import ElementTree

from services import apikeys
from testkit.cities import BANDUNG, SEMPUR
from testkit.client import unique
from testkit.open311 import GeoReport
from testkit.reports import CEGER

JAKARTA_TIMUR, KOTA_BOGOR = "31.75", "32.71"
FORMATS = ("json", "xml")
WAITING = "Menunggu tanggapan petugas (WAITING)"
NOT_HANDLED = "laporan tercatat dan publik, tetapi belum ada petugas yang menanganinya."
BOGOR_NOTICE = f"Kota Bogor belum bermitra dengan Warga: {NOT_HANDLED}"


async def submit(georeport: GeoReport, where: tuple[float, float], code: str = "SAMPAH", fmt: str = "json",
                 **extra: str) -> dict[str, str]:
    """POSTs a request with a fresh key and returns what the server answered (in either format)."""
    form = {"api_key": await apikeys.issue(unique("app")), "service_code": code, "lat": str(where[0]),
            "long": str(where[1]), "description": f"Laporan {unique()}", **extra}
    return georeport.created(await georeport.post(f"requests.{fmt}", data=form), fmt)


def codes(services: list[dict[str, Any]]) -> list[str]:
    return [s["service_code"] for s in services]


async def test_discovery_names_the_jurisdictions(georeport: GeoReport) -> None:
    plain = (await georeport.get("discovery.json")).json()
    assert set(plain) == {"changeset", "contact", "key_service", "endpoints"}  # the spec's fields, nothing else
    assert f"{JAKARTA_TIMUR} Jakarta Timur" in plain["contact"] and KOTA_BOGOR not in plain["contact"]
    extended = (await georeport.get("discovery.json", {"extensions": "true"})).json()
    by_id = {j["jurisdiction_id"]: j for j in extended["jurisdictions"]}
    assert by_id[JAKARTA_TIMUR] == {"jurisdiction_id": JAKARTA_TIMUR, "name": "Jakarta Timur", "partner": True}
    assert by_id[KOTA_BOGOR] == {"jurisdiction_id": KOTA_BOGOR, "name": "Kota Bogor", "partner": False}
    document = ElementTree.fromstring((await georeport.get("discovery.xml", {"extensions": "true"})).content)
    items = document.iterfind("jurisdictions/jurisdiction")
    listed = {item.findtext("jurisdiction_id"): item.findtext("partner") for item in items}
    assert listed[JAKARTA_TIMUR] == "true" and listed[KOTA_BOGOR] == "false"
    assert document.findtext("endpoints/endpoint/type") == "production"
    assert ElementTree.fromstring((await georeport.get("discovery.xml")).content).find("jurisdictions") is None


async def test_services_are_the_catalog_of_the_jurisdiction(georeport: GeoReport) -> None:
    national, national_xml = await georeport.get_both("services", "services", "service")
    bogor, bogor_xml = await georeport.get_both("services", "services", "service", jurisdiction_id=KOTA_BOGOR)
    timur, _ = await georeport.get_both("services", "services", "service", jurisdiction_id=JAKARTA_TIMUR)
    assert "ANGKOT_NGETEM" in codes(bogor) and codes(bogor) == codes(bogor_xml)
    assert "ANGKOT_NGETEM" not in codes(national) + codes(national_xml) + codes(timur)
    assert len(set(codes(national))) == len(national)  # Bogor's own SAMPAH is not a second national one
    assert {"SAMPAH", "PJU_PADAM"} <= set(codes(bogor)) & set(codes(timur))  # the national defaults too
    # The group is the agency answering there: Bogor's own for its SAMPAH, none of DKI's dinas for a default.
    group = {s["service_code"]: s["group"] for s in bogor}
    assert group["SAMPAH"] == "Dinas Lingkungan Hidup Kota Bogor" and group["KEBAKARAN"] == ""
    assert {s["service_code"]: s["group"] for s in national}["SAMPAH"] == "Dinas Lingkungan Hidup"
    empty = (await georeport.get("services.json", {"jurisdiction_id": ""})).json()
    assert codes(empty) == codes(national)  # the spec: an empty optional argument is an absent one

    definition = await georeport.get("services/ANGKOT_NGETEM.json", {"jurisdiction_id": KOTA_BOGOR})
    assert definition.json() == {"service_code": "ANGKOT_NGETEM", "attributes": []}
    xml = await georeport.get("services/ANGKOT_NGETEM.xml", {"jurisdiction_id": KOTA_BOGOR})
    assert ElementTree.fromstring(xml.content).findtext("service_code") == "ANGKOT_NGETEM"
    for fmt, params in product(FORMATS, ({}, {"jurisdiction_id": JAKARTA_TIMUR})):
        response = await georeport.get(f"services/ANGKOT_NGETEM.{fmt}", params)
        assert "ANGKOT_NGETEM" in georeport.error(response, 404, fmt)


async def test_an_unknown_jurisdiction_is_the_specs_404(georeport: GeoReport) -> None:
    report = await submit(georeport, CEGER)
    paths = ["services", "services/SAMPAH", "requests", f"requests/{report['service_request_id']}"]
    for fmt, path, unknown in product(FORMATS, paths, ("99.99", "31.75.01.1001")):  # a kelurahan is no city
        response = await georeport.get(f"{path}.{fmt}", {"jurisdiction_id": unknown})
        assert unknown in georeport.error(response, 404, fmt)
    form = {"api_key": await apikeys.issue(unique("app")), "service_code": "SAMPAH", "lat": str(CEGER[0]),
            "long": str(CEGER[1]), "description": "Sampah", "jurisdiction_id": "99.99"}
    for fmt in FORMATS:
        assert "jurisdiction_id" in georeport.error(await georeport.post(f"requests.{fmt}", data=form), 404, fmt)


async def test_requests_in_a_partner_city_are_handled_with_or_without_the_jurisdiction(georeport: GeoReport) -> None:
    ids = []
    for fmt, extra in product(FORMATS, ({"jurisdiction_id": JAKARTA_TIMUR}, {})):
        created = await submit(georeport, CEGER, fmt=fmt, **extra)
        assert created["service_notice"] == WAITING
        ids.append(created["service_request_id"])
    as_json, as_xml = await georeport.get_both("requests", "service_requests", "request",
                                               service_request_id=",".join(ids))
    assert sorted(r["service_request_id"] for r in as_json) == sorted(ids)
    for record in as_json + as_xml:
        assert record["agency_responsible"] == "Dinas Lingkungan Hidup" and record["service_notice"] == ""
        due = datetime.fromisoformat(record["expected_datetime"])  # SAMPAH's 24 hours, in the W3C format
        assert due - datetime.fromisoformat(record["requested_datetime"]) == timedelta(hours=24)


async def test_requests_outside_partner_cities_are_taken_with_a_notice(georeport: GeoReport) -> None:
    ids = []
    for fmt, extra in product(FORMATS, ({"jurisdiction_id": KOTA_BOGOR}, {})):
        created = await submit(georeport, SEMPUR, "ANGKOT_NGETEM", fmt, **extra)  # Bogor's own category
        assert created["service_notice"] == BOGOR_NOTICE
        ids.append(created["service_request_id"])
    nowhere = await submit(georeport, BANDUNG)
    assert nowhere["service_notice"] == f"Lokasi ini di luar kota yang dikenal Warga: {NOT_HANDLED}"
    as_json, as_xml = await georeport.get_both("requests", "service_requests", "request",
                                               service_request_id=",".join([*ids, nowhere["service_request_id"]]))
    notices = {r["service_request_id"]: r["service_notice"] for r in as_json}
    assert notices == {**dict.fromkeys(ids, BOGOR_NOTICE), nowhere["service_request_id"]: nowhere["service_notice"]}
    assert [r["service_notice"] for r in as_xml] == [r["service_notice"] for r in as_json]
    assert {(r["agency_responsible"], r["expected_datetime"]) for r in as_json} == {("", None)}  # no deadline
    assert {(r["agency_responsible"], r["expected_datetime"]) for r in as_xml} == {("", "")}


async def test_a_named_jurisdiction_must_contain_the_point_and_offer_the_service(georeport: GeoReport) -> None:
    form = {"api_key": await apikeys.issue(unique("app")), "service_code": "SAMPAH", "description": "Sampah"}
    sempur, ceger = {"lat": str(SEMPUR[0]), "long": str(SEMPUR[1])}, {"lat": str(CEGER[0]), "long": str(CEGER[1])}
    bandung = {"lat": str(BANDUNG[0]), "long": str(BANDUNG[1])}
    for fmt in FORMATS:
        url = f"requests.{fmt}"
        in_bogor = await georeport.post(url, data={**form, **sempur, "jurisdiction_id": JAKARTA_TIMUR})
        assert "outside jurisdiction_id 31.75 (Jakarta Timur)" in georeport.error(in_bogor, 400, fmt)
        in_no_city = await georeport.post(url, data={**form, **bandung, "jurisdiction_id": KOTA_BOGOR})
        assert "Kota Bogor" in georeport.error(in_no_city, 400, fmt)
        for extra in ({"jurisdiction_id": JAKARTA_TIMUR}, {}):  # Jakarta Timur's catalog has no ANGKOT_NGETEM
            angkot = await georeport.post(url, data={**form, **ceger, **extra, "service_code": "ANGKOT_NGETEM"})
            assert "ANGKOT_NGETEM" in georeport.error(angkot, 404, fmt)


async def test_requests_filter_by_jurisdiction_and_show_it_as_an_extension(georeport: GeoReport) -> None:
    timur, bogor, nowhere = [(await submit(georeport, at))["service_request_id"] for at in (CEGER, SEMPUR, BANDUNG)]
    everything = ",".join([timur, bogor, nowhere])

    async def listed(**params: str) -> list[str]:
        as_json, as_xml = await georeport.get_both("requests", "service_requests", "request", **params)
        assert [r["service_request_id"] for r in as_xml] == [r["service_request_id"] for r in as_json]
        return [r["service_request_id"] for r in as_json]

    in_timur, in_bogor = await listed(jurisdiction_id=JAKARTA_TIMUR), await listed(jurisdiction_id=KOTA_BOGOR)
    assert timur in in_timur and not {bogor, nowhere} & set(in_timur)
    assert bogor in in_bogor and not {timur, nowhere} & set(in_bogor)
    assert {timur, bogor, nowhere} <= set(await listed())
    assert await listed(service_request_id=everything, jurisdiction_id=KOTA_BOGOR) == [bogor]
    other_city = await georeport.get(f"requests/{bogor}.json", {"jurisdiction_id": JAKARTA_TIMUR})
    georeport.error(other_city, 404, "json")
    [own_city] = (await georeport.get(f"requests/{bogor}.json", {"jurisdiction_id": KOTA_BOGOR})).json()
    assert own_city["service_request_id"] == bogor and "extended_attributes" not in own_city

    extended = (await georeport.get("requests.json", {"service_request_id": everything, "extensions": "true"})).json()
    assert {r["service_request_id"]: r["extended_attributes"] for r in extended} == {
        timur: {"jurisdiction_id": JAKARTA_TIMUR, "handled": True},
        bogor: {"jurisdiction_id": KOTA_BOGOR, "handled": False},
        nowhere: {"jurisdiction_id": None, "handled": False},
    }
    xml = await georeport.get(f"requests/{bogor}.xml", {"extensions": "true"})
    assert ElementTree.fromstring(xml.content).findtext("request/extended_attributes/jurisdiction_id") == KOTA_BOGOR
