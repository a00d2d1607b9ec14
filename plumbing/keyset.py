"""Keyset pagination over (created_at, id), or another time column, newest first, with opaque cursors."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from core.errors import BadInput

M = TypeVar("M", bound=Model)
MAX_PAGE = 100


class Stamped(Protocol):
    """What a keyset page orders by: every model paged here has both columns."""

    @property
    def created_at(self) -> datetime: ...

    @property
    def pk(self) -> int: ...


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    has_next: bool
    has_previous: bool
    stamp: str = "created_at"  # the time column the page is ordered by

    def cursor(self, row: Stamped) -> str:
        return encode_cursor(getattr(row, self.stamp), row.pk)


def encode_cursor(created_at: datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        stamp, _, pk = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        created_at = datetime.fromisoformat(stamp)
        # One instant, one spelling: SQLite compares stored times as text in UTC.
        return created_at.astimezone(UTC) if created_at.tzinfo else created_at, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadInput("That cursor is not one of ours.") from exc


def page_size(first: int | None) -> int:
    if first is None:
        return 20
    if first < 0:
        raise BadInput("A page size cannot be negative.")
    return min(first, MAX_PAGE)


async def keyset_page(query: QuerySet[M], first: int | None, after: str | None,
                      stamp: str = "created_at") -> Page[M]:
    """One query: rows strictly older than the cursor, newest first, one extra to know if more follow."""
    size = page_size(first)
    if after:
        moment, pk = decode_cursor(after)
        # The plain bound lets the database start its index scan at the cursor instead of filtering
        # every newer row (a deep page would cost as much as all the pages before it).
        upto: dict[str, Any] = {f"{stamp}__lte": moment}
        before: dict[str, Any] = {f"{stamp}__lt": moment}
        tied: dict[str, Any] = {stamp: moment, "id__lt": pk}
        query = query.filter(Q(**upto), Q(**before) | Q(**tied))
    rows = await query.order_by(f"-{stamp}", "-id").limit(size + 1)
    return Page(rows=rows[:size], has_next=len(rows) > size, has_previous=after is not None, stamp=stamp)
