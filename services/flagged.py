"""What moderators read: the reports residents flagged and nobody has decided yet (services/moderation.py decides).

A report's place in the list is its first open flag, the open flag with no earlier open one on the same report,
by (created_at, id): the oldest open flag comes first. The list walks the open flags in that order through their
partial index (migration 0013) and keeps each report's first, so a page is one short index scan, and a cursor
(that flag's created_at and id) stays put while flags come in: a new flag never moves a report that has an
older one. A decided report leaves the list; hidden reports are not in it (hiding decides their flags, and one
flagged while hidden waits until it is shown again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise.expressions import Q, RawSQL, Subquery
from tortoise.queryset import QuerySet

from core.errors import Forbidden, Unauthenticated
from models import Account, Flag, Report
from plumbing.keyset import Page, Stamped, decode_cursor, encode_cursor, page_size
from services import permissions

# No earlier open flag on the same report (ties by id): the flag that places its report.
_FIRST_OPEN = RawSQL(
    'NOT EXISTS (SELECT 1 FROM "flag" e WHERE e."report_id" = "flag"."report_id" AND e."decided_at" IS NULL '
    'AND (e."created_at" < "flag"."created_at" OR (e."created_at" = "flag"."created_at" AND e."id" < "flag"."id")))'
)


@dataclass(frozen=True)
class FlaggedPage(Page[Report]):
    placed_by: dict[int, Flag] = field(default_factory=dict)  # each report's first open flag

    def cursor(self, row: Stamped) -> str:
        flag = self.placed_by[row.pk]
        return encode_cursor(flag.created_at, flag.pk)


def placing_flags(viewer: Account) -> QuerySet[Flag] | None:
    """The first open flag of each shown report the viewer moderates (permissions.moderated_q; None: none)."""
    reach = permissions.moderated_q(viewer)
    if reach is None:
        return None
    # `decided_at IS NULL` word for word: SQLite uses a partial index only for a query that says it.
    return Flag.annotate(places=_FIRST_OPEN).filter(
        decided_at__isnull=True, places=True, report_id__in=Subquery(Report.filter(reach, hidden=False).values("id")))


async def flagged_reports(viewer: Account | None, first: int | None, after: str | None) -> FlaggedPage:
    """The reports with open flags that the viewer moderates, the oldest open flag first."""
    if viewer is None:
        raise Unauthenticated("Sign in to moderate.")
    if viewer.role not in permissions.MODERATORS:
        raise Forbidden("Flagged reports are for area heads and admins.")
    size = page_size(first)
    flags = placing_flags(viewer)
    if flags is None:
        return FlaggedPage(rows=[], has_next=False, has_previous=after is not None)
    if after:
        moment, pk = decode_cursor(after)
        flags = flags.filter(Q(created_at__gte=moment), Q(created_at__gt=moment) | Q(created_at=moment, id__gt=pk))
    found = await flags.order_by("created_at", "id").limit(size + 1)
    shown = found[:size]
    reports = await Report.in_bulk([f.report_id for f in shown], "id")
    return FlaggedPage(rows=[reports[f.report_id] for f in shown], has_next=len(found) > size,
                       has_previous=after is not None, placed_by={f.report_id: f for f in shown})


async def open_flags(report_ids: list[int]) -> list[Flag]:
    """The open flags of these reports, oldest first (what a moderator reads on each report)."""
    return await Flag.filter(report_id__in=report_ids, decided_at__isnull=True).order_by("created_at", "id")
