"""`performance` with its accountability figures (ratings, escalations, inconsistent proofs, excused rejections)
over 100,000 reports of a month, on PostgreSQL, beside a plain GROUP BY of the same rows in the same run.

    .venv/bin/python bench/ranking.py [--reports 100000] [--runs 5]

A fresh database migrated and loaded with the demo (Jakarta Timur: 65 kelurahan), then testkit/synthetic.py's
reports (one every 30 s back from a fixed point), each followed-up one with a follow-up (a tenth of the proofs
inconsistent, a tenth unknown), a quarter of those with a second, older follow-up, half the latest fixes rated,
a seventh of the reports escalated and the rejected ones given every reason. The service is called in process
(no GraphQL, no cache: it keeps none) for every kelurahan, kecamatan and agency of the period.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit.databases import demo_database  # noqa: E402
from testkit.synthetic import fill  # noqa: E402

ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)
REDIS = "redis://127.0.0.1:6379/13"
ACCOUNTABILITY = """
INSERT INTO follow_up (report_id, officer_id, note, proof_consistent, created_at)
SELECT id, $1, 'Sudah dikerjakan', CASE id % 10 WHEN 0 THEN false WHEN 1 THEN NULL ELSE true END,
       first_follow_up_at - interval '1 hour' FROM report WHERE first_follow_up_at IS NOT NULL AND id % 4 = 0;
INSERT INTO follow_up (report_id, officer_id, note, proof_consistent, created_at)
SELECT id, $1, 'Sudah dikerjakan', CASE id % 10 WHEN 0 THEN false WHEN 1 THEN NULL ELSE true END,
       first_follow_up_at FROM report WHERE first_follow_up_at IS NOT NULL;
INSERT INTO fix_rating (report_id, follow_up_id, stars, created_at)
SELECT report_id, max(id), 1 + max(id) % 5, max(created_at) FROM follow_up GROUP BY report_id HAVING max(id) % 2 = 0;
UPDATE report SET escalation_level = 1 + id % 2 WHERE id % 7 = 0;
UPDATE report SET reject_reason = (ARRAY['DUPLICATE','NOT_OUR_AUTHORITY','NO_ACTION_NEEDED','SPAM','OTHER'])[1 + id % 5]
WHERE status = 'REJECTED';
ANALYZE follow_up; ANALYZE fix_rating; ANALYZE report;
"""


async def p50(action: Callable[[], Awaitable[Any]], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        await action()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from tortoise import Tortoise

    from models.config import tortoise_config
    from models.enums import PerformanceUnit
    from services.performance import performance

    async with demo_database("warga_bench_ranking", REDIS) as env:
        url = env["WARGA_DATABASE_URL"]
        conn = await asyncpg.connect(url)
        began = time.perf_counter()
        await fill(conn, 1, args.reports, ANCHOR)
        officer = await conn.fetchval("SELECT id FROM account WHERE handle = 'ppsu_pisanganbaru'")
        # asyncpg runs a script only without arguments: the officer's id goes in as a literal.
        await conn.execute(ACCOUNTABILITY.replace("$1", str(int(officer))))
        print(f"{args.reports:,} reports with their accountability rows in {time.perf_counter() - began:.0f} s")
        start = ANCHOR - timedelta(seconds=30 * args.reports)
        await Tortoise.init(config=tortoise_config(url))
        try:
            plain = await p50(lambda: conn.fetch(
                "SELECT area_id, count(*), count(first_follow_up_at) FROM report "
                "WHERE created_at >= $1 AND created_at < $2 GROUP BY area_id", start, ANCHOR), args.runs)
            print(f"baseline: plain GROUP BY of the period's reports by kelurahan: {plain:.0f} ms")
            for unit in (PerformanceUnit.VILLAGE, PerformanceUnit.DISTRICT, PerformanceUnit.AGENCY):
                rows = await performance(unit, start, ANCHOR, None, 10)
                took = await p50(partial(performance, unit, start, ANCHOR, None, 10), args.runs)
                counted = sum(r.counted for r in rows)
                print(f"performance(unit: {unit.value}) over {counted:,} counted reports ({len(rows)} units): "
                      f"{took:.0f} ms p50, {took / plain:.1f}x the baseline")
        finally:
            await Tortoise.close_connections()
            await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
