"""Public opinion (CROP): trending topics and category surges, for the officials of an area."""

from __future__ import annotations

import strawberry

from models import Area as AreaRow
from models import Category as CategoryRow
from models import Report as ReportRow
from resolvers.context import Info
from schema.places import Area, Category
from schema.reports import Report
from services import surges


@strawberry.type(
    description="A word people use more now than before, in reports and comments of an area (CROP's trending "
    "topics).\nCounted by the city's days: the period is every day that [from, to) touches, and the period "
    "before is as many days just before it. A text counts once per term however often it repeats it; CITIZEN "
    "reports that are not hidden count, with the comments on them. A term trends when more texts use it than "
    "before, at least 3 and at least one in 2,000 of the period's texts."
)
class TrendingTopic:
    term: str = strawberry.field(description="The stem that groups the word forms.")
    label: str = strawberry.field(description="The form people wrote most often (in the area and period).")
    count: int = strawberry.field(description="Reports and comments in the period that use it.")
    previous_count: int = strawberry.field(description="The same count over the period of equal length just before.")
    growth: float = strawberry.field(description="(count + 1) / (previousCount + 1).")
    sample_reports: list[ReportRow] = strawberry.field(
        description="Up to three public reports that use it, newest first.", graphql_type=list[Report]
    )


@strawberry.type(
    description="A category whose reports in one village run far above their usual rate: a problem spreading, or "
    "a campaign.\nA surge needs ratio >= 3 and count >= 5; hidden reports do not count."
)
class CategorySurge:
    count: int = strawberry.field(description="CITIZEN reports in the window.")
    usual: float = strawberry.field(description="The mean count of the same window length over the previous 8 weeks.")
    ratio: float = strawberry.field(description="(count + 1) / (usual + 1).")

    @strawberry.field(graphql_type=Area)
    async def area(self, root: strawberry.Parent[surges.CategorySurge], info: Info) -> AreaRow | None:
        return await info.context.loaders.area.load(root.area_id)

    @strawberry.field(graphql_type=Category)
    async def category(self, root: strawberry.Parent[surges.CategorySurge], info: Info) -> CategoryRow | None:
        return await info.context.loaders.category.load(root.category_id)
