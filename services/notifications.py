"""Telling people: mentions, comments, status changes, assignments, alerts."""

from __future__ import annotations

from collections.abc import Iterable

from tortoise.expressions import Q

from core import clock
from models import Asset, Comment, Notification, Report
from models.enums import NotificationKind
from plumbing import outbox


async def notify(
    account_ids: Iterable[int],
    kind: NotificationKind,
    report: Report | None = None,
    comment: Comment | None = None,
    actor_id: int | None = None,
    asset: Asset | None = None,
) -> list[Notification]:
    """One notification per account, never to the actor who caused it; call inside the transaction."""
    now = clock.now()
    rows = []
    for account_id in dict.fromkeys(account_ids):
        if account_id == actor_id:
            continue
        row = await Notification.create(account_id=account_id, kind=kind, report=report, comment=comment,
                                        asset=asset, created_at=now)
        await outbox.record(outbox.NOTIFICATION, notification_id=row.id, account_id=account_id)
        rows.append(row)
    return rows


async def mark_read(account_id: int, ids: list[int] | None) -> int:
    query = Notification.filter(account_id=account_id, read=False)
    if ids is not None:
        query = query.filter(Q(id__in=ids))
    return await query.update(read=True)


async def unread_count(account_id: int) -> int:
    return await Notification.filter(account_id=account_id, read=False).count()
