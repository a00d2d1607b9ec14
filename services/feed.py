"""Feeds: the public transparency feed, a viewer's home timeline, an account's reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.queryset import QuerySet

from core.errors import BadInput, Unauthenticated
from models import Account, Area, Category, Follow, Report
from models.enums import FollowTarget, ReportKind, ReportStatus
from plumbing import text_search
from plumbing.keyset import Page, keyset_page
from services import permissions


@dataclass(frozen=True)
class BBox:
    south: float
    west: float
    north: float
    east: float

    def q(self) -> Q:
        if self.south > self.north:
            raise BadInput("bbox: south must not be north of north.")
        lng = Q(lng__gte=self.west, lng__lte=self.east)
        if self.west > self.east:  # crosses the antimeridian
            lng = Q(lng__gte=self.west) | Q(lng__lte=self.east)
        return Q(lat__gte=self.south, lat__lte=self.north) & lng


@dataclass(frozen=True)
class FeedFilter:
    area_id: int | None = None
    agency_id: int | None = None
    category_codes: list[str] | None = None
    statuses: list[ReportStatus] | None = None
    kind: ReportKind | None = None
    author_id: int | None = None
    bbox: BBox | None = None
    since: datetime | None = None
    text: str | None = None
    city_id: int | None = None
    handled: bool | None = None
    asset_id: int | None = None
    verified: bool | None = None  # True: only reports with a verification; False: only those without


async def feed_query(f: FeedFilter | None, viewer: Account | None, within: Q | None = None) -> QuerySet[Report]:
    """The reports that match a filter and that the viewer may see (areas include descendants). `within`, a part of
    what the viewer may see (the work queue's: what they may act on), takes that rule's place in the SQL."""
    parts = [within if within is not None else permissions.visible_q(viewer)]
    if f is None:
        return Report.filter(parts[0])
    if f.area_id is not None:
        area = await Area.get_or_none(id=f.area_id).only("id", "path")
        parts.append(Q(area_path__startswith=area.path) if area else Q(id=-1))
    if f.agency_id is not None:
        parts.append(Q(agency_id=f.agency_id))
    if f.category_codes is not None:
        parts.append(Q(category_id__in=Subquery(Category.filter(code__in=f.category_codes).values("id"))))
    if f.statuses is not None:
        parts.append(Q(status__in=list(f.statuses)))
    if f.kind is not None:
        parts.append(Q(kind=f.kind))
    if f.author_id is not None:
        parts.append(Q(author_id=f.author_id))
        if not permissions.sees_anonymous_author(viewer):
            # An anonymous report must not be findable through its author.
            parts.append(Q(anonymous=False) | Q(author_id=viewer.id if viewer else -1))
    if f.bbox is not None:
        parts.append(f.bbox.q())
    if f.since is not None:
        parts.append(Q(created_at__gte=f.since))
    if f.city_id is not None:
        parts.append(Q(city_id=f.city_id))
    if f.handled is not None:
        parts.append(Q(handled=f.handled))
    if f.asset_id is not None:
        parts.append(Q(asset_id=f.asset_id))
    if f.verified is not None:
        # A join on the verification's unique report_id (an anti-join for False), never NOT IN over every verdict.
        parts.append(Q(verification__id__isnull=not f.verified))
    query = Report.filter(*parts)
    if f.text is not None and f.text.strip():
        query = text_search.apply(query, f.text)
    return query


async def feed(viewer: Account | None, f: FeedFilter | None, first: int | None, after: str | None) -> Page[Report]:
    return await keyset_page(await feed_query(f, viewer), first, after)


async def account_reports(
    viewer: Account | None, author_id: int, first: int | None, after: str | None
) -> Page[Report]:
    return await feed(viewer, FeedFilter(author_id=author_id), first, after)


def _in_followed_area(account_id: int) -> RawSQL:
    return RawSQL(
        'EXISTS (SELECT 1 FROM "follow" f JOIN "area" a ON a."id" = f."target_id" '
        f"WHERE f.\"follower_id\" = {int(account_id)} AND f.\"target_type\" = 'AREA' "
        'AND "report"."area_path" LIKE a."path" || \'%\')'
    )


def home_query(viewer: Account) -> QuerySet[Report]:
    """Followed areas (with descendants), followed accounts, followed reports, and one's own.

    Each branch is an indexed EXISTS or IN over the follow table, so a page stays one query
    however many things the account follows.
    """
    followed = Follow.filter(follower_id=viewer.id)
    accounts = Subquery(followed.filter(target_type=FollowTarget.ACCOUNT).values("target_id"))
    reports = Subquery(followed.filter(target_type=FollowTarget.REPORT).values("target_id"))
    mine_or_followed = Q(
        Q(author_id=viewer.id),
        Q(author_id__in=accounts, anonymous=False),
        Q(id__in=reports),
        Q(in_followed_area=True),
        join_type="OR",
    )
    return Report.annotate(in_followed_area=_in_followed_area(viewer.id)).filter(
        mine_or_followed, permissions.visible_q(viewer)
    )


async def home_feed(viewer: Account | None, first: int | None, after: str | None) -> Page[Report]:
    if viewer is None:
        raise Unauthenticated("Sign in to see your home feed.")
    return await keyset_page(home_query(viewer), first, after)
