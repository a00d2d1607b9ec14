"""What a query asks for below the field being resolved, fragments included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from strawberry.types.nodes import SelectedField, Selection

from resolvers.context import Info


def _names(selections: Iterable[Selection], path: tuple[str, ...]) -> Iterator[str]:
    for selection in selections:
        if not isinstance(selection, SelectedField):  # a fragment: its fields count as if written here
            yield from _names(selection.selections, path)
        elif not path:
            yield selection.name
        elif selection.name == path[0]:
            yield from _names(selection.selections, path[1:])


def selected(info: Info, *path: str) -> set[str]:
    """The field names selected at `path` below this field: selected(info, "edges", "node")."""
    return set(_names(info.selected_fields[0].selections, path))
