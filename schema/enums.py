"""The contract's enums: the models' own enums, registered with Strawberry.

`strawberry.enum` records the GraphQL definition on the class itself and returns that same class, so
the names exported here are the models' enums: type checkers see them as such, and resolvers receive
their members.
"""

import strawberry

from models.enums import (
    AlertLevel,
    AreaLevel,
    AssetKind,
    AssetStatus,
    Badge,
    EventKind,
    NotificationKind,
    PerformanceUnit,
    PollStatus,
    RejectReason,
    ReportKind,
    ReportStatus,
    Role,
    Verdict,
)

__all__ = [
    "AlertLevel",
    "AreaLevel",
    "AssetKind",
    "AssetStatus",
    "Badge",
    "EventKind",
    "NotificationKind",
    "PerformanceUnit",
    "PollStatus",
    "RejectReason",
    "ReportKind",
    "ReportStatus",
    "Role",
    "Verdict",
]

strawberry.enum(Role)
strawberry.enum(AreaLevel)
strawberry.enum(ReportKind)
strawberry.enum(ReportStatus)
strawberry.enum(
    Badge,
    description="Derived from status: WAITING and REOPENED are RED, IN_PROGRESS is YELLOW, "
    "FOLLOWED_UP and CLOSED are GREEN, REJECTED is GREY.",
)
strawberry.enum(EventKind)
strawberry.enum(Verdict)
strawberry.enum(NotificationKind)

strawberry.enum(PerformanceUnit)
strawberry.enum(PollStatus)
strawberry.enum(
    RejectReason,
    description="Why a report was rejected. NOT_OUR_AUTHORITY (not this government's job: a utility, a private "
    "owner; the note says whose) and SPAM are left out of the unit's performance record.",
)
strawberry.enum(AssetKind)
strawberry.enum(
    AlertLevel,
    description="Jakarta's flood alert levels at gauges: SIAGA_4 is normal, SIAGA_1 is the most dangerous.",
)
strawberry.enum(AssetStatus)
