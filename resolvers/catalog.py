"""Resolvers for the city's fixed parts: categories, areas, agencies, and node(id)."""

from __future__ import annotations

from tortoise.models import Model

from models import Account, Agency, Area, Category, Comment, Notification, Poll, Report
from models.enums import AreaLevel
from resolvers.context import Info
from resolvers.ids import optional_pk, parse_global_id
from services import permissions


async def categories() -> list[Category]:
    return await Category.all().order_by("name")


async def areas(parent_global_id: str | None, level: AreaLevel | None) -> list[Area]:
    query = Area.all()
    if parent_global_id is not None:
        query = query.filter(parent_id=optional_pk(parent_global_id, "Area"))
    if level is not None:
        query = query.filter(level=level)
    return await query.order_by("code")


async def agencies() -> list[Agency]:
    return await Agency.all().order_by("name")


async def node(info: Info, global_id: str) -> Model | None:
    type_name, pk = parse_global_id(global_id)
    viewer = info.context.viewer
    if type_name == "Report":
        report = await Report.get_or_none(id=pk)
        return report if report is not None and permissions.may_see(viewer, report) else None
    if type_name == "Comment":
        comment = await Comment.get_or_none(id=pk).select_related("report")
        return comment if comment is not None and permissions.may_see(viewer, comment.report) else None
    if type_name == "Notification":
        return await Notification.get_or_none(id=pk, account_id=viewer.id) if viewer else None
    model = {"Area": Area, "Agency": Agency, "Account": Account, "Poll": Poll}[type_name]
    return await model.get_or_none(id=pk)
