"""Where a posted request lies. GeoReport v2 wants its location as lat/long, address_string or address_id; Warga
reads lat/long, and address_id as the code of one of the city's assets (a street-light pole such as
PJU-JT-000101, a pump station, ...), whose point stands in for a missing lat/long. address_string is kept as the
request's address text and never geocoded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from core.errors import BadInput
from models import Asset

NO_LOCATION = (
    "A request needs its location as lat and long, or address_id (an asset's code, such as PJU-JT-000101); "
    "this server does not geocode address_string."
)


@dataclass(frozen=True)
class Location:
    lat: float
    lng: float
    asset_id: int | None  # create_report attaches it, refusing one farther than 250 m from lat/lng


async def posted(params: Mapping[str, str]) -> Location:
    """lat/long when given (with address_id too, the asset is attached to that point), else the asset's point."""
    if bool(params.get("lat")) != bool(params.get("long")):
        raise BadInput("lat and long come together.")
    asset = await _asset(params.get("address_id") or None)
    if asset is not None and not params.get("lat"):
        return Location(asset.lat, asset.lng, asset.id)
    lat, lng = _coordinate(params, "lat", -90, 90), _coordinate(params, "long", -180, 180)
    return Location(lat, lng, asset.id if asset is not None else None)


async def _asset(code: str | None) -> Asset | None:
    if code is None:
        return None
    asset = await Asset.get_or_none(code=code.strip())
    if asset is None:
        raise BadInput(
            f"address_id {code!r} is not an asset Warga knows: address_id is the code of one of the city's "
            "assets, such as the street-light pole PJU-JT-000101."
        )
    return asset


def _coordinate(params: Mapping[str, str], name: str, low: float, high: float) -> float:
    try:
        value = float(params[name])
    except (KeyError, ValueError):
        raise BadInput(NO_LOCATION) from None
    if not low <= value <= high:
        raise BadInput(f"{name} must lie between {low} and {high}.")
    return value
