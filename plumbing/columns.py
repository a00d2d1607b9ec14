"""One column of every row, typed: Tortoise 1.1 annotates it as something other than what it returns."""

from __future__ import annotations

from typing import TypeVar, cast

from tortoise.models import Model
from tortoise.queryset import QuerySet

M = TypeVar("M", bound=Model)
T = TypeVar("T")


async def column(query: QuerySet[M], field: str, of: type[T]) -> list[T]:
    """`values_list(field, flat=True)`: one value per row, of the type `of` names (nothing is converted).

    Tortoise 1.1 annotates every awaited values_list as a list of tuples, flat or not
    (tortoise/tortoise-orm#1112), hence the cast.
    """
    return cast(list[T], await query.values_list(field, flat=True))
