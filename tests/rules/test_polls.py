"""Polls' rules (services/polls.py), asked directly on the session's database: who may create and vote,
hidden and shown counts, a change of vote, exact totals under concurrent voting, opening and closing on
time, exactly one POLL_OPENED per recipient when two duty runs race, turnout, and which live events reach
whom (services/live.py). tests/test_polls.py drives the same over HTTP and WebSocket.
"""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from core import clock
from core.errors import BadInput, Conflict, DomainError, Forbidden, NotFound, Unauthenticated
from core.settings import Settings
from models import Account, Agency, Area, Follow, Notification, OutboxEvent, Poll, PollOption, PollVote
from models.enums import FollowTarget, NotificationKind, PollStatus, Role
from plumbing import outbox
from plumbing.columns import column
from services import poll_results, polls
from services.live import Event, Interest, Stream, match
from testkit import rows
from testkit.polls import age as aged
from testkit.polls import retire_unannounced

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
async def clock_back(database: Settings) -> AsyncIterator[None]:
    clock.reset()
    yield
    await retire_unannounced()
    clock.reset()


async def resident(area: Area | None, role: Role = Role.CITIZEN, age: timedelta = timedelta(days=2)) -> Account:
    """An account living in the area, created `age` ago."""
    return await aged(await rows.account(role, area), age)


async def head(code: str) -> Account:
    return await rows.account(Role.AREA_HEAD, await rows.area(code))


async def new_poll(author: Account | None, area: Area | None, options: int = 3, opens_in: timedelta | None = None,
                   lasts: timedelta = 24 * HOUR, results_before_close: bool = False) -> Poll:
    opens_at = clock.now() + opens_in if opens_in is not None else None
    return await polls.create_poll(author, polls.NewPoll(
        question="Di mana depo sampah yang baru?", options=[f"Pilihan {i}" for i in range(options)],
        area_id=area.id if area else None, opens_at=opens_at,
        closes_at=(opens_at or clock.now()) + lasts, results_before_close=results_before_close,
    ))


async def option_ids(poll: Poll) -> list[int]:
    return [o.id for o in await PollOption.filter(poll_id=poll.id).order_by("position")]


async def shown(viewer: Account | None, poll: Poll) -> poll_results.Tally:
    await poll.refresh_from_db()
    voted = viewer is not None and await PollVote.filter(poll_id=poll.id, account_id=viewer.id).exists()
    options = await PollOption.filter(poll_id=poll.id)
    return poll_results.tally(options, poll_results.counts_visible(viewer, poll, voted))


# Creating -----------------------------------------------------------------------------------------


async def test_who_may_create_where(database: Settings) -> None:
    pisangan, ceger, matraman = [await rows.area(c) for c in (rows.PISANGAN_BARU, rows.CEGER, rows.MATRAMAN)]
    rt = await rows.area(rows.RT001)
    sudin = await Agency.get(code="SUDIN_BM_JT")  # serves Jakarta Timur (31.75)
    dinas = await Agency.get(code="BINA_MARGA")  # serves the province (31), Jakarta Timur's areas among them
    actors = {
        "lurah": await rows.account(Role.AREA_HEAD, pisangan),
        "camat": await rows.account(Role.AREA_HEAD, matraman),
        "sudin head": await rows.account(Role.AGENCY_HEAD, None, sudin),
        "dinas head": await rows.account(Role.AGENCY_HEAD, None, dinas),
        "admin": await rows.account(Role.ADMIN),
        "officer": await rows.account(Role.OFFICER, pisangan),
        "verifier": await rows.account(Role.VERIFIER, pisangan),
        "rt": await rows.account(Role.RT_RW, rt),
        "citizen": await rows.account(Role.CITIZEN, pisangan),
    }
    places = {"Pisangan Baru": pisangan, "its RT": rt, "Ceger": ceger, "Matraman": matraman, "the city": None}
    allowed = {
        "lurah": {"Pisangan Baru", "its RT"},
        "camat": {"Pisangan Baru", "its RT", "Matraman"},
        "sudin head": {"Pisangan Baru", "its RT", "Ceger", "Matraman"},
        "dinas head": {"Pisangan Baru", "its RT", "Ceger", "Matraman"},
        "admin": set(places),
    }
    for who, actor in actors.items():
        for where, area in places.items():
            try:
                await new_poll(actor, area)
                created = True
            except Forbidden:
                created = False
            assert created == (where in allowed.get(who, set())), (who, where)
    with pytest.raises(Unauthenticated):
        await new_poll(None, pisangan)


