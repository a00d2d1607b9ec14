"""What the Open311 tests share (tests/open311/conftest.py hands it over as the `georeport` fixture): calls
under /open311/v2/, and both formats read as a GeoReport v2 client reads them."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import httpx

from testkit.client import Api

BASE = "/open311/v2"
# A request's fields in the spec's order (GET requests and requests/{id}).
REQUEST_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


class GeoReport:
    def __init__(self, api: Api) -> None:
        self.http = api.http

    async def get(self, path: str, params: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.get(f"{BASE}/{path}", params=params)

    async def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        return await self.http.post(f"{BASE}/{path}", data=data)

    @staticmethod
    def rows(response: httpx.Response, root: str, item: str) -> list[dict[str, str]]:
        """An XML list as one dict per item (its children's text), after checking the document's shape."""
        assert response.headers["content-type"].startswith("text/xml")
        document = ElementTree.fromstring(response.content)
        assert document.tag == root
        assert all(child.tag == item for child in document)
        return [{field.tag: field.text or "" for field in child} for child in document]

    @classmethod
    def requests(cls, response: httpx.Response, fmt: str) -> list[dict[str, Any]]:
        """A service_requests document in either format (XML's values are all text)."""
        listed = response.json() if fmt == "json" else cls.rows(response, "service_requests", "request")
        return [dict(record) for record in listed]

    @classmethod
    def created(cls, response: httpx.Response, fmt: str) -> dict[str, Any]:
        """A POST's answer: 201 and the one request it took."""
        assert response.status_code == 201, response.text
        [created] = cls.requests(response, fmt)
        return created

    async def one(self, number: str, fmt: str) -> dict[str, Any]:
        """requests/{number} in either format."""
        response = await self.get(f"requests/{number}.{fmt}")
        assert response.status_code == 200, response.text
        [record] = self.requests(response, fmt)
        assert list(record) == REQUEST_FIELDS
        return record

    async def get_both(self, path: str, root: str, item: str, **params: str) -> tuple[Any, list[dict[str, str]]]:
        """`path` without its format, in JSON and in XML: both must answer 200."""
        as_json = await self.get(f"{path}.json", params)
        as_xml = await self.get(f"{path}.xml", params)
        assert as_json.status_code == as_xml.status_code == 200, (as_json.text, as_xml.text)
        assert as_json.headers["content-type"] == "application/json"
        return as_json.json(), self.rows(as_xml, root, item)

    @classmethod
    def error(cls, response: httpx.Response, status: int, fmt: str) -> str:
        """The spec's error list with one error of this status; its description."""
        assert response.status_code == status, response.text
        if fmt == "json":
            [error] = response.json()
            assert set(error) == {"code", "description"} and error["code"] == status
            return str(error["description"])
        [error] = cls.rows(response, "errors", "error")
        assert error["code"] == str(status)
        return error["description"]
