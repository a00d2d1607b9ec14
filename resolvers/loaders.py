"""DataLoaders, built per request: one query per kind of thing per page, never one per row."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Hashable, Iterable
from operator import attrgetter
from typing import Any, TypeAlias, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from models import (
    Account,
    Agency,
    Area,
    Asset,
    Category,
    City,
    Comment,
    FixRating,
    FollowUp,
    Mention,
    Photo,
    Poll,
    Report,
    ReportEvent,
)
from models.areas import path_ids
from models.enums import FollowTarget
from plumbing.dialect import marks, models_of
from services import assets, flagged, poll_results, social

M = TypeVar("M", bound=Model)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
# What `known` returns: the value, or the loader's future for it.
Known: TypeAlias = V | Awaitable[V]


def known(loader: DataLoader[K, V], key: K) -> Known[V]:
    """The value when this request has it already, else the loader's future. A resolver that returns
    a plain value stays synchronous, and graphql-core completes a synchronous field several times
    faster than one it has to await (a feed page has a hundred of them)."""
    future = loader.cache_map.get(key)
    if future is not None and future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return loader.load(key)


def _by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: list[int]) -> list[M | None]:
        rows = {row.pk: row for row in await models_of(model, f"id IN ({marks(ids)})", ids)}
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
        # The cache is keyed by model: a row found under this one is one of its instances.
        return [row if isinstance(row := _catalog[(model, i)][1], model) else None for i in ids]

    return DataLoader(load_fn=load)


def _grouped(fetch: Callable[[list[int]], Awaitable[Iterable[Any]]], key: str) -> DataLoader[int, list[Any]]:
    async def load(ids: list[int]) -> list[list[Any]]:
        groups: dict[int, list[Any]] = defaultdict(list)
        for row in await fetch(ids):
            groups[getattr(row, key)].append(row)
        return [groups.get(i, []) for i in ids]

    return DataLoader(load_fn=load)


async def _report_photos(ids: list[int]) -> Iterable[Photo]:
    return await models_of(Photo, f"report_id IN ({marks(ids)}) AND follow_up_id IS NULL AND event_id IS NULL "
                                  "ORDER BY position", ids)


async def _follow_up_photos(ids: list[int]) -> Iterable[Photo]:
    return await models_of(Photo, f"follow_up_id IN ({marks(ids)}) ORDER BY position", ids)


async def _report_mentions(ids: list[int]) -> Iterable[Mention]:
    return await Mention.filter(report_id__in=ids).select_related("account")


async def _comment_mentions(ids: list[int]) -> Iterable[Mention]:
    return await Mention.filter(comment_id__in=ids).select_related("account")


async def _follow_ups(ids: list[int]) -> Iterable[FollowUp]:
    return await models_of(FollowUp, f"report_id IN ({marks(ids)}) ORDER BY created_at, id", ids)


async def _ratings(ids: list[int]) -> Iterable[FixRating]:
    return await FixRating.filter(follow_up_id__in=ids)


async def _events(ids: list[int]) -> Iterable[ReportEvent]:
    return await models_of(ReportEvent, f"report_id IN ({marks(ids)}) ORDER BY created_at, id", ids)


async def _open_report_counts(ids: list[int]) -> list[int]:
    counts = await assets.open_report_counts(ids)
    return [counts.get(i, 0) for i in ids]


async def _cities_of_paths(paths: list[str]) -> list[City | None]:
    """The city above (or at) each area path, one query for them all."""
    ancestors = {path: path_ids(path) for path in paths}
    by_area = {c.area_id: c for c in await City.filter(area_id__in={i for ids in ancestors.values() for i in ids})}
    return [next((by_area[i] for i in ancestors[path] if i in by_area), None) for path in paths]


# A report's fields that a page loads up front: field -> (loader, the report's key in it). A field
# missing here still works, through its DataLoader, only asynchronously.
CARD_FIELDS: dict[str, tuple[str, Callable[[Any], Hashable | None]]] = {
    "category": ("category", attrgetter("category_id")),
    "area": ("area", attrgetter("area_id")),
    "agency": ("agency", attrgetter("agency_id")),
    "author": ("account", attrgetter("author_id")),
    "photos": ("report_photos", attrgetter("id")),
    "viewerHasSupported": ("viewer_supported", attrgetter("id")),
    "viewerFollows": ("viewer_follows", lambda report: (FollowTarget.REPORT, report.id)),
}


class Loaders:
    def __init__(self, viewer: Account | None) -> None:
        self.account = _by_id(Account)
        self.area = _catalog_by_id(Area)
        self.agency = _catalog_by_id(Agency)
        self.category = _catalog_by_id(Category)
        self.asset = _by_id(Asset)
        self.open_reports = DataLoader(load_fn=_open_report_counts)
        self.city = _by_id(City)  # not kept across requests: a partnership starts at once
        self.city_of_path = DataLoader(load_fn=_cities_of_paths)
        self.report = _by_id(Report)
        self.comment = _by_id(Comment)
        self.report_photos = _grouped(_report_photos, "report_id")
        self.follow_up_photos = _grouped(_follow_up_photos, "follow_up_id")
        self.follow_up_rating = _grouped(_ratings, "follow_up_id")
        self.report_mentions = _grouped(_report_mentions, "report_id")
        self.comment_mentions = _grouped(_comment_mentions, "comment_id")
        self.follow_ups = _grouped(_follow_ups, "report_id")
        self.events = _grouped(_events, "report_id")
        self.open_flags = _grouped(flagged.open_flags, "report_id")
        self.area_children = _grouped(lambda ids: Area.filter(parent_id__in=ids).order_by("code"), "parent_id")
        self.poll = _by_id(Poll)
        self.poll_options = _grouped(poll_results.options_of, "poll_id")
        self.follower_count: DataLoader[social.FollowKey, int] = DataLoader(load_fn=social.follower_counts)
        viewer_id = viewer.id if viewer else None

        async def supported(ids: list[int]) -> list[bool]:
            return await social.supported_by(viewer_id, ids)

        async def follows(keys: list[social.FollowKey]) -> list[bool]:
            return await social.followed_by(viewer_id, keys)

        self.viewer_supported: DataLoader[int, bool] = DataLoader(load_fn=supported)
        self.viewer_follows: DataLoader[social.FollowKey, bool] = DataLoader(load_fn=follows)

        async def chosen(ids: list[int]) -> list[int | None]:
            return await poll_results.chosen_options(viewer_id, ids)

        self.viewer_poll_choice: DataLoader[int, int | None] = DataLoader(load_fn=chosen)

    async def prefetch_reports(self, reports: list[Report], fields: Collection[str]) -> None:
        """Loads, all at once, what the selected fields of a page of reports need, so that each
        report's fields then resolve synchronously through `known`."""
        loads = []
        for name in CARD_FIELDS.keys() & set(fields):
            loader, key_of = CARD_FIELDS[name]
            loads.append(getattr(self, loader).load_many({key_of(r) for r in reports} - {None}))
        await asyncio.gather(*loads)
