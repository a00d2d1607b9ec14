"""Open311 GeoReport v2: every endpoint in JSON and XML, checked against the spec's field names."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

import httpx
import pytest

from core import clock
from models import Report
from models.enums import Role
from resolvers.ids import pk_of, to_global_id
from services import apikeys
from testkit.client import Api, unique
from testkit.processes import base_env, run
from testkit.reports import ACK, CEGER, PISANGAN_BARU, post

BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def xml_rows(response: httpx.Response, root: str, item: str) -> list[dict[str, str]]:
    assert response.headers["content-type"].startswith("text/xml")
    document = ElementTree.fromstring(response.content)
    assert document.tag == root
    assert all(child.tag == item for child in document)
    return [{field.tag: field.text or "" for field in child} for child in document]


async def get_both(api: Api, path: str, root: str, item: str, **params: Any) -> tuple[Any, list[dict[str, str]]]:
    as_json = await api.http.get(f"{BASE}/{path}.json", params=params)
    as_xml = await api.http.get(f"{BASE}/{path}.xml", params=params)
    assert as_json.status_code == as_xml.status_code == 200, (as_json.text, as_xml.text)
    assert as_json.headers["content-type"] == "application/json"
    return as_json.json(), xml_rows(as_xml, root, item)


async def assert_error(response: httpx.Response, status: int, fmt: str) -> str:
    assert response.status_code == status, response.text
    if fmt == "json":
        [error] = response.json()
        assert set(error) == {"code", "description"} and error["code"] == status
        return str(error["description"])
    [error] = xml_rows(response, "errors", "error")
    assert error["code"] == str(status)
    return error["description"]


async def test_discovery(api: Api) -> None:
    as_json = (await api.http.get(f"{BASE}/discovery.json")).json()
    [endpoint] = as_json["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    document = ElementTree.fromstring((await api.http.get(f"{BASE}/discovery.xml")).content)
    assert document.tag == "discovery" and document.findtext("endpoints/endpoint/type") == "production"
    formats = document.find("endpoints/endpoint/formats")
    assert formats is not None and [f.text for f in formats] == ["text/xml", "application/json"]


async def test_services_are_the_categories(api: Api) -> None:
    as_json, as_xml = await get_both(api, "services", "services", "service")
    assert [list(s) for s in as_json] == [SERVICE_FIELDS] * len(as_json)
    assert [list(s) for s in as_xml] == [SERVICE_FIELDS] * len(as_xml)
    codes = [s["service_code"] for s in as_json]
    assert "PJU_PADAM" in codes and codes == [s["service_code"] for s in as_xml]
    assert as_xml[0]["metadata"] == "false"
    definition = (await api.http.get(f"{BASE}/services/PJU_PADAM.json")).json()
    assert definition == {"service_code": "PJU_PADAM", "attributes": []}
    document = ElementTree.fromstring((await api.http.get(f"{BASE}/services/PJU_PADAM.xml")).content)
    assert document.tag == "service_definition" and document.findtext("service_code") == "PJU_PADAM"
    for fmt in ("json", "xml"):
        assert "NOPE" in await assert_error(await api.http.get(f"{BASE}/services/NOPE.{fmt}"), 404, fmt)
    assert (await api.http.get(f"{BASE}/services.html")).status_code == 404


async def test_requests_carry_the_spec_fields_and_follow_the_workflow(api: Api) -> None:
    resident, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = await post(api, resident, PISANGAN_BARU, body="Lampu jalan mati di gang 3")
    number = str(pk_of(report["id"], "Report"))
    as_json, as_xml = await get_both(api, "requests", "service_requests", "request", service_request_id=number)
    assert list(as_json[0]) == REQUEST_FIELDS and list(as_xml[0]) == REQUEST_FIELDS
    record = as_json[0]
    assert record["service_request_id"] == number and record["status"] == "open"
    assert record["service_code"] == "PJU_PADAM" and record["description"] == "Lampu jalan mati di gang 3"
    assert record["media_url"].startswith("http://127.0.0.1:") and record["media_url"].endswith(".jpg")
    assert (await api.http.get(record["media_url"])).status_code == 200
    assert as_xml[0]["lat"] == str(record["lat"]) and as_xml[0]["status"] == "open"
    await api.gql(ACK, {"id": report["id"]}, officer)
    [single] = (await api.http.get(f"{BASE}/requests/{number}.json")).json()
    assert single["status"] == "open" and single["status_notes"].endswith("(IN_PROGRESS): Segera dicek")
    [single_xml] = xml_rows(await api.http.get(f"{BASE}/requests/{number}.xml"), "service_requests", "request")
    assert single_xml["status_notes"] == single["status_notes"]
    for fmt in ("json", "xml"):
        await assert_error(await api.http.get(f"{BASE}/requests/999999999.{fmt}"), 404, fmt)
        await assert_error(await api.http.get(f"{BASE}/requests/abc.{fmt}"), 404, fmt)
        await assert_error(await api.http.get(f"{BASE}/requests/99999999999999.{fmt}"), 404, fmt)
        huge = await api.http.get(f"{BASE}/requests.{fmt}", params={"service_request_id": "99999999999999"})
        await assert_error(huge, 400, fmt)


async def test_request_filters_and_the_90_day_default(api: Api) -> None:
    resident, _ = await api.account()
    old = str(pk_of((await post(api, resident, CEGER, body="Sampah lama", category="SAMPAH"))["id"], "Report"))
    clock.advance(91 * 86400)
    resident, _ = await api.account()  # the first one's session has expired by now
    new = str(pk_of((await post(api, resident, CEGER, body="Sampah baru", category="SAMPAH"))["id"], "Report"))
    recent = [r["service_request_id"] for r in (await api.http.get(f"{BASE}/requests.json")).json()]
    assert new in recent and old not in recent
    since = (clock.now().replace(microsecond=0) - timedelta(days=100)).isoformat()
    both = (await api.http.get(f"{BASE}/requests.json", params={"start_date": since, "service_code": "SAMPAH"})).json()
    assert {old, new} <= {r["service_request_id"] for r in both}
    assert {r["service_code"] for r in both} == {"SAMPAH"}
    listed = (await api.http.get(f"{BASE}/requests.json", params={"service_request_id": f"{old},{new}"})).json()
    assert [r["service_request_id"] for r in listed] == [new, old]
    closed = (await api.http.get(f"{BASE}/requests.json", params={"status": "closed", "start_date": since})).json()
    assert new not in {r["service_request_id"] for r in closed}
    for fmt in ("json", "xml"):
        assert "start_date" in await assert_error(
            await api.http.get(f"{BASE}/requests.{fmt}", params={"start_date": "yesterday"}), 400, fmt)
        await assert_error(await api.http.get(f"{BASE}/requests.{fmt}", params={"status": "done"}), 400, fmt)


async def test_post_with_a_key_routes_like_graphql_and_never_fetches_media(api: Api) -> None:
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
    response = await api.http.post(f"{BASE}/requests.json", data=form)
    assert response.status_code == 201, response.text
    [created] = response.json()
    assert list(created) == ["service_request_id", "service_notice", "account_id"]
    report = await Report.get(id=int(created["service_request_id"])).select_related("area")
    assert report.area is not None and report.area.code == "31.75.10.1008"  # Ceger, as GraphQL routes it
    assert report.media_url == media
    [record] = (await api.http.get(f"{BASE}/requests/{created['service_request_id']}.json")).json()
    assert record["media_url"] == "" and record["address"] == "Jl. Ceger Raya"  # the link is for officials only
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.10.1008")
    document = "query($id: ID!) { report(id: $id) { externalMediaUrl photos { id } } }"
    gid = to_global_id("Report", report.id)
    assert (await api.gql(document, {"id": gid}, officer))["report"] == {"externalMediaUrl": media, "photos": []}
    assert (await api.gql(document, {"id": gid}))["report"]["externalMediaUrl"] is None
    xml = await api.http.post(f"{BASE}/requests.xml", data={**form, "description": "Sampah lagi"})
    assert xml.status_code == 201 and xml_rows(xml, "service_requests", "request")[0]["service_request_id"]
    await asyncio.sleep(0.2)
    listener.close()
    assert fetched == []

    for fmt in ("json", "xml"):
        url = f"{BASE}/requests.{fmt}"
        wrong_key = await api.http.post(url, data={**form, "api_key": "w311_wrong"})
        assert "api_key" in await assert_error(wrong_key, 403, fmt)
        no_key = await api.http.post(url, data={k: v for k, v in form.items() if k != "api_key"})
        assert "api_key" in await assert_error(no_key, 403, fmt)
        await assert_error(await api.http.post(url, data={**form, "service_code": "NOPE"}), 404, fmt)
        no_place = {k: v for k, v in form.items() if k not in ("lat", "long")}
        assert "lat" in await assert_error(await api.http.post(url, data=no_place), 400, fmt)
        await assert_error(await api.http.post(url, data={**form, "lat": "91"}), 400, fmt)
        await assert_error(await api.http.post(url, data={**form, "media_url": "file:///etc/passwd"}), 400, fmt)
        await assert_error(await api.http.post(url, data={**form, "description": ""}), 400, fmt)
        outside = {**form, "lat": "-6.9", "long": "107.6"}  # Bandung: no kelurahan of ours
        await assert_error(await api.http.post(url, data=outside), 400, fmt)


@pytest.mark.timeout(60)
async def test_keys_from_the_command_line_can_be_revoked(api: Api) -> None:
    settings = api.server.settings
    env = base_env(settings.database_url, "", settings.media_root)
    name = unique("cli_app")
    key = (await run("create-api-key", "--name", name, env=env)).strip().splitlines()[-1]
    assert key.startswith("w311_")
    form = {"api_key": key, "service_code": "SAMPAH", "lat": str(CEGER[0]), "long": str(CEGER[1]),
            "description": "Dari aplikasi mitra"}
    assert (await api.http.post(f"{BASE}/requests.json", data=form)).status_code == 201
    await run("revoke-api-key", "--name", name, env=env)
    await assert_error(await api.http.post(f"{BASE}/requests.json", data=form), 403, "json")
