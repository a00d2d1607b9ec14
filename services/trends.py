"""Trending topics (CROP's public opinion): the terms whose use in an area's reports and comments grew most.

Counting the words of a month of a city's texts at query time would cost seconds, so they are counted as
they are written: a report or comment adds 1 to a `term_use` row per term it uses (services/words.py), keyed
by area, day (in the city's time zone) and the form it wrote, and 1 to the row that counts every text, for
its kelurahan and for each area above it, in the transaction that stores it. A period's use in any area is
then a sum over that area's own rows.

What counts: CITIZEN reports that are not hidden, and the comments on them. Hiding a report takes its words
and its comments' words out of the counts, unhiding puts them back (services/moderation.py calls
`report_hidden` in its transaction); nothing deletes reports or comments (a deletion would call the same).
DUTY reports (the RT/RW heads' daily rounds) and their comments are no residents' complaints and never count.
`rebuild` recounts everything from the stored texts (after an import moves areas, or to fill the counts of
texts written before the counting began); the command line runs it as `rebuild-trends`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Area, Comment, Report, TermUse
from models.areas import path_ids
from models.enums import AreaLevel, ReportKind, Role
from plumbing.columns import column
from plumbing.dialect import custom_plans, day_param, is_postgres, sql_rows
from plumbing.text_search import with_stem
from services import permissions
from services.words import terms

DEFAULT_FIRST = 10
MAX_FIRST = 50
MAX_DAYS = 366
# A term trends only when at least MIN_COUNT texts of the period use it, and at least one in SHARE_OF_TEXTS:
# below that, one chatty thread would trend, or, in a city's month of 300,000 texts, any street name written
# 5 times after none (growth 6, ahead of a flood written 3,000 times after 1,000).
MIN_COUNT = 3
SHARE_OF_TEXTS = 2000
# The row (term and form) that counts every text, whatever its words: the period's texts, for SHARE_OF_TEXTS.
EVERY_TEXT = "*"
SAMPLES = 3
# Sample reports are looked for among this many of the period's newest public reports first.
SAMPLE_POOL = 2000

# The city's time zone, which decides the day a text is counted on (app.resources sets it from the settings).
_zone = ZoneInfo("Asia/Jakarta")

Key = tuple[int, int, date, str, str]  # area_id, days (1 or 7), day, term, form
WEEK = 7


def use_time_zone(name: str) -> None:
    """Days are counted in this zone from now on (a change needs `rebuild` for the days already counted)."""
    global _zone
    _zone = ZoneInfo(name)


def day_of(moment: datetime) -> date:
    return _aware(moment).astimezone(_zone).date()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def uses(text: str, area_path: str, moment: datetime) -> Iterator[tuple[Key, int]]:
    """What one text adds to the counts: its day's rows and its week's."""
    day = day_of(moment)
    week = day - timedelta(days=day.weekday())  # Monday
    found = terms(text)
    for area_id in path_ids(area_path):
        for days, start in ((1, day), (WEEK, week)):
            yield (area_id, days, start, EVERY_TEXT, EVERY_TEXT), 1
            for term, form in found.items():
                yield (area_id, days, start, term, form), 1


async def _add(changes: Iterable[tuple[Key, int]], sign: int = 1) -> None:
    """Adds the changes in as few statements as possible, rows in key order (so that two transactions that
    touch the same rows lock them in the same order and never deadlock)."""
    total: Counter[Key] = Counter()
    for key, n in changes:
        total[key] += n * sign
    if not total:
        return
    client = connections.get("default")
    postgres = is_postgres()
    rows = sorted(total.items())
    batch = 5000  # 6 parameters a row, under both databases' 32,766
    for start in range(0, len(rows), batch):
        chunk = rows[start:start + batch]
        values: list[Any] = []
        for (area_id, days, day, term, form), n in chunk:
            values += [area_id, days, day if postgres else day.isoformat(), term, form, n]
        if postgres:
            marks = ", ".join("(" + ", ".join(f"${i + k}" for k in range(1, 7)) + ")" for i in range(0, len(values), 6))
        else:
            marks = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk))
        await client.execute_query(
            f"INSERT INTO term_use (area_id, days, day, term, form, count) VALUES {marks} ON CONFLICT "
            "(area_id, days, day, term, form) DO UPDATE SET count = term_use.count + excluded.count",
            values,
        )


def _counts(report: Report | dict[str, Any]) -> bool:
    kind, hidden = (report.kind, report.hidden) if isinstance(report, Report) else (report["kind"], report["hidden"])
    return kind == ReportKind.CITIZEN and not hidden


async def record_report(report: Report) -> None:
    """Counts a new report's words; call in the transaction that creates it."""
    if _counts(report):
        await _add(uses(report.body, report.area_path, report.created_at))


async def record_comment(comment: Comment) -> None:
    """Counts a new comment's words; call in the transaction that creates it, after the update of the report's
    comment count (which locks the report row, so that a concurrent hiding counts this comment or sees it)."""
    report = await Report.get(id=comment.report_id).values("kind", "hidden", "area_path")
    if _counts(report):
        await _add(uses(comment.body, report["area_path"], comment.created_at))


