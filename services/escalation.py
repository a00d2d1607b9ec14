"""Escalation: a report past its deadline without a follow-up goes one level up the hierarchy.

At the deadline (level 1) the kecamatan's area heads answer for a kelurahan's report, and the agency's head
for its agency's report; a step later (level 2) the kota's area heads. A further step comes every
`escalate_every_hours` of the category after the one before; a category without it never escalates. A
follow-up or a rejection ends the climb (the workflow clears escalate_at).

Each step is claimed by a conditional update on (escalation_level, escalate_at), in the transaction that
writes its event and notifications: every server may run the duty at once and each step happens once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import F

from core import clock
from models import Account, Agency, Area, Category, Report, ReportEvent
from models.areas import path_ids
from models.enums import OPEN_STATUSES, AreaLevel, EventKind, NotificationKind, ReportKind, Role
from plumbing import outbox
from plumbing.columns import column
from services.notifications import notify

LADDER = (AreaLevel.DISTRICT, AreaLevel.CITY)  # the heads above a kelurahan, nearest first
WORD = {AreaLevel.DISTRICT: "kecamatan", AreaLevel.CITY: "kota"}
BATCH = 200


def first_step(category: Category, kind: ReportKind, due_at: datetime | None) -> datetime | None:
    """When a new report escalates first, if it ever does: at its deadline."""
    if kind != ReportKind.CITIZEN or category.escalate_every_hours is None:
        return None
    return due_at


async def schedule_waiting(category: Category) -> int:
    """When a category gains escalation steps, its reports still waiting for a first fix climb from their
    deadline too (they were created when it had none); returns how many."""
    if category.escalate_every_hours is None:
        return 0
    return await Report.filter(
        category_id=category.id, kind=ReportKind.CITIZEN, status__in=list(OPEN_STATUSES), first_follow_up_at=None,
        escalation_level=0, escalate_at=None, due_at__isnull=False,
    ).update(escalate_at=F("due_at"))


async def _ladder(report: Report) -> list[Area]:
    """The report's kecamatan and kota, in that order (those the area data knows)."""
    ids = path_ids(report.area_path)
    areas = await Area.filter(id__in=ids, level__in=list(LADDER))
    return sorted(areas, key=lambda area: LADDER.index(area.level))


async def _heads(target: Area | None, agency_id: int | None) -> list[int]:
    ids: list[int] = []
    if target is not None:
        ids += await column(Account.filter(role=Role.AREA_HEAD, area_id=target.id), "id", int)
    if agency_id is not None:
        ids += await column(Account.filter(role=Role.AGENCY_HEAD, agency_id=agency_id), "id", int)
    return ids


async def _step(report: Report, now: datetime) -> bool:
    """Take the report's next step, unless another server took it or a follow-up came first."""
    if report.escalate_at is None:
        return False
    ladder = await _ladder(report)
    level = report.escalation_level + 1
    agency_step = level == 1 and report.agency_id is not None  # the agency's head answers at the first step
    top = max(len(ladder), 1 if report.agency_id is not None else 0)
    target = ladder[level - 1] if level <= len(ladder) else None
    still_open = Report.filter(
        id=report.id, escalation_level=report.escalation_level, escalate_at=report.escalate_at,
        status__in=list(OPEN_STATUSES), first_follow_up_at=None,
    )
    if target is None and not agency_step:  # nobody higher: the climb ends here
        await still_open.update(escalate_at=None)
        return False
    category = await Category.get(id=report.category_id)
    every = category.escalate_every_hours
    next_at = report.escalate_at + timedelta(hours=every) if every is not None and level < top else None
    if target is not None:
        note = f"Naik ke {WORD[target.level]} {target.name}: belum ditindaklanjuti melewati tenggat."
    else:
        agency = await Agency.get(id=report.agency_id)
        note = f"Naik ke kepala {agency.name}: belum ditindaklanjuti melewati tenggat."
    async with outbox.transaction():
        claimed = await still_open.update(
            escalation_level=level,
            escalated_to_id=target.id if target is not None else report.escalated_to_id,
            escalate_at=next_at,
            updated_at=now,
        )
        if not claimed:
            return False
        status = (await Report.get(id=report.id)).status  # an acknowledgement may have come since the batch read
        event = await ReportEvent.create(
            report_id=report.id, kind=EventKind.ESCALATED, status=status, note=note, created_at=now
        )
        await outbox.report_changed(report.id, event.id)
        await notify(await _heads(target, report.agency_id if agency_step else None), NotificationKind.ESCALATED,
                     report)
    return True


async def run(now: datetime | None = None) -> int:
    """The duty: every step that is due; returns how many this process took."""
    now = now or clock.now()
    due = await Report.filter(
        escalate_at__lte=now, status__in=list(OPEN_STATUSES), first_follow_up_at=None
    ).order_by("escalate_at").limit(BATCH)
    taken = 0
    for report in due:
        taken += await _step(report, now)
    return taken
