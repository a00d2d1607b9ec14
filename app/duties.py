"""Work the server does on time, without a request. Every duty is safe to run in every server process at
once (each one claims its rows with a conditional update, or touches only its own process's memory), so
scaling out needs no leader."""

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
        Duty("close reports followed up more than 7 days ago", workflow.close_stale, settings.auto_close_interval_s),
        Duty("open and close polls on time", polls.run_schedule, polls.SCHEDULE_SECONDS),
        Duty("tell area heads of category surges", surges.detect, settings.surge_interval_s),
        Duty("escalate reports past their deadline without a follow-up", escalation.run,
             settings.escalation_interval_s),
        Duty("reload the kelurahan boundaries that routing uses", routing.reload, routing.RELOAD_SECONDS),
        Duty("mark silent assets OFFLINE", readings.run, settings.asset_offline_interval_s),
        Duty("thin asset readings older than a week to one an hour", readings.compact, readings.COMPACT_SECONDS),
    ]


async def _run_every(duty: Duty) -> None:
    while True:
        await asyncio.sleep(duty.every_seconds)
        try:
            done = await duty.run()
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
