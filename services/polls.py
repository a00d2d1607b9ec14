"""Polls (CROP's "polls and public opinion"): who asks, who answers, what each viewer may see, and the
opening and closing on time.

Counts live on the options (`PollOption.votes`) and change in the transaction that writes the ballot, so
reading a poll's results is one small read however many voted. The ballot row decides: it is unique per
poll and account, locked before the counters move, and the counters are updated in option-id order, so
concurrent voters (on PostgreSQL) neither lose a change nor deadlock; SQLite runs transactions one at a
time. Counts are visible to a viewer once they voted or the poll closed, unless the author chose to show
them while it is open; the author and admins always see them (they cannot vote, and they watch for
stuffing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core import clock
from core.errors import BadInput, Conflict, DomainError, Forbidden, NotFound, Unauthenticated
from models import Account, Agency, Area, Follow, Notification, OutboxEvent, Poll, PollOption, PollVote
from models.areas import path_ids
from models.enums import AreaLevel, FollowTarget, NotificationKind, PollStatus, Role
from plumbing import outbox
from plumbing.columns import column
from plumbing.dialect import is_postgres
from plumbing.keyset import Page, keyset_page
from services.text import required_text

MAX_QUESTION = 500
MAX_OPTION = 200
MIN_OPTIONS, MAX_OPTIONS = 2, 10
# CITY_ADMIN (named by the contract) does not exist as a role yet; when it does, it belongs here.
CREATORS = frozenset({Role.AREA_HEAD, Role.AGENCY_HEAD, Role.ADMIN})
# Residents. Officials' areas are where they work, not where they live, and they ask rather than answer.
VOTERS = frozenset({Role.CITIZEN, Role.RT_RW})
MIN_ACCOUNT_AGE = timedelta(days=1)
# An opening time this far in the past is a mistake rather than a clock's drift.
PAST_TOLERANCE = timedelta(minutes=5)
# Turnout: accounts created less than this before the poll opened count as new.
NEW_ACCOUNT = timedelta(days=7)
# How often every server opens and closes what is due (app/duties.py): notifications and live updates
# are at most this late; voting itself follows the clock exactly.
SCHEDULE_SECONDS = 10.0
NOTIFY_BATCH = 1000
ATTEMPTS = 3  # a first ballot racing another of the same account's loses the insert and is retried


@dataclass(frozen=True)
class NewPoll:
    question: str
    options: Sequence[str]
    closes_at: datetime
    area_id: int | None = None
    opens_at: datetime | None = None
    results_before_close: bool = False


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


# Status and visibility ---------------------------------------------------------------------------


def closes_at(poll: Poll) -> datetime:
    """When it closed or will close: a manual close before the planned time wins."""
    closed_at = poll.closed_at
    return closed_at if closed_at is not None and closed_at < poll.closes_at else poll.closes_at


def status(poll: Poll, now: datetime | None = None) -> PollStatus:
    now = now or clock.now()
    if poll.closed_at is not None or now >= poll.closes_at:
        return PollStatus.CLOSED
    return PollStatus.SCHEDULED if now < poll.opens_at else PollStatus.OPEN


def status_q(wanted: PollStatus, now: datetime | None = None) -> Q:
    """The polls in that status, as a filter (the same rule as `status`)."""
    now = now or clock.now()
    if wanted == PollStatus.CLOSED:
        return Q(Q(closed_at__isnull=False), Q(closes_at__lte=now), join_type="OR")
    running = Q(closed_at__isnull=True, closes_at__gt=now)
    return Q(running, Q(opens_at__gt=now) if wanted == PollStatus.SCHEDULED else Q(opens_at__lte=now))


def _inside(account: Account, area: Area) -> bool:
    home = account.area if account.area_id is not None else None
    return home is not None and home.path.startswith(area.path)


def voting_refusal(viewer: Account | None, poll: Poll, area: Area | None,
                   now: datetime | None = None) -> DomainError | None:
    """Why this viewer may not vote in the poll now (None: they may). `area` is the poll's, and the
    viewer's own area must be loaded (as the server's viewer is)."""
    now = now or clock.now()
    if viewer is None:
        return Unauthenticated("Sign in to vote.")
    current = status(poll, now)
    if current != PollStatus.OPEN:
        return Conflict("This poll has not opened yet." if current == PollStatus.SCHEDULED else "This poll is closed.")
    if viewer.role not in VOTERS:
        return Forbidden("Only residents vote in polls.")
    if now - viewer.created_at < MIN_ACCOUNT_AGE:
        return Forbidden("Accounts may vote from one day after they were created.")
    if area is not None and not _inside(viewer, area):
        return Forbidden(f"This poll is for residents of {area.name}.")
    return None


# Reading -----------------------------------------------------------------------------------------


async def get(poll_id: int) -> Poll:
    poll = await Poll.get_or_none(id=poll_id)
    if poll is None:
        raise NotFound("No such poll.")
    return poll


async def polls(area_id: int | None, wanted: PollStatus | None, first: int | None, after: str | None) -> Page[Poll]:
    """Newest first; an area includes its descendants."""
    query: QuerySet[Poll] = Poll.all()
    if area_id is not None:
        area = await Area.get_or_none(id=area_id)
        if area is None:
            raise NotFound("No such area.")
        query = query.filter(area__path__startswith=area.path)
    if wanted is not None:
        query = query.filter(status_q(wanted))
    return await keyset_page(query, first, after)


# Creating and closing ----------------------------------------------------------------------------


async def _jurisdiction(actor: Account) -> Area | None:
    """Where an official may ask: their area, or for an agency head without one, their agency's area."""
    if actor.area_id is not None:
        return await Area.get_or_none(id=actor.area_id)
    if actor.role == Role.AGENCY_HEAD and actor.agency_id is not None:
        agency = await Agency.get_or_none(id=actor.agency_id)
        if agency is not None and agency.area_id is not None:
            return await Area.get_or_none(id=agency.area_id)
    return None


