"""The contract's enums: the models' own enums, exposed under the contract's names."""

import strawberry

from models import enums

Role = strawberry.enum(enums.Role)
AreaLevel = strawberry.enum(enums.AreaLevel)
ReportKind = strawberry.enum(enums.ReportKind)
ReportStatus = strawberry.enum(enums.ReportStatus)
Badge = strawberry.enum(
    enums.Badge,
    description="Derived from status: WAITING and REOPENED are RED, IN_PROGRESS is YELLOW, "
    "FOLLOWED_UP and CLOSED are GREEN, REJECTED is GREY.",
)
EventKind = strawberry.enum(enums.EventKind)
Verdict = strawberry.enum(enums.Verdict)
NotificationKind = strawberry.enum(enums.NotificationKind)

PerformanceUnit = strawberry.enum(enums.PerformanceUnit)
