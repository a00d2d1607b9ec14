"""Work the server does on time, without a request. Every duty runs in every server process (WARGA_WORKERS of
them, on any number of machines) and needs no leader: each claims its rows with a statement only one process can
win, does work that ends the same however many do it, or touches only its own process's memory (said beside each).
A loser's claim changes nothing: PostgreSQL makes it wait for the winner's commit and then re-reads the row
(tests/test_workers.py, tests/test_scale_out.py). The outbox relay (plumbing/relay.py) shares its rows with
SELECT ... FOR UPDATE SKIP LOCKED.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from core.settings import Settings
from services import escalation, polls, readings, routing, surges, workflow

log = logging.getLogger("warga.duties")


@dataclass(frozen=True)
class Duty:
    name: str
    run: Callable[[], Awaitable[int]]  # returns how many things it did, for the log
    every_seconds: float


def duties(settings: Settings) -> list[Duty]:
    """The duties, with how often each runs (0 or less: never)."""
    return [
        # UPDATE ... WHERE status = FOLLOWED_UP: one process closes a report, the others' updates match no row.
        Duty("close reports followed up more than 7 days ago", workflow.close_stale, settings.auto_close_interval_s),
        # UPDATE of the poll's announced stamp WHERE it is unset, in the announcing transaction.
        Duty("open and close polls on time", polls.run_schedule, polls.SCHEDULE_SECONDS),
        # The unique (kelurahan, category, episode): a second insert of the same surge fails and tells nobody.
        Duty("tell area heads of category surges", surges.detect, settings.surge_interval_s),
        # UPDATE ... WHERE (escalation_level, escalate_at) are still those read: each step once.
        Duty("escalate reports past their deadline without a follow-up", escalation.run,
             settings.escalation_interval_s),
        # This process's own memory.
        Duty("reload the kelurahan boundaries that routing uses", routing.reload, routing.RELOAD_SECONDS),
        # UPDATE ... WHERE (silent_at, status) are still those read: each change once.
        Duty("mark silent assets OFFLINE", readings.run, settings.asset_offline_interval_s),
        # Idempotent: whichever processes delete, each hour keeps its newest reading.
        Duty("thin asset readings older than a week to one an hour", readings.compact, readings.COMPACT_SECONDS),
    ]


async def _run_every(duty: Duty) -> None:
    while True:
        await asyncio.sleep(duty.every_seconds)
        try:
            # Each run in a task of its own: a dead transaction Tortoise leaves current when PostgreSQL goes away
            # mid-run (it skips the reset when handing the connection back fails) dies with the task.
            done: int = await asyncio.ensure_future(duty.run())
            if done:
                log.info("%s: %d", duty.name, done)
        except Exception:  # the loop must outlive a database hiccup
            log.exception("%s failed", duty.name)


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[None]:
    tasks = [asyncio.create_task(_run_every(duty), name=f"warga-duty: {duty.name}")
             for duty in duties(settings) if duty.every_seconds > 0]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
