"""Moderation: residents flag, moderators hide and unhide, and the timeline remembers why."""

from __future__ import annotations

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from models import Account, Flag, Report, ReportEvent
from models.enums import EventKind
from plumbing import outbox
from services import permissions
from services.permissions import Action

MAX_REASON = 1000


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not 1 <= len(reason) <= MAX_REASON:
        raise BadInput(f"A reason is 1 to {MAX_REASON} characters.")
    return reason


async def flag(actor: Account | None, report: Report, reason: str) -> bool:
    if actor is None:
        raise Unauthenticated()
    await Flag.create(report_id=report.id, account=actor, reason=_reason(reason))
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
    note = _reason(reason) if hidden else (reason.strip() if reason else None)
    now = clock.now()
    async with outbox.transaction():
        if not await Report.filter(id=report.id, hidden=not hidden).update(hidden=hidden, updated_at=now):
            raise BadInput("The report is already hidden." if hidden else "The report is not hidden.")
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