async def _thread_uses(report: Report, area_path: str) -> list[tuple[Key, int]]:
    """What a report and its comments add to the counts, in the area of that path."""
    changes = list(uses(report.body, area_path, report.created_at))
    for comment in await Comment.filter(report_id=report.id).values("body", "created_at"):
        changes += uses(comment["body"], area_path, comment["created_at"])
    return changes


async def report_hidden(report_id: int, hidden: bool) -> None:
    """Takes a report's words and its comments' words out of the counts (hidden) or puts them back; call in
    the transaction that changes `hidden`, after the change."""
    report = await Report.get(id=report_id)
    if report.kind == ReportKind.CITIZEN:
        await _add(await _thread_uses(report, report.area_path), -1 if hidden else 1)


async def report_moved(report_id: int, old_path: str) -> None:
    """Moves a report's words and its comments' from the kelurahan it was in to the one it is forwarded to;
    call in the transaction that changes its area, after the change."""
    report = await Report.get(id=report_id)
    if _counts(report) and report.area_path != old_path:
        leaving = await _thread_uses(report, old_path)
        await _add([*((key, -n) for key, n in leaving), *await _thread_uses(report, report.area_path)])


async def rebuild(batch: int = 20_000) -> int:
    """Recounts every stored report and comment from scratch, in one transaction; returns the texts counted.
    Run it with no server writing (a text stored meanwhile could be counted twice or not at all)."""
    counted = 0
    async with in_transaction():
        await TermUse.all().delete()
        last = 0
        while rows := await Report.filter(id__gt=last).order_by("id").limit(batch).values(
            "id", "kind", "hidden", "body", "area_path", "created_at"
        ):
            last = rows[-1]["id"]
            kept = [r for r in rows if _counts(r)]
            await _add(change for r in kept for change in uses(r["body"], r["area_path"], r["created_at"]))
            counted += len(kept)
        last = 0
        while rows := await Comment.filter(id__gt=last).order_by("id").limit(batch).values(
            "id", "body", "created_at", "report__kind", "report__hidden", "report__area_path"
        ):
            last = rows[-1]["id"]
            kept = [r for r in rows if r["report__kind"] == ReportKind.CITIZEN and not r["report__hidden"]]
            await _add(change for r in kept for change in uses(r["body"], r["report__area_path"], r["created_at"]))
            counted += len(kept)
    # The batches updated rows over and over: reclaim them, and give the planner the table's new shape.
    await connections.get("default").execute_script(
        "VACUUM ANALYZE term_use" if is_postgres() else "ANALYZE term_use"
    )
    return counted


@dataclass
class Period:
    """The days a question covers, and the days of equal number just before."""

    previous: date
    first: date
    end: date  # exclusive

    # In UTC: SQLite compares Tortoise's stored text, and only UTC text sorts like time.
    @property
    def start_moment(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=_zone).astimezone(UTC)

    @property
    def end_moment(self) -> datetime:
        return datetime.combine(self.end, time(), tzinfo=_zone).astimezone(UTC)


def period(start: datetime, end: datetime) -> Period:
    """Counts are kept by day (and week), so a period is the city's days that [start, end) touches: the whole
    day of `start` to the whole day of `end` (exact for periods from midnight to midnight)."""
    start, end = _aware(start), _aware(end)
    if end <= start:
        raise BadInput("to must be after from.")
    first = day_of(start)
    last = day_of(end - timedelta(microseconds=1))
    days = (last - first).days + 1
    if days > MAX_DAYS:
        raise BadInput(f"A period is at most {MAX_DAYS} days.")
    return Period(first - timedelta(days=days), first, last + timedelta(days=1))


@dataclass
class TrendingTopic:
    term: str
    label: str
    count: int
    previous_count: int
    growth: float
    sample_reports: list[Report]


def least_count(texts: int) -> int:
    """How many of a period's texts must use a term for it to trend."""
    return max(MIN_COUNT, math.ceil(texts / SHARE_OF_TEXTS))


async def watched_area(viewer: Account | None, area_id: int | None) -> Area | None:
    """The area a viewer asks about (None: every area, for the admin); refuses everyone the rule does not let in.
    Without an area, an official watches their own."""
    if viewer is None:
        raise Unauthenticated("Sign in to see trends and surges.")
    if area_id is None and viewer.role != Role.ADMIN:
        area_id = viewer.area_id
    area = None
    if area_id is not None:
        area = await Area.get_or_none(id=area_id)
        if area is None:
            raise NotFound("No such area.")
    if not permissions.may_watch(viewer, area.path if area is not None else None):
        raise Forbidden("Trends and surges are for the officials of the area and the city admin.")
    return area


