"""Relay's Node interface and the page types shared by every connection."""

from __future__ import annotations

from typing import Protocol

import strawberry

from resolvers.ids import to_global_id


class Row(Protocol):
    @property
    def id(self) -> int: ...


@strawberry.interface(description="Relay global object identification.")
class Node:
    id: strawberry.ID


def global_id(type_name: str) -> strawberry.ID:
    """The `id` field of a Node type: `id: strawberry.ID = global_id("Area")`. A field with a resolver,
    declared as an attribute (as the interface declares it), reads the row's primary key."""

    def resolve(root: strawberry.Parent[Row]) -> strawberry.ID:
        return strawberry.ID(to_global_id(type_name, root.id))

    return strawberry.field(resolver=resolve)


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class GeoPoint:
    lat: float
    lng: float


def page_info(cursors: list[str], has_next: bool, has_previous: bool) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=has_previous,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )
