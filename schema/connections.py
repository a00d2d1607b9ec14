"""Relay connections over keyset pages: ReportConnection, CommentConnection, NotificationConnection."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import strawberry

from plumbing.keyset import Page
from schema.node import PageInfo, page_info

T = TypeVar("T")


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    @strawberry.field
    def edges(self, root: strawberry.Parent[Page[Any]]) -> list[Edge[T]]:
        return [Edge(cursor=root.cursor(row), node=row) for row in root.rows]

    @strawberry.field
    def page_info(self, root: strawberry.Parent[Page[Any]]) -> PageInfo:
        return page_info([root.cursor(row) for row in root.rows], root.has_next, root.has_previous)
