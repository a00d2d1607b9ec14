"""Which resolver results graphql-core must await."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeGuard

from strawberry.execution import optimized_is_awaitable
from tortoise.models import Model


def is_awaitable(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Everything graphql-core awaits, except database rows. Tortoise rows define `__await__` (so that
    `await report.category` works whether or not the relation was fetched), and graphql-core would
    otherwise send every row a resolver returns, and all the fields below it, through its asynchronous
    path: on a feed page that was several times the cost of the synchronous one."""
    return not isinstance(value, Model) and optimized_is_awaitable(value)
