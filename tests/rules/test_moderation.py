"""Moderation's rules in SQL say what their Python twins say: permissions.moderated_q selects exactly the reports
permissions.may_moderate allows; flagged.flagged_reports places each report by its oldest open flag, as the flags
say in Python; moderation events are for officials' eyes; and the open flags' partial index serves the list.
tests/test_moderation_queue.py drives flaggedReports, keepReport and hideReport over HTTP."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from tortoise import connections

from core import clock
from core.errors import Forbidden, Unauthenticated
from core.settings import Settings
from models import Account, Flag, Report
from models.enums import EventKind, Role
from plumbing.dialect import is_postgres
from services import flagged
from services.permissions import MODERATORS, may_moderate, may_see_event, moderated_q
from testkit import rows

PLACES = [rows.PISANGAN_BARU, rows.RT001, rows.KAYU_MANIS, rows.CEGER, "32.71.03.1006"]  # the last in Kota Bogor
POSTS = [None, rows.PISANGAN_BARU, rows.MATRAMAN, "31.75"]


async def test_moderated_q_is_may_moderate(database: Settings) -> None:
    author = await rows.account()
    reports = [await rows.report(author, await rows.area(code), handled=handled, hidden=hidden)
               for code, handled, hidden in itertools.product(PLACES, (True, False), (False, True))]
    for role, post in itertools.product(Role, POSTS):
        actor = await rows.account(role, await rows.area(post) if post else None)
        q = moderated_q(actor)
        found = {r.id for r in await Report.filter(q, author_id=author.id).only("id")} if q is not None else set()
        assert found == {r.id for r in reports if may_moderate(actor, r)}, (role, post)
        assert not found or role in MODERATORS


@pytest.mark.parametrize("role", list(Role))
async def test_moderation_events_are_for_officials(database: Settings, role: Role) -> None:
    village = await rows.area(rows.PISANGAN_BARU)
    viewer = await rows.account(role, village)
    report = await rows.report(await rows.account(), village)
    official = role in (Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD, Role.CITY_ADMIN, Role.ADMIN)
    for kind in EventKind:
        moderation = kind in (EventKind.HIDDEN, EventKind.UNHIDDEN, EventKind.KEPT)
        assert may_see_event(viewer, report, kind) is (official or not moderation), kind
    assert may_see_event(None, report, EventKind.KEPT) is False


async def _all_flagged(viewer: Account, first: int) -> list[int]:
    """Every report of the list, page by page."""
    found: list[int] = []
    after = None
    while True:
        page = await flagged.flagged_reports(viewer, first, after)
        found += [r.id for r in page.rows]
        if not page.has_next:
            return found
        after = page.cursor(page.rows[-1])


async def test_a_report_is_placed_by_its_oldest_open_flag(database: Settings) -> None:
    """Flags raised in turns on five reports, some decided, one report hidden: the list's order is the order of
    each shown report's oldest open flag, on every page size."""
    village = await rows.area(rows.PISANGAN_BARU)
    author, resident = await rows.account(), await rows.account()
    reports = [await rows.report(author, village) for _ in range(5)]
    hidden = await rows.report(author, village, hidden=True)
    reports.append(hidden)
    start = clock.now()
    # (report, minutes after start, decided): report 0's oldest flag is decided, so its next open one places it.
    raised = [(0, 0, True), (1, 1, False), (2, 2, False), (0, 3, False), (3, 4, True), (1, 5, False),
              (4, 6, False), (5, 0, False), (2, 7, False)]
    flags = []
    for which, minutes, decided in raised:
        flags.append(await Flag.create(report=reports[which], account=resident, reason="Uji",
                                       decided_at=start if decided else None,
                                       created_at=start + timedelta(minutes=minutes)))
    # In Python: the shown reports in the order their first open flag appears among the open flags, oldest first.
    first_open: dict[int, Flag] = {}
    for f in sorted(flags, key=lambda f: (f.created_at, f.id)):
        if f.decided_at is None and f.report_id != hidden.id:
            first_open.setdefault(f.report_id, f)
    expected = list(first_open)
    assert expected == [reports[1].id, reports[2].id, reports[0].id, reports[4].id]
    admin = await rows.account(Role.ADMIN)
    mine = {r.id for r in reports}
    for size in (1, 2, 3, 100):
        assert [i for i in await _all_flagged(admin, size) if i in mine] == expected, size


async def test_only_moderators_read_the_list(database: Settings) -> None:
    with pytest.raises(Unauthenticated):
        await flagged.flagged_reports(None, 5, None)
    village = await rows.area(rows.PISANGAN_BARU)
    for role in set(Role) - MODERATORS:
        with pytest.raises(Forbidden):
            await flagged.flagged_reports(await rows.account(role, village), 5, None)
    nowhere = await flagged.flagged_reports(await rows.account(Role.AREA_HEAD), 5, None)  # a head without an area
    assert nowhere.rows == [] and not nowhere.has_next


async def test_the_list_can_read_its_index(database: Settings) -> None:
    """The open flags' partial index exists (migration 0013), and SQLite, which uses a partial index only for a
    query stating its predicate, can use it for the list's query (INDEXED BY finds a plan, else "no query
    solution"). PostgreSQL proves the predicate itself."""
    client = connections.get("default")
    if is_postgres():
        _, found = await client.execute_query("SELECT indexname FROM pg_indexes WHERE indexname = 'flag_open_idx'")
        assert [row["indexname"] for row in found] == ["flag_open_idx"]
        return
    lurah = await rows.account(Role.AREA_HEAD, await rows.area(rows.PISANGAN_BARU))
    flags = flagged.placing_flags(lurah)
    assert flags is not None
    query = flags.order_by("created_at", "id").limit(21)
    query._make_query()  # its SQL with the parameters apart: Tortoise inlines none of a subquery's
    sql, params = query.query.get_parameterized_sql()
    assert sql.count('FROM "flag" WHERE') == 1  # the outer table (the inner one is "e")
    sql = sql.replace('FROM "flag" WHERE', 'FROM "flag" INDEXED BY flag_open_idx WHERE')
    plan = await client.execute_query_dict("EXPLAIN QUERY PLAN " + sql, params)
    assert any("flag_open_idx" in step["detail"] for step in plan), plan
