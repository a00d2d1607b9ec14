"""Resolvers for polls: typed arguments in, services.polls called, rows and the viewer's view of them out."""

from __future__ import annotations

from core.errors import BadInput
from models import Poll
from models.enums import PollStatus
from plumbing.keyset import Page
from resolvers.context import Info
from resolvers.ids import optional_pk, pk_of
from services import poll_results, polls


def option_pk(option_id: str) -> int:
    """A PollOption's id is its number (options are read through their poll, never on their own)."""
    if not option_id.isdigit() or int(option_id) > 2**31 - 1:
        raise BadInput(f"{option_id!r} is not a valid option ID.")
    return int(option_id)


async def polls_page(
    info: Info, area_id: str | None, status: PollStatus | None, first: int | None, after: str | None
) -> Page[Poll]:
    return await polls.polls(optional_pk(area_id, "Area"), status, first, after)


async def create_poll(info: Info, new: polls.NewPoll) -> Poll:
    await info.context.limit("createPoll")
    return await polls.create_poll(info.context.viewer, new)


async def vote(info: Info, poll_id: str, option_id: str) -> Poll:
    await info.context.limit("vote")
    return await polls.vote(info.context.viewer, pk_of(poll_id, "Poll"), option_pk(option_id))


async def close_poll(info: Info, poll_id: str) -> Poll:
    return await polls.close_poll(info.context.viewer, pk_of(poll_id, "Poll"))


async def tally(info: Info, poll: Poll) -> poll_results.Tally:
    """The poll's options with counts, or without them while they are hidden from this viewer."""
    loaders = info.context.loaders
    options = await loaders.poll_options.load(poll.id)
    chosen = await loaders.viewer_poll_choice.load(poll.id)
    return poll_results.tally(options, poll_results.counts_visible(info.context.viewer, poll, voted=chosen is not None))


async def viewer_vote(info: Info, poll: Poll) -> poll_results.OptionResult | None:
    chosen = await info.context.loaders.viewer_poll_choice.load(poll.id)
    if chosen is None:
        return None
    return next((option for option in (await tally(info, poll)).options if option.id == chosen), None)


async def viewer_can_vote(info: Info, poll: Poll) -> bool:
    viewer = info.context.viewer
    if viewer is None:
        return False
    area = await info.context.loaders.area.load(poll.area_id) if poll.area_id is not None else None
    return polls.voting_refusal(viewer, poll, area) is None


async def turnout(info: Info, poll: Poll) -> list[poll_results.Turnout] | None:
    return await poll_results.turnout(info.context.viewer, poll)
