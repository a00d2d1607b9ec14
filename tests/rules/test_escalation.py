"""Escalation's schedule (services/escalation.py) on rows of the session's database: a report climbs from its
deadline only in a category with escalation steps, including reports that waited before the category had them.
(The climb itself, level by level and once per step: tests/test_accountability.py and tests/test_scale_out.py.)"""

from __future__ import annotations

from datetime import timedelta

from core import clock
from core.settings import Settings
from models import Category, Report
from models.enums import ReportKind, ReportStatus, Role
from services import escalation
from testkit import rows
from testkit.client import unique


async def test_first_step_is_the_deadline_of_a_citizen_report_in_an_escalating_category(database: Settings) -> None:
    due = clock.now() + timedelta(hours=24)
    steps = Category(code="X", name="X", sla_hours=24, escalate_every_hours=12)
    never = Category(code="Y", name="Y", sla_hours=24, escalate_every_hours=None)
    assert escalation.first_step(steps, ReportKind.CITIZEN, due) == due
    assert escalation.first_step(steps, ReportKind.DUTY, due) is None  # RT/RW duty reports are not complaints
    assert escalation.first_step(never, ReportKind.CITIZEN, due) is None


async def test_a_category_that_gains_steps_schedules_its_waiting_reports(database: Settings) -> None:
    category = await Category.create(code=unique("CAT").upper(), name="Uji", sla_hours=24)
    try:
        author = await rows.account(Role.CITIZEN)
        village = await rows.area(rows.PISANGAN_BARU)
        due = clock.now() - timedelta(hours=1)
        waiting = await rows.report(author, village, category=category.code, due_at=due)
        fixed = await rows.report(author, village, category=category.code, due_at=due, first_follow_up_at=due,
                                  status=ReportStatus.FOLLOWED_UP)
        rejected = await rows.report(author, village, category=category.code, due_at=due,
                                     status=ReportStatus.REJECTED)
        assert await escalation.schedule_waiting(category) == 0  # no steps yet
        category.escalate_every_hours = 6
        await category.save()
        assert await escalation.schedule_waiting(category) == 1
        after = {r.id: r.escalate_at for r in await Report.filter(category_id=category.id)}
        assert after == {waiting.id: due, fixed.id: None, rejected.id: None}
        assert await escalation.schedule_waiting(category) == 0  # once
    finally:
        await Report.filter(category_id=category.id).delete()
        await category.delete()