async def test_what_a_poll_must_be(database: Settings) -> None:
    lurah = await head(rows.PISANGAN_BARU)
    area_id = lurah.area_id
    later = clock.now() + HOUR

    base = polls.NewPoll(question="Jalan mana dulu?", options=["A", "B"], area_id=area_id, closes_at=later)

    def new(**changes: Any) -> polls.NewPoll:
        return dataclasses.replace(base, **changes)

    refused = [
        new(options=["Satu"]), new(options=[f"O{i}" for i in range(11)]), new(options=["Sama", " sama "]),
        new(options=["A", "  "]), new(question="   "), new(question="x" * 501), new(closes_at=clock.now()),
        new(opens_at=later, closes_at=later), new(opens_at=clock.now() - HOUR),
    ]
    for bad in refused:
        with pytest.raises(BadInput):
            await polls.create_poll(lurah, bad)
    with pytest.raises(NotFound):
        await polls.create_poll(lurah, new(area_id=2**31 - 1))
    made = await polls.create_poll(lurah, new(options=[f"  O{i} " for i in range(10)], question="  Jalan mana?  "))
    assert made.question == "Jalan mana?" and made.results_before_close is False
    assert [o.label for o in await PollOption.filter(poll_id=made.id).order_by("position")] == [
        f"O{i}" for i in range(10)]
    assert abs(made.opens_at - clock.now()) < timedelta(seconds=5)  # opens now by default
    assert polls.status(made) == PollStatus.OPEN


# Voting -------------------------------------------------------------------------------------------


async def test_who_may_vote(database: Settings) -> None:
    pisangan, ceger = await rows.area(rows.PISANGAN_BARU), await rows.area(rows.CEGER)
    lurah = await head(rows.PISANGAN_BARU)
    poll = await new_poll(lurah, pisangan)
    city_poll = await new_poll(await rows.account(Role.ADMIN), None)
    voters = {
        "resident": await resident(pisangan),
        "resident of its RT": await resident(await rows.area(rows.RT001)),
        "RT head": await resident(await rows.area(rows.RT001), Role.RT_RW),
        "resident of Ceger": await resident(ceger),
        "resident of the district": await resident(await rows.area(rows.MATRAMAN)),
        "homeless resident": await resident(None),
        "new resident": await resident(pisangan, age=timedelta(hours=23)),
        "officer": await resident(pisangan, Role.OFFICER),
        "the lurah": lurah,
        "admin": await resident(None, Role.ADMIN),
    }
    may_vote_here = {"resident", "resident of its RT", "RT head"}
    may_vote_city = may_vote_here | {"resident of Ceger", "resident of the district", "homeless resident"}
    for who, voter in voters.items():
        for the_poll, allowed in ((poll, may_vote_here), (city_poll, may_vote_city)):
            option = (await option_ids(the_poll))[0]
            try:
                await polls.vote(voter, the_poll.id, option)
                voted = True
            except Forbidden:
                voted = False
            assert voted == (who in allowed), (who, the_poll.area_id)
    with pytest.raises(Unauthenticated):
        await polls.vote(None, poll.id, (await option_ids(poll))[0])
    with pytest.raises(BadInput):  # an option of another poll
        await polls.vote(voters["resident"], poll.id, (await option_ids(city_poll))[0])
    with pytest.raises(NotFound):
        await polls.vote(voters["resident"], 2**31 - 1, 1)


