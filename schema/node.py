"""Relay's Node interface and the page types shared by every connection."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="Relay global object identification.")
class Node:
    id: strawberry.ID


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