def _labels(options: Sequence[str]) -> list[str]:
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise BadInput(f"A poll has {MIN_OPTIONS} to {MAX_OPTIONS} options.")
    labels = [required_text(option, "An option", MAX_OPTION) for option in options]
    if len({label.casefold() for label in labels}) != len(labels):
        raise BadInput("A poll's options must differ from one another.")
    return labels


async def create_poll(actor: Account | None, new: NewPoll) -> Poll:
    if actor is None:
        raise Unauthenticated()
    if actor.role not in CREATORS:
        raise Forbidden("Only area heads, agency heads and admins create polls.")
    question = required_text(new.question, "A question", MAX_QUESTION)
    labels = _labels(new.options)
    area = None
    if new.area_id is not None:
        area = await Area.get_or_none(id=new.area_id)
        if area is None:
            raise NotFound("No such area.")
    if actor.role != Role.ADMIN:
        if area is None:
            raise Forbidden("Only admins ask the whole city; choose your area.")
        own = await _jurisdiction(actor)
        if own is None or not area.path.startswith(own.path):
            raise Forbidden("You may ask only within your own area.")
    now = clock.now()
    opens_at = _utc(new.opens_at) if new.opens_at is not None else now
    if opens_at < now - PAST_TOLERANCE:
        raise BadInput("A poll cannot open in the past.")
    opens_at = max(opens_at, now)
    closing = _utc(new.closes_at)
    if closing <= opens_at:
        raise BadInput("A poll must close after it opens.")
    async with in_transaction():
        poll = await Poll.create(question=question, area=area, author=actor, opens_at=opens_at, closes_at=closing,
                                 results_before_close=new.results_before_close, created_at=now,
                                 opening_notified_at=now if opens_at <= now else None)
        await PollOption.bulk_create([PollOption(poll=poll, position=i, label=label) for i, label in enumerate(labels)])
        if opens_at <= now:
            await _announce_opening(poll, area)
    outbox.committed()
    return poll


async def close_poll(actor: Account | None, poll_id: int) -> Poll:
    """The author or an admin closes it now; closing a closed poll again changes nothing."""
    if actor is None:
        raise Unauthenticated()
    poll = await get(poll_id)
    if actor.role != Role.ADMIN and actor.id != poll.author_id:
        raise Forbidden("Only the poll's author or an admin closes it.")
    now = clock.now()
    async with in_transaction():
        closed = await Poll.filter(Q(id=poll.id), Q(closed_at__isnull=True), Q(closes_at__gt=now)).update(
            closed_at=now, closing_announced_at=now)
        if closed:
            await outbox.poll_changed(poll.id, "closed")
    outbox.committed()
    await poll.refresh_from_db()
    return poll


# Voting ------------------------------------------------------------------------------------------


async def _village_of(account: Account) -> int | None:
    """The kelurahan the account lives in: its home area or the one above an RW or RT."""
    home = account.area if account.area_id is not None else None
    if home is None:
        return None
    if home.level == AreaLevel.VILLAGE:
        return home.id
    ids = path_ids(home.path)
    village = await Area.filter(id__in=ids, level=AreaLevel.VILLAGE).first()
    return village.id if village is not None else None


async def vote(actor: Account | None, poll_id: int, option_id: int) -> Poll:
    """One ballot per account: the first vote counts, a later one while the poll is open moves it."""
    if actor is None:
        raise Unauthenticated("Sign in to vote.")
    poll = await get(poll_id)
    if not await PollOption.filter(id=option_id, poll_id=poll.id).exists():
        raise BadInput("That option is not one of this poll's.")
    area = await Area.get_or_none(id=poll.area_id) if poll.area_id is not None else None
    refusal = voting_refusal(actor, poll, area)
    if refusal is not None:
        raise refusal
    village_id = await _village_of(actor)
    for attempt in range(ATTEMPTS):
        try:
            changed = await _cast(actor, poll.id, option_id, village_id)
            break
        except IntegrityError:
            # Another request of this account inserted its first ballot meanwhile: now there is a row to move.
            if attempt == ATTEMPTS - 1:
                raise Conflict("Your vote is being counted by another request; try again.") from None
    if changed:
        outbox.committed()
    return poll


