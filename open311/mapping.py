"""Open311 GeoReport v2 over the same rules as GraphQL: categories are services, reports are requests.

Records are plain dicts with the spec's field names in the spec's order; the HTTP layer only
chooses JSON or XML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from core import clock
from core.errors import BadInput, NotFound
from media.storage import Storage
from models import Account, Agency, City, Photo, Report, ReportEvent
from models.enums import OPEN_STATUSES, ReportStatus
from open311 import jurisdictions, locations
from services import cities, permissions, routing
from services.photos import PhotoPolicy, display_name
from services.reports import NewReport, create_report

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
DEFAULT_DAYS = 90
MAX_ROWS = 1000
# What each Warga status means, for the spec's free-text status_notes (Indonesian first).
STATUS_NOTES = {
    ReportStatus.WAITING: "Menunggu tanggapan petugas (WAITING)",
    ReportStatus.IN_PROGRESS: "Sedang dikerjakan (IN_PROGRESS)",
    ReportStatus.FOLLOWED_UP: "Sudah ditindaklanjuti dengan foto bukti (FOLLOWED_UP)",
    ReportStatus.CLOSED: "Selesai (CLOSED)",
    ReportStatus.REOPENED: "Dibuka kembali oleh pelapor (REOPENED)",
    ReportStatus.REJECTED: "Ditolak (REJECTED)",
}
MODERATION = tuple(permissions.MODERATION_EVENTS)  # officials' only: never in the public status notes


def spec_status(status: ReportStatus) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


async def service_list(city: City | None) -> list[dict[str, Any]]:
    """The city's catalog (the national defaults, overridden and extended by its own), or the national one."""
    categories = sorted(await cities.categories(city.id if city else None), key=lambda c: c.code)
    # The group is the agency: in a city, the one that answers there (a national default's DKI dinas does not
    # serve Bogor); nationally, the category's default.
    agency_of = {c.id: await routing.agency_for(c, city.area.path) if city else c.agency_id for c in categories}
    ids = {i for i in agency_of.values() if i is not None}
    agencies = dict(await Agency.filter(id__in=ids).values_list("id", "name")) if ids else {}
    return [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.name,
            "metadata": False,  # no extra attributes: a definition lists none
            "type": "realtime",
            "keywords": c.code.lower(),
            "group": agencies.get(agency_of[c.id], ""),
        }
        for c in categories
    ]


async def service_definition(code: str, city: City | None) -> dict[str, Any]:
    await jurisdictions.service_exists(code, city.id if city else None)
    return {"service_code": code, "attributes": []}


@dataclass(frozen=True)
class RequestQuery:
    ids: list[int] | None = None
    service_codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    status: str | None = None
    city_id: int | None = None  # jurisdiction_id: that city's requests only
    extensions: bool = False


def _date(params: Mapping[str, str], name: str) -> datetime | None:
    raw = params.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BadInput(f"{name} must be a W3C date and time, such as 2026-11-01T00:00:00+07:00.") from None
    if value.tzinfo is None:
        raise BadInput(f"{name} needs a time zone offset.")
    return value


def _list(params: Mapping[str, str], name: str) -> list[str] | None:
    raw = params.get(name)
    return [part.strip() for part in raw.split(",") if part.strip()] if raw else None


async def scope(params: Mapping[str, str]) -> RequestQuery:
    """What every call on requests takes: jurisdiction_id and extensions."""
    city = await jurisdictions.resolve(params)
    return RequestQuery(city_id=city.id if city else None, extensions=jurisdictions.wants_extensions(params))


async def parse_query(params: Mapping[str, str]) -> RequestQuery:
    ids = _list(params, "service_request_id")
    if ids is not None and not all(part.isdigit() and int(part) < 2**31 for part in ids):
        raise BadInput("service_request_id is a comma-separated list of request ids.")
    status = params.get("status") or None
    if status is not None and status not in ("open", "closed"):
        raise BadInput("status is open or closed.")
    return replace(
        await scope(params),
        ids=[int(part) for part in ids] if ids else None,
        service_codes=_list(params, "service_code"),
        start=_date(params, "start_date"),
        end=_date(params, "end_date"),
        status=status,
    )


