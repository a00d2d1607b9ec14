"""Open311 GeoReport v2 over the same rules as GraphQL: categories are services, reports are requests.

Records are plain dicts with the spec's field names in the spec's order; the HTTP layer only
chooses JSON or XML.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from core import clock
from core.errors import BadInput, NotFound
from media.storage import Storage
from models import Account, Category, Photo, Report, ReportEvent
from models.enums import OPEN_STATUSES, EventKind, ReportStatus
from services import permissions
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
MODERATION = (EventKind.HIDDEN, EventKind.UNHIDDEN)


def spec_status(status: ReportStatus) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


async def service_list() -> list[dict[str, Any]]:
    categories = await Category.all().order_by("code").values("code", "name", "agency__name")
    return [
        {
            "service_code": c["code"],
            "service_name": c["name"],
            "description": c["name"],
            "metadata": False,  # no extra attributes: a definition lists none
            "type": "realtime",
            "keywords": c["code"].lower(),
            "group": c["agency__name"] or "",
        }
        for c in categories
    ]


async def service_definition(code: str) -> dict[str, Any]:
    if not await Category.exists(code=code):
        raise NotFound(f"No service with the code {code!r}.")
    return {"service_code": code, "attributes": []}


@dataclass(frozen=True)
class RequestQuery:
    ids: list[int] | None = None
    service_codes: list[str] | None = None
    start: datetime | None = None
    end: datetime | None = None
    status: str | None = None


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


def parse_query(params: Mapping[str, str]) -> RequestQuery:
    ids = _list(params, "service_request_id")
    if ids is not None and not all(part.isdigit() and int(part) < 2**31 for part in ids):
        raise BadInput("service_request_id is a comma-separated list of request ids.")
    status = params.get("status") or None
    if status is not None and status not in ("open", "closed"):
        raise BadInput("status is open or closed.")
    return RequestQuery(
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
        "updated_at", "due_at", "address", "lat", "lng",
    )
    return await _records(rows, url)


async def get_request(report_id: int, url: Callable[[str], str]) -> dict[str, Any]:
    records = await find_requests(RequestQuery(ids=[report_id]), url)
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
            "service_notice": "",
            "requested_datetime": _time(row["created_at"]),
            "updated_datetime": _time(row["updated_at"]),
            "expected_datetime": _time(row["due_at"]),
            "address": row["address"] or "",
            "address_id": "",
            "zipcode": "",
            "lat": row["lat"],
            "long": row["lng"],
            "media_url": url(display_name(photos[row["id"]])) if row["id"] in photos else "",
        }
        for row in rows
    ]


def _coordinate(params: Mapping[str, str], name: str, low: float, high: float) -> float:
    try:
        value = float(params[name])
    except (KeyError, ValueError):
        raise BadInput(
            "A request needs its location as lat and long (this server does not geocode address_string)."
        ) from None
    if not low <= value <= high:
        raise BadInput(f"{name} must lie between {low} and {high}.")
    return value


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
    if not params.get("service_code"):
        raise BadInput("service_code is required.")
    if not await Category.exists(code=params["service_code"]):
        raise NotFound(f"No service with the code {params['service_code']!r}.")
    new = NewReport(
        body=params.get("description") or "",
        category_code=params["service_code"],
        lat=_coordinate(params, "lat", -90, 90),
        lng=_coordinate(params, "long", -180, 180),
        photos=[],
        address=params.get("address_string") or None,
        min_photos=0,
        media_url=_media_url(params.get("media_url")),
    )
    report, _ = await create_report(app, new, storage, limits, max_centroid_m)
    return {"service_request_id": str(report.id), "service_notice": STATUS_NOTES[report.status], "account_id": ""}
