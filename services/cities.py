"""Cities: which city a place lies in, its zone and rates, its catalog, and partnerships.

A report's city is stored on it at creation; a partner city's reports are `handled` (an agency, a deadline,
officials who answer), others are public but nobody's. Starting a partnership makes the city's waiting
reports handled, their deadlines counted from that moment.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Agency, Area, Category, City, Report
from models.areas import path_ids
from models.enums import OPEN_STATUSES, AreaLevel, ReportKind, Role
from models.zones import zone_of_code
from plumbing.columns import column
from plumbing.dialect import is_postgres, sql_rows
from services import escalation, routing


async def city_of_path(path: str) -> City | None:
    """The city whose area is this area or one above it (None above city level or outside every city)."""
    ids = path_ids(path)
    return await City.filter(area_id__in=ids).select_related("area").first() if ids else None


async def ensure_cities(areas: list[Area]) -> int:
    """Every CITY area is a City (not a partner until an admin says so), in its province's zone."""
    city_areas = [a for a in areas if a.level == AreaLevel.CITY]
    known = set(await column(City.filter(area_id__in=[a.id for a in city_areas]), "area_id", int))
    fresh = [City(area_id=a.id, timezone=zone_of_code(a.code)) for a in city_areas if a.id not in known]
    await City.bulk_create(fresh)
    return len(fresh)


async def listed() -> list[City]:
    """Every city, partners first, then by name."""
    cities = await City.all().select_related("area")
    return sorted(cities, key=lambda c: (c.partner_since is None, c.area.name))


async def by_code(code: str) -> City | None:
    return await City.get_or_none(area__code=code).select_related("area")


async def get(city_id: int) -> City:
    city = await City.get_or_none(id=city_id).select_related("area")
    if city is None:
        raise NotFound("No such city.")
    return city


async def categories(city_id: int | None) -> list[Category]:
    """A city's catalog: the national defaults with the city's own categories in place of those of the same
    code, and the city's additions; the national defaults alone for None."""
    national = {c.code: c for c in await Category.filter(city_id=None)}
    own = {c.code: c for c in await Category.filter(city_id=city_id)} if city_id is not None else {}
    return sorted({**national, **own}.values(), key=lambda c: c.name)


async def agencies(city_id: int | None) -> list[Agency]:
    """The agencies serving inside the city (their area is the city or within it); every agency for None."""
    if city_id is None:
        return await Agency.all().order_by("name")
    city = await get(city_id)
    return await Agency.filter(area__path__startswith=city.area.path).order_by("name")


async def category(code: str, city_id: int | None) -> Category:
    """The category a report of this code gets in this city: the city's own, else the national default."""
    found = await Category.filter(code=code, city_id__in=[city_id] if city_id else []).first() or \
        await Category.get_or_none(code=code, city_id=None)
    if found is None:
        raise BadInput(f"Unknown category {code!r}.")
    return found


async def set_partner(actor: Account | None, city_id: int, partner: bool) -> City:
    """ADMIN only. Starting: the city's unhandled reports become handled, with agencies, and deadlines and
    escalation counted from now. Ending: new reports are unhandled; the handled ones and their history stay."""
    if actor is None:
        raise Unauthenticated()
    if actor.role != Role.ADMIN:
        raise Forbidden("Only an admin starts or ends a partnership.")
    city = await get(city_id)
    now = clock.now()
    async with in_transaction():
        current = await locked(city.id)  # new reports of the city wait for this (services/reports.py)
        if current is not None and partner != (current.partner_since is not None):
            await City.filter(id=city.id).update(partner_since=now if partner else None)
            if partner:
                await _take_on(city, now)
    return await get(city_id)


async def locked(city_id: int | None) -> City | None:
    """The city's row under an exclusive lock till the transaction ends (PostgreSQL; SQLite runs one writer at a
    time): what starting or ending a partnership holds."""
    return await City.filter(id=city_id).select_for_update().first() if city_id is not None else None


async def is_partner(city_id: int | None, lock: bool = True) -> bool:
    """Whether the city is a partner, read in the transaction that creates a report under a key-share lock: reports
    of a city go in side by side and wait only for a partnership being started or ended (`locked`). Reads that
    decide nothing for a write (lock=False) take no lock."""
    if city_id is None:
        return False
    share = " FOR KEY SHARE" if lock and is_postgres() else ""
    rows = await sql_rows(f"SELECT partner_since IS NOT NULL AS partner FROM city WHERE id = ?{share}", [city_id])
    return bool(rows and rows[0]["partner"])


async def _take_on(city: City, now: datetime) -> None:
    """Each unhandled report of the city gets what routing would have given it posted now: its agency, and
    (while open) a deadline and first escalation step from now. One update per (category, kelurahan, kind)."""
    unhandled = Report.filter(city_id=city.id, handled=False)
    groups = await unhandled.distinct().values_list("category_id", "area_path", "kind")
    for category_id, area_path, kind in groups:
        found = await Category.get(id=category_id)
        agency_id = await routing.agency_for(found, area_path)
        due_at = now + timedelta(hours=found.sla_hours)
        same = unhandled.filter(category_id=category_id, area_path=area_path, kind=kind)
        await same.filter(status__in=list(OPEN_STATUSES)).update(
            due_at=due_at, escalate_at=escalation.first_step(found, ReportKind(kind), due_at))
        await same.update(handled=True, agency_id=agency_id, updated_at=now)