async def trending_topics(
    viewer: Account | None, area_id: int | None, start: datetime, end: datetime, first: int | None = DEFAULT_FIRST
) -> list[TrendingTopic]:
    """The terms whose use grew most in the period against the days just before: growth = (count + 1) /
    (previousCount + 1), highest first (then the most used, then by term). A term trends when more texts used
    it than before, at least MIN_COUNT and at least one in SHARE_OF_TEXTS of the period's texts."""
    first = DEFAULT_FIRST if first is None else first
    if not 1 <= first <= MAX_FIRST:
        raise BadInput(f"first must be between 1 and {MAX_FIRST}.")
    days = period(start, end)
    area = await watched_area(viewer, area_id)
    area_ids = [area.id] if area is not None else await column(Area.filter(parent_id=None), "id", int)
    if not area_ids:
        return []
    # Each run planned for its own days and words, however often it is asked.
    return await custom_plans(lambda: _trending(area, area_ids, days, first))


def spans(first: date, end: date) -> list[tuple[int, date, date]]:
    """The rows that cover the days [first, end): (days, from, to), the rows of that span starting in [from, to).
    Whole weeks are read as week rows, the days around them as day rows."""
    monday = first + timedelta(days=-first.weekday() % WEEK)  # the first Monday on or after `first`
    last = end - timedelta(days=end.weekday())  # the last Monday on or before `end`
    if monday >= last:
        return [(1, first, end)]
    return [r for r in ((1, first, monday), (WEEK, monday, last), (1, last, end)) if r[1] < r[2]]


async def _trending(area: Area | None, area_ids: list[int], days: Period, first: int) -> list[TrendingTopic]:
    marks = ", ".join("?" for _ in area_ids)
    # Each period on its own, so that no week row straddles the two.
    ranges = spans(days.previous, days.first) + spans(days.first, days.end)
    selects = " UNION ALL ".join(
        f"SELECT term, form, day, count FROM term_use WHERE area_id IN ({marks}) AND days = ? AND day >= ? AND day < ?"
        for _ in ranges
    )
    rows = await sql_rows(
        f"""SELECT term, form, SUM(CASE WHEN day >= ? THEN count ELSE 0 END) AS now,
              SUM(CASE WHEN day < ? THEN count ELSE 0 END) AS before
            FROM ({selects}) AS uses GROUP BY term, form""",
        [day_param(days.first), day_param(days.first),
         *(v for span, low, high in ranges for v in (*area_ids, span, day_param(low), day_param(high)))],
    )
    now: Counter[str] = Counter()
    before: Counter[str] = Counter()
    labels: dict[str, tuple[int, str]] = {}
    for row in rows:
        term, form, n = row["term"], row["form"], int(row["now"])
        now[term] += n
        before[term] += int(row["before"])
        # The form written most in the period; of equals, the first in alphabetical order.
        if n > 0 and (term not in labels or (-n, form) < (-labels[term][0], labels[term][1])):
            labels[term] = (n, form)
    floor = least_count(now.pop(EVERY_TEXT, 0))
    before.pop(EVERY_TEXT, None)
    rising = [t for t, n in now.items() if n >= floor and n > before[t]]
    rising.sort(key=lambda t: (-(now[t] + 1) / (before[t] + 1), -now[t], t))
    top = rising[:first]
    samples = await _samples(area, days, top)
    return [
        TrendingTopic(term=t, label=labels[t][1], count=now[t], previous_count=before[t],
                      growth=(now[t] + 1) / (before[t] + 1), sample_reports=samples[t])
        for t in top
    ]


def _public_reports(paths: list[str] | None, days: Period) -> QuerySet[Report]:
    query = Report.filter(
        permissions.visible_q(None),
        kind=ReportKind.CITIZEN,
        created_at__gte=days.start_moment,
        created_at__lt=days.end_moment,
    )
    if paths is not None:
        # Reports are routed to kelurahan, so "inside the area" is one of its kelurahan's paths: an equality
        # that the (area_path, created_at) index answers newest first, where a prefix match reads every report.
        query = query.filter(area_path__in=paths)
    return query.order_by("-created_at", "-id")


async def _samples(area: Area | None, days: Period, top: list[str]) -> dict[str, list[Report]]:
    """Up to SAMPLES public reports of the area and period whose text uses each term, newest first. The stored
    stems of the period's newest SAMPLE_POOL reports serve every term they hold (a trending term is common);
    a term they leave short gets one query through the full-text index."""
    if not top:
        return {}
    paths = None
    if area is not None:
        paths = await column(Area.filter(level=AreaLevel.VILLAGE, path__startswith=area.path), "path", str)
        if not paths:
            return {t: [] for t in top}
    found: dict[str, list[int]] = {t: [] for t in top}
    pool = await _public_reports(paths, days).limit(SAMPLE_POOL).values_list("id", "search_text")
    for report_id, search_text in pool:
        for term in found.keys() & set(str(search_text).split()):
            if len(found[term]) < SAMPLES:
                found[term].append(int(report_id))
    if len(pool) == SAMPLE_POOL:  # older reports remain
        for term in top:
            if len(found[term]) < SAMPLES:
                found[term] = await column(with_stem(_public_reports(paths, days), term).limit(SAMPLES), "id", int)
    wanted = {i for ids in found.values() for i in ids}
    reports = {r.id: r for r in await Report.filter(id__in=wanted)} if wanted else {}
    return {t: [reports[i] for i in found[t] if i in reports] for t in top}
