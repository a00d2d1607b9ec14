"""The two formats GeoReport v2 speaks: JSON, and the XML the spec requires."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

import orjson
from starlette.responses import Response

# The element name of a list's items, by the list's own name.
ITEM = {
    "services": "service",
    "service_requests": "request",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "jurisdictions": "jurisdiction",  # discovery's extension (open311/jurisdictions.py)
}
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml; charset=utf-8"}


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEM[element.tag]), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def to_xml(root: str, value: Any) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, value)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """`root` names the XML document element; JSON has none and sends the value itself."""
    body = to_xml(root, value) if fmt == "xml" else orjson.dumps(value)
    return Response(body, status_code=status, media_type=MEDIA_TYPES[fmt], headers=headers)


def errors(fmt: str, status: int, description: str, headers: dict[str, str] | None = None) -> Response:
    """The spec's error format: a list of {code, description}."""
    return render(fmt, "errors", [{"code": status, "description": description}], status, headers)
