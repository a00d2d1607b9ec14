"""Events for live timelines, written to the outbox inside the transaction that made them.

Subscribers learn of a change only after it is durable: the row commits with the change, and
the relay (subscriptions/relay.py) publishes it after commit. `committed()` wakes the relay
at once instead of at its next poll.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

from tortoise.transactions import in_transaction

from core import clock
from models import OutboxEvent

REPORT = "report"
NOTIFICATION = "notification"
POLL = "poll"  # payload: poll_id and its change
ASSET = "asset"  # payload: asset_id, whose current state changed
PollChange = Literal["opened", "votes", "closed"]

_wakers: list[Callable[[], None]] = []


async def record(topic: str, **payload: Any) -> None:
    """Call inside the transaction of the change the event describes."""
    await OutboxEvent.create(topic=topic, payload=payload, created_at=clock.now())


async def report_created(report_id: int) -> None:
    await record(REPORT, report_id=report_id, created=True, event_id=None)


async def report_changed(report_id: int, event_id: int | None) -> None:
    await record(REPORT, report_id=report_id, created=False, event_id=event_id)


async def poll_changed(poll_id: int, change: PollChange) -> None:
    await record(POLL, poll_id=poll_id, change=change)


async def asset_changed(asset_id: int) -> None:
    await record(ASSET, asset_id=asset_id)


def on_commit(waker: Callable[[], None]) -> Callable[[], None]:
    """Register a callback for committed events; returns its unregistration."""
    _wakers.append(waker)
    return lambda: _wakers.remove(waker)


def committed() -> None:
    for waker in list(_wakers):
        waker()


@contextlib.asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """A database transaction whose recorded events are announced once it has committed."""
    async with in_transaction():
        yield
    committed()
