"""Category surges (services/surges.py): the rule on known counts, and the duty that tells the area heads once
per surge, with two runs at once, and again only for a new surge after the first one ended.

A made-up city at a moment long past (2018), so that no other test's reports fall in its windows.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core import clock
from core.errors import BadInput, Forbidden
from core.settings import Settings
from models import Account, Area, Category, Notification, Report, Surge
from models.enums import NotificationKind, ReportKind, ReportStatus, Role
from services import surges
from testkit import rows
from testkit.opinion import made_up_city

NOW = datetime(2018, 2, 14, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def at(moment: datetime) -> None:
    clock.reset()
    clock.advance((moment - datetime.now(UTC)).total_seconds())


async def add(village: Area, code: str, moments: list[datetime], author: Account, **fields: object) -> None:
    category = await Category.get(code=code, city_id=None)
    await Report.bulk_create([
        Report(kind=fields.get("kind", ReportKind.CITIZEN), body="Uji lonjakan", category=category, lat=0, lng=0,
               area=village, area_path=village.path, author=author, status=ReportStatus.WAITING,
               hidden=fields.get("hidden", False), created_at=m, updated_at=m)
        for m in moments
    ])


def spread(count: int, start: datetime, end: datetime) -> list[datetime]:
    step = (end - start) / count
    return [start + step * (n + 0.5) for n in range(count)]


@pytest.fixture(scope="module")
async def city(database: Settings) -> tuple[Area, list[Area], list[Account]]:
    city, villages = await made_up_city(villages=2, lat=-12.5)
    one, two = villages
    author = await rows.account()
    window, history = (NOW - DAY, NOW), (NOW - DAY - timedelta(weeks=8), NOW - DAY)
    # Kelurahan one: rubbish once a week, then 6 in a day (usual 8/56, ratio 7 / (1 + 1/7) = 6.125): a surge.
    await add(one, "SAMPAH", spread(8, *history) + spread(6, *window), author)
    # Floods daily (usual 1), then 5 in a day: ratio (5 + 1) / (1 + 1) = 3, the edge, a surge.
    await add(one, "BANJIR", spread(56, *history) + spread(5, *window), author)
    # Jams 1.5 a day, then 6: ratio 7 / 2.5 = 2.8, no surge.
    await add(one, "MACET", spread(84, *history) + spread(6, *window), author)
    # Street lights never, then 4: ratio 5 but fewer than 5 reports, no surge.
    await add(one, "PJU_PADAM", spread(4, *window), author)
    # Kelurahan two: 4 public reports of rubbish, 2 hidden and 2 DUTY ones: counted 4, no surge.
    await add(two, "SAMPAH", spread(4, *window), author)
    await add(two, "SAMPAH", spread(2, *window), author, hidden=True)
    await add(two, "SAMPAH", spread(2, *window), author, kind=ReportKind.DUTY)
    # Older than 8 weeks and newer than now: outside everything.
    await add(two, "SAMPAH", spread(9, NOW - timedelta(weeks=20), NOW - timedelta(weeks=19)), author)
    heads = [await rows.account(Role.AREA_HEAD, one), await rows.account(Role.AREA_HEAD, one)]
    return city, villages, heads


def shown(found: list[surges.CategorySurge], codes: dict[int, str]) -> list[tuple[str, int, float, float]]:
    return [(codes[s.category_id], s.count, round(s.usual, 9), round(s.ratio, 9)) for s in found]


async def test_the_rule_on_known_counts(city: tuple[Area, list[Area], list[Account]]) -> None:
    whole, (one, two), heads = city
    codes = {c.id: c.code for c in await Category.all()}
    at(NOW)
    try:
        found = await surges.surges(heads[0], one.id, 24)
        assert shown(found, codes) == [("SAMPAH", 6, round(8 / 56, 9), 6.125), ("BANJIR", 5, 1.0, 3.0)]
        assert {s.area_id for s in found} == {one.id}
        assert await surges.surges(heads[0], None, None) == found  # the head's own kelurahan, 24 hours
        admin = await rows.account(Role.ADMIN)
        assert await surges.surges(admin, whole.id, 24) == found
        assert await surges.surges(admin, two.id, 24) == []
        # A 12-hour window: half of each burst, against a usual of a twelfth as much.
        half = await surges.surges(admin, one.id, 12)
        assert all(s.count >= surges.MIN_COUNT and s.ratio >= 3 for s in half)
        with pytest.raises(Forbidden):
            await surges.surges(await rows.account(Role.AREA_HEAD, two), one.id, 24)
        with pytest.raises(Forbidden):
            await surges.surges(await rows.account(Role.CITIZEN, one), one.id, 24)
        for hours in (0, 169):
            with pytest.raises(BadInput):
                await surges.surges(admin, one.id, hours)
    finally:
        clock.reset()


def test_small_numbers() -> None:
    assert not surges.is_surge(2, 0.0)  # ratio 3 from two reports: too few
    assert not surges.is_surge(4, 0.0)
    assert surges.is_surge(5, 0.0)
    assert surges.is_surge(5, 1.0)  # (5 + 1) / (1 + 1) = 3: at least three times
    assert not surges.is_surge(5, 1.01)
    assert not surges.is_surge(30, 10.0)  # exactly 3 x usual is not enough once the +1 is added
    assert surges.is_surge(32, 10.0)


async def told(heads: list[Account]) -> list[int]:
    return [await Notification.filter(account_id=h.id, kind=NotificationKind.CATEGORY_SURGE).count() for h in heads]


async def test_each_surge_is_told_once(city: tuple[Area, list[Area], list[Account]]) -> None:
    _, (one, _two), heads = city
    sampah = await Category.get(code="SAMPAH", city_id=None)
    # Two servers detect at the same moment: two surges, each recorded and told by exactly one of them.
    first, second = await asyncio.gather(surges.detect(NOW), surges.detect(NOW))
    assert first + second == 2
    assert await told(heads) == [2, 2]
    rows_now = await Surge.filter(area_id=one.id).order_by("category_id")
    assert [(s.episode, s.ended_at) for s in rows_now] == [(1, None), (1, None)]
    notes = await Notification.filter(account_id=heads[0].id, kind=NotificationKind.CATEGORY_SURGE)
    newest = await Report.filter(area_id=one.id, category_id=sampah.id).order_by("-created_at").first()
    assert newest is not None and newest.id in {n.report_id for n in notes}  # it opens the newest report
    # Later runs see the same surges running: nobody is told again.
    assert await surges.detect(NOW + timedelta(minutes=10)) == 0
    assert await surges.detect(NOW + timedelta(hours=20)) == 0
    assert await told(heads) == [2, 2]
    # Three quiet days: the window is empty and a whole window passed without the surge, so it ended.
    assert await surges.detect(NOW + 3 * DAY) == 0
    assert all(s.ended_at is not None for s in await Surge.filter(area_id=one.id))
    # Rubbish piles up again: a new surge (against a usual that now holds the first burst), told again.
    author = await rows.account()
    await add(one, "SAMPAH", spread(6, NOW + 4 * DAY, NOW + 5 * DAY), author)
    assert sorted(await asyncio.gather(surges.detect(NOW + 5 * DAY), surges.detect(NOW + 5 * DAY))) == [0, 1]
    assert await told(heads) == [3, 3]
    latest = await Surge.filter(area_id=one.id, category_id=sampah.id).order_by("-episode").first()
    assert latest is not None and (latest.episode, latest.count, latest.ended_at) == (2, 6, None)
    assert latest.usual == pytest.approx(13 / 56)  # the first burst, and 7 of the 8 weekly reports
