"""Resolvers for posting, commenting, supporting, following and notifications."""

from __future__ import annotations

from collections.abc import Sequence

from core.errors import BadInput, Unauthenticated
from models import Comment, Notification, Report
from models.enums import FollowTarget
from plumbing.keyset import Page, keyset_page
from resolvers.context import Info
from resolvers.ids import parse_global_id, pk_of
from services import notifications, social
from services import reports as service


async def add_comment(info: Info, report_id: str, body: str) -> Comment:
    await info.context.limit("addComment")
    report = await service.visible_report(info.context.viewer, pk_of(report_id, "Report"))
    return await social.add_comment(info.context.viewer, report, body)


async def support(info: Info, report_id: str, on: bool) -> Report:
    await info.context.limit("support")
    report = await service.visible_report(info.context.viewer, pk_of(report_id, "Report"))
    await (social.support if on else social.unsupport)(info.context.viewer, report)
    await report.refresh_from_db(fields=["support_count"])
    return report


def _follow_key(global_id: str) -> social.FollowKey:
    type_name, pk = parse_global_id(global_id)
    if type_name not in ("Area", "Account", "Report"):
        raise BadInput("Only an Area, an Account or a Report can be followed.")
    return FollowTarget(type_name.upper()), pk


async def follow(info: Info, global_id: str, on: bool) -> bool:
    return await (social.follow if on else social.unfollow)(info.context.viewer, _follow_key(global_id))


async def notifications_page(info: Info, first: int | None, after: str | None, unread_only: bool) -> Page[Notification]:
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    query = Notification.filter(account_id=viewer.id)
    if unread_only:
        query = query.filter(read=False)
    return await keyset_page(query, first, after)


async def unread_count(info: Info) -> int:
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    return await notifications.unread_count(viewer.id)


async def mark_read(info: Info, ids: Sequence[str] | None) -> int:
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    pks = [pk_of(i, "Notification") for i in ids] if ids is not None else None
    return await notifications.mark_read(viewer.id, pks)
