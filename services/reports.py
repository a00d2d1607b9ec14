"""Posting reports: check, route, store, tell the mentioned."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from core import clock
from core.errors import Conflict, Forbidden, NotFound, Unauthenticated
from media.storage import Storage
from models import Account, Area, Comment, IdempotencyKey, Mention, Report, ReportEvent
from models.enums import OPEN_STATUSES, EventKind, NotificationKind, ReportKind, ReportStatus, Role
from plumbing import outbox
from plumbing.keyset import Page, keyset_page
from plumbing.text_search import index_text
from services import assets, cities, escalation, permissions, routing, trends
from services.mentions import mentioned_accounts
from services.notifications import notify
from services.photos import PhotoPolicy, ingest, record_photos
from services.text import optional_text, required_text

MAX_BODY = 2000
MAX_ADDRESS = 300
MAX_REQUEST_KEY = 100


@dataclass(frozen=True)
class NewReport:
    body: str
    category_code: str
    lat: float
    lng: float
    photos: list[bytes]
    address: str | None = None
    anonymous: bool = False
    kind: ReportKind = ReportKind.CITIZEN
    client_mutation_id: str | None = None
    # Open311 may post without a photo, with a link instead (kept for officials, never fetched).
    min_photos: int = 1
    media_url: str | None = None
    asset_id: int | None = None  # the asset it is about (services/assets.for_report)

    def fingerprint(self) -> str:
        """What makes a retry the same request: every field and the photos' bytes."""
        digest = hashlib.sha256()
        fields = [self.body, self.category_code, self.lat, self.lng, self.address, self.anonymous, self.kind,
                  self.media_url, self.asset_id]
        digest.update(orjson.dumps(fields))
        for photo in self.photos:
            digest.update(hashlib.sha256(photo).digest())
        return digest.hexdigest()


def _check(new: NewReport) -> None:
    required_text(new.body, "A report's text", MAX_BODY)
    optional_text(new.address, "An address", MAX_ADDRESS)
    if new.client_mutation_id is not None:
        required_text(new.client_mutation_id, "A request key (for retries)", MAX_REQUEST_KEY)


async def _replay(author: Account, new: NewReport) -> Report | None:
    """The report an earlier request with the same key made, or None for a fresh key."""
    if new.client_mutation_id is None:
        return None
    key = await IdempotencyKey.get_or_none(account_id=author.id, client_key=new.client_mutation_id)
    if key is None:
        return None
    if key.payload_hash != new.fingerprint():
        raise Conflict("This request key was already used for a different report.")
    return await Report.get(id=key.report_id)


async def create_report(
    author: Account | None,
    new: NewReport,
    storage: Storage,
    limits: PhotoPolicy,
    max_centroid_m: float,
) -> tuple[Report, bool]:
    """Returns the report and whether it is new (False: an idempotent retry)."""
    if author is None:
        raise Unauthenticated("Sign in to post a report.")
    _check(new)
    if (earlier := await _replay(author, new)) is not None:
        return earlier, False
    village = await routing.locate(new.lat, new.lng, max_centroid_m)
    city_id = village.city_id if village is not None else None
    category = await cities.category(new.category_code, city_id)
    if new.kind == ReportKind.DUTY:
        await _check_duty(author, village)
    asset = await assets.for_report(new.asset_id, category, new.lat, new.lng)
    basin = await assets.basin_at(new.lat, new.lng)
    path = village.path if village is not None else ""
    images = await ingest(new.photos, storage, limits, "A report", at_least=new.min_photos)
    mentioned = await mentioned_accounts(new.body)
    now = clock.now()
    try:
        async with outbox.transaction():
            # Only a partner city's reports have an agency, a deadline and officials who answer for them. Read in
            # this transaction, so that a partnership starting meanwhile takes this report on or sees it handled.
            handled = await cities.is_partner(city_id)
            agency_id = await routing.agency_for(category, path) if handled else None
            due_at = now + timedelta(hours=category.sla_hours) if handled else None
            report = await Report.create(
                kind=new.kind,
                body=new.body.strip(),
                search_text=index_text(new.body),
                category=category,
                lat=new.lat,
                lng=new.lng,
                address=new.address,
                media_url=new.media_url,
                area_id=village.id if village is not None else None,
                area_path=path,
                city_id=city_id,
                handled=handled,
                asset=asset,
                river_basin=basin,
                agency_id=agency_id,
                author=author,
                anonymous=new.anonymous,
                status=ReportStatus.WAITING,
                due_at=due_at,
                escalate_at=escalation.first_step(category, new.kind, due_at),
                created_at=now,
                updated_at=now,
            )
            if new.client_mutation_id is not None:
                await IdempotencyKey.create(
                    account=author,
                    client_key=new.client_mutation_id,
                    payload_hash=new.fingerprint(),
                    report=report,
                )
            await record_photos(report.id, images)
            if mentioned:
                await Mention.bulk_create([Mention(report=report, account=a) for a in mentioned])
                await notify([a.id for a in mentioned], NotificationKind.MENTIONED, report, actor_id=author.id)
            await ReportEvent.create(
                report=report,
                kind=EventKind.CREATED,
                actor=author,
                status=ReportStatus.WAITING,
                created_at=now,
            )
            await outbox.report_created(report.id)
            await trends.record_report(report)  # last: it holds the term counts' rows till the commit
    except IntegrityError:
        # A concurrent copy with the same key committed first: answer with its report.
        if (earlier := await _replay(author, new)) is not None:
            return earlier, False
        raise
    return report, True


async def _check_duty(author: Account, village: routing.Village | None) -> None:
    """A DUTY report comes from an RT/RW head and is about their own neighbourhood."""
    if author.role != Role.RT_RW or author.area_id is None:
        raise Forbidden("Only RT/RW heads post DUTY reports.")
    area = await Area.get(id=author.area_id)
    if village is None or not area.path.startswith(village.path):
        raise Forbidden("A DUTY report is about your own RT/RW.")


def is_overdue(report: Report) -> bool:
    """Still waiting for a fix after its SLA ran out: an open status and past_due_q, in SQL."""
    return (
        report.due_at is not None
        and report.status in OPEN_STATUSES
        and report.due_at < clock.now()
    )


def past_due_q(now: datetime, past: bool = True) -> Q:
    """The deadline half of is_overdue, as a filter on report rows: due before `now`, or (False) not, a report
    without a deadline included (NOT over a NULL due_at would drop it). Among open reports, exactly the overdue
    ones and the others (services/work_queue.py splits its queue so)."""
    return Q(due_at__lt=now) if past else Q(Q(due_at__isnull=True), Q(due_at__gte=now), join_type="OR")


async def comments(report: Report, first: int | None, after: str | None) -> Page[Comment]:
    return await keyset_page(Comment.filter(report_id=report.id), first, after)


async def visible_report(viewer: Account | None, report_id: int) -> Report:
    """A report the viewer may read; NOT_FOUND otherwise (a hidden report does not exist for the public)."""
    report = await Report.get_or_none(id=report_id)
    if report is None or not permissions.may_see(viewer, report):
        raise NotFound("No such report.")
    return report