async def find_requests(query: RequestQuery, url: Callable[[str], str]) -> list[dict[str, Any]]:
    """Public requests, newest first; without dates the last 90 days, at most 1,000 rows.

    `url` turns a stored file's name into the absolute address clients fetch it from."""
    reports = Report.filter(permissions.visible_q(None))
    if query.city_id is not None:
        reports = reports.filter(city_id=query.city_id)
    if query.ids is not None:
        reports = reports.filter(id__in=query.ids)
    else:
        start, end = query.start, query.end
        if start is None and end is None:
            start = clock.now() - timedelta(days=DEFAULT_DAYS)
        if start is not None:
            reports = reports.filter(created_at__gte=start)
        if end is not None:
            reports = reports.filter(created_at__lte=end)
    if query.service_codes is not None:
        reports = reports.filter(category__code__in=query.service_codes)
    if query.status == "open":
        reports = reports.filter(status__in=list(OPEN_STATUSES))
    elif query.status == "closed":
        reports = reports.exclude(status__in=list(OPEN_STATUSES))
    rows = await reports.order_by("-created_at", "-id").limit(MAX_ROWS).values(
        "id", "status", "body", "category__code", "category__name", "agency__name", "created_at",
        "updated_at", "due_at", "address", "asset__code", "lat", "lng", "handled", "city__area__code",
        "city__area__name",
    )
    records = await _records(rows, url)
    if query.extensions:  # the Extensions page's extended_attributes: the spec's request has no jurisdiction
        for record, row in zip(records, rows, strict=True):
            record["extended_attributes"] = {"jurisdiction_id": row["city__area__code"], "handled": row["handled"]}
    return records


async def get_request(report_id: int, scope: RequestQuery, url: Callable[[str], str]) -> dict[str, Any]:
    """One request, within the call's scope (its jurisdiction_id and extensions)."""
    records = await find_requests(replace(scope, ids=[report_id]), url)
    if not records:
        raise NotFound(f"No request with the id {report_id}.")
    return records[0]


async def _records(rows: list[dict[str, Any]], url: Callable[[str], str]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    photos = {
        p["report_id"]: p["digest"]
        for p in await Photo.filter(report_id__in=ids, follow_up_id=None, event_id=None, position=0)
        .values("report_id", "digest")
    }
    notes: dict[int, str] = {}
    events = ReportEvent.filter(report_id__in=ids, note__not_isnull=True).exclude(kind__in=list(MODERATION))
    for event in await events.order_by("created_at", "id").values("report_id", "note"):
        notes[event["report_id"]] = event["note"]  # the latest wins
    return [
        {
            "service_request_id": str(row["id"]),
            "status": spec_status(row["status"]),
            "status_notes": STATUS_NOTES[row["status"]] + (f": {notes[row['id']]}" if row["id"] in notes else ""),
            "service_name": row["category__name"],
            "service_code": row["category__code"],
            "description": row["body"],
            "agency_responsible": row["agency__name"] or "",
            "service_notice": "" if row["handled"] else jurisdictions.unhandled_notice(row["city__area__name"]),
            "requested_datetime": _time(row["created_at"]),
            "updated_datetime": _time(row["updated_at"]),
            "expected_datetime": _time(row["due_at"]),
            "address": row["address"] or "",
            "address_id": row["asset__code"] or "",  # the asset's code, as a POST's address_id names it
            "zipcode": "",
            "lat": row["lat"],
            "long": row["lng"],
            "media_url": url(display_name(photos[row["id"]])) if row["id"] in photos else "",
        }
        for row in rows
    ]


def _media_url(raw: str | None) -> str | None:
    """Checked for shape only: the server never fetches it, so it cannot be used to reach inside."""
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(raw) > 2000:
        raise BadInput("media_url must be an http or https address of at most 2,000 characters.")
    return raw


async def post_request(
    app: Account, params: Mapping[str, str], storage: Storage, limits: PhotoPolicy, max_centroid_m: float
) -> dict[str, Any]:
    """A request anywhere is taken; outside partner cities nobody handles it, and service_notice says so."""
    if not params.get("service_code"):
        raise BadInput("service_code is required.")
    city = await jurisdictions.resolve(params)
    where = await locations.posted(params)
    # The point's city decides the catalog, as create_report decides; a named jurisdiction must agree with it.
    village = await routing.locate(where.lat, where.lng, max_centroid_m)
    point_city_id = village.city_id if village is not None else None
    if city is not None:
        jurisdictions.check_inside(city, point_city_id)
    await jurisdictions.service_exists(params["service_code"], point_city_id)
    new = NewReport(
        body=params.get("description") or "",
        category_code=params["service_code"],
        lat=where.lat,
        lng=where.lng,
        photos=[],
        address=params.get("address_string") or None,
        min_photos=0,
        media_url=_media_url(params.get("media_url")),
        asset_id=where.asset_id,
    )
    report, _ = await create_report(app, new, storage, limits, max_centroid_m)
    if report.handled:
        notice = STATUS_NOTES[report.status]
    else:
        name = (await cities.get(report.city_id)).area.name if report.city_id else None
        notice = jurisdictions.unhandled_notice(name)
    return {"service_request_id": str(report.id), "service_notice": notice, "account_id": ""}
