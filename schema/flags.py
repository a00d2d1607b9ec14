"""A resident's flag on a report, as the report's moderators read it (Report.flags)."""

from __future__ import annotations

from datetime import datetime

import strawberry


@strawberry.type(name="ReportFlag", description="A flag no moderator has decided yet; who raised it is not shown.")
class ReportFlag:
    reason: str
    created_at: datetime
