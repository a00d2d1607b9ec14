"""The work queue's rules in SQL say what their Python twins say: permissions.actionable_q selects exactly the
reports permissions.may_act allows (a verifier's: the DUTY reports of their kelurahan), all of which the viewer may
see, and reports.past_due_q among open reports exactly those reports.is_overdue calls overdue (and, False, the
others). tests/test_work_queue.py and tests/test_verifier_queue.py drive the queue itself over HTTP."""

from __future__ import annotations

import itertools
from datetime import timedelta

from tortoise import connections
from tortoise.expressions import Q

from core import clock
from core.settings import Settings
from models import Account, Report
from models.enums import OPEN_STATUSES, ReportKind, ReportStatus, Role
from plumbing.dialect import is_postgres
from services.feed import FeedFilter
from services.permissions import actionable_q, may_act, visible_q
from services.reports import is_overdue, past_due_q
from services.work_queue import queue_query
from testkit import rows

PLACES = [rows.PISANGAN_BARU, rows.RT001, rows.KAYU_MANIS, rows.CEGER, "32.71.03.1006"]  # the last in Kota Bogor
POSTS = [None, rows.PISANGAN_BARU, rows.MATRAMAN, "31.75"]  # an actor's area: none, a kelurahan, a district, the city


async def ids(q: Q, author: Account) -> set[int]:
    return {r.id for r in await Report.filter(q, author_id=author.id).only("id")}


async def test_actionable_q_is_may_act(database: Settings) -> None:
    """Every role, posted nowhere, in a kelurahan, a district or the city, with or without an agency, against
    reports of every place, agency, kind and partnership, hidden or shown: the same reports, all of them visible."""
    author = await rows.account(Role.RT_RW)
    agencies = [None, await rows.agency("SUDIN_PE_JT"), await rows.agency("DLH")]
    reports = [await rows.report(author, await rows.area(code), agency, handled=handled, kind=kind, hidden=hidden)
               for code, agency, handled, kind, hidden in itertools.product(
                   PLACES, agencies, (True, False), ReportKind, (False, True))]
    acted_on = set()
    for role, post, agency in itertools.product(Role, POSTS, agencies[:2]):
        actor = await rows.account(role, await rows.area(post) if post else None, agency)
        q = actionable_q(actor)
        found = await ids(q, author) if q is not None else set()
        assert found == {r.id for r in reports if may_act(actor, r)}, (role, post, agency)
        assert found <= await ids(visible_q(actor), author), (role, post, agency)  # the queue shows only those
        acted_on |= {(role, r.kind) for r in reports if r.id in found}
    assert (Role.VERIFIER, ReportKind.DUTY) in acted_on and (Role.VERIFIER, ReportKind.CITIZEN) not in acted_on


async def test_past_due_q_among_open_reports_is_is_overdue(database: Settings) -> None:
    author = await rows.account()
    village = await rows.area(rows.PISANGAN_BARU)
    now = clock.now()
    dues = [None, now - timedelta(hours=1), now + timedelta(hours=1)]
    reports = [await rows.report(author, village, status=status, due_at=due)
               for status, due in itertools.product(ReportStatus, dues)]
    overdue = {r.id for r in reports if is_overdue(r)}
    assert len(overdue) == 3  # WAITING, IN_PROGRESS and REOPENED, past their deadline
    # Among open reports (the work queue's), the deadline half of the rule splits them into exactly these and the rest.
    still_open = Q(status__in=list(OPEN_STATUSES))
    assert await ids(Q(still_open, past_due_q(now)), author) == overdue
    assert await ids(Q(still_open, past_due_q(now, past=False)), author) == {
        r.id for r in reports if r.status in OPEN_STATUSES} - overdue


async def test_the_queue_can_read_its_index(database: Settings) -> None:
    """The partial indexes exist (migration 0012), and SQLite, which uses a partial index only for a query stating
    its predicate word for word, can use it for the queue's query: told to (INDEXED BY), it finds a plan (else "no
    query solution"). Which index it picks is its planner's business (with statistics, this one). PostgreSQL
    proves the predicate itself."""
    client = connections.get("default")
    if is_postgres():
        _, found = await client.execute_query("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'report_queue%'")
        assert sorted(row["indexname"] for row in found) == ["report_queue_due_idx", "report_queue_idx"]
        return
    village = await rows.area(rows.PISANGAN_BARU)
    lurah, verifier = await rows.account(Role.AREA_HEAD, village), await rows.account(Role.VERIFIER, village)
    to_judge = FeedFilter(kind=ReportKind.DUTY, verified=False)  # the verifier's (web/static/screens/verify.js)
    for viewer, narrowed in ((lurah, None), (lurah, FeedFilter(statuses=[ReportStatus.IN_PROGRESS])),
                             (verifier, to_judge)):
        query = await queue_query(viewer, narrowed)
        assert query is not None
        ids = query.filter(past_due_q(clock.now())).order_by("created_at", "id").limit(21).values("id")
        sql = ids.sql(params_inline=True).replace('FROM "report"', 'FROM "report" INDEXED BY report_queue_idx', 1)
        plan = await client.execute_query_dict("EXPLAIN QUERY PLAN " + sql)
        assert any("report_queue_idx" in step["detail"] for step in plan), plan
