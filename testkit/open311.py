"""What the Open311 tests share (tests/open311/conftest.py hands it over as the `georeport` fixture): calls
under /open311/v2/, and both formats read as a GeoReport v2 client reads them."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import httpx

from testkit.client import Api

BASE = "/open311/v2"


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
