"""Relay global IDs: base64 of "Type:pk", opaque to clients."""

from __future__ import annotations

import base64
import binascii

from core.errors import BadInput

MAX_PK = 2**31 - 1  # the tables' integer keys; a larger number would reach the database as an error
NODE_TYPES = frozenset({"Area", "Agency", "Account", "Report", "Comment", "Notification", "Poll", "City", "Asset"})


def to_global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def parse_global_id(global_id: str) -> tuple[str, int]:
    """(type name, primary key); BAD_USER_INPUT for anything that is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(global_id + "=" * (-len(global_id) % 4)).decode()
        type_name, _, pk = raw.partition(":")
        if type_name in NODE_TYPES and pk.isdigit() and int(pk) <= MAX_PK:
            return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadInput(f"{global_id!r} is not a valid ID.")


def pk_of(global_id: str, type_name: str) -> int:
    kind, pk = parse_global_id(global_id)
    if kind != type_name:
        raise BadInput(f"Expected the ID of a {type_name}, got one of a {kind}.")
    return pk


def optional_pk(global_id: str | None, type_name: str) -> int | None:
    return None if global_id is None else pk_of(global_id, type_name)
