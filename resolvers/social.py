"""Resolvers for posting, commenting, supporting, following and notifications."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile

from core.errors import BadInput, Unauthenticated
from models import Comment, Notification, Report
from models.enums import FollowTarget, ReportKind
from plumbing.keyset import Page, keyset_page
from resolvers.context import Info
from resolvers.ids import parse_global_id, pk_of
from services import notifications, social
from services import reports as service


async def read_uploads(info: Info, uploads: list[Any]) -> list[bytes]:
    """The bytes of each upload, refusing a file over the limit without reading all of it."""
    limit = info.context.resources.settings.max_upload_bytes
    if len(uploads) > info.context.resources.settings.max_photos_per_report:
        raise BadInput(f"At most {info.context.resources.settings.max_photos_per_report} photos.")
    contents = []
    for upload in uploads:
        if not isinstance(upload, UploadFile):
            raise BadInput("Photos must be sent as files (GraphQL multipart request).")
        data = await upload.read(limit + 1)
        if len(data) > limit:
            raise BadInput(f"A photo may be at most {limit // (1024 * 1024)} MB.")
        contents.append(data)
    return contents


async def create_report(info: Info, raw: dict[str, Any]) -> Report:
    if info.context.viewer is None:
        raise Unauthenticated("Sign in to post a report.")
    await info.context.limit("createReport")
    resources = info.context.resources
    new = service.NewReport(
        body=raw["body"],
        category_code=raw["category_code"],
        lat=raw["lat"],
        lng=raw["lng"],
        photos=await read_uploads(info, raw["photos"]),
        address=raw.get("address"),
        anonymous=bool(raw.get("anonymous")),
        kind=ReportKind(raw.get("kind") or ReportKind.CITIZEN),
        client_mutation_id=raw.get("client_mutation_id"),
    )
    report, _ = await service.create_report(
        info.context.viewer, new, resources.storage, resources.photo_policy, resources.settings.max_centroid_distance_m
    )
    return report


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


async def mark_read(info: Info, ids: list[str] | None) -> int:
    viewer = info.context.viewer
    if viewer is None:
        raise Unauthenticated()
    pks = [pk_of(i, "Notification") for i in ids] if ids is not None else None
    return await notifications.mark_read(viewer.id, pks)
