"""Events for live timelines, written to the outbox inside the transaction that made them.

Subscribers learn of a change only after it is durable: the row commits with the change, and
the relay (plumbing/relay.py) publishes it after commit. `committed()` wakes the relay
at once instead of at its next poll.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import asyncpg
from tortoise.exceptions import BaseORMException
from tortoise.transactions import in_transaction

from core import clock
from models import OutboxEvent

REPORT = "report"
NOTIFICATION = "notification"
POLL = "poll"  # payload: poll_id and its change
ASSET = "asset"  # payload: asset_id, whose current state changed
PollChange = Literal["opened", "votes", "closed"]

_wakers: list[Callable[[], None]] = []
# What PostgreSQL going away looks like (a restart or failover cuts the connections, then refuses new ones; a
# statement after the cut finds its transaction aborted, and Tortoise wraps that one). A wrong query is none of these.
_LOST = (OSError, asyncpg.PostgresConnectionError, asyncpg.InterfaceError,
         asyncpg.exceptions.OperatorInterventionError, asyncpg.InFailedSQLTransactionError)


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


def database_lost(exc: BaseException) -> bool:
    """Whether a failure means the database went away, so the event is to be delivered again once it is back."""
    cause: BaseException | None = exc
    for _ in range(5):  # Tortoise raises its own exceptions `from` the driver's; nothing else is looked through
        if isinstance(cause, _LOST):
            return True
        if not isinstance(cause, BaseORMException):  # e.g. a refused photo `from` Pillow's OSError: not the database
            return False
        cause = cause.__cause__
    return False


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
