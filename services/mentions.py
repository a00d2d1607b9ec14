"""@mentions: handles in text that name real accounts, and the accounts to offer while one is typed."""

from __future__ import annotations

import re

from tortoise.expressions import Case, Q, When

from core.errors import BadInput
from models import Account
from models.areas import path_ids
from models.enums import Role
from plumbing.dialect import custom_plans
from services import cities, routing
from services.auth import handle_key

MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,32})\b")
MAX_SUGGESTIONS = 20
OTHERS = "9"  # the rank of an account that is not answerable for the place (ranks sort as text)


def handles_in(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text):
        seen.setdefault(handle_key(match.group(1)))
    return list(seen)


async def mentioned_accounts(text: str) -> list[Account]:
    """Accounts that the text @mentions; unknown handles stay plain text."""
    handles = handles_in(text)
    if not handles:
        return []
    return await Account.filter(handle__in=handles)


def starts_with(prefix: str) -> Q:
    """Accounts whose handle (stored lower-case) or display name (any case) starts with the prefix."""
    return Q(Q(handle__startswith=prefix), Q(display_name__istartswith=prefix), join_type="OR")


async def answerable(lat: float, lng: float, category_code: str | None, max_centroid_m: float) -> list[Q]:
    """Who answers for a report here, most answerable first: the kelurahan's area heads, its officers, then (with
    a category) the head and officers of the agency it routes to, those posted to an area holding the point or
    to none. Nobody in a city that is not a partner, nor outside every kelurahan (services/reports.py routes alike)."""
    village = await routing.locate(lat, lng, max_centroid_m)
    if village is None or not await cities.is_partner(village.city_id, lock=False):
        return []
    groups = [Q(area_id=village.id, role=Role.AREA_HEAD), Q(area_id=village.id, role=Role.OFFICER)]
    if category_code:
        category = await cities.category(category_code, village.city_id)
        agency_id = await routing.agency_for(category, village.path)
        if agency_id is not None:
            posted_here = Q(Q(area_id__isnull=True), Q(area_id__in=path_ids(village.path)), join_type="OR")
            groups += [Q(posted_here, agency_id=agency_id, role=role) for role in (Role.AGENCY_HEAD, Role.OFFICER)]
    return groups


async def suggestions(text: str, lat: float | None, lng: float | None, category_code: str | None,
                      first: int | None, max_centroid_m: float) -> list[Account]:
    """The officials answerable for the point and category first (in `answerable`'s order), then every other
    account whose handle or display name starts with the text (case-insensitive, a leading @ ignored), by handle.
    With text, the officials must match it too; without, only they are offered."""
    if first is not None and first < 0:
        raise BadInput("first cannot be negative.")
    if (lat is None) != (lng is None):
        raise BadInput("Give lat and lng together, or neither.")
    size = min(8 if first is None else first, MAX_SUGGESTIONS)
    groups = await answerable(lat, lng, category_code, max_centroid_m) if lat is not None and lng is not None else []
    prefix = handle_key(text)
    if size == 0 or (not prefix and not groups):
        return []
    query = Account.filter(starts_with(prefix) if prefix else Q(*groups, join_type="OR"))
    if groups:  # the rank says which group an account is in (an official in two groups counts in the first)
        query = query.annotate(rank=Case(*(When(g, then=str(n)) for n, g in enumerate(groups)), default=OTHERS))
    # Planned for this prefix each time: a plan made once for any prefix cannot use the prefix indexes (0012).
    return await custom_plans(lambda: query.order_by(*(["rank"] if groups else []), "handle").limit(size))
