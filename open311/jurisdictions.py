"""GeoReport v2's jurisdiction_id: Warga's cities, by the Kemendagri code of their CITY area ("31.75").

The spec asks for it on every call "only if the endpoint serves multiple jurisdictions"; Warga serves many but
keeps it optional, as before cities: without it the point of a posted request picks its city, and the lists are
the national ones. An unknown id is the spec's 404 "jurisdiction_id not found".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import BadInput, NotFound
from models import City
from services import cities

# Said instead of a deadline when nobody answers for a request (Report.handled false).
UNHANDLED = "laporan tercatat dan publik, tetapi belum ada petugas yang menanganinya."


def wants_extensions(params: Mapping[str, str]) -> bool:
    """The GeoReport v2 Extensions page's convention: fields beyond the spec only with extensions=true."""
    return params.get("extensions") == "true"


async def resolve(params: Mapping[str, str]) -> City | None:
    """The city a call names; None without one (the spec: an empty optional argument is an absent one)."""
    code = params.get("jurisdiction_id") or None
    if code is None:
        return None
    city = await cities.by_code(code)
    if city is None:
        raise NotFound(f"jurisdiction_id {code!r} not found; discovery.json?extensions=true lists them.")
    return city


def unhandled_notice(city_name: str | None) -> str:
    where = f"{city_name} belum bermitra dengan Warga" if city_name else "Lokasi ini di luar kota yang dikenal Warga"
    return f"{where}: {UNHANDLED}"


async def service_exists(code: str, city_id: int | None) -> None:
    """NOT_FOUND (the spec's 404) unless the code is in the city's catalog, or the national one for None."""
    try:
        await cities.category(code, city_id)
    except BadInput:
        raise NotFound(f"No service with the code {code!r} here.") from None


def check_inside(city: City, point_city_id: int | None) -> None:
    if point_city_id != city.id:
        raise BadInput(
            f"lat/long lie outside jurisdiction_id {city.area.code} ({city.area.name}); "
            "leave jurisdiction_id out to let the location choose the city."
        )


async def listed() -> list[dict[str, Any]]:
    """Every city as discovery's extension lists it: partners first."""
    return [
        {"jurisdiction_id": c.area.code, "name": c.area.name, "partner": c.partner_since is not None}
        for c in await cities.listed()
    ]


def contact(jurisdictions: list[dict[str, Any]]) -> str:
    """Discovery's contact text, the only place the spec's fixed discovery format leaves for jurisdictions:
    the partners by name (a country's worth of codes would not be read), and where the full list is."""
    partners = ", ".join(f"{j['jurisdiction_id']} {j['name']}" for j in jurisdictions if j["partner"])
    return (
        "Warga, layanan pengaduan warga. jurisdiction_id is a city's Kemendagri code and optional (without it a "
        f"request's location picks the city); partner cities: {partners or 'none yet'}; every city Warga knows: "
        "discovery.json?extensions=true. Keys: ask the city's admin."
    )
