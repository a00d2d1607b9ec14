"""The executor policy (resolvers/awaitable.py, installed by schema/build.py's RowsAreValues): graphql-core
treats database rows as plain values. Tortoise rows define `__await__`, and graphql-core would otherwise send
every row a resolver returns, and every field below it, through its asynchronous path.

The feed page is executed through the assembled schema, in process, while `Model.__await__` is counted."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from tortoise.models import Model

from app.resources import build_resources
from core.settings import Settings
from models import Account, Report
from models.enums import Role
from resolvers.awaitable import is_awaitable
from resolvers.context import Context
from resolvers.ids import to_global_id
from schema.build import build_schema
from testkit import rows

FEED = """query($a: ID!) { feed(filter: {authorId: $a}, first: 10) { edges { node {
  id body status badge createdAt category { code name } area { code name } agency { code } author { handle }
  photos { url } } } pageInfo { hasNextPage endCursor } } }"""
PAGE = 3


class AwaitCounter:
    def __init__(self) -> None:
        self.calls = 0


@pytest.fixture
def awaited_rows(monkeypatch: pytest.MonkeyPatch) -> Iterator[AwaitCounter]:
    """Counts every `await row` of every model while the test runs."""
    counter = AwaitCounter()
    original = Model.__await__

    def counting(self: Model) -> Generator[Any, None, Model]:
        counter.calls += 1
        return original(self)

    monkeypatch.setattr(Model, "__await__", counting)
    yield counter


@pytest.fixture
async def author(database: Settings) -> Account:
    author = await rows.account(Role.CITIZEN)
    village = await rows.area(rows.PISANGAN_BARU)
    for _ in range(PAGE):
        await rows.report(author, village, agency=await rows.agency("DLH"))
    return author


async def feed_page(settings: Settings, author: Account, production_executor: bool = True) -> dict[str, Any]:
    schema = build_schema()
    if not production_executor:
        schema.execution_context_class = StrawberryGraphQLCoreExecutionContext  # Strawberry's own
    async with build_resources(settings).opened() as resources:
        result = await schema.execute(FEED, variable_values={"a": to_global_id("Account", author.id)},
                                      context_value=Context(resources=resources, viewer=None, token=None))
    assert result.errors is None, result.errors
    assert result.data is not None and len(result.data["feed"]["edges"]) == PAGE
    return result.data


async def test_rows_are_values_not_awaitables(database: Settings, author: Account) -> None:
    report = await Report.filter(author_id=author.id).first()
    assert report is not None and inspect.isawaitable(report)  # what Tortoise makes of a row
    assert not is_awaitable(report)  # what graphql-core is told
    pending = asyncio.sleep(0)
    assert is_awaitable(pending) and is_awaitable(Report.filter(author_id=author.id))  # the rest still awaited
    await pending


async def test_a_feed_page_awaits_none_of_its_rows(database: Settings, author: Account,
                                                   awaited_rows: AwaitCounter) -> None:
    await feed_page(database, author)
    assert awaited_rows.calls == 0


async def test_without_the_policy_the_same_page_awaits_its_rows(database: Settings, author: Account,
                                                                awaited_rows: AwaitCounter) -> None:
    """The control: the count above is zero because of the policy, not because nothing could be awaited."""
    with_policy = await feed_page(database, author)
    assert awaited_rows.calls == 0
    without = await feed_page(database, author, production_executor=False)
    assert awaited_rows.calls >= PAGE  # each report at least, and the rows below it
    assert without == with_policy
