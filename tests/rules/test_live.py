"""Live matching (services/live.py `match`): which committed event concerns which subscription, by the same
rules as the feeds. Events are built as the relay delivers them (an outbox topic and payload) about rows of
the session's database; no socket, no GraphQL. tests/test_live.py drives the same streams over WebSockets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from tortoise.models import Model

from core import clock
from core.errors import Unauthenticated
from core.settings import Settings
from models import Account, Area, Follow, Notification, Report, ReportEvent, Verification
from models.enums import EventKind, FollowTarget, NotificationKind, ReportKind, ReportStatus, Role, Verdict
from plumbing import outbox
from services.feed import FeedFilter
from services.live import Event, Interest, Stream, match
from testkit import rows


@dataclass
class Scene:
    """Who watches and what happens. The reporter posts in Pisangan Baru (a rubbish report, and one the
    moderators hid) and in Ceger (a flood); the citizen follows Ceger and posts a report of their own; an RT head
    posts two duty reports, one of them verified."""

    people: dict[str, Account | None] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    changes: dict[str, ReportEvent] = field(default_factory=dict)
    notifications: dict[str, Notification] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)


@pytest.fixture
async def scene(database: Settings) -> Scene:
    s = Scene()
    s.areas = {"Pisangan Baru": await rows.area(rows.PISANGAN_BARU), "Ceger": await rows.area(rows.CEGER)}
    s.people = {
        "nobody": None,
        "citizen": await rows.account(Role.CITIZEN),
        "reporter": await rows.account(Role.CITIZEN),
        "officer": await rows.account(Role.OFFICER, s.areas["Pisangan Baru"]),  # of Pisangan Baru
    }
    citizen, reporter = s.people["citizen"], s.people["reporter"]
    assert citizen is not None and reporter is not None
    s.reports = {
        "rubbish": await rows.report(reporter, s.areas["Pisangan Baru"], category="SAMPAH"),
        "hidden": await rows.report(reporter, s.areas["Pisangan Baru"], category="SAMPAH", hidden=True),
        "flood": await rows.report(reporter, s.areas["Ceger"], category="BANJIR"),
        "mine": await rows.report(citizen, s.areas["Pisangan Baru"], category="SAMPAH"),
    }
    head = await rows.account(Role.RT_RW, await rows.area(rows.RT001))
    for name in ("duty", "judged"):
        s.reports[name] = await rows.report(head, s.areas["Pisangan Baru"], category="KEBERSIHAN", kind=ReportKind.DUTY)
    verifier = await rows.account(Role.VERIFIER, s.areas["Pisangan Baru"])
    await Verification.create(report=s.reports["judged"], verdict=Verdict.VALID, verifier=verifier)
    now = clock.now()
    for name, kind in (("acknowledged", EventKind.ACKNOWLEDGED), ("moderated", EventKind.UNHIDDEN),
                       ("kept", EventKind.KEPT)):
        s.changes[name] = await ReportEvent.create(report=s.reports["rubbish"], kind=kind, created_at=now,
                                                   status=ReportStatus.IN_PROGRESS)
    s.changes["hidden acknowledged"] = await ReportEvent.create(report=s.reports["hidden"], created_at=now,
                                                                kind=EventKind.ACKNOWLEDGED,
                                                                status=ReportStatus.IN_PROGRESS)
    s.notifications["citizen's"] = await Notification.create(account=citizen, kind=NotificationKind.COMMENTED,
                                                             report=s.reports["mine"], created_at=now)
    await Follow.create(follower=citizen, target_type=FollowTarget.AREA, target_id=s.areas["Ceger"].id)
    return s


def created(report: str) -> tuple[str, str, str]:
    return ("report", report, "created")


def changed(report: str, change: str) -> tuple[str, str, str]:
    return ("report", report, change)


def notified(notification: str) -> tuple[str, str, str]:
    return ("notification", notification, "")


@dataclass(frozen=True)
class Case:
    why: str
    stream: Stream
    viewer: str
    event: tuple[str, str, str]
    expected: str | None  # "report:<name>", "change:<name>", "notification:<name>" or None
    category: str | None = None  # the subscription's filter
    area: str | None = None
    report: str | None = None  # the report whose timeline is followed
    verified: bool | None = None


CASES = [
    # A new report, for the streams of new reports and of the feed.
    Case("a new report reaches everyone", Stream.NEW_REPORTS, "nobody", created("rubbish"), "report:rubbish"),
    Case("a change is not a new report", Stream.NEW_REPORTS, "nobody", changed("rubbish", "acknowledged"), None),
    Case("another category is filtered out", Stream.NEW_REPORTS, "nobody", created("rubbish"), None,
         category="BANJIR"),
    Case("the filter's category", Stream.NEW_REPORTS, "nobody", created("flood"), "report:flood",
         category="BANJIR"),
    Case("another area is filtered out", Stream.NEW_REPORTS, "citizen", created("rubbish"), None, area="Ceger"),
    Case("the filter's area", Stream.NEW_REPORTS, "citizen", created("flood"), "report:flood", area="Ceger"),
    Case("a hidden report is not announced", Stream.NEW_REPORTS, "nobody", created("hidden"), None),
    Case("nor to a citizen", Stream.NEW_REPORTS, "citizen", created("hidden"), None),
    Case("but to the officer of its area", Stream.NEW_REPORTS, "officer", created("hidden"), "report:hidden"),
    Case("the feed has new reports", Stream.FEED, "nobody", created("rubbish"), "report:rubbish"),
    Case("and changed ones", Stream.FEED, "nobody", changed("rubbish", "acknowledged"), "report:rubbish"),
    Case("a changed report outside the filter", Stream.FEED, "nobody", changed("rubbish", "acknowledged"), None,
         category="BANJIR"),
    Case("a changed hidden report", Stream.FEED, "citizen", changed("hidden", "hidden acknowledged"), None),
    Case("a changed hidden report, for its officer", Stream.FEED, "officer",
         changed("hidden", "hidden acknowledged"), "report:hidden"),
    # The verified filter, as the feed applies it.
    Case("a duty report to verify", Stream.NEW_REPORTS, "nobody", created("duty"), "report:duty", verified=False),
    Case("a verified one is not", Stream.NEW_REPORTS, "nobody", created("judged"), None, verified=False),
    Case("a verified one, asked for", Stream.FEED, "nobody", created("judged"), "report:judged", verified=True),
    Case("one to verify is not verified", Stream.FEED, "nobody", created("duty"), None, verified=True),
    Case("a citizen's report is never verified", Stream.FEED, "nobody", created("rubbish"), None, verified=True),
    # One report's timeline.
    Case("the report's next event", Stream.REPORT_TIMELINE, "nobody", changed("rubbish", "acknowledged"),
         "change:acknowledged", report="rubbish"),
    Case("its creation is not a timeline event", Stream.REPORT_TIMELINE, "nobody", created("rubbish"), None,
         report="rubbish"),
    Case("another report's event", Stream.REPORT_TIMELINE, "nobody", changed("rubbish", "acknowledged"), None,
         report="flood"),
    Case("a moderation event is for officials", Stream.REPORT_TIMELINE, "citizen", changed("rubbish", "moderated"),
         None, report="rubbish"),
    Case("the officer sees the moderation event", Stream.REPORT_TIMELINE, "officer",
         changed("rubbish", "moderated"), "change:moderated", report="rubbish"),
    Case("keeping a flagged report is for officials", Stream.REPORT_TIMELINE, "citizen", changed("rubbish", "kept"),
         None, report="rubbish"),
    Case("the officer sees it kept", Stream.REPORT_TIMELINE, "officer", changed("rubbish", "kept"), "change:kept",
         report="rubbish"),
    Case("a hidden report's timeline", Stream.REPORT_TIMELINE, "nobody", changed("hidden", "hidden acknowledged"),
         None, report="hidden"),
    Case("a hidden report's timeline, for its officer", Stream.REPORT_TIMELINE, "officer",
         changed("hidden", "hidden acknowledged"), "change:hidden acknowledged", report="hidden"),
    # Notifications: one's own only.
    Case("one's own notification", Stream.NOTIFICATIONS, "citizen", notified("citizen's"), "notification:citizen's"),
    Case("someone else's notification", Stream.NOTIFICATIONS, "reporter", notified("citizen's"), None),
    Case("a notification is no feed event", Stream.FEED, "citizen", notified("citizen's"), None),
    Case("a report event is no notification", Stream.NOTIFICATIONS, "citizen", created("mine"), None),
    # The home feed: followed areas (and accounts and reports) and one's own.
    Case("a report in a followed area", Stream.HOME_FEED, "citizen", created("flood"), "report:flood"),
    Case("a report elsewhere", Stream.HOME_FEED, "citizen", created("rubbish"), None),
    Case("one's own report", Stream.HOME_FEED, "citizen", changed("mine", "acknowledged"), "report:mine"),
    Case("not in the home feed of one who follows nothing there", Stream.HOME_FEED, "officer", created("flood"),
         None),
    Case("the reporter's own, in their home feed", Stream.HOME_FEED, "reporter", created("rubbish"),
         "report:rubbish"),
]


def event(scene: Scene, spec: tuple[str, str, str]) -> Event:
    """The event as the relay hands it over: an outbox topic and its payload."""
    topic, name, what = spec
    if topic == "notification":
        notification = scene.notifications[name]
        return Event(1, outbox.NOTIFICATION, {"notification_id": notification.id,
                                              "account_id": notification.account_id})
    report_id = scene.reports[name].id
    change = None if what == "created" else scene.changes[what].id
    return Event(1, outbox.REPORT, {"report_id": report_id, "created": what == "created", "event_id": change})


def described(value: object, scene: Scene) -> str | None:
    """The matched value by its name in the scene."""
    if value is None:
        return None
    groups: dict[str, dict[str, Any]] = {"report": scene.reports, "change": scene.changes,
                                         "notification": scene.notifications}
    for group, named in groups.items():
        for name, row in named.items():
            if isinstance(value, Model) and type(value) is type(row) and value.pk == row.pk:
                return f"{group}:{name}"
    raise AssertionError(f"matched something that is not in the scene: {value!r}")


@pytest.mark.parametrize("case", CASES, ids=[c.why for c in CASES])
async def test_which_event_concerns_which_subscription(scene: Scene, case: Case) -> None:
    filtered = case.category or case.area or case.verified is not None
    interest = Interest(
        case.stream, scene.people[case.viewer],
        FeedFilter(category_codes=[case.category] if case.category else None,
                   area_id=scene.areas[case.area].id if case.area else None, verified=case.verified)
        if filtered else None,
        scene.reports[case.report].id if case.report else None,
    )
    assert described(await match(interest, event(scene, case.event)), scene) == case.expected


async def test_an_unknown_topic_concerns_nobody(scene: Scene) -> None:
    for stream in Stream:
        interest = Interest(stream, scene.people["citizen"], report_id=scene.reports["mine"].id)
        assert await match(interest, Event(1, "weather", {"report_id": scene.reports["mine"].id})) is None


@pytest.mark.parametrize("stream", list(Stream))
async def test_signed_in_streams(scene: Scene, stream: Stream) -> None:
    signed_in_only = stream in (Stream.NOTIFICATIONS, Stream.HOME_FEED)
    if signed_in_only:
        with pytest.raises(Unauthenticated):
            Interest(stream, None).check()
    else:
        Interest(stream, None).check()
    Interest(stream, scene.people["citizen"]).check()
    # Signed out, those streams match nothing even if asked.
    if signed_in_only:
        for spec in (created("flood"), notified("citizen's")):
            assert await match(Interest(stream, None), event(scene, spec)) is None


async def test_alike_subscriptions_share_a_key(scene: Scene) -> None:
    citizen, reporter = scene.people["citizen"], scene.people["reporter"]
    flood = FeedFilter(category_codes=["BANJIR"])
    assert Interest(Stream.FEED, citizen, flood).key == Interest(Stream.FEED, citizen,
                                                                 FeedFilter(category_codes=["BANJIR"])).key
    assert Interest(Stream.FEED, citizen, flood).key != Interest(Stream.FEED, reporter, flood).key
    assert Interest(Stream.FEED, citizen, flood).key != Interest(Stream.NEW_REPORTS, citizen, flood).key
    assert Interest(Stream.FEED, None, flood).key != Interest(Stream.FEED, None, None).key
    assert Interest(Stream.FEED, None, FeedFilter(verified=False)).key != Interest(
        Stream.FEED, None, FeedFilter(verified=True)).key
