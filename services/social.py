"""The social graph: supports (+1), comments, follows."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count

from core import clock
from core.errors import BadInput, NotFound, Unauthenticated
from models import Account, Area, Comment, Follow, Mention, Report, Support
from models.enums import FollowTarget, NotificationKind
from plumbing import outbox
from plumbing.columns import column
from plumbing.dialect import marks, sql_rows
from services.mentions import mentioned_accounts
from services.notifications import notify
from services.text import required_text
from services.trends import record_comment

MAX_COMMENT = 2000
FollowKey = tuple[FollowTarget, int]


def _signed_in(account: Account | None) -> Account:
    if account is None:
        raise Unauthenticated()
    return account


async def support(account: Account | None, report: Report) -> None:
    """Idempotent: the unique (report, account) row decides, the counter follows it."""
    account = _signed_in(account)
    try:
        async with outbox.transaction():
            await Support.create(report_id=report.id, account_id=account.id)
            await Report.filter(id=report.id).update(support_count=F("support_count") + 1)
            await outbox.report_changed(report.id, None)  # live timelines show the new count
    except IntegrityError:
        return


async def unsupport(account: Account | None, report: Report) -> None:
    account = _signed_in(account)
    async with outbox.transaction():
        removed = await Support.filter(report_id=report.id, account_id=account.id).delete()
        if removed:
            await Report.filter(id=report.id).update(support_count=F("support_count") - removed)
            await outbox.report_changed(report.id, None)


async def supported_by(account_id: int | None, report_ids: Sequence[int]) -> list[bool]:
    if account_id is None:
        return [False] * len(report_ids)
    rows = await sql_rows(f"SELECT report_id FROM support WHERE account_id = ? AND report_id IN ({marks(report_ids)})",
                          [account_id, *report_ids])  # every signed-in page asks: SQL, not the query builder
    found = {row["report_id"] for row in rows}
    return [i in found for i in report_ids]


async def add_comment(account: Account | None, report: Report, body: str) -> Comment:
    account = _signed_in(account)
    body = required_text(body, "A comment", MAX_COMMENT)
    mentioned = await mentioned_accounts(body)
    async with outbox.transaction():
        comment = await Comment.create(report_id=report.id, author=account, body=body, created_at=clock.now())
        await Report.filter(id=report.id).update(comment_count=F("comment_count") + 1)
        await outbox.report_changed(report.id, None)
        if mentioned:
            await Mention.bulk_create([Mention(comment=comment, account=a) for a in mentioned])
            await notify([a.id for a in mentioned], NotificationKind.MENTIONED, report, comment, account.id)
        # The reporter and the report's followers hear of the comment (the mentioned already did).
        listeners = [report.author_id, *await report_follower_ids(report.id)]
        mentioned_ids = {a.id for a in mentioned}
        await notify(
            [i for i in listeners if i not in mentioned_ids], NotificationKind.COMMENTED, report, comment, account.id
        )
        await record_comment(comment)  # last: it holds the term counts' rows till the commit
    return comment


async def report_follower_ids(report_id: int) -> list[int]:
    return await column(Follow.filter(target_type=FollowTarget.REPORT, target_id=report_id), "follower_id", int)


async def _check_target(key: FollowKey) -> None:
    model = {FollowTarget.AREA: Area, FollowTarget.ACCOUNT: Account, FollowTarget.REPORT: Report}[key[0]]
    if not await model.filter(id=key[1]).exists():
        raise NotFound(f"No such {key[0].value.lower()}.")


async def follow(account: Account | None, key: FollowKey) -> bool:
    account = _signed_in(account)
    await _check_target(key)
    if key == (FollowTarget.ACCOUNT, account.id):
        raise BadInput("You cannot follow yourself.")
    with contextlib.suppress(IntegrityError):  # already following: idempotent
        await Follow.create(follower=account, target_type=key[0], target_id=key[1])
    return True


async def unfollow(account: Account | None, key: FollowKey) -> bool:
    account = _signed_in(account)
    await _check_target(key)
    await Follow.filter(follower_id=account.id, target_type=key[0], target_id=key[1]).delete()
    return True


async def follower_counts(keys: Sequence[FollowKey]) -> list[int]:
    counts: dict[FollowKey, int] = {}
    for target_type in {k[0] for k in keys}:
        ids = [k[1] for k in keys if k[0] == target_type]
        rows = (
            await Follow.filter(target_type=target_type, target_id__in=ids)
            .annotate(n=Count("id"))
            .group_by("target_id")
            .values("target_id", "n")
        )
        counts.update({(target_type, r["target_id"]): r["n"] for r in rows})
    return [counts.get(k, 0) for k in keys]


async def followed_by(account_id: int | None, keys: Sequence[FollowKey]) -> list[bool]:
    if account_id is None:
        return [False] * len(keys)
    found: set[FollowKey] = set()
    for target_type in {k[0] for k in keys}:
        ids = [k[1] for k in keys if k[0] == target_type]
        rows = await column(
            Follow.filter(follower_id=account_id, target_type=target_type, target_id__in=ids), "target_id", int
        )
        found.update((target_type, i) for i in rows)
    return [k in found for k in keys]
