"""A city's catalog from a JSON document: its agencies, its categories (overriding the national defaults of the
same code, or its own), its time zone and duty-payment rates. Loaded by the city's admin (mutation
importCityCatalog) or the operator (`import-catalog`); loading it again updates by code.

    {"timezone": "Asia/Jakarta",
     "duty_rates": {"rt": 10000, "rw": 12500, "monthly_cap": 90},
     "agencies": [{"code": "DPUPR_BGR", "name": "Dinas PUPR Kota Bogor", "area_code": "32.71"}],
     "categories": [{"code": "JALAN_RUSAK", "name": "Jalan rusak", "agency_code": "DPUPR_BGR",
                     "sla_hours": 120, "escalate_every_hours": 48, "asset_kinds": ["DRAIN"]}]}

Every key is optional; an agency's area defaults to the city and must lie inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson
from tortoise.transactions import in_transaction

from core.errors import BadInput, Forbidden
from models import Account, Agency, Area, Category, City
from models.enums import AssetKind
from services import cities, escalation, permissions
from services.text import required_text

MAX_ENTRIES = 1000
MAX_BYTES = 1_000_000  # a thousand categories and agencies with room to spare


@dataclass(frozen=True)
class Loaded:
    agencies: int
    categories: int


def _entries(document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    entries = document.get(key) or []
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES or not all(isinstance(e, dict) for e in entries):
        raise BadInput(f"{key} is a list of at most {MAX_ENTRIES} objects.")
    return entries


def _text(entry: dict[str, Any], key: str, what: str, max_length: int) -> str:
    value = entry.get(key)
    if not isinstance(value, str):
        raise BadInput(f"{what} is text.")
    return required_text(value, what, max_length)


def _whole(entry: dict[str, Any], key: str, low: int, *, optional: bool = False) -> int | None:
    value = entry.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise BadInput(f"{entry.get('code', '?')}: {key} is a whole number of at least {low}.")
    return value


def _settings(city: City, document: dict[str, Any]) -> None:
    if (zone := document.get("timezone")) is not None:
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise BadInput(f"Unknown time zone {zone!r}.") from exc
        city.timezone = str(zone)
    rates = document.get("duty_rates")
    if rates is not None:
        if not isinstance(rates, dict):
            raise BadInput("duty_rates is an object with rt, rw and monthly_cap.")
        city.duty_rate_rt = _whole(rates, "rt", 0, optional=True)
        city.duty_rate_rw = _whole(rates, "rw", 0, optional=True)
        city.duty_monthly_cap = _whole(rates, "monthly_cap", 0, optional=True)


async def _agencies(city: City, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        code = _text(entry, "code", "An agency's code", 32)
        name = _text(entry, "name", f"{code}: the name", 200)
        area_code = _text(entry, "area_code", f"{code}: area_code", 32) if "area_code" in entry else city.area.code
        area = await Area.get_or_none(code=area_code)
        if area is None or not area.path.startswith(city.area.path):
            raise BadInput(f"{code}: its area must be the city or lie inside it.")
        agency = await Agency.get_or_none(code=code).select_related("area")
        if agency is not None and (agency.area is None or not agency.area.path.startswith(city.area.path)):
            raise Forbidden(f"{code}: that agency code belongs to another government.")
        if agency is None:
            await Agency.create(code=code, name=name, area=area)
        else:
            agency.name, agency.area = name, area
            await agency.save(update_fields=["name", "area_id"])


def _kinds(entry: dict[str, Any], code: str) -> list[str]:
    kinds = entry.get("asset_kinds") or []
    if not isinstance(kinds, list) or not all(kind in AssetKind.__members__ for kind in kinds):
        raise BadInput(f"{code}: asset_kinds is a list of {', '.join(AssetKind)}.")
    return list(dict.fromkeys(kinds))


async def _serving(code: str, city: City) -> Agency:
    """An agency that may answer for the city's reports: one inside the city, or above it (a province's
    dinas, a national one)."""
    agency = await Agency.get_or_none(code=code).select_related("area")
    path = agency.area.path if agency is not None and agency.area is not None else "/"
    if agency is None or not (city.area.path.startswith(path) or path.startswith(city.area.path)):
        raise BadInput(f"Unknown agency {code!r} for this city.")
    return agency


async def _categories(city: City, entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        code = _text(entry, "code", "A category's code", 32)
        fields = {
            "name": _text(entry, "name", f"{code}: the name", 200),
            "agency_id": (await _serving(_text(entry, "agency_code", f"{code}: agency_code", 32), city)).id
            if entry.get("agency_code") is not None else None,
            "sla_hours": _whole(entry, "sla_hours", 1),
            "escalate_every_hours": _whole(entry, "escalate_every_hours", 1, optional=True),
            "asset_kinds": _kinds(entry, code),
        }
        category, created = await Category.get_or_create(city_id=city.id, code=code, defaults=fields)
        if not created:
            await category.update_from_dict(fields).save()
        await escalation.schedule_waiting(category)


def parse(data: bytes) -> object:
    if len(data) > MAX_BYTES:
        raise BadInput(f"A catalog is at most {MAX_BYTES:,} bytes.")
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BadInput(f"A catalog is a JSON document: {exc}") from exc


async def load(actor: Account | None, city_id: int, document: object) -> Loaded:
    """The city's admin or ADMIN (the command line passes actor=None: the operator's rights)."""
    city = await cities.get(city_id)
    if actor is not None and not permissions.administers(actor, city.area.path):
        raise Forbidden("Only the city's admin loads its catalog.")
    if not isinstance(document, dict):
        raise BadInput("A catalog is a JSON object.")
    agencies, categories = _entries(document, "agencies"), _entries(document, "categories")
    async with in_transaction():
        _settings(city, document)
        await city.save(update_fields=["timezone", "duty_rate_rt", "duty_rate_rw", "duty_monthly_cap"])
        await _agencies(city, agencies)
        await _categories(city, categories)
    return Loaded(len(agencies), len(categories))
