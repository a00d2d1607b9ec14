"""The status machine (services/workflow.py), as README states it, one cell per action and status, through
the service functions themselves on rows of the session's database (no HTTP):

    WAITING/REOPENED -> IN_PROGRESS (acknowledge); WAITING/IN_PROGRESS/REOPENED -> FOLLOWED_UP (follow-up
    with >= 1 proof photo) or REJECTED; FOLLOWED_UP -> CLOSED; FOLLOWED_UP/CLOSED -> REOPENED (the reporter).
    Forwarding keeps the status (and is for open reports); verifying keeps it too.

Every actor here is allowed by the permission rules, so a refusal is the machine's: BAD_USER_INPUT, and
nothing changes. tests/test_workflow.py walks the same paths over HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.errors import BadInput, Forbidden
from core.settings import Settings
from demo.photos import sample_photo
from media.storage import LocalStorage
from models import Account, Report, ReportEvent
from models.enums import EventKind, ReportKind, ReportStatus, Role, Verdict
from services import workflow
from services.permissions import Action
from services.photos import PhotoPolicy
from testkit import rows

S = ReportStatus
OPEN = (S.WAITING, S.IN_PROGRESS, S.REOPENED)
# action: {from: to}. A status that is not a key is refused.
MACHINE: dict[Action, dict[ReportStatus, ReportStatus]] = {
    Action.ACKNOWLEDGE: {S.WAITING: S.IN_PROGRESS, S.REOPENED: S.IN_PROGRESS},
    Action.FOLLOW_UP: {s: S.FOLLOWED_UP for s in OPEN},
    Action.REJECT: {s: S.REJECTED for s in OPEN},
    Action.CLOSE: {S.FOLLOWED_UP: S.CLOSED},
    Action.REOPEN: {S.FOLLOWED_UP: S.REOPENED, S.CLOSED: S.REOPENED},
    Action.FORWARD: {s: s for s in OPEN},
    Action.VERIFY: {s: s for s in S},
}
EVENTS = {
    Action.ACKNOWLEDGE: EventKind.ACKNOWLEDGED, Action.FOLLOW_UP: EventKind.FOLLOWED_UP,
    Action.REJECT: EventKind.REJECTED, Action.CLOSE: EventKind.CLOSED, Action.REOPEN: EventKind.REOPENED,
    Action.FORWARD: EventKind.FORWARDED, Action.VERIFY: EventKind.VERIFIED,
}
# The first of these is the official response that `performance` times.
RESPONSES = {Action.ACKNOWLEDGE, Action.FORWARD, Action.FOLLOW_UP, Action.REJECT}


@dataclass
class Cast:
    admin: Account
    reporter: Account  # an RT head, so that the report may be a DUTY report too
    verifier: Account
    other_village_id: int  # where forwarding sends the report
    storage: LocalStorage
    photos: PhotoPolicy


@pytest.fixture
async def cast(database: Settings, tmp_path: Path) -> Cast:
    village = await rows.area(rows.PISANGAN_BARU)
    return Cast(await rows.account(Role.ADMIN), await rows.account(Role.RT_RW, await rows.area(rows.RT001)),
                await rows.account(Role.VERIFIER, village), (await rows.area(rows.KAYU_MANIS)).id,
                LocalStorage(tmp_path, "/media/"),
                PhotoPolicy(max_bytes=10 * 2**20, max_pixels=40_000_000, max_per_post=4,
                            camera_zone=ZoneInfo("Asia/Jakarta")))


def act(cast: Cast, action: Action, report_id: int) -> Callable[[], Awaitable[Report]]:
    """The service call for the action, by someone the permission rules allow."""
    calls: dict[Action, Callable[[], Awaitable[Report]]] = {
        Action.ACKNOWLEDGE: lambda: workflow.acknowledge(cast.admin, report_id, "Segera dicek"),
        Action.FORWARD: lambda: workflow.forward(cast.admin, report_id, None, cast.other_village_id, "Disposisi"),
        Action.FOLLOW_UP: lambda: workflow.follow_up(cast.admin, report_id, "Sudah diperbaiki",
                                                     [sample_photo(report_id, size=(64, 48))], cast.storage,
                                                     cast.photos),
        Action.REJECT: lambda: workflow.reject(cast.admin, report_id, "Bukan wewenang kami", None),
        Action.CLOSE: lambda: workflow.close(cast.admin, report_id, None),
        Action.REOPEN: lambda: workflow.reopen(cast.reporter, report_id, "Masih rusak", [], cast.storage,
                                               cast.photos),
        Action.VERIFY: lambda: workflow.verify(cast.verifier, report_id, Verdict.VALID, None),
    }
    return calls[action]


CELLS = [(action, status) for action in MACHINE for status in S]


@pytest.mark.parametrize(("action", "status"), CELLS, ids=[f"{a.value}-from-{s.value}" for a, s in CELLS])
async def test_the_machine(cast: Cast, action: Action, status: ReportStatus) -> None:
    kind = ReportKind.DUTY if action == Action.VERIFY else ReportKind.CITIZEN
    report = await rows.report(cast.reporter, await rows.area(rows.RT001), status=status, kind=kind)
    target = MACHINE[action].get(status)
    if target is None:
        with pytest.raises(BadInput):
            await act(cast, action, report.id)()
        after = await Report.get(id=report.id)
        assert (after.status, after.first_response_at, after.reopen_count) == (status, None, 0)
        assert not await ReportEvent.filter(report_id=report.id).exists()
        return
    moved = await act(cast, action, report.id)()
    assert moved.status == target
    events = await ReportEvent.filter(report_id=report.id).values_list("kind", "status")
    assert events == [(EVENTS[action], target)]
    assert (moved.first_response_at is not None) is (action in RESPONSES)
    assert (moved.first_follow_up_at is not None) is (action == Action.FOLLOW_UP)
    assert moved.reopen_count == (1 if action == Action.REOPEN else 0)
    if action == Action.FORWARD:
        assert moved.area_id == cast.other_village_id  # forwarded to the other kelurahan, status kept


async def test_a_refused_move_is_bad_input_only_for_those_allowed_to_make_it(cast: Cast) -> None:
    """The permission rules come first: a stranger is FORBIDDEN whatever the status."""
    stranger = await rows.account(Role.CITIZEN)
    report = await rows.report(cast.reporter, await rows.area(rows.RT001), status=S.CLOSED)
    with pytest.raises(Forbidden):
        await workflow.acknowledge(stranger, report.id, None)
    with pytest.raises(BadInput):
        await workflow.acknowledge(cast.admin, report.id, None)
