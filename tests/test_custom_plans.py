"""plumbing.dialect.custom_plans under cancellation: graphql-core cancels a failed root field's siblings, and a
cancel that lands between a transaction's BEGIN and the end of Tortoise's __aenter__ used to keep the connection
out of the pool, idle in a transaction, for good (twenty of them emptied the suite's pool). On PostgreSQL, where
custom_plans opens that transaction; on SQLite it is a plain call and the test shows the same contract."""

from __future__ import annotations

import asyncio

from core.settings import Settings
from plumbing.dialect import custom_plans, is_postgres, sql_rows


async def idle_in_transaction() -> int:
    if not is_postgres():
        return 0
    rows = await sql_rows("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
                          "AND state LIKE 'idle in transaction%'", [])
    return int(rows[0]["n"])


async def test_cancelled_callers_leave_no_transaction_open(database: Settings) -> None:
    slow = "SELECT pg_sleep(0.02) AS slept" if is_postgres() else "SELECT 1 AS slept"
    for delay in (0.0, 0.001, 0.003, 0.01, 0.03):  # cancels landing at every point of a transaction's life
        callers = [asyncio.create_task(custom_plans(lambda: sql_rows(slow, [])))
                   for _ in range(3 * database.db_pool_max)]
        await asyncio.sleep(delay)
        for caller in callers:
            caller.cancel()
        await asyncio.gather(*callers, return_exceptions=True)
    await asyncio.sleep(0.5)  # the shielded transactions end on their own
    assert await idle_in_transaction() == 0
    # The whole pool is still there: as many callers at once as it holds, each answered.
    answers = await asyncio.wait_for(asyncio.gather(*(custom_plans(lambda: sql_rows("SELECT 1 AS one", []))
                                                      for _ in range(database.db_pool_max))), 10)
    assert [rows[0]["one"] for rows in answers] == [1] * database.db_pool_max
