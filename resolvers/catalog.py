"""Resolvers for the fixed parts: categories, areas, agencies, cities, and node(id)."""

from __future__ import annotations

from starlette.datastructures import UploadFile
from tortoise.models import Model

from core.errors import BadInput
from models import Account, Agency, Area, Asset, Category, City, Comment, Notification, Poll, Report
from models.enums import AreaLevel
from resolvers.context import Info
from resolvers.ids import optional_pk, parse_global_id, pk_of
from services import catalog, permissions
from services import cities as cities_service


async def categories(city_id: int | None) -> list[Category]:
    return await cities_service.categories(city_id)


async def areas(parent_global_id: str | None, level: AreaLevel | None) -> list[Area]:
    query = Area.all()
    if parent_global_id is not None:
        query = query.filter(parent_id=optional_pk(parent_global_id, "Area"))
    if level is not None:
        query = query.filter(level=level)
    return await query.order_by("code")


async def agencies(city_id: int | None) -> list[Agency]:
    return await cities_service.agencies(city_id)


async def cities() -> list[City]:
    return await cities_service.listed()


async def city(code: str) -> City | None:
    return await cities_service.by_code(code)


async def import_city_catalog(info: Info, city_global_id: str, upload: object) -> City:
    city_id = pk_of(city_global_id, "City")
    if not isinstance(upload, UploadFile):
        raise BadInput("Send the catalog as a file (GraphQL multipart request).")
    document = catalog.parse(await upload.read(catalog.MAX_BYTES + 1))
    await catalog.load(info.context.viewer, city_id, document)
    return await cities_service.get(city_id)


async def set_city_partner(info: Info, city_global_id: str, partner: bool) -> City:
    return await cities_service.set_partner(info.context.viewer, pk_of(city_global_id, "City"), partner)


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
    model = {"Area": Area, "Agency": Agency, "Account": Account, "Poll": Poll, "City": City, "Asset": Asset}[type_name]
    return await model.get_or_none(id=pk)
