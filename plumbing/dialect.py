"""The few places where SQL differs between PostgreSQL and SQLite ask here."""

import asyncio
import re
from collections.abc import Awaitable, Callable, Sized
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from tortoise import connections
from tortoise.models import Model
from tortoise.transactions import in_transaction


def is_postgres() -> bool:
    return str(connections.get("default").capabilities.dialect) == "postgres"


def floor_sql(expression: str) -> str:
    """floor() of a non-negative expression (PostgreSQL's CAST rounds, SQLite's truncates)."""
    return f"FLOOR({expression})" if is_postgres() else f"CAST({expression} AS INTEGER)"


def placeholders(query: str) -> str:
    """SQL written with ? placeholders, numbered ($1, $2, …) for asyncpg on PostgreSQL."""
    if not is_postgres():
        return query
    counter = iter(range(1, 100_000))
    return re.sub(r"\?", lambda _: f"${next(counter)}", query)


async def sql_rows(query: str, values: list[Any]) -> list[dict[str, Any]]:
    """A raw query written with ? placeholders, on either database; rows as dicts."""
    rows: list[dict[str, Any]] = await connections.get("default").execute_query_dict(placeholders(query), values)
    return rows


M = TypeVar("M", bound=Model)
T = TypeVar("T")


async def models_of(model: type[M], where: str, values: list[Any]) -> list[M]:
    """`SELECT * FROM` the model's table `where` (SQL with ? placeholders), as that model's rows. For the reads every
    page makes: Tortoise's query builder costs about 0.35 ms a query (a page's photos: 563 us through the ORM,
    215 us so, models included; bench notes in docs/benchmarks.md), the rows themselves a few us each."""
    rows = await sql_rows(f"SELECT * FROM {model._meta.db_table} WHERE {where}", values)
    return [model._init_from_db(**row) for row in rows]


def marks(values: Sized) -> str:
    """The placeholders of an IN list: `IN ({marks(ids)})`."""
    return ", ".join("?" * len(values))


def moment_param(moment: datetime) -> datetime | str:
    """A timestamp as a raw query's parameter: SQLite keeps Tortoise's ISO text in UTC (text order is time order).

    Written exactly as Tortoise writes it (isoformat(" "): no fraction when it is zero), else a row stored at
    "…00:00+00:00" sorts before a bound of "…00:00.000000+00:00" and a period's edges shift by one row."""
    return moment if is_postgres() else moment.astimezone(UTC).isoformat(sep=" ")


def day_param(day: date) -> date | str:
    """A date as a raw query's parameter: SQLite keeps ISO text."""
    return day if is_postgres() else day.isoformat()


async def custom_plans(work: Callable[[], Awaitable[T]]) -> T:
    """work() with its queries planned for their own parameters each time (on PostgreSQL, in a transaction).

    asyncpg prepares each statement once, and after five runs PostgreSQL may keep one generic plan for any
    parameters. For a range of days, or a word that a few reports use, that plan reads far more: from its
    sixth run on a connection, trendingTopics took 3-5 times as long (services/trends.py).

    Shielded from the caller's cancellation (graphql-core cancels the siblings of a failed field): cancelled
    between its BEGIN and the end of Tortoise's __aenter__, the transaction would never be ended, its connection
    never given back, idle in a transaction for good; twenty of those and the pool is empty.
    """
    if not is_postgres():
        return await work()

    async def planned() -> T:
        async with in_transaction() as connection:
            await connection.execute_script("SET LOCAL plan_cache_mode = force_custom_plan")
            return await work()

    task = asyncio.ensure_future(planned())
    # Nobody else waits for it once its caller is gone: its failure is read here, not logged as never retrieved.
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    return await asyncio.shield(task)
