"""Resolvers for reports: feeds, one report, and the fields that need a rule to answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.errors import Unauthenticated
from models import Account, Comment, FixRating, Flag, FollowUp, Photo, Report, ReportEvent, Verification
from models.enums import ReportKind
from plumbing.keyset import Page
from resolvers.context import Info
from resolvers.ids import pk_of
from resolvers.loaders import Known, known
from resolvers.selection import selected
from resolvers.uploads import read_uploads
from services import feed as feeds
from services import flagged, permissions
from services import maps as map_service
from services import reports as service
from services import work_queue as queue
from services.geo import distance_m
from services.photos import display_name, thumbnail_name

# Stands in for an anonymous reporter where the contract needs an account (a comment's author).
ANONYMOUS = Account(id=0, handle="anonim", display_name="Pelapor anonim", role="CITIZEN")


def photo_url(info: Info, photo: Photo) -> str:
    return info.context.resources.storage.url(display_name(photo.digest))


def thumbnail_url(info: Info, photo: Photo) -> str:
    return info.context.resources.storage.url(thumbnail_name(photo.digest))


async def _acting_on(info: Info, report_id: int) -> Report | None:
    """The report, when the viewer may act on it (what its photos' metadata is shown for)."""
    report = await info.context.loaders.report.load(report_id)
    return report if report is not None and permissions.may_act(info.context.viewer, report) else None


async def photo_distance(info: Info, photo: Photo) -> float | None:
    if photo.gps_lat is None or photo.gps_lng is None:
        return None
    report = await _acting_on(info, photo.report_id)
    return round(distance_m(photo.gps_lat, photo.gps_lng, report.lat, report.lng), 1) if report else None


async def photo_taken_at(info: Info, photo: Photo) -> datetime | None:
    return photo.taken_at if photo.taken_at and await _acting_on(info, photo.report_id) else None


async def proof_consistent(info: Info, follow_up: FollowUp) -> bool | None:
    return follow_up.proof_consistent if await _acting_on(info, follow_up.report_id) else None


async def rating(info: Info, report: Report) -> FixRating | None:
    """The rating of the report's latest follow-up (the highest id, as services/performance.py counts it)."""
    follow_ups = await info.context.loaders.follow_ups.load(report.id)
    if not follow_ups:
        return None
    latest = max(follow_ups, key=lambda f: f.id)
    ratings = await info.context.loaders.follow_up_rating.load(latest.id)
    return ratings[0] if ratings else None


def external_media_url(info: Info, report: Report) -> str | None:
    return report.media_url if permissions.may_act(info.context.viewer, report) else None


def _hides_reporter(info: Info, report: Report, account_id: int | None) -> bool:
    return (
        report.anonymous
        and account_id == report.author_id
        and not permissions.sees_anonymous_author(info.context.viewer)
    )


def report_author(info: Info, report: Report) -> Known[Account | None]:
    if _hides_reporter(info, report, report.author_id):
        return None
    return known(info.context.loaders.account, report.author_id)


async def event_actor(info: Info, event: ReportEvent) -> Account | None:
    report = await info.context.loaders.report.load(event.report_id)
    if event.actor_id is None or report is None or _hides_reporter(info, report, event.actor_id):
        return None
    return await info.context.loaders.account.load(event.actor_id)


async def comment_author(info: Info, comment: Comment) -> Account | None:
    report = await info.context.loaders.report.load(comment.report_id)
    if report is not None and _hides_reporter(info, report, comment.author_id):
        return ANONYMOUS
    return await info.context.loaders.account.load(comment.author_id)


def flags(info: Info, report: Report) -> Known[list[Flag]]:
    """The open flags, for the report's moderators only: a resident's complaint is not for the public."""
    if not permissions.may_moderate(info.context.viewer, report):
        return []
    return known(info.context.loaders.open_flags, report.id)


async def timeline(info: Info, report: Report) -> list[ReportEvent]:
    events = await info.context.loaders.events.load(report.id)
    return [e for e in events if permissions.may_see_event(info.context.viewer, report, e.kind)]


async def verification(info: Info, report: Report) -> Verification | None:
    if report.kind != ReportKind.DUTY:
        return None
    return await Verification.get_or_none(report_id=report.id)


async def visible_report(info: Info, report_id: int | None) -> Report | None:
    if report_id is None:
        return None
    report = await info.context.loaders.report.load(report_id)
    return report if report is not None and permissions.may_see(info.context.viewer, report) else None


def is_overdue(report: Report) -> bool:
    return service.is_overdue(report)


async def report_comments(info: Info, report: Report, first: int | None, after: str | None) -> Page[Comment]:
    return await service.comments(report, first, after)


async def cards(info: Info, page: Page[Report]) -> Page[Report]:
    """A connection of reports, with what its nodes' selected fields need loaded in one go."""
    await info.context.loaders.prefetch_reports(page.rows, selected(info, "edges", "node"))
    return page


async def account_reports(info: Info, account_id: int, first: int | None, after: str | None) -> Page[Report]:
    return await cards(info, await feeds.account_reports(info.context.viewer, account_id, first, after))


async def feed(
    info: Info, report_filter: feeds.FeedFilter | None, first: int | None, after: str | None
) -> Page[Report]:
    return await cards(info, await feeds.feed(info.context.viewer, report_filter, first, after))


async def home_feed(info: Info, first: int | None, after: str | None) -> Page[Report]:
    return await cards(info, await feeds.home_feed(info.context.viewer, first, after))


async def work_queue(
    info: Info, report_filter: feeds.FeedFilter | None, first: int | None, after: str | None
) -> Page[Report]:
    return await cards(info, await queue.work_queue(info.context.viewer, report_filter, first, after))


async def flagged_reports(info: Info, first: int | None, after: str | None) -> Page[Report]:
    return await cards(info, await flagged.flagged_reports(info.context.viewer, first, after))


async def report(info: Info, global_id: str) -> Report:
    return await service.visible_report(info.context.viewer, pk_of(global_id, "Report"))


async def nearby(info: Info, lat: float, lng: float, radius_m: int | None, category_code: str | None) -> list[Report]:
    radius = 250 if radius_m is None else radius_m
    return await map_service.nearby(info.context.viewer, lat, lng, radius, category_code)


async def map_clusters(
    info: Info, bbox: feeds.BBox, zoom: int, report_filter: feeds.FeedFilter | None
) -> list[map_service.Cluster]:
    return await map_service.clusters(info.context.viewer, bbox, zoom, report_filter)


async def new_report_photos(info: Info, uploads: Sequence[object]) -> list[bytes]:
    """A new report's photos, read once the poster is known to be signed in and within the rate limit."""
    if info.context.viewer is None:
        raise Unauthenticated("Sign in to post a report.")
    await info.context.limit("createReport")
    return await read_uploads(info, uploads)


async def create_report(info: Info, new: service.NewReport) -> Report:
    resources = info.context.resources
    report, _ = await service.create_report(
        info.context.viewer, new, resources.storage, resources.photo_policy, resources.settings.max_centroid_distance_m
    )
    return report
