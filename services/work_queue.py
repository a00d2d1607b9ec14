"""An official's work queue: the open reports they may act on, overdue first, then oldest first.

Overdue is services/reports.is_overdue: an open report past its deadline (past_due_q). The queue is read as two
keyset ranges, the overdue reports and then the others, each oldest first over (created_at, id), through the
partial indexes of open reports (migration 0012): a page is at most two short index scans, never a sort of the
whole queue. A cursor carries the moment of its first page, so that a report falling due while an official pages
through is neither skipped nor shown twice.

A queue of DUTY reports (a verifier's) is one range, oldest first: they are verified, not fixed, so the deadline
their category gives them (services/reports.create_report) puts none of them ahead of an older one.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from core import clock
from core.errors import BadInput, Forbidden, Unauthenticated
from models import Account, Report
from models.enums import OPEN_STATUSES, ReportKind
from plumbing.dialect import custom_plans
from plumbing.keyset import Page, Stamped, decode_cursor, encode_cursor, page_size
from services import permissions
from services.feed import FeedFilter, feed_query
from services.reports import past_due_q

Position = tuple[datetime, int]  # (created_at, id) of the last row shown


@dataclass(frozen=True)
class QueuePage(Page[Report]):
    now: datetime | None = None  # the moment that decides which reports are overdue, for every page
    overdue_ids: frozenset[int] = frozenset()

    def cursor(self, row: Stamped) -> str:
        assert self.now is not None
        return _encode(self.now, row.pk in self.overdue_ids, (row.created_at, row.pk))


def _encode(now: datetime, overdue: bool, position: Position) -> str:
    text = f"{now.isoformat()}|{int(overdue)}|{encode_cursor(*position)}"
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(cursor: str) -> tuple[datetime, bool, Position]:
    try:
        moment, overdue, inner = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 2)
        now = datetime.fromisoformat(moment)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadInput("That cursor is not one of ours.") from exc
    if overdue not in ("0", "1") or now.tzinfo is None:
        raise BadInput("That cursor is not one of ours.")
    return now.astimezone(UTC), overdue == "1", decode_cursor(inner)


def _kind(f: FeedFilter | None) -> ReportKind:
    """CITIZEN reports unless the filter asks for a kind: RT/RW duty reports stay WAITING (verified, not fixed)."""
    return f.kind if f is not None and f.kind is not None else ReportKind.CITIZEN


async def queue_query(viewer: Account, f: FeedFilter | None) -> QuerySet[Report] | None:
    """The filter as the feed applies it, within the open statuses and the viewer's reach, of one kind (_kind)."""
    f = f or FeedFilter()
    statuses = [s for s in OPEN_STATUSES if f.statuses is None or s in f.statuses]
    reach = permissions.actionable_q(viewer)  # what the viewer may act on, all of which they may see
    if not statuses or reach is None:
        return None
    narrowed = statuses if len(statuses) < len(OPEN_STATUSES) else None
    query = await feed_query(replace(f, statuses=narrowed, kind=_kind(f)), viewer, within=reach)
    # The predicate of the queue's indexes, word for word: SQLite uses a partial index only for a query that says it.
    return query.filter(status__in=list(OPEN_STATUSES))


async def _range(query: QuerySet[Report], after: Position | None, limit: int) -> list[Report]:
    """Oldest first from just after the position (the plain bound lets the index scan start there). The ids first:
    the queue's index holds every column the reach and the usual filters read, so the database picks them from the
    index alone, however many open reports of the city it passes, and reads only the rows it returns."""
    if after is not None:
        moment, pk = after
        query = query.filter(Q(created_at__gte=moment), Q(created_at__gt=moment) | Q(created_at=moment, id__gt=pk))
    ids = query.order_by("created_at", "id").limit(limit).values("id")
    return await Report.filter(id__in=Subquery(ids)).order_by("created_at", "id")


async def work_queue(viewer: Account | None, f: FeedFilter | None, first: int | None, after: str | None) -> QueuePage:
    if viewer is None:
        raise Unauthenticated("Sign in to see your work queue.")
    if viewer.role not in permissions.ACTORS:
        raise Forbidden("The work queue is for officials and verifiers.")
    size = page_size(first)
    # To the second: the same request in the same second gets the same cursors.
    now, in_overdue, position = _decode(after) if after else (clock.now().replace(microsecond=0), True, None)
    query = await queue_query(viewer, f)
    if query is None:
        return QueuePage(rows=[], has_next=False, has_previous=after is not None, now=now)
    by_deadline = _kind(f) != ReportKind.DUTY

    async def ranges() -> tuple[list[Report], list[Report]]:
        """The overdue reports from the position, then the others, size + 1 in all."""
        late: list[Report] = []
        start = position
        if in_overdue and by_deadline:
            late = await _range(query.filter(past_due_q(now)), start, size + 1)
            start = None  # the others start from their beginning
        rows = late
        if len(rows) <= size:
            others = query.filter(past_due_q(now, past=False)) if by_deadline else query
            rows = rows + await _range(others, start, size + 1 - len(rows))
        return late, rows

    # Planned for this official's area and moment each time: a plan made once for any area reads the whole queue.
    late, rows = await custom_plans(ranges)
    return QueuePage(rows=rows[:size], has_next=len(rows) > size, has_previous=after is not None, now=now,
                     overdue_ids=frozenset(r.id for r in late))
