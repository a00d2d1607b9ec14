"""Performance rankings and duty compliance."""

from __future__ import annotations

import strawberry

from models import Account as AccountRow
from models import Agency as AgencyRow
from models import Area as AreaRow
from resolvers.context import Info
from schema.accounts import Account
from schema.places import Agency, Area
from services import performance


@strawberry.type(
    description="The score's parts (README, \"Performance score\"): "
    "score = clamp(0.7 x fix + 0.3 x speed - 0.2 x escalationCost - 0.3 x proofCost, 0, 1)."
)
class ScoreParts:
    fix: float = strawberry.field(
        description="Per counted report: fixes that stayed fixed (never reopened) with no inconsistent proof, weighted "
        "by the reporter's rating (4-5 stars 1, 3 stars 0.5, 1-2 stars 0, not rated 0.75)."
    )
    speed: float = strawberry.field(
        description="Per counted report: the sum over those kept fixes of 1 / (1 + hours to the first follow-up / "
        "24)."
    )
    escalation_cost: float = strawberry.field(description="escalated / counted reports.")
    proof_cost: float = strawberry.field(description="inconsistentProofs / counted reports.")


@strawberry.type(
    description="One unit's record over the CITIZEN reports created in [from, to) inside the unit: a village,\n"
    "a district or a city (with all their descendant areas), or an agency (reports routed to it). Reports\n"
    "rejected as NOT_OUR_AUTHORITY or SPAM (excused) count in received, rejected and excused only."
)
class PerformanceRow:
    received: int = strawberry.field(description="Reports created in the period.")
    excused: int = strawberry.field(
        description="Of those, how many were rejected as NOT_OUR_AUTHORITY or SPAM: not counted against the unit."
    )
    rejected: int = strawberry.field(description="Of those received, how many were rejected, for any reason.")
    reject_rate: float = strawberry.field(description="rejected / received; 0 when nothing was received.")
    rejects_more_than_peers: bool = strawberry.field(
        description="At least 3 rejections and a rejectRate over twice the median of the listed units that "
        "received reports."
    )
    followed_up: int = strawberry.field(description="Of the counted reports, how many have at least one follow-up.")
    follow_up_rate: float = strawberry.field(
        description="followedUp / counted reports (received - excused); 0 when none."
    )
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
        description="Of the counted reports, how many had no follow-up by their dueAt (counting only dueAt "
        "already past)."
    )
    average_rating: float | None = strawberry.field(
        description="Mean stars over the rated fixes; null when none was rated."
    )
    rated_count: int = strawberry.field(description="Counted reports whose latest fix the reporter rated.")
    escalated: int = strawberry.field(
        description="Counted reports (received in the period, not excused) that escalated at least once."
    )
    inconsistent_proofs: int = strawberry.field(
        description="Fixes whose proof contradicted the report (proofConsistent false)."
    )
    score: float = strawberry.field(description="The score that rank orders by, 0 to 1.")
    score_parts: ScoreParts = strawberry.field(graphql_type=ScoreParts)
    ranked: bool = strawberry.field(
        description="False for units with fewer reports than the ranking's minimum: they are listed, unranked, "
        "after the ranked ones (rank 0)."
    )
    rank: int = strawberry.field(
        description="1 is best, by score (fixes that stay fixed and are rated well, speed of real fixes, minus "
        "escalations and inconsistent proofs); ties share a rank; 0 when unranked."
    )

    @strawberry.field(graphql_type=Area | None)
    async def area(self, root: strawberry.Parent[performance.PerformanceRow], info: Info) -> AreaRow | None:
        return await info.context.loaders.area.load(root.area_id) if root.area_id else None

    @strawberry.field(graphql_type=Agency | None)
    async def agency(self, root: strawberry.Parent[performance.PerformanceRow], info: Info) -> AgencyRow | None:
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
