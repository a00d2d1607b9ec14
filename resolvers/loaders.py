"""DataLoaders, built per request: one query per kind of thing per page, never one per row."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models import Account, Agency, Area, Category, Comment, FollowUp, Mention, Photo, Report, ReportEvent
from services import social

M = TypeVar("M", bound=Model)


def _by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: list[int]) -> list[M | None]:
        rows = {row.pk: row for row in await model.filter(id__in=ids)}
        return [rows.get(i) for i in ids]

    return DataLoader(load_fn=load)


CATALOG_TTL = 60.0
_catalog: dict[tuple[type[Model], int], tuple[float, Model | None]] = {}


def _catalog_by_id(model: type[M]) -> DataLoader[int, M | None]:
    """Areas, agencies and categories: public, shared by every viewer, changed by an operator now and
    then. Kept across requests for a minute, so a feed page does not fetch them again and again."""

    async def load(ids: list[int]) -> list[M | None]:
        now = time.monotonic()
        missing = [i for i in ids if _catalog.get((model, i), (0.0, None))[0] < now]
        if missing:
            found = {row.pk: row for row in await model.filter(id__in=missing)}
            for i in missing:
                _catalog[(model, i)] = (now + CATALOG_TTL, found.get(i))
        return [_catalog[(model, i)][1] for i in ids]  # type: ignore[misc]

    return DataLoader(load_fn=load)


def _grouped(fetch: Callable[[list[int]], Awaitable[Iterable[Any]]], key: str) -> DataLoader[int, list[Any]]:
    async def load(ids: list[int]) -> list[list[Any]]:
        groups: dict[int, list[Any]] = defaultdict(list)
        for row in await fetch(ids):
            groups[getattr(row, key)].append(row)
        return [groups.get(i, []) for i in ids]

    return DataLoader(load_fn=load)


async def _report_photos(ids: list[int]) -> Iterable[Photo]:
    return await Photo.filter(report_id__in=ids, follow_up_id=None, event_id=None).order_by("position")


async def _follow_up_photos(ids: list[int]) -> Iterable[Photo]:
    return await Photo.filter(follow_up_id__in=ids).order_by("position")


async def _report_mentions(ids: list[int]) -> Iterable[Mention]:
    return await Mention.filter(report_id__in=ids).select_related("account")


async def _comment_mentions(ids: list[int]) -> Iterable[Mention]:
    return await Mention.filter(comment_id__in=ids).select_related("account")


async def _follow_ups(ids: list[int]) -> Iterable[FollowUp]:
    return await FollowUp.filter(report_id__in=ids).order_by("created_at", "id")


async def _events(ids: list[int]) -> Iterable[ReportEvent]:
    return await ReportEvent.filter(report_id__in=ids).order_by("created_at", "id")


class Loaders:
    def __init__(self, viewer: Account | None) -> None:
        self.account = _by_id(Account)
        self.area = _catalog_by_id(Area)
        self.agency = _catalog_by_id(Agency)
        self.category = _catalog_by_id(Category)
        self.report = _by_id(Report)
        self.comment = _by_id(Comment)
        self.report_photos = _grouped(_report_photos, "report_id")
        self.follow_up_photos = _grouped(_follow_up_photos, "follow_up_id")
        self.report_mentions = _grouped(_report_mentions, "report_id")
        self.comment_mentions = _grouped(_comment_mentions, "comment_id")
        self.follow_ups = _grouped(_follow_ups, "report_id")
        self.events = _grouped(_events, "report_id")
        self.area_children = _grouped(lambda ids: Area.filter(parent_id__in=ids).order_by("code"), "parent_id")
        self.follower_count: DataLoader[Hashable, int] = DataLoader(load_fn=social.follower_counts)
        viewer_id = viewer.id if viewer else None

        async def supported(ids: list[int]) -> list[bool]:
            return await social.supported_by(viewer_id, ids)

        async def follows(keys: list[Hashable]) -> list[bool]:
            return await social.followed_by(viewer_id, keys)  # type: ignore[arg-type]

        self.viewer_supported: DataLoader[int, bool] = DataLoader(load_fn=supported)
        self.viewer_follows: DataLoader[Hashable, bool] = DataLoader(load_fn=follows)
