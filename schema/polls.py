"""Polls (CROP's polls and public opinion): the poll, its options as the viewer may see them, the author's
turnout, and the input that creates one.

A field that answers with database rows (or the services' values) declares them as its Python return
type and the Strawberry type that reads them as `graphql_type`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from models import Account as AccountRow
from models import Area as AreaRow
from models import Poll as PollRow
from resolvers import polls as resolve
from resolvers.context import Info
from resolvers.ids import optional_pk
from schema.accounts import Account
from schema.connections import Connection
from schema.enums import PollStatus
from schema.node import Node, global_id
from schema.places import Area
from services import poll_results as results
from services import polls as service


def _option_id(root: strawberry.Parent[results.OptionResult]) -> strawberry.ID:
    return strawberry.ID(str(root.id))


@strawberry.type(name="PollOption")
class PollOption:
    id: strawberry.ID = strawberry.field(resolver=_option_id, description="What vote's optionId takes.")
    label: str
    votes: int | None = strawberry.field(description="Null while counts are hidden from this viewer.")
    share: float | None = strawberry.field(description="votes / totalVotes; null while hidden, 0 when nobody voted.")


@strawberry.type(name="PollTurnout", description="Ballots from one kelurahan: a flood of votes from one place shows.")
class PollTurnout:
    votes: int
    new_accounts: int = strawberry.field(
        description="Ballots from accounts created less than 7 days before the poll opened (or after)."
    )
    residents: int = strawberry.field(description="Accounts that may vote and live there now.")

    @strawberry.field(
        description="The voters' kelurahan when they first voted; null for voters whose home is above one.",
        graphql_type=Area | None,
    )
    async def area(self, root: strawberry.Parent[results.Turnout], info: Info) -> AreaRow | None:
        area_id = root.area_id
        return await info.context.loaders.area.load(area_id) if area_id is not None else None


@strawberry.type(name="Poll")
class Poll(Node):
    question: str
    opens_at: datetime
    results_before_close: bool = strawberry.field(
        description="Whether counts are shown while the poll is open (always after it closes)."
    )
    created_at: datetime
    id: strawberry.ID = global_id("Poll")

    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, PollRow)

    @strawberry.field(description="2 to 10 options, in the author's order.", graphql_type=list[PollOption])
    async def options(self, root: strawberry.Parent[PollRow], info: Info) -> list[results.OptionResult]:
        return (await resolve.tally(info, root)).options

    @strawberry.field(
        description="Who may vote: accounts whose home area lies inside this area; null: any signed-in resident.",
        graphql_type=Area | None,
    )
    async def area(self, root: strawberry.Parent[PollRow], info: Info) -> AreaRow | None:
        area_id = root.area_id
        return await info.context.loaders.area.load(area_id) if area_id is not None else None

    @strawberry.field(graphql_type=Account)
    async def author(self, root: strawberry.Parent[PollRow], info: Info) -> AccountRow | None:
        return await info.context.loaders.account.load(root.author_id)

    @strawberry.field(description="When it closes, or closed (earlier, when its author or an admin closed it).")
    def closes_at(self, root: strawberry.Parent[PollRow]) -> datetime:
        return service.closes_at(root)

    @strawberry.field
    def status(self, root: strawberry.Parent[PollRow]) -> PollStatus:
        return service.status(root)

    @strawberry.field(description="Null while counts are hidden from this viewer.")
    async def total_votes(self, root: strawberry.Parent[PollRow], info: Info) -> int | None:
        return (await resolve.tally(info, root)).total

    @strawberry.field(
        description="The option this viewer chose; null if none (or signed out).", graphql_type=PollOption | None
    )
    async def viewer_vote(self, root: strawberry.Parent[PollRow], info: Info) -> results.OptionResult | None:
        return await resolve.viewer_vote(info, root)

    @strawberry.field
    async def viewer_can_vote(self, root: strawberry.Parent[PollRow], info: Info) -> bool:
        return await resolve.viewer_can_vote(info, root)

    @strawberry.field(
        description="For the author and admins (null for everyone else): ballots per kelurahan, most first.",
        graphql_type=list[PollTurnout] | None,
    )
    async def turnout(self, root: strawberry.Parent[PollRow], info: Info) -> list[results.Turnout] | None:
        return await resolve.turnout(info, root)


@strawberry.type
class PollConnection(Connection[Poll]):
    pass


@strawberry.input
class CreatePollInput:
    question: str
    options: list[str]
    closes_at: datetime
    area_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Within the author's own area (any descendant); null only for ADMIN (CITY_ADMIN is not a role "
        "yet).",
    )
    opens_at: datetime | None = strawberry.field(default=None, description="Defaults to now.")
    results_before_close: bool | None = False

    def new_poll(self) -> service.NewPoll:
        """The poll to create, in the services' terms."""
        return service.NewPoll(
            question=self.question,
            options=self.options,
            closes_at=self.closes_at,
            area_id=optional_pk(self.area_id, "Area"),
            opens_at=self.opens_at,
            results_before_close=bool(self.results_before_close),
        )
