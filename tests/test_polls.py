"""Polls over the real server: createPoll, vote, closePoll, polls, node(id), the viewer's view of counts,
turnout for the author, stuffing refusals and the vote rate limit, concurrent voters, and pollUpdated and
POLL_OPENED over a real WebSocket, with the opening and closing done by the duty on time.
tests/rules/test_polls.py asks the same rules directly.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from core import clock
from models import Account, Area, PollVote
from models.enums import Role
from resolvers.ids import parse_global_id, to_global_id
from services import polls
from testkit.client import Api
from testkit.polls import age, quick_resident, retire_unannounced
from testkit.rows import CEGER, MATRAMAN, PISANGAN_BARU, RT001
from testkit.ws import LiveClient

FIELDS = """id question status totalVotes resultsBeforeClose viewerCanVote opensAt closesAt createdAt
  viewerVote { id label } options { id label votes share } area { code } author { handle }"""
CREATE = "mutation($i: CreatePollInput!) { createPoll(input: $i) { " + FIELDS + " } }"
VOTE = "mutation($p: ID!, $o: ID!) { vote(pollId: $p, optionId: $o) { " + FIELDS + " } }"
CLOSE = "mutation($p: ID!) { closePoll(pollId: $p) { " + FIELDS + " } }"
NODE = ("query($id: ID!) { node(id: $id) { ... on Poll { " + FIELDS
        + " turnout { area { code } votes newAccounts residents } } } }")
LIST = """query($a: ID, $s: PollStatus, $n: Int, $after: String) {
  polls(areaId: $a, status: $s, first: $n, after: $after) {
    edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }"""
UPDATED = "subscription($p: ID!) { pollUpdated(pollId: $p) { id status totalVotes options { votes } } }"
HOUR = timedelta(hours=1)
PAL_MERIAM = "31.75.01.1004"  # a kelurahan of Matraman where no other test asks anything


@pytest.fixture(autouse=True)
async def tidy(api: Api) -> AsyncIterator[None]:
    yield
    await retire_unannounced()


async def area_id(code: str) -> str:
    return to_global_id("Area", (await Area.get(code=code)).id)


async def resident(api: Api, code: str | None, role: Role = Role.CITIZEN, old: bool = True) -> tuple[str, Account]:
    token, account = await api.account(role, code)
    return token, (await age(account) if old else account)


def when(delta: timedelta) -> str:
    return (clock.now() + delta).isoformat()


async def create(api: Api, token: str, code: str | None = PISANGAN_BARU, **extra: Any) -> dict[str, Any]:
    fields = {"question": "Di mana depo sampah yang baru?", "options": ["Jl. Pisangan", "Jl. Kayu Manis", "Pasar"],
              "areaId": await area_id(code) if code else None, "closesAt": when(24 * HOUR), **extra}
    return dict((await api.gql(CREATE, {"i": fields}, token))["createPoll"])


async def seen(api: Api, poll: dict[str, Any], token: str | None) -> dict[str, Any]:
    return dict((await api.gql(NODE, {"id": poll["id"]}, token))["node"])


async def vote(api: Api, poll: dict[str, Any], option: int, token: str) -> dict[str, Any]:
    body = await api.gql(VOTE, {"p": poll["id"], "o": poll["options"][option]["id"]}, token)
    return dict(body["vote"])


async def test_create_vote_change_and_see_counts(api: Api) -> None:
    lurah_token, lurah = await api.account(Role.AREA_HEAD, PISANGAN_BARU)
    poll = await create(api, lurah_token)
    assert poll["status"] == "OPEN" and poll["area"] == {"code": PISANGAN_BARU}
    assert poll["author"] == {"handle": lurah.handle} and not poll["resultsBeforeClose"]
    assert [o["label"] for o in poll["options"]] == ["Jl. Pisangan", "Jl. Kayu Manis", "Pasar"]
    assert poll["totalVotes"] == 0  # the author sees counts from the start
    assert parse_global_id(poll["id"])[0] == "Poll"

    citizen_token, _ = await resident(api, PISANGAN_BARU)
    fields = {"question": "?", "options": ["A", "B"], "closesAt": when(HOUR)}
    assert await api.error_codes(CREATE, {"i": fields}, citizen_token) == ["FORBIDDEN"]
    assert await api.error_codes(CREATE, {"i": fields}) == ["UNAUTHENTICATED"]
    assert await api.error_codes(CREATE, {"i": fields}, lurah_token) == ["FORBIDDEN"]  # the city: admins only
    outside = {**fields, "areaId": await area_id(CEGER)}
    assert await api.error_codes(CREATE, {"i": outside}, lurah_token) == ["FORBIDDEN"]
    single = {**fields, "options": ["A"], "areaId": await area_id(PISANGAN_BARU)}
    assert await api.error_codes(CREATE, {"i": single}, lurah_token) == ["BAD_USER_INPUT"]
    backwards = {**fields, "areaId": await area_id(PISANGAN_BARU), "opensAt": when(2 * HOUR)}
    assert await api.error_codes(CREATE, {"i": backwards}, lurah_token) == ["BAD_USER_INPUT"]

    voter_token, _ = await resident(api, RT001)  # an RT inside Pisangan Baru
    before = await seen(api, poll, voter_token)
    assert before["viewerCanVote"] and before["viewerVote"] is None and before["totalVotes"] is None
    assert all(o["votes"] is None and o["share"] is None for o in before["options"])
    assert before["turnout"] is None
    anonymous = await seen(api, poll, None)
    assert not anonymous["viewerCanVote"] and anonymous["totalVotes"] is None

    first = await vote(api, poll, 0, voter_token)
    assert first["totalVotes"] == 1 and first["viewerVote"]["id"] == poll["options"][0]["id"]
    changed = await vote(api, poll, 2, voter_token)
    assert changed["totalVotes"] == 1 and [o["votes"] for o in changed["options"]] == [0, 0, 1]
    assert [o["share"] for o in changed["options"]] == [0.0, 0.0, 1.0]
    assert changed["viewerVote"] == {"id": poll["options"][2]["id"], "label": "Pasar"}

    waiting_token, _ = await resident(api, PISANGAN_BARU)
    assert (await seen(api, poll, waiting_token))["totalVotes"] is None
    author_view = await seen(api, poll, lurah_token)
    assert author_view["totalVotes"] == 1
    assert author_view["turnout"] == [{"area": {"code": PISANGAN_BARU}, "votes": 1, "newAccounts": 1,
                                       "residents": author_view["turnout"][0]["residents"]}]
    assert author_view["turnout"][0]["residents"] >= 3
    admin_token, _ = await api.account(Role.ADMIN)
    assert (await seen(api, poll, admin_token))["turnout"] == author_view["turnout"]

    wrong_option = {"p": poll["id"], "o": "2147483647"}
    assert await api.error_codes(VOTE, wrong_option, voter_token) == ["BAD_USER_INPUT"]
    assert await api.error_codes(VOTE, {"p": poll["id"], "o": "nope"}, voter_token) == ["BAD_USER_INPUT"]
    assert await api.error_codes(VOTE, {"p": to_global_id("Poll", 2**31 - 1), "o": "1"}, voter_token) == [
        "NOT_FOUND"]
    assert await api.error_codes(CLOSE, {"p": poll["id"]}, voter_token) == ["FORBIDDEN"]
    closed = (await api.gql(CLOSE, {"p": poll["id"]}, lurah_token))["closePoll"]
    assert closed["status"] == "CLOSED" and closed["closesAt"] < poll["closesAt"]
    after = await seen(api, poll, waiting_token)
    assert after["totalVotes"] == 1 and not after["viewerCanVote"]
    assert await api.error_codes(VOTE, {"p": poll["id"], "o": poll["options"][0]["id"]}, voter_token) == [
        "CONFLICT"]


async def test_polls_newest_first_by_area_and_status(api: Api) -> None:
    camat_token, _ = await api.account(Role.AREA_HEAD, MATRAMAN)
    older = await create(api, camat_token, PAL_MERIAM)
    newer = await create(api, camat_token, PAL_MERIAM, opensAt=when(HOUR))
    assert newer["status"] == "SCHEDULED" and newer["totalVotes"] == 0
    page = (await api.gql(LIST, {"a": await area_id(PAL_MERIAM), "n": 1}))["polls"]
    assert page["edges"][0]["node"]["id"] == newer["id"] and page["pageInfo"]["hasNextPage"]
    rest = (await api.gql(LIST, {"a": await area_id(PAL_MERIAM), "n": 1,
                                 "after": page["pageInfo"]["endCursor"]}))["polls"]
    assert rest["edges"][0]["node"]["id"] == older["id"] and not rest["pageInfo"]["hasNextPage"]
    district = [e["node"] for e in (await api.gql(LIST, {"a": await area_id(MATRAMAN), "n": 100}))["polls"]["edges"]]
    assert {older["id"], newer["id"]} <= {p["id"] for p in district}
    elsewhere = (await api.gql(LIST, {"a": await area_id(CEGER), "n": 100}))["polls"]["edges"]
    assert older["id"] not in {e["node"]["id"] for e in elsewhere}
    scheduled = (await api.gql(LIST, {"a": await area_id(MATRAMAN), "s": "SCHEDULED", "n": 100}))["polls"]["edges"]
    assert newer["id"] in {e["node"]["id"] for e in scheduled} and all(
        e["node"]["status"] == "SCHEDULED" for e in scheduled)
    opened = (await api.gql(LIST, {"a": await area_id(MATRAMAN), "s": "OPEN", "n": 100}))["polls"]["edges"]
    assert older["id"] in {e["node"]["id"] for e in opened} and newer["id"] not in {e["node"]["id"] for e in opened}


async def test_stuffing_is_refused(api: Api) -> None:
    lurah_token, _ = await api.account(Role.AREA_HEAD, PISANGAN_BARU)
    poll = await create(api, lurah_token)
    option = {"p": poll["id"], "o": poll["options"][0]["id"]}
    young_token, _ = await resident(api, PISANGAN_BARU, old=False)
    assert not (await seen(api, poll, young_token))["viewerCanVote"]
    assert await api.error_codes(VOTE, option, young_token) == ["FORBIDDEN"]
    elsewhere_token, _ = await resident(api, CEGER)  # a second account, living in another kelurahan
    assert not (await seen(api, poll, elsewhere_token))["viewerCanVote"]
    assert await api.error_codes(VOTE, option, elsewhere_token) == ["FORBIDDEN"]
    officer_token, _ = await resident(api, PISANGAN_BARU, Role.OFFICER)
    assert await api.error_codes(VOTE, option, officer_token) == ["FORBIDDEN"]
    assert await api.error_codes(VOTE, option) == ["UNAUTHENTICATED"]

    voter_token, voter = await resident(api, PISANGAN_BARU)
    limiter = api.server.app.state.resources.limiter
    limiter.scale = 1
    try:
        answers = [await api.raw(VOTE, {"p": poll["id"], "o": poll["options"][i % 3]["id"]}, voter_token)
                   for i in range(11)]
        assert all("errors" not in body for body in answers[:10])
        [limited] = answers[10]["errors"]
        assert limited["extensions"]["code"] == "RATE_LIMITED" and 1 <= limited["extensions"]["retryAfter"] <= 60
    finally:
        limiter.scale = 0
        limiter.memory.hits.clear()
    assert await PollVote.filter(account_id=voter.id).count() == 1  # ten votes, one ballot


async def test_concurrent_voters_over_http(api: Api) -> None:
    lurah_token, _ = await api.account(Role.AREA_HEAD, PISANGAN_BARU)
    poll = await create(api, lurah_token, resultsBeforeClose=True)
    voters = [await quick_resident(PISANGAN_BARU) for _ in range(30)]
    chance = random.Random(1919)
    plans = {token: [chance.randrange(3) for _ in range(3)] for token, _ in voters}

    async def voter(token: str) -> None:
        first, *rest = plans[token]
        await asyncio.gather(vote(api, poll, first, token), vote(api, poll, first, token))
        for choice in rest:
            await vote(api, poll, choice, token)

    await asyncio.gather(*(voter(token) for token, _ in voters))
    expected = Counter(plan[-1] for plan in plans.values())
    final = await seen(api, poll, None)  # counts shown before the close: the author chose so
    assert final["totalVotes"] == len(voters)
    assert [o["votes"] for o in final["options"]] == [expected[i] for i in range(3)]
    assert await PollVote.filter(poll_id=parse_global_id(poll["id"])[1]).count() == len(voters)


async def test_poll_updated_shows_counts_only_to_who_may_see_them(api: Api) -> None:
    lurah_token, _ = await api.account(Role.AREA_HEAD, PISANGAN_BARU)
    poll = await create(api, lurah_token)
    voter_token, _ = await resident(api, PISANGAN_BARU)
    waiting_token, _ = await resident(api, PISANGAN_BARU)
    watchers = {name: await LiveClient.open(api.server.url, token)
                for name, token in (("author", lurah_token), ("voter", voter_token), ("waiting", waiting_token),
                                    ("anonymous", None))}
    ops = {name: await client.subscribe(UPDATED, {"p": poll["id"]}) for name, client in watchers.items()}
    await watchers["anonymous"].nothing(0.2)
    await vote(api, poll, 1, voter_token)
    for name in ("author", "voter"):
        update = (await watchers[name].next_data(ops[name]))["pollUpdated"]
        assert update == {"id": poll["id"], "status": "OPEN", "totalVotes": 1,
                          "options": [{"votes": 0}, {"votes": 1}, {"votes": 0}]}
    for name in ("waiting", "anonymous"):
        await watchers[name].nothing()  # not even that a vote happened
    await api.gql(CLOSE, {"p": poll["id"]}, lurah_token)
    for name, client in watchers.items():
        update = (await client.next_data(ops[name]))["pollUpdated"]
        assert update["status"] == "CLOSED" and update["totalVotes"] == 1, name
    for client in watchers.values():
        await client.close()


async def test_scheduled_poll_opens_notifies_and_closes_on_time(api: Api) -> None:
    lurah_token, _ = await api.account(Role.AREA_HEAD, PISANGAN_BARU)
    resident_token, _ = await resident(api, RT001)
    outsider_token, _ = await resident(api, CEGER)
    poll = await create(api, lurah_token, opensAt=when(HOUR), closesAt=when(2 * HOUR))
    assert poll["status"] == "SCHEDULED"
    assert not (await seen(api, poll, resident_token))["viewerCanVote"]
    assert await api.error_codes(VOTE, {"p": poll["id"], "o": poll["options"][0]["id"]}, resident_token) == [
        "CONFLICT"]
    inbox = await LiveClient.open(api.server.url, resident_token)
    inbox_op = await inbox.subscribe("subscription { notificationReceived { kind poll { id status } } }")
    outsider_inbox = await LiveClient.open(api.server.url, outsider_token)
    await outsider_inbox.subscribe("subscription { notificationReceived { kind } }")
    watcher = await LiveClient.open(api.server.url, resident_token)
    watch_op = await watcher.subscribe(UPDATED, {"p": poll["id"]})

    await polls.open_due()
    await inbox.nothing(0.2)
    clock.advance(HOUR.total_seconds() + 1)
    await asyncio.gather(polls.open_due(), polls.open_due())  # two servers' duties at once
    note = (await inbox.next_data(inbox_op))["notificationReceived"]
    assert note == {"kind": "POLL_OPENED", "poll": {"id": poll["id"], "status": "OPEN"}}
    opened = (await watcher.next_data(watch_op))["pollUpdated"]
    assert opened["status"] == "OPEN" and opened["totalVotes"] is None
    await inbox.nothing()  # once
    await outsider_inbox.nothing(0.2)
    listed = await api.gql("{ notifications(first: 50) { edges { node { kind poll { id } } } } }", None,
                           resident_token)
    assert [e["node"] for e in listed["notifications"]["edges"]].count(
        {"kind": "POLL_OPENED", "poll": {"id": poll["id"]}}) == 1

    assert (await vote(api, poll, 0, resident_token))["totalVotes"] == 1
    assert (await watcher.next_data(watch_op))["pollUpdated"]["totalVotes"] == 1  # voted: sees counts now
    clock.advance(HOUR.total_seconds())
    assert (await seen(api, poll, None))["status"] == "CLOSED"  # on time, whether or not the duty ran
    await polls.close_due()
    closed = (await watcher.next_data(watch_op))["pollUpdated"]
    assert closed["status"] == "CLOSED" and closed["options"] == [{"votes": 1}, {"votes": 0}, {"votes": 0}]
    await watcher.nothing()
    for client in (inbox, outsider_inbox, watcher):
        await client.close()
