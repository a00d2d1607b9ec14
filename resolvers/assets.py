"""Resolvers for assets: lists, nearby, the flood picture, readings, and recording one."""

from __future__ import annotations

from models import Asset, AssetReading, Report
from models.enums import AssetKind, AssetStatus
from plumbing.keyset import Page, keyset_page
from resolvers.context import Info
from resolvers.ids import optional_pk, pk_of
from services import assets, feed, flood, readings
from services.feed import BBox, FeedFilter


async def listed(kinds: list[AssetKind] | None, box: BBox | None, area_id: str | None,
                 statuses: list[AssetStatus] | None) -> list[Asset]:
    return await assets.listed(kinds, box, optional_pk(area_id, "Area"), statuses)


async def nearby(lat: float, lng: float, radius_m: int, kinds: list[AssetKind] | None) -> list[Asset]:
    return await assets.nearby(lat, lng, radius_m, kinds)


async def flood_status(area_id: str | None) -> flood.FloodStatus:
    return await flood.flood_status(optional_pk(area_id, "Area"))


async def readings_of(asset: Asset, first: int | None, after: str | None) -> Page[AssetReading]:
    return await keyset_page(AssetReading.filter(asset_id=asset.id), first, after, stamp="measured_at")


async def reports(info: Info, asset: Asset, first: int | None, after: str | None) -> Page[Report]:
    return await feed.feed(info.context.viewer, FeedFilter(asset_id=asset.id), first, after)


async def record_reading(info: Info, asset_id: str, reading: readings.NewReading) -> Asset:
    return await readings.record(info.context.viewer, pk_of(asset_id, "Asset"), reading)