async def test_voting_only_while_open(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    lurah = await head(rows.PISANGAN_BARU)
    voter = await resident(pisangan)
    scheduled = await new_poll(lurah, pisangan, opens_in=HOUR, lasts=HOUR)
    first = (await option_ids(scheduled))[0]
    assert polls.status(scheduled) == PollStatus.SCHEDULED
    with pytest.raises(Conflict):
        await polls.vote(voter, scheduled.id, first)
    clock.advance(HOUR.total_seconds())
    assert polls.status(scheduled) == PollStatus.OPEN
    await polls.vote(voter, scheduled.id, first)
    clock.advance(HOUR.total_seconds())
    assert polls.status(scheduled) == PollStatus.CLOSED
    with pytest.raises(Conflict):
        await polls.vote(voter, scheduled.id, first)
    closed_early = await new_poll(lurah, pisangan)
    with pytest.raises(Forbidden):
        await polls.close_poll(voter, closed_early.id)
    with pytest.raises(Forbidden):
        await polls.close_poll(await head(rows.PISANGAN_BARU), closed_early.id)  # another head: not the author
    closed = await polls.close_poll(lurah, closed_early.id)
    assert polls.status(closed) == PollStatus.CLOSED and polls.closes_at(closed) == closed.closed_at
    again = await polls.close_poll(await resident(None, Role.ADMIN), closed_early.id)  # idempotent
    assert again.closed_at == closed.closed_at
    with pytest.raises(Conflict):
        await polls.vote(voter, closed_early.id, (await option_ids(closed_early))[0])


async def test_counts_hidden_until_voted_or_closed(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    lurah = await head(rows.PISANGAN_BARU)
    admin = await resident(None, Role.ADMIN)
    alice, bob, carol = [await resident(pisangan) for _ in range(3)]
    poll = await new_poll(lurah, pisangan)
    a, b, c = await option_ids(poll)
    await polls.vote(alice, poll.id, a)
    for viewer in (bob, None, await head(rows.PISANGAN_BARU)):
        hidden = await shown(viewer, poll)
        assert hidden.total is None and all(o.votes is None and o.share is None for o in hidden.options)
    for viewer in (alice, lurah, admin):  # the voter, the author, an admin
        seen = await shown(viewer, poll)
        assert seen.total == 1 and [o.votes for o in seen.options] == [1, 0, 0]
        assert [o.share for o in seen.options] == [1.0, 0.0, 0.0]
    await polls.vote(bob, poll.id, b)
    await polls.vote(bob, poll.id, c)  # a change of mind moves the ballot
    await polls.vote(bob, poll.id, c)  # the same vote again changes nothing
    seen = await shown(bob, poll)
    assert seen.total == 2 and [o.votes for o in seen.options] == [1, 0, 1]
    assert [o.share for o in seen.options] == [0.5, 0.0, 0.5]
    assert await PollVote.filter(poll_id=poll.id, account_id=bob.id).count() == 1
    assert (await shown(carol, poll)).total is None
    await polls.close_poll(lurah, poll.id)
    assert (await shown(carol, poll)).total == 2 and (await shown(None, poll)).total == 2
    shown_early = await new_poll(lurah, pisangan, results_before_close=True)
    early = await shown(None, shown_early)
    assert early.total == 0 and [o.share for o in early.options] == [0.0, 0.0, 0.0]  # 0 when nobody voted


async def test_concurrent_voters_changing_their_minds_are_counted_exactly(database: Settings) -> None:
    """Many voters at once, each changing their mind, some sending the same first vote twice at once: the
    counters equal the ballots, and each ballot names the voter's last choice."""
    pisangan = await rows.area(rows.PISANGAN_BARU)
    poll = await new_poll(await head(rows.PISANGAN_BARU), pisangan, options=4)
    options = await option_ids(poll)
    voters = [await resident(pisangan) for _ in range(40)]
    chance = random.Random(19)
    plans = {v.id: [chance.choice(options) for _ in range(4)] for v in voters}

    async def ballot_box(voter: Account) -> None:
        first, *rest = plans[voter.id]
        await asyncio.gather(polls.vote(voter, poll.id, first), polls.vote(voter, poll.id, first))  # a double tap
        for choice in rest:
            await polls.vote(voter, poll.id, choice)

    await asyncio.gather(*(ballot_box(v) for v in voters))
    ballots = dict(await PollVote.filter(poll_id=poll.id).values_list("account_id", "option_id"))
    assert ballots == {v.id: plans[v.id][-1] for v in voters}
    counters = dict(await PollOption.filter(poll_id=poll.id).values_list("id", "votes"))
    assert counters == {o: Counter(ballots.values())[o] for o in options}
    assert sum(counters.values()) == len(voters)


# On time ------------------------------------------------------------------------------------------


async def test_opening_notifies_residents_and_followers_exactly_once_when_duties_race(database: Settings) -> None:
    pisangan, ceger = await rows.area(rows.PISANGAN_BARU), await rows.area(rows.CEGER)
    lurah = await head(rows.PISANGAN_BARU)
    inside = [await resident(pisangan), await resident(await rows.area(rows.RT001), Role.RT_RW)]
    newcomer = await resident(pisangan, age=timedelta(0))  # may not vote yet, still hears of it
    follower = await resident(ceger)
    await Follow.create(follower=follower, target_type=FollowTarget.AREA, target_id=pisangan.id)
    rt_follower = await resident(None)
    await Follow.create(follower=rt_follower, target_type=FollowTarget.AREA, target_id=(await rows.area(rows.RT001)).id)
    outsider = await resident(ceger)
    officer = await resident(pisangan, Role.OFFICER)
    poll = await new_poll(lurah, pisangan, opens_in=HOUR)
    assert await polls.open_due() >= 0
    assert not await Notification.filter(poll_id=poll.id).exists()  # not before its time
    clock.advance(HOUR.total_seconds())
    await asyncio.gather(polls.open_due(), polls.open_due())  # two servers at once
    told = Counter(await column(Notification.filter(poll_id=poll.id), "account_id", int))
    assert all(n == 1 for n in told.values())
    for account in (*inside, newcomer, follower, rt_follower):
        assert told[account.id] == 1
    for account in (outsider, officer, lurah):
        assert account.id not in told
    assert await Notification.filter(poll_id=poll.id).exclude(kind=NotificationKind.POLL_OPENED).count() == 0
    mine = set(await column(Notification.filter(poll_id=poll.id), "id", int))
    live = [e.payload for e in await OutboxEvent.filter(topic=outbox.NOTIFICATION)
            if e.payload["notification_id"] in mine]
    assert len(live) == len(mine)  # each one also live (notificationReceived), once
    await polls.open_due()
    assert await Notification.filter(poll_id=poll.id).count() == len(mine)


async def test_a_poll_opening_now_notifies_at_once_and_closes_on_time(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    voter = await resident(pisangan)
    poll = await new_poll(await head(rows.PISANGAN_BARU), pisangan, lasts=HOUR)
    assert await Notification.filter(poll_id=poll.id, account_id=voter.id).count() == 1
    assert poll.opening_notified_at is not None
    async def closings() -> int:
        events = await OutboxEvent.filter(topic=outbox.POLL)
        return sum(e.payload == {"poll_id": poll.id, "change": "closed"} for e in events)

    await polls.close_due()
    assert await closings() == 0
    clock.advance(HOUR.total_seconds())
    await asyncio.gather(polls.close_due(), polls.close_due())
    assert await closings() == 1
    await poll.refresh_from_db()
    assert poll.closing_announced_at is not None and polls.status(poll) == PollStatus.CLOSED


async def test_closed_before_opening_tells_nobody(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    lurah = await head(rows.PISANGAN_BARU)
    await resident(pisangan)
    poll = await new_poll(lurah, pisangan, opens_in=HOUR)
    await polls.close_poll(lurah, poll.id)
    clock.advance(2 * HOUR.total_seconds())
    await polls.open_due()
    await poll.refresh_from_db()
    assert poll.opening_notified_at is not None  # claimed, so never looked at again
    assert not await Notification.filter(poll_id=poll.id).exists()


# Stuffing ----------------------------------------------------------------------------------------


async def test_turnout_by_kelurahan_for_the_author(database: Settings) -> None:
    matraman = await rows.area(rows.MATRAMAN)
    pisangan, kayu_manis = await rows.area(rows.PISANGAN_BARU), await rows.area(rows.KAYU_MANIS)
    camat = await head(rows.MATRAMAN)
    poll = await new_poll(camat, matraman)
    option = (await option_ids(poll))[0]
    flood = [await resident(pisangan, age=timedelta(days=2)) for _ in range(5)]
    flood.append(await resident(await rows.area(rows.RT001)))
    settled = [await resident(kayu_manis, age=timedelta(days=400))]
    above = [await resident(matraman, age=timedelta(days=400))]
    for voter in flood + settled + above:
        await polls.vote(voter, poll.id, option)
    assert await poll_results.turnout(flood[0], poll) is None
    assert await poll_results.turnout(await head(rows.MATRAMAN), poll) is None  # another official: not the author
    turnout = await poll_results.turnout(camat, poll)
    assert turnout is not None
    by_area = {t.area_id: t for t in turnout}
    assert turnout[0].area_id == pisangan.id
    assert (by_area[pisangan.id].votes, by_area[pisangan.id].new_accounts) == (6, 6)
    assert by_area[pisangan.id].residents >= 6
    assert (by_area[kayu_manis.id].votes, by_area[kayu_manis.id].new_accounts) == (1, 0)
    assert (by_area[None].votes, by_area[None].residents) == (1, 0)
    assert await poll_results.turnout(await resident(None, Role.ADMIN), poll) == turnout


# Live ---------------------------------------------------------------------------------------------


async def test_poll_events_reach_only_who_may_see_counts(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    lurah = await head(rows.PISANGAN_BARU)
    voter, waiting = await resident(pisangan), await resident(pisangan)
    poll = await new_poll(lurah, pisangan)
    other = await new_poll(lurah, pisangan)
    await polls.vote(voter, poll.id, (await option_ids(poll))[0])

    def event(change: str, poll_id: int = poll.id) -> Event:
        return Event(1, outbox.POLL, {"poll_id": poll_id, "change": change})

    def watching(viewer: Account | None) -> Interest:
        return Interest(Stream.POLL, viewer, poll_id=poll.id)

    for viewer, hears_votes in ((lurah, True), (voter, True), (waiting, False), (None, False)):
        assert (await match(watching(viewer), event("votes")) is not None) == hears_votes
        for change in ("opened", "closed"):
            assert await match(watching(viewer), event(change)) == poll
        assert await match(watching(viewer), event("closed", other.id)) is None
    assert await match(Interest(Stream.FEED, lurah), event("closed")) is None
    assert await match(Interest(Stream.NOTIFICATIONS, lurah), event("closed")) is None


async def test_polls_page_filters_area_and_status(database: Settings) -> None:
    matraman = await rows.area(rows.MATRAMAN)
    kayu_manis = await rows.area(rows.KAYU_MANIS)
    camat = await head(rows.MATRAMAN)
    made = [await new_poll(camat, kayu_manis), await new_poll(camat, kayu_manis, opens_in=HOUR),
            await new_poll(camat, matraman)]
    await polls.close_poll(camat, made[2].id)
    page = await polls.polls(kayu_manis.id, None, 50, None)
    assert [p.id for p in page.rows][:2] == [made[1].id, made[0].id]  # newest first
    assert all(p.area_id == kayu_manis.id for p in page.rows)
    in_district = {p.id for p in (await polls.polls(matraman.id, None, 100, None)).rows}
    assert {p.id for p in made} <= in_district  # the district includes its kelurahan
    for status, expected in ((PollStatus.OPEN, made[0]), (PollStatus.SCHEDULED, made[1]),
                             (PollStatus.CLOSED, made[2])):
        found = (await polls.polls(matraman.id, status, 100, None)).rows
        assert expected.id in {p.id for p in found}
        assert all(polls.status(p) == status for p in found)
    first = await polls.polls(kayu_manis.id, None, 1, None)
    second = await polls.polls(kayu_manis.id, None, 1, first.cursor(first.rows[0]))
    assert first.has_next and second.rows[0].id == made[0].id
    with pytest.raises(NotFound):
        await polls.polls(2**31 - 1, None, 1, None)


async def test_refusals_are_domain_errors_with_plain_words(database: Settings) -> None:
    pisangan = await rows.area(rows.PISANGAN_BARU)
    poll = await new_poll(await head(rows.PISANGAN_BARU), pisangan)
    refusal = polls.voting_refusal(await resident(pisangan, age=timedelta(hours=1)), poll, pisangan)
    assert isinstance(refusal, DomainError) and refusal.code == "FORBIDDEN"
    assert "day" in refusal.message and "GraphQL" not in refusal.message
