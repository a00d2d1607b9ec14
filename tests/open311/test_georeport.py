"""Open311 GeoReport v2: every endpoint in JSON and XML, checked against the spec's field names."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from xml.etree import ElementTree

import pytest

from core import clock
from models import Report
from models.enums import Role
from resolvers.ids import pk_of, to_global_id
from services import apikeys
from testkit.client import Api, unique
from testkit.open311 import REQUEST_FIELDS, GeoReport
from testkit.processes import base_env, run
from testkit.reports import ACK, CEGER, PISANGAN_BARU, post

SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


async def test_discovery(georeport: GeoReport) -> None:
    as_json = (await georeport.get("discovery.json")).json()
    [endpoint] = as_json["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    document = ElementTree.fromstring((await georeport.get("discovery.xml")).content)
    assert document.tag == "discovery" and document.findtext("endpoints/endpoint/type") == "production"
    formats = document.find("endpoints/endpoint/formats")
    assert formats is not None and [f.text for f in formats] == ["text/xml", "application/json"]


async def test_services_are_the_categories(georeport: GeoReport) -> None:
    as_json, as_xml = await georeport.get_both("services", "services", "service")
    assert [list(s) for s in as_json] == [SERVICE_FIELDS] * len(as_json)
    assert [list(s) for s in as_xml] == [SERVICE_FIELDS] * len(as_xml)
    codes = [s["service_code"] for s in as_json]
    assert "PJU_PADAM" in codes and codes == [s["service_code"] for s in as_xml]
    assert as_xml[0]["metadata"] == "false"
    definition = (await georeport.get("services/PJU_PADAM.json")).json()
    assert definition == {"service_code": "PJU_PADAM", "attributes": []}
    document = ElementTree.fromstring((await georeport.get("services/PJU_PADAM.xml")).content)
    assert document.tag == "service_definition" and document.findtext("service_code") == "PJU_PADAM"
    for fmt in ("json", "xml"):
        assert "NOPE" in georeport.error(await georeport.get(f"services/NOPE.{fmt}"), 404, fmt)
    assert (await georeport.get("services.html")).status_code == 404


async def test_requests_carry_the_spec_fields_and_follow_the_workflow(api: Api, georeport: GeoReport) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = await post(api, resident, PISANGAN_BARU, body="Lampu jalan mati di gang 3")
    number = str(pk_of(report["id"], "Report"))
    as_json, as_xml = await georeport.get_both("requests", "service_requests", "request", service_request_id=number)
    assert list(as_json[0]) == REQUEST_FIELDS and list(as_xml[0]) == REQUEST_FIELDS
    record = as_json[0]
    assert record["service_request_id"] == number and record["status"] == "open"
    assert record["service_code"] == "PJU_PADAM" and record["description"] == "Lampu jalan mati di gang 3"
    assert record["media_url"].startswith("http://127.0.0.1:") and record["media_url"].endswith(".jpg")
    assert (await api.http.get(record["media_url"])).status_code == 200
    assert as_xml[0]["lat"] == str(record["lat"]) and as_xml[0]["status"] == "open"
    await api.gql(ACK, {"id": report["id"]}, officer)
    [single] = (await georeport.get(f"requests/{number}.json")).json()
    assert single["status"] == "open" and single["status_notes"].endswith("(IN_PROGRESS): Segera dicek")
    [single_xml] = georeport.rows(await georeport.get(f"requests/{number}.xml"), "service_requests", "request")
    assert single_xml["status_notes"] == single["status_notes"]
    # A moderator's decision on a flag is for officials only: never in the public notes.
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    await api.gql('mutation($id: ID!) { flagReport(reportId: $id, reason: "Bukan di sini") }', {"id": report["id"]},
                  resident)
    await api.gql('mutation($id: ID!) { keepReport(reportId: $id, reason: "Alasan moderator") { id } }',
                  {"id": report["id"]}, lurah)
    [kept] = (await georeport.get(f"requests/{number}.json")).json()
    assert kept["status_notes"] == single["status_notes"]
    for fmt in ("json", "xml"):
        georeport.error(await georeport.get(f"requests/999999999.{fmt}"), 404, fmt)
        georeport.error(await georeport.get(f"requests/abc.{fmt}"), 404, fmt)
        georeport.error(await georeport.get(f"requests/99999999999999.{fmt}"), 404, fmt)
        huge = await georeport.get(f"requests.{fmt}", params={"service_request_id": "99999999999999"})
        georeport.error(huge, 400, fmt)


async def test_request_filters_and_the_90_day_default(api: Api, georeport: GeoReport) -> None:
    resident, _ = await api.account()
    old = str(pk_of((await post(api, resident, CEGER, body="Sampah lama", category="SAMPAH"))["id"], "Report"))
    clock.advance(91 * 86400)
    resident, _ = await api.account()  # the first one's session has expired by now
    new = str(pk_of((await post(api, resident, CEGER, body="Sampah baru", category="SAMPAH"))["id"], "Report"))
    recent = [r["service_request_id"] for r in (await georeport.get("requests.json")).json()]
    assert new in recent and old not in recent
    since = (clock.now().replace(microsecond=0) - timedelta(days=100)).isoformat()
    both = (await georeport.get("requests.json", params={"start_date": since, "service_code": "SAMPAH"})).json()
    assert {old, new} <= {r["service_request_id"] for r in both}
    assert {r["service_code"] for r in both} == {"SAMPAH"}
    listed = (await georeport.get("requests.json", params={"service_request_id": f"{old},{new}"})).json()
    assert [r["service_request_id"] for r in listed] == [new, old]
    closed = (await georeport.get("requests.json", params={"status": "closed", "start_date": since})).json()
    assert new not in {r["service_request_id"] for r in closed}
    for fmt in ("json", "xml"):
        assert "start_date" in georeport.error(
            await georeport.get(f"requests.{fmt}", params={"start_date": "yesterday"}), 400, fmt)
        georeport.error(await georeport.get(f"requests.{fmt}", params={"status": "done"}), 400, fmt)


async def test_post_with_a_key_routes_like_graphql_and_never_fetches_media(api: Api, georeport: GeoReport) -> None:
    key = await apikeys.issue(unique("app"))
    fetched: list[bytes] = []

    async def trap(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        fetched.append(await reader.read(100))
        writer.close()

    listener = await asyncio.start_server(trap, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    media = f"http://127.0.0.1:{port}/internal/secret.jpg"
    form = {"api_key": key, "service_code": "SAMPAH", "lat": str(CEGER[0]), "long": str(CEGER[1]),
            "description": "Tumpukan sampah di pinggir kali", "address_string": "Jl. Ceger Raya", "media_url": media,
            "email": "warga@example.org", "first_name": "Siti"}
    response = await georeport.post("requests.json", data=form)
    assert response.status_code == 201, response.text
    [created] = response.json()
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    report = await Report.get(id=int(created["service_request_id"])).select_related("area")
    assert report.area is not None and report.area.code == "31.75.10.1008"  # Ceger, as GraphQL routes it
    assert report.media_url == media
    [record] = (await georeport.get(f"requests/{created['service_request_id']}.json")).json()
    assert record["media_url"] == "" and record["address"] == "Jl. Ceger Raya"  # the link is for officials only
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.10.1008")
    document = "query($id: ID!) { report(id: $id) { externalMediaUrl photos { id } } }"
    gid = to_global_id("Report", report.id)
    assert (await api.gql(document, {"id": gid}, officer))["report"] == {"externalMediaUrl": media, "photos": []}
    assert (await api.gql(document, {"id": gid}))["report"]["externalMediaUrl"] is None
    xml = await georeport.post("requests.xml", data={**form, "description": "Sampah lagi"})
    assert xml.status_code == 201 and georeport.rows(xml, "service_requests", "request")[0]["service_request_id"]
    await asyncio.sleep(0.2)
    listener.close()
    assert fetched == []

    for fmt in ("json", "xml"):
        url = f"requests.{fmt}"
        wrong_key = await georeport.post(url, data={**form, "api_key": "w311_wrong"})
        assert "api_key" in georeport.error(wrong_key, 403, fmt)
        no_key = await georeport.post(url, data={k: v for k, v in form.items() if k != "api_key"})
        assert "api_key" in georeport.error(no_key, 403, fmt)
        georeport.error(await georeport.post(url, data={**form, "service_code": "NOPE"}), 404, fmt)
        no_place = {k: v for k, v in form.items() if k not in ("lat", "long")}
        assert "lat" in georeport.error(await georeport.post(url, data=no_place), 400, fmt)
        georeport.error(await georeport.post(url, data={**form, "lat": "91"}), 400, fmt)
        georeport.error(await georeport.post(url, data={**form, "media_url": "file:///etc/passwd"}), 400, fmt)
        georeport.error(await georeport.post(url, data={**form, "description": ""}), 400, fmt)
        # Bandung, in no city Warga knows: taken all the same, and the notice says nobody handles it.
        taken = georeport.created(await georeport.post(url, data={**form, "lat": "-6.9", "long": "107.6"}), fmt)
        assert taken["service_notice"].startswith("Lokasi ini di luar kota yang dikenal Warga")


@pytest.mark.timeout(60)
async def test_keys_from_the_command_line_can_be_revoked(api: Api, georeport: GeoReport) -> None:
    settings = api.server.settings
    env = base_env(settings.database_url, "", settings.media_root)
    name = unique("cli_app")
    key = (await run("create-api-key", "--name", name, env=env)).strip().splitlines()[-1]
    assert key.startswith("w311_")
    form = {"api_key": key, "service_code": "SAMPAH", "lat": str(CEGER[0]), "long": str(CEGER[1]),
            "description": "Dari aplikasi mitra"}
    assert (await georeport.post("requests.json", data=form)).status_code == 201
    await run("revoke-api-key", "--name", name, env=env)
    georeport.error(await georeport.post("requests.json", data=form), 403, "json")
