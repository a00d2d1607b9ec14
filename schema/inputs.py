"""Input types of the contract."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from schema.enums import ReportKind, ReportStatus, Role


@strawberry.input
class BBoxInput:
    south: float
    west: float
    north: float
    east: float


@strawberry.input
class ReportFilter:
    area_id: strawberry.ID | None = strawberry.field(default=None, description="Includes every descendant area.")
    agency_id: strawberry.ID | None = None
    category_codes: list[str] | None = None
    statuses: list[ReportStatus] | None = None
    kind: ReportKind | None = None
    author_id: strawberry.ID | None = None
    bbox: BBoxInput | None = None
    since: datetime | None = None
    text: str | None = strawberry.field(
        default=None,
        description="Words to find in the report's text (full-text search that understands Indonesian word forms).",
    )


@strawberry.input
class CreateReportInput:
    body: str
    category_code: str
    lat: float
    lng: float
    photos: list[Upload] = strawberry.field(description="1 to 4 images (JPEG, PNG or WebP).")
    address: str | None = None
    anonymous: bool | None = False
    kind: ReportKind | None = strawberry.field(
        default=ReportKind.CITIZEN, description="DUTY only for RT_RW accounts, about their own area."
    )
    client_mutation_id: str | None = strawberry.field(
        default=None,
        description="Idempotency key chosen by the client: a retry with the same key returns the same report.",
    )


@strawberry.input
class CreateAccountInput:
    handle: str
    display_name: str
    password: str
    role: Role
    area_id: strawberry.ID | None = None
    agency_id: strawberry.ID | None = None
    email: str | None = None
    phone: str | None = None


def as_dict(value: Any) -> Any:
    """An input object as plain dicts, leaving leaves alone.

    (strawberry.asdict deep-copies leaves, and a copied upload is a file nobody closes.)
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [as_dict(v) for v in value]
    return value
