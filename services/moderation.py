"""Moderation: residents flag, moderators hide and unhide, and the timeline remembers why."""

from __future__ import annotations

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Flag, Report, ReportEvent
from models.enums import EventKind
from plumbing import outbox
from services import permissions, trends
from services.permissions import Action
from services.text import optional_text, required_text

MAX_REASON = 1000


async def flag(actor: Account | None, report: Report, reason: str) -> bool:
    if actor is None:
        raise Unauthenticated()
    await Flag.create(report_id=report.id, account=actor, reason=required_text(reason, "A reason", MAX_REASON))
    return True


async def set_hidden(actor: Account | None, report_id: int, hidden: bool, reason: str | None) -> Report:
    """Hide (with a reason) or unhide; the event is for officials' eyes only."""
    if actor is None:
        raise Unauthenticated()
    report = await Report.get_or_none(id=report_id)
    if report is None:
        raise NotFound("No such report.")
    if not permissions.allowed(Action.HIDE if hidden else Action.UNHIDE, actor, report):
        raise Forbidden("Only a city admin, or the area head of its area, moderates a report.")
    # Hiding requires a reason (the schema makes it non-null): a missing one is refused like an empty one.
    if hidden:
        note: str | None = required_text(reason or "", "A reason", MAX_REASON)
    else:
        note = optional_text(reason, "A note", MAX_REASON)
    now = clock.now()
    async with outbox.transaction():
        if not await Report.filter(id=report.id, hidden=not hidden).update(hidden=hidden, updated_at=now):
            raise BadInput("The report is already hidden." if hidden else "The report is not hidden.")
        await trends.report_hidden(report.id, hidden)  # its words and its comments' leave the counts, or return
        event = await ReportEvent.create(
            report_id=report.id,
            kind=EventKind.HIDDEN if hidden else EventKind.UNHIDDEN,
            actor=actor,
            status=report.status,
            note=note,
            created_at=now,
        )
        await outbox.report_changed(report.id, event.id)
    await report.refresh_from_db()
    return report
