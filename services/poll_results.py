"""What each viewer may see of a poll: counts and shares (hidden until they voted or the poll closed,
unless the author chose otherwise), the ballots' turnout by kelurahan for the author and admins."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count

from models import Account, Area, Poll, PollOption, PollVote
from models.enums import PollStatus, Role
from services.polls import NEW_ACCOUNT, VOTERS, status


@dataclass(frozen=True)
class OptionResult:
    """An option as one viewer sees it: votes and share are None while counts are hidden from them."""

    id: int
    label: str
    votes: int | None
    share: float | None


@dataclass(frozen=True)
class Tally:
    total: int | None
    options: list[OptionResult]


@dataclass(frozen=True)
class Turnout:
    """Ballots from one kelurahan (area_id None: voters whose home is above one)."""

    area_id: int | None
    votes: int
    new_accounts: int  # ballots from accounts created less than NEW_ACCOUNT before the poll opened
    residents: int  # accounts that may vote and live there now


def sees_counts_always(viewer: Account | None, poll: Poll) -> bool:
    return viewer is not None and (viewer.role == Role.ADMIN or viewer.id == poll.author_id)


def counts_visible(viewer: Account | None, poll: Poll, voted: bool, now: datetime | None = None) -> bool:
    return (poll.results_before_close or voted or status(poll, now) == PollStatus.CLOSED
            or sees_counts_always(viewer, poll))


async def sees_counts(viewer: Account | None, poll: Poll) -> bool:
    """counts_visible, asking the database whether the viewer voted only when that decides it."""
    if counts_visible(viewer, poll, voted=False):
        return True
    return viewer is not None and await PollVote.filter(poll_id=poll.id, account_id=viewer.id).exists()


def tally(options: Sequence[PollOption], visible: bool) -> Tally:
    ordered = sorted(options, key=lambda option: option.position)
    if not visible:
        return Tally(None, [OptionResult(o.id, o.label, None, None) for o in ordered])
    total = sum(o.votes for o in ordered)
    return Tally(total, [OptionResult(o.id, o.label, o.votes, o.votes / total if total else 0.0) for o in ordered])


async def options_of(poll_ids: Sequence[int]) -> list[PollOption]:
    return await PollOption.filter(poll_id__in=list(poll_ids)).order_by("poll_id", "position")


async def chosen_options(account_id: int | None, poll_ids: Sequence[int]) -> list[int | None]:
    """The option each poll's ballot of this account names (None: no ballot)."""
    if account_id is None:
        return [None] * len(poll_ids)
    rows = await PollVote.filter(account_id=account_id, poll_id__in=list(poll_ids)).values("poll_id", "option_id")
    chosen = {row["poll_id"]: row["option_id"] for row in rows}
    return [chosen.get(i) for i in poll_ids]


async def turnout(viewer: Account | None, poll: Poll) -> list[Turnout] | None:
    """Ballots per kelurahan, most first; None for anyone but the author and admins."""
    if not sees_counts_always(viewer, poll):
        return None
    rows = (await PollVote.filter(poll_id=poll.id).annotate(n=Count("id"))
            .group_by("village_id").values("village_id", "n"))
    new_rows = (await PollVote.filter(poll_id=poll.id, account__created_at__gt=poll.opens_at - NEW_ACCOUNT)
                .annotate(n=Count("id")).group_by("village_id").values("village_id", "n"))
    new = {row["village_id"]: row["n"] for row in new_rows}
    villages = [row["village_id"] for row in rows if row["village_id"] is not None]
    residents = await _residents(villages)
    found = [Turnout(row["village_id"], row["n"], new.get(row["village_id"], 0), residents.get(row["village_id"], 0))
             for row in rows]
    return sorted(found, key=lambda t: (-t.votes, t.area_id or 0))


async def _residents(village_ids: list[int]) -> dict[int, int]:
    """Accounts that may vote, per kelurahan (their home is the kelurahan or an RW or RT inside it)."""
    if not village_ids:
        return {}
    paths = dict(await Area.filter(id__in=village_ids).values_list("id", "path"))
    counted: dict[int, int] = defaultdict(int)
    for village_id, path in paths.items():
        counted[village_id] = await Account.filter(role__in=list(VOTERS), area__path__startswith=path).count()
    return counted
