"""The outbox relay: publish committed events to the broker, retrying until it accepts them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import orjson
from redis.exceptions import RedisError
from tortoise.transactions import in_transaction

from core import clock
from models import OutboxEvent
from plumbing import outbox
from plumbing.broker import Broker
from plumbing.dialect import is_postgres

log = logging.getLogger("warga.relay")
BATCH = 200
KEEP_PUBLISHED = timedelta(days=1)


def message(row: OutboxEvent) -> bytes:
    return orjson.dumps({"id": row.id, "topic": row.topic, "payload": row.payload, "at": row.created_at.timestamp()})


class Relay:
    def __init__(self, broker: Broker, poll_seconds: float = 1.0) -> None:
        self.broker = broker
        self.poll_seconds = poll_seconds
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._unregister = outbox.on_commit(self.wake.set)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="warga-relay")

    async def stop(self) -> None:
        self._unregister()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        failures = 0
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), self.poll_seconds)
            self.wake.clear()
            try:
                # Each pass in a task of its own, so in a context of its own. Tortoise keeps the open transaction
                # in a context variable and skips resetting it when handing the connection back to the pool fails
                # (as when PostgreSQL cuts the connection during a restart): in one long-lived context every later
                # in_transaction() would nest in that dead transaction and fail, and the relay never publish again.
                await asyncio.create_task(self._drain(), name="warga-relay-pass")
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError, Exception) as exc:  # the database or Redis is away: retry later
                failures += 1
                if failures == 1:
                    log.warning("relaying events failed (%s); retrying", exc)
                await asyncio.sleep(min(0.2 * 2**failures, 2.0))
            else:
                if failures:
                    log.info("relaying events again after %d failed attempts", failures)
                failures = 0

    async def _drain(self) -> None:
        while await self.flush():
            pass

    async def flush(self) -> int:
        """Publish one batch of pending events; returns how many (0 when none are pending).

        On PostgreSQL the batch is locked with SKIP LOCKED, so the relays of several servers
        share the work and never publish the same row at once; a failed publish rolls back and
        leaves the rows pending.
        """
        async with in_transaction():
            query = OutboxEvent.filter(published_at=None).order_by("id").limit(BATCH)
            if is_postgres():
                query = query.select_for_update(skip_locked=True)
            rows = await query
            for row in rows:
                await self.broker.publish(message(row))
            if rows:
                await OutboxEvent.filter(id__in=[r.id for r in rows]).update(published_at=clock.now())
        if not rows:
            await OutboxEvent.filter(published_at__lt=clock.now() - KEEP_PUBLISHED).delete()
        return len(rows)
