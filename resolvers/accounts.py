"""Resolvers for signing in and accounts."""

from __future__ import annotations

from core.errors import BadInput, Unauthenticated
from models import Account, Agency, Area
from models.enums import Role
from resolvers.context import Info
from resolvers.ids import optional_pk, pk_of
from services import auth, mentions


async def register(
    info: Info, handle: str, display_name: str, password: str, email: str | None, phone: str | None
) -> tuple[str, Account]:
    await info.context.limit("register")
    token, account = await auth.register(handle, display_name, password, email, phone, info.context.resources.token_ttl)
    info.context.sign_in(account, token)
    return token, account


async def login(info: Info, handle: str, password: str) -> tuple[str, Account]:
    await info.context.limit("login", auth.handle_key(handle))
    token, account = await auth.login(handle, password, info.context.resources.token_ttl)
    info.context.sign_in(account, token)
    return token, account


async def logout(info: Info) -> bool:
    if info.context.token is None or info.context.viewer is None:
        raise Unauthenticated()
    return await auth.logout(info.context.token)


async def create_account(
    info: Info,
    *,
    handle: str,
    display_name: str,
    password: str,
    role: Role,
    area_id: str | None,
    agency_id: str | None,
    email: str | None,
    phone: str | None,
) -> Account:
    if info.context.viewer is None:
        raise Unauthenticated()
    area_pk = optional_pk(area_id, "Area")
    agency_pk = optional_pk(agency_id, "Agency")
    area = await Area.get_or_none(id=area_pk) if area_pk else None
    agency = await Agency.get_or_none(id=agency_pk) if agency_pk else None
    if (area_pk and area is None) or (agency_pk and agency is None):
        raise BadInput("Unknown area or agency.")
    return await auth.create_account(
        info.context.viewer,
        handle=handle,
        display_name=display_name,
        password=password,
        role=role,
        area=area,
        agency=agency,
        email=email,
        phone=phone,
    )


async def set_home_area(info: Info, area_id: str) -> Account:
    return await auth.set_home_area(info.context.viewer, pk_of(area_id, "Area"))


async def account(info: Info, handle: str) -> Account | None:
    return await Account.get_or_none(handle=auth.handle_key(handle))


async def mention_suggestions(info: Info, text: str, lat: float | None, lng: float | None, category_code: str | None,
                              first: int | None) -> list[Account]:
    max_centroid_m = info.context.resources.settings.max_centroid_distance_m
    return await mentions.suggestions(text, lat, lng, category_code, first, max_centroid_m)
