"""@mention suggestions' prefix match in SQL: `_` and `%` are characters, and on PostgreSQL the prefix indexes of
migration 0012 serve the very SQL Tortoise writes (their expressions must match it). tests/test_mention_suggestions.py
drives the suggestions over HTTP."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.settings import Settings
from models import Account
from plumbing.dialect import is_postgres
from services.mentions import starts_with
from testkit import rows


async def test_a_prefix_is_literal(database: Settings) -> None:
    made = await rows.account()
    await Account.filter(id=made.id).update(display_name="50%_Diskon")
    assert await Account.filter(starts_with("50%_d"), id=made.id).exists()
    assert not await Account.filter(starts_with("5__"), id=made.id).exists()
    assert not await Account.filter(starts_with("%"), id=made.id).exists()


async def test_postgres_reads_the_prefix_indexes(database: Settings) -> None:
    if not is_postgres():
        return  # SQLite's LIKE ignores case and uses no index (the migration makes none there)
    sql = Account.filter(starts_with("bud")).sql(params_inline=True)
    async with in_transaction() as connection:  # SET LOCAL: this plan only
        await connection.execute_script("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row["QUERY PLAN"] for row in await connection.execute_query_dict("EXPLAIN " + sql))
    assert "account_handle_prefix_idx" in plan and "account_name_prefix_idx" in plan, plan