async def _cast(actor: Account, poll_id: int, option_id: int, village_id: int | None) -> bool:
    """Writes the ballot and moves the counters in one transaction; False when nothing changed."""
    now = clock.now()
    async with in_transaction() as connection:
        if is_postgres():
            # Shared with other voters, exclusive of a close: no ballot lands after the poll closed.
            await connection.execute_query("SELECT id FROM poll WHERE id = $1 FOR SHARE", [poll_id])
        poll = await Poll.get(id=poll_id)
        if status(poll, now) != PollStatus.OPEN:
            raise Conflict("This poll is closed.")
        ballots = PollVote.filter(poll_id=poll_id, account_id=actor.id)
        ballot = await (ballots.select_for_update() if is_postgres() else ballots).first()
        if ballot is None:
            await PollVote.create(poll_id=poll_id, option_id=option_id, account_id=actor.id, village_id=village_id,
                                  created_at=now, updated_at=now)
            await PollOption.filter(id=option_id).update(votes=F("votes") + 1)
        elif ballot.option_id == option_id:
            return False
        else:
            previous = ballot.option_id
            await PollVote.filter(id=ballot.id).update(option_id=option_id, updated_at=now)
            # Lower id first in every transaction: two voters swapping options cannot deadlock.
            for changed, step in sorted([(previous, -1), (option_id, +1)]):
                await PollOption.filter(id=changed).update(votes=F("votes") + step)
        await outbox.poll_changed(poll_id, "votes")
    return True


# On time: opening and closing --------------------------------------------------------------------


async def _recipients(poll: Poll, area: Area | None) -> list[int]:
    """Who hears that the poll opened: the residents who may vote in it and the area's followers (of the
    area or an area inside it), never its author."""
    residents = Account.filter(role__in=list(VOTERS))
    if area is not None:
        residents = residents.filter(area__path__startswith=area.path)
    ids = set(await column(residents, "id", int))
    if area is not None:
        inside = await column(Area.filter(path__startswith=area.path), "id", int)
        followers = Follow.filter(target_type=FollowTarget.AREA, target_id__in=inside)
        ids.update(await column(followers, "follower_id", int))
    ids.discard(poll.author_id)
    return sorted(ids)


async def _announce_opening(poll: Poll, area: Area | None) -> int:
    """POLL_OPENED for every recipient, each with its live event; call inside the claiming transaction."""
    now = clock.now()
    recipients = await _recipients(poll, area)
    for start in range(0, len(recipients), NOTIFY_BATCH):
        batch = recipients[start:start + NOTIFY_BATCH]
        await Notification.bulk_create([Notification(account_id=account_id, kind=NotificationKind.POLL_OPENED,
                                                      poll_id=poll.id, created_at=now) for account_id in batch])
    made = await Notification.filter(poll_id=poll.id, kind=NotificationKind.POLL_OPENED).values_list(
        "id", "account_id")
    events = [OutboxEvent(topic=outbox.NOTIFICATION, payload={"notification_id": n, "account_id": a},
                          created_at=now) for n, a in made]
    await OutboxEvent.bulk_create(events, batch_size=NOTIFY_BATCH)
    await outbox.poll_changed(poll.id, "opened")
    return len(recipients)


async def _claim_each(stamp: str, due: str, now: datetime, announce: Callable[[Poll], Awaitable[bool]]) -> int:
    """Polls whose `due` time came and whose `stamp` is unset: each is claimed by one conditional UPDATE of
    `stamp`, in the transaction that announces it, so however many servers run this, each is told once.
    Returns how many `announce` said it told."""
    ids = await column(Poll.filter(**{f"{stamp}__isnull": True, f"{due}__lte": now}).order_by(due), "id", int)
    told = 0
    for poll_id in ids:
        async with in_transaction():
            if await Poll.filter(**{"id": poll_id, f"{stamp}__isnull": True}).update(**{stamp: now}):
                told += await announce(await Poll.get(id=poll_id))
        outbox.committed()
    return told


async def open_due(now: datetime | None = None) -> int:
    """Announce the polls whose opening time came (POLL_OPENED), each once."""
    moment = now or clock.now()

    async def announce(poll: Poll) -> bool:
        if status(poll, moment) != PollStatus.OPEN:  # closed before it was announced: nobody to tell
            return False
        await _announce_opening(poll, await Area.get_or_none(id=poll.area_id) if poll.area_id else None)
        return True

    return await _claim_each("opening_notified_at", "opens_at", moment, announce)


async def close_due(now: datetime | None = None) -> int:
    """Announce live the polls whose closing time came, each once."""

    async def announce(poll: Poll) -> bool:
        await outbox.poll_changed(poll.id, "closed")
        return True

    return await _claim_each("closing_announced_at", "closes_at", now or clock.now(), announce)


async def run_schedule() -> int:
    """The background duty: open, then close, what is due."""
    return await open_due() + await close_due()
