"""The status machine of a report: who moves it where, and what that leaves behind.

Every transition is one transaction: a conditional UPDATE of the status (so two officials
racing cannot both win), the event for the public timeline, and the notifications.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tortoise.expressions import F

from core import clock
from core.errors import BadInput, Forbidden, NotFound, Unauthenticated
from media.storage import Storage
from models import Account, Agency, Area, City, FixRating, FollowUp, Report, ReportEvent, Verification
from models.enums import AreaLevel, EventKind, NotificationKind, RejectReason, ReportKind, ReportStatus, Role, Verdict
from plumbing import outbox
from plumbing.columns import column
from services import cities, permissions, proofs, trends
from services.notifications import notify
from services.permissions import Action
from services.photos import PhotoPolicy, ingest, record_photos
from services.social import report_follower_ids
from services.text import optional_text, required_text

S = ReportStatus
AUTO_CLOSE_AFTER = timedelta(days=7)
MAX_NOTE = 2000
# A rating this low, with a comment saying why, reopens a FOLLOWED_UP report.
REOPENING_STARS = 2


@dataclass(frozen=True)
class Transition:
    event: EventKind
    sources: frozenset[ReportStatus]
    target: ReportStatus | None  # None: the status stays (forwarding, verification, rating)
    tells_followers: bool = True  # STATUS_CHANGED to the reporter and the report's followers


MACHINE = {
    Action.ACKNOWLEDGE: Transition(EventKind.ACKNOWLEDGED, frozenset({S.WAITING, S.REOPENED}), S.IN_PROGRESS),
    Action.FORWARD: Transition(EventKind.FORWARDED, frozenset({S.WAITING, S.IN_PROGRESS, S.REOPENED}), None),
    Action.FOLLOW_UP: Transition(
        EventKind.FOLLOWED_UP, frozenset({S.WAITING, S.IN_PROGRESS, S.REOPENED}), S.FOLLOWED_UP
    ),
    Action.REOPEN: Transition(EventKind.REOPENED, frozenset({S.FOLLOWED_UP, S.CLOSED}), S.REOPENED),
    # The reporter's own verdict is news to nobody who follows the report.
    Action.RATE: Transition(EventKind.RATED, frozenset({S.FOLLOWED_UP, S.CLOSED}), None, tells_followers=False),
    Action.CLOSE: Transition(EventKind.CLOSED, frozenset({S.FOLLOWED_UP}), S.CLOSED),
    Action.REJECT: Transition(EventKind.REJECTED, frozenset({S.WAITING, S.IN_PROGRESS, S.REOPENED}), S.REJECTED),
    Action.VERIFY: Transition(EventKind.VERIFIED, frozenset(S), None),
}
# The first of these is the "response" that performance measures.
OFFICIAL_RESPONSES = frozenset({Action.ACKNOWLEDGE, Action.FORWARD, Action.FOLLOW_UP, Action.REJECT})


async def _check(actor: Account | None, action: Action, report: Report) -> Transition:
    """FORBIDDEN unless the rules allow the actor; BAD_USER_INPUT unless the machine allows the move."""
    if actor is None:
        raise Unauthenticated()
    if not permissions.allowed(action, actor, report):
        raise Forbidden(f"You may not {action.value.lower().replace('_', ' ')} this report.")
    transition = MACHINE[action]
    if report.status not in transition.sources:
        raise BadInput(f"A {report.status.value} report cannot be {transition.event.value.lower()}.")
    return transition


async def _apply(
    actor: Account | None,
    action: Action,
    report: Report,
    transition: Transition,
    note: str | None,
    **changes: object,
) -> ReportEvent:
    """Inside a transaction: move the status if it is still a source, write the event, notify."""
    now = clock.now()
    if transition.target is None:
        # The status stays: read it under the row's lock rather than write back the one read before (a close
        # meanwhile would be undone).
        status = (await Report.filter(id=report.id).select_for_update().get()).status
        moved = await Report.filter(id=report.id, status__in=list(transition.sources)).update(updated_at=now, **changes)
    else:
        status = transition.target
        moved = await Report.filter(id=report.id, status__in=list(transition.sources)).update(
            status=status, updated_at=now, **changes)
    if not moved:
        raise BadInput("The report changed meanwhile; reload it and try again.")
    if action in OFFICIAL_RESPONSES:
        await Report.filter(id=report.id, first_response_at=None).update(first_response_at=now)
    if action == Action.FOLLOW_UP:
        await Report.filter(id=report.id, first_follow_up_at=None).update(first_follow_up_at=now)
    event = await ReportEvent.create(
        report_id=report.id, kind=transition.event, actor=actor, status=status, note=note, created_at=now
    )
    await outbox.report_changed(report.id, event.id)
    if transition.tells_followers:
        listeners = [report.author_id, *await report_follower_ids(report.id)]
        await notify(listeners, NotificationKind.STATUS_CHANGED, report, actor_id=actor.id if actor else None)
    return event


async def _load(report_id: int) -> Report:
    report = await Report.get_or_none(id=report_id)
    if report is None:
        raise NotFound("No such report.")
    return report


async def acknowledge(actor: Account | None, report_id: int, note: str | None) -> Report:
    report = await _load(report_id)
    transition = await _check(actor, Action.ACKNOWLEDGE, report)
    async with outbox.transaction():
        await _apply(actor, Action.ACKNOWLEDGE, report, transition, optional_text(note, "A note", MAX_NOTE))
    return await _load(report_id)


async def forward(
    actor: Account | None, report_id: int, agency_id: int | None, area_id: int | None, note: str
) -> Report:
    """Disposisi: to another agency and/or kelurahan; the status stays, the new owners are told."""
    report = await _load(report_id)
    transition = await _check(actor, Action.FORWARD, report)
    note = required_text(note, "A note", MAX_NOTE)
    if agency_id is None and area_id is None:
        raise BadInput("Forward to an agency, an area, or both.")
    changes: dict[str, object] = {}
    path = report.area_path
    if area_id is not None:
        area = await Area.get_or_none(id=area_id)
        if area is None or area.level != AreaLevel.VILLAGE:
            raise BadInput("Forward to a kelurahan (an area of level VILLAGE).")
        city = await cities.city_of_path(area.path)
        if (city.id if city else None) != report.city_id:
            raise BadInput("Forward to a kelurahan of the report's own city.")
        changes.update(area_id=area.id, area_path=area.path)
        path = area.path
    if agency_id is not None:
        agency = await Agency.get_or_none(id=agency_id).select_related("area")
        if agency is None:
            raise BadInput("Unknown agency.")
        if agency.area is not None and not path.startswith(agency.area.path):
            raise BadInput("That agency does not serve the report's area.")
        changes["agency_id"] = agency_id
    async with outbox.transaction():
        # Where its words are counted until now (services/trends.py), read under the row's lock.
        old_path = (await Report.filter(id=report.id).select_for_update().get()).area_path
        await _apply(actor, Action.FORWARD, report, transition, note, **changes)
        if area_id is not None:
            await trends.report_moved(report.id, old_path)
        assignees = Account.filter(role__in=list(permissions.OFFICIAL_ROLES - {Role.ADMIN, Role.CITY_ADMIN}))
        ids: list[int] = []
        if agency_id is not None:
            ids += await column(assignees.filter(agency_id=agency_id), "id", int)
        if area_id is not None:
            ids += await column(assignees.filter(area_id=area_id), "id", int)
        await notify(ids, NotificationKind.ASSIGNED, report, actor_id=actor.id if actor else None)
    return await _load(report_id)


async def follow_up(
    actor: Account | None, report_id: int, note: str, photos: list[bytes], storage: Storage, limits: PhotoPolicy
) -> Report:
    """The green badge: only with proof that the work was done."""
    report = await _load(report_id)
    transition = await _check(actor, Action.FOLLOW_UP, report)
    note = required_text(note, "A note", MAX_NOTE)
    city = await City.get_or_none(id=report.city_id) if report.city_id else None
    if city is not None:  # a camera clock without a zone shows the time where the photo was taken
        limits = replace(limits, camera_zone=ZoneInfo(city.timezone))
    images = await ingest(photos, storage, limits, "A follow-up (the proof that the work was done)", at_least=1)
    now = clock.now()
    async with outbox.transaction():
        await _apply(actor, Action.FOLLOW_UP, report, transition, note, last_follow_up_at=now, escalate_at=None)
        follow = await FollowUp.create(
            report_id=report.id, officer=actor, note=note, proof_consistent=proofs.consistent(report, images, now),
            created_at=now,
        )
        await record_photos(report.id, images, follow_up=follow)
    return await _load(report_id)


async def reopen(
    actor: Account | None,
    report_id: int,
    reason: str,
    photos: list[bytes],
    storage: Storage,
    limits: PhotoPolicy,
) -> Report:
    report = await _load(report_id)
    transition = await _check(actor, Action.REOPEN, report)
    reason = required_text(reason, "A reason", MAX_NOTE)
    images = await ingest(photos, storage, limits, "A reopen")
    async with outbox.transaction():
        event = await _apply(
            actor, Action.REOPEN, report, transition, reason, reopen_count=F("reopen_count") + 1
        )
        await record_photos(report.id, images, event=event)
    return await _load(report_id)


async def close(actor: Account | None, report_id: int, note: str | None) -> Report:
    report = await _load(report_id)
    transition = await _check(actor, Action.CLOSE, report)
    async with outbox.transaction():
        await _apply(actor, Action.CLOSE, report, transition, optional_text(note, "A note", MAX_NOTE))
    return await _load(report_id)


async def rate_fix(actor: Account | None, report_id: int, stars: int, comment: str | None) -> Report:
    """The reporter's verdict on the latest fix; a low one with a reason reopens a FOLLOWED_UP report."""
    report = await _load(report_id)
    transition = await _check(actor, Action.RATE, report)
    if not 1 <= stars <= 5:
        raise BadInput("stars is 1 (not fixed) to 5 (well fixed).")
    comment = optional_text(comment, "A comment", MAX_NOTE)
    now = clock.now()
    async with outbox.transaction():
        fix = await FollowUp.filter(report_id=report.id).order_by("-id").first()
        if fix is None:  # the workflow never leaves one so, but rows imported from elsewhere might
            raise BadInput("This report has no follow-up to rate.")
        await FixRating.update_or_create(
            follow_up_id=fix.id,
            defaults={"report_id": report.id, "stars": stars, "comment": comment, "created_at": now},
        )
        verdict = f"{stars}/5: {comment}" if comment else f"{stars}/5"
        rated = await _apply(actor, Action.RATE, report, transition, verdict)
        if stars <= REOPENING_STARS and comment is not None and rated.status == S.FOLLOWED_UP:
            reopening = MACHINE[Action.REOPEN]
            await _apply(actor, Action.REOPEN, report, reopening, comment, reopen_count=F("reopen_count") + 1)
    return await _load(report_id)


