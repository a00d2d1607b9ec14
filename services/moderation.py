"""Moderation: residents flag, moderators hide, unhide or keep, and the timeline remembers why.

A flag stays open until a moderator decides its report: hiding it or keeping it shown closes every open flag of the
report (services/flagged.py lists the reports with open ones). Unhiding decides nothing: flags raised while the
report was hidden wait for the moderators once it is shown again.
"""

from __future__ import annotations

from datetime import datetime

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
    # On the app's clock, as the decision that closes it: flaggedReports orders by it.
    await Flag.create(report_id=report.id, account=actor, reason=required_text(reason, "A reason", MAX_REASON),
                      created_at=clock.now())
    return True


async def _moderated(actor: Account | None, report_id: int, action: Action) -> tuple[Account, Report]:
    """The actor and the report, when the rules let the actor moderate it."""
    if actor is None:
        raise Unauthenticated()
    report = await Report.get_or_none(id=report_id)
    if report is None:
        raise NotFound("No such report.")
    if not permissions.allowed(action, actor, report):
        raise Forbidden("Only a city admin, or the area head of its area, moderates a report.")
    return actor, report


async def _close_flags(moderator: Account, report: Report, now: datetime) -> int:
    """Inside the decision's transaction: the report's open flags are decided; returns how many."""
    return await Flag.filter(report_id=report.id, decided_at__isnull=True).update(
        decided_at=now, decided_by_id=moderator.id)


async def _record(moderator: Account, report: Report, kind: EventKind, note: str | None, now: datetime) -> None:
    """Inside the decision's transaction: its event, for officials' eyes (permissions.MODERATION_EVENTS)."""
    event = await ReportEvent.create(report_id=report.id, kind=kind, actor=moderator, status=report.status,
                                     note=note, created_at=now)
    await outbox.report_changed(report.id, event.id)


async def set_hidden(actor: Account | None, report_id: int, hidden: bool, reason: str | None) -> Report:
    """Hide (with a reason, deciding its open flags) or unhide."""
    moderator, report = await _moderated(actor, report_id, Action.HIDE if hidden else Action.UNHIDE)
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
        if hidden:
            await _close_flags(moderator, report, now)
        await _record(moderator, report, EventKind.HIDDEN if hidden else EventKind.UNHIDDEN, note, now)
    await report.refresh_from_db()
    return report


async def keep(actor: Account | None, report_id: int, reason: str) -> Report:
    """Keep a flagged report shown: its open flags are decided, the reason goes to the timeline (KEPT)."""
    moderator, report = await _moderated(actor, report_id, Action.KEEP)
    note = required_text(reason, "A reason", MAX_REASON)
    now = clock.now()
    async with outbox.transaction():
        # The report's row first, as hiding does: of a keep and a hide racing, the second waits for the first and
        # finds the report hidden, or its flags decided.
        if not await Report.filter(id=report.id, hidden=False).update(updated_at=now):
            raise BadInput("The report is hidden: unhide it to show it again.")
        if not await _close_flags(moderator, report, now):
            raise BadInput("No flag on this report waits for a decision.")  # the transaction writes nothing
        await _record(moderator, report, EventKind.KEPT, note, now)
    await report.refresh_from_db()
    return report
