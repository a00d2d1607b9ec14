"""Performance rankings and duty compliance."""

from __future__ import annotations

import strawberry

from models import Account as AccountRow
from models import Agency as AgencyRow
from models import Area as AreaRow
from resolvers.context import Info
from schema.accounts import Account
from schema.places import Agency, Area
from services import stats


@strawberry.type(
    description="One unit's record over the CITIZEN reports created in [from, to) inside the unit: a village,\n"
    "a district or a city (with all their descendant areas), or an agency (reports routed to it)."
)
class PerformanceRow:
    received: int = strawberry.field(description="Reports created in the period.")
    followed_up: int = strawberry.field(description="Of those, how many have at least one follow-up.")
    follow_up_rate: float = strawberry.field(description="followedUp / received; 0 when nothing was received.")
    median_response_minutes: float | None = strawberry.field(
        description="Median minutes from creation to the first official action (acknowledge, forward, follow-up "
        "or reject), over the reports that had one; null when none had."
    )
    median_follow_up_hours: float | None = strawberry.field(
        description="Median hours from creation to the first follow-up, over the reports followed up; null when "
        "none was."
    )
    reopen_rate: float = strawberry.field(
        description="Of the reports followed up, the share reopened at least once; 0 when none was followed up."
    )
    overdue: int = strawberry.field(
        description="Of the reports received, how many had no follow-up by their dueAt (counting only dueAt "
        "already past)."
    )
    rank: int = strawberry.field(
        description="1 is best, by a score that rewards fixing (follow-up rate, speed) and punishes reopened "
        "fixes; ties share a rank."
    )

    @strawberry.field(graphql_type=Area | None)
    async def area(self, root: strawberry.Parent[stats.PerformanceRow], info: Info) -> AreaRow | None:
        return await info.context.loaders.area.load(root.area_id) if root.area_id else None

    @strawberry.field(graphql_type=Agency | None)
    async def agency(self, root: strawberry.Parent[stats.PerformanceRow], info: Info) -> AgencyRow | None:
        if root.agency_id is None:
            return None
        return await info.context.loaders.agency.load(root.agency_id)


@strawberry.type(
    description="An RT/RW head's month of DUTY reports. Days and months are counted in the city's time zone "
    "(Asia/Jakarta unless configured)."
)
class DutyCompliance:
    account: AccountRow = strawberry.field(graphql_type=Account)
    area: AreaRow = strawberry.field(description="The RT or RW the account heads.", graphql_type=Area)
    submitted: int = strawberry.field(description="DUTY reports created in the month.")
    valid: int = strawberry.field(description="Of those, how many a verifier marked VALID.")
    days_compliant: int = strawberry.field(description="Days of the month with at least 3 valid duty reports.")
    payable_amount: int = strawberry.field(
        description="In rupiah: min(valid, monthly cap) times the rate for the area's level (RT or RW)."
    )