async def reject(
    actor: Account | None,
    report_id: int,
    reason: str,
    duplicate_of_id: int | None,
    code: RejectReason | None = None,
) -> Report:
    """`code` defaults to DUPLICATE when a duplicated report is named, else OTHER."""
    report = await _load(report_id)
    transition = await _check(actor, Action.REJECT, report)
    reason = required_text(reason, "A reason", MAX_NOTE)
    code = code or (RejectReason.DUPLICATE if duplicate_of_id is not None else RejectReason.OTHER)
    if (code == RejectReason.DUPLICATE) != (duplicate_of_id is not None):
        raise BadInput("A DUPLICATE rejection, and only that, names the report it duplicates (duplicateOfId).")
    changes: dict[str, object] = {"reject_reason": code, "escalate_at": None}
    if duplicate_of_id is not None:
        if duplicate_of_id == report.id or not await Report.exists(id=duplicate_of_id):
            raise BadInput("The report this duplicates must be another existing report.")
        changes["duplicate_of_id"] = duplicate_of_id
    async with outbox.transaction():
        await _apply(actor, Action.REJECT, report, transition, reason, **changes)
    return await _load(report_id)


async def verify(actor: Account | None, report_id: int, verdict: Verdict, note: str | None) -> Report:
    report = await _load(report_id)
    if report.kind != ReportKind.DUTY and actor is not None and actor.role == Role.VERIFIER:
        raise BadInput("Only DUTY reports are verified.")
    transition = await _check(actor, Action.VERIFY, report)
    note = optional_text(note, "A note", MAX_NOTE)
    async with outbox.transaction():
        await Verification.update_or_create(
            report_id=report.id, defaults={"verdict": verdict, "verifier": actor, "note": note}
        )
        await _apply(actor, Action.VERIFY, report, transition, f"{verdict.value}: {note}" if note else verdict.value)
    return await _load(report_id)


async def close_stale(now: datetime | None = None) -> int:
    """Close reports followed up AUTO_CLOSE_AFTER ago and not reopened since; returns how many."""
    cutoff = (now or clock.now()) - AUTO_CLOSE_AFTER
    stale = await Report.filter(status=S.FOLLOWED_UP, last_follow_up_at__lte=cutoff)
    transition = MACHINE[Action.CLOSE]
    closed = 0
    for report in stale:
        async with outbox.transaction():
            try:
                await _apply(None, Action.CLOSE, report, transition, "Ditutup otomatis 7 hari setelah tindak lanjut.")
                closed += 1
            except BadInput:
                continue  # reopened or closed meanwhile
    return closed
