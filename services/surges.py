"""Category surges (CROP's public opinion): a category whose CITIZEN reports in one kelurahan run far above
their usual rate, a problem spreading or a campaign.

For a window of `window_hours` ending now: `count` is the category's reports in the kelurahan in the window,
`usual` the mean count of a window of that length over the 8 weeks before it, `ratio = (count + 1) / (usual +
1)`. A surge needs ratio >= 3 and count >= 5: the +1 keeps a quiet category from surging on its second
report (ratio >= 3 alone already means count >= 3 x usual + 2, so "at least three times the usual rate"
holds), and the minimum of 5 keeps a handful of reports in a kelurahan that hardly ever reports it
(0 or 1 usually, ratio 3 from 2 reports) from paging the lurah. Hidden reports do not count.

The `detect` duty (app/duties.py) tells each kelurahan's area heads once per surge: the first detection
records the surge as episode n + 1 of its (kelurahan, category) under a unique key, in the transaction
that writes the notifications, so of two servers detecting it at once exactly one succeeds. A surge lasts
while detections keep finding it and ends once a whole window passes without one; a later surge of the same
category there is a new episode, told again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError

from core import clock
from core.errors import BadInput
from models import Account, Report, Surge
from models.enums import NotificationKind, ReportKind, Role
from plumbing import outbox
from plumbing.columns import column
from plumbing.dialect import custom_plans, moment_param, sql_rows
from services.notifications import notify
from services.trends import watched_area

DEFAULT_WINDOW_HOURS = 24
MAX_WINDOW_HOURS = 7 * 24
HISTORY = timedelta(weeks=8)
MIN_RATIO = 3.0
MIN_COUNT = 5


@dataclass(frozen=True)
class CategorySurge:
    area_id: int
    category_id: int
    count: int
    usual: float
    ratio: float


def is_surge(count: int, usual: float) -> bool:
    return count >= MIN_COUNT and (count + 1) / (usual + 1) >= MIN_RATIO


async def running(prefix: str | None, window_hours: int, now: datetime) -> list[CategorySurge]:
    """The surges in the kelurahan under an area path (None: everywhere), highest ratio first."""
    window = timedelta(hours=window_hours)
    since, history_start = now - window, now - window - HISTORY
    where = "" if prefix is None else "AND area_path LIKE ?"
    rows = await custom_plans(lambda: sql_rows(  # planned for this window, however often it is asked
        f"""SELECT area_id, category_id, SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) AS recent,
              SUM(CASE WHEN created_at < ? THEN 1 ELSE 0 END) AS earlier
            FROM report
            WHERE kind = ? AND hidden = ? AND area_id IS NOT NULL AND created_at >= ? AND created_at < ?
              {where}
            GROUP BY area_id, category_id""",
        [moment_param(since), moment_param(since), ReportKind.CITIZEN.value, False, moment_param(history_start),
         moment_param(now), *([] if prefix is None else [prefix + "%"])],
    ))
    windows = HISTORY / window
    found = []
    for row in rows:
        count, usual = int(row["recent"]), int(row["earlier"]) / windows
        if is_surge(count, usual):
            found.append(CategorySurge(int(row["area_id"]), int(row["category_id"]), count, usual,
                                       (count + 1) / (usual + 1)))
    found.sort(key=lambda s: (-s.ratio, -s.count, s.area_id, s.category_id))
    return found


async def surges(viewer: Account | None, area_id: int | None, window_hours: int | None) -> list[CategorySurge]:
    hours = DEFAULT_WINDOW_HOURS if window_hours is None else window_hours
    if not 1 <= hours <= MAX_WINDOW_HOURS:
        raise BadInput(f"windowHours must be between 1 and {MAX_WINDOW_HOURS}.")
    area = await watched_area(viewer, area_id)
    return await running(area.path if area is not None else None, hours, clock.now())


async def detect(now: datetime | None = None) -> int:
    """The duty: records every new surge of the last DEFAULT_WINDOW_HOURS and tells the area heads of its
    kelurahan; ends the surges that a whole window passed without. Returns how many surges it recorded."""
    now = (now or clock.now()).astimezone(UTC)  # UTC: SQLite compares the stored text
    window = timedelta(hours=DEFAULT_WINDOW_HOURS)
    # First end the surges a whole window passed without (a server that was down for days must not take a
    # new surge for the old one); the condition keeps one that another server has just seen again.
    await Surge.filter(ended_at=None, last_seen_at__lt=now - window).update(ended_at=now)
    recorded = 0
    for surge in await running(None, DEFAULT_WINDOW_HOURS, now):
        recorded += await _record(surge, now, window)
    return recorded


async def _record(surge: CategorySurge, now: datetime, window: timedelta) -> int:
    latest = await Surge.filter(area_id=surge.area_id, category_id=surge.category_id).order_by("-episode").first()
    if latest is not None and latest.ended_at is None:
        await Surge.filter(id=latest.id, ended_at=None).update(
            last_seen_at=now, count=surge.count, usual=surge.usual, ratio=surge.ratio
        )
        return 0
    try:
        async with outbox.transaction():
            await Surge.create(area_id=surge.area_id, category_id=surge.category_id,
                               episode=latest.episode + 1 if latest is not None else 1,
                               window_hours=DEFAULT_WINDOW_HOURS, count=surge.count, usual=surge.usual,
                               ratio=surge.ratio, started_at=now, last_seen_at=now)
            heads = await column(Account.filter(role=Role.AREA_HEAD, area_id=surge.area_id), "id", int)
            # The newest report of the surge, for the notification to open.
            newest = await Report.filter(
                area_id=surge.area_id, category_id=surge.category_id, kind=ReportKind.CITIZEN, hidden=False,
                created_at__gte=now - window, created_at__lt=now,
            ).order_by("-created_at", "-id").first()
            await notify(heads, NotificationKind.CATEGORY_SURGE, newest)
    except IntegrityError:
        return 0  # another server recorded this episode first, and told the heads
    return 1
