"""Live timelines over a real WebSocket: the protocol, each subscription, filters and visibility."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api
from testkit.reports import CEGER, PISANGAN_BARU, post
from testkit.ws import LiveClient

ADDED = """subscription($f: ReportFilter) { reportAdded(filter: $f) {
  id body category { code } author { handle } area { name } badge } }"""
FEED = "subscription { feedUpdated { id status hidden } }"


async def closed_with(connection, code: int) -> None:
    with pytest.raises(ConnectionClosed) as closed:
        await connection.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == code


async def test_protocol_rules(api: Api) -> None:
    url = api.server.url.replace("http", "ws", 1) + "/graphql"
    async with connect(url, subprotocols=[Subprotocol("graphql-ws")]) as legacy:
        await closed_with(legacy, 4406)
    async with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as early:
        await early.send(orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": FEED}}).decode())
        await closed_with(early, 4401)
    async with connect(url, subprotocols=[Subprotocol("graphql-transport-ws")]) as forged:
        await forged.send(orjson.dumps({"type": "connection_init",
                                        "payload": {"authorization": "Bearer nope"}}).decode())
        await closed_with(forged, 4403)
    client = await LiveClient.open(api.server.url)
    await client.send({"type": "ping"})
    assert (await client.receive())["type"] == "pong"
    op = await client.subscribe("{ categories { code } }")  # queries work over the socket too
    assert len((await client.next_data(op))["categories"]) == 17
    assert (await client.receive())["type"] == "complete"
    bad = await client.subscribe("subscription { nope }")
    error = await client.receive()
    assert error["id"] == bad and error["type"] == "error"
    assert error["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    for document in ("subscription { nope }", "subscription {"):  # a checked document is kept: refused again
        refused = await client.subscribe(document)
        error = await client.receive()
        assert error["id"] == refused and error["type"] == "error"
        assert error["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    await client.subscribe(FEED)
    op_id = f"op-dup-{id(client)}"
    await client.send({"id": op_id, "type": "subscribe", "payload": {"query": FEED}})
    await client.send({"id": op_id, "type": "subscribe", "payload": {"query": FEED}})
    await closed_with(client.connection, 4409)


async def test_report_added_follows_the_filter_and_hides_anonymous_authors(api: Api) -> None:
    token, author = await api.account()
    floods = await LiveClient.open(api.server.url)
    everything = await LiveClient.open(api.server.url)
    flood_op = await floods.subscribe(ADDED, {"f": {"categoryCodes": ["BANJIR"]}})
    all_op = await everything.subscribe(ADDED, {"f": {"authorId": None}})
    await floods.nothing(0.2)
    garbage = await post(api, token, PISANGAN_BARU, "Sampah di kali", "SAMPAH")
    flood = await post(api, token, CEGER, "Banjir sepinggang", "BANJIR", anonymous=True)
    seen = [(await everything.next_data(all_op))["reportAdded"] for _ in range(2)]
    assert [r["id"] for r in seen] == [garbage["id"], flood["id"]]
    assert seen[0]["author"] == {"handle": author.handle} and seen[1]["author"] is None
    only_flood = (await floods.next_data(flood_op))["reportAdded"]
    assert only_flood["id"] == flood["id"] and only_flood["category"] == {"code": "BANJIR"}
    await floods.nothing()
    for client in (floods, everything):
        await client.close()


async def test_report_changed_and_notifications_reach_only_their_people(api: Api) -> None:
    resident_token, _ = await api.account()
    officer_token, officer = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    report = await post(api, resident_token, PISANGAN_BARU, f"Lampu mati @{officer.handle}")
    watcher = await LiveClient.open(api.server.url)
    changed = await watcher.subscribe(
        "subscription($id: ID!) { reportChanged(reportId: $id) { kind status note actor { handle } } }",
        {"id": report["id"]})
    inbox = await LiveClient.open(api.server.url, resident_token)
    mine = await inbox.subscribe("subscription { notificationReceived { kind report { id status } } }")
    other_inbox = await LiveClient.open(api.server.url, (await api.account())[0])
    await other_inbox.subscribe("subscription { notificationReceived { kind } }")
    signed_out = await LiveClient.open(api.server.url)
    refused = await signed_out.subscribe("subscription { notificationReceived { kind } }")
    assert (await signed_out.receive())["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await api.gql("mutation($id: ID!) { acknowledge(reportId: $id, note: \"OTW\") { status } }",
                  {"id": report["id"]}, officer_token)
    event = (await watcher.next_data(changed))["reportChanged"]
    assert event == {"kind": "ACKNOWLEDGED", "status": "IN_PROGRESS", "note": "OTW",
                     "actor": {"handle": officer.handle}}
    note = (await inbox.next_data(mine))["notificationReceived"]
    assert note == {"kind": "STATUS_CHANGED", "report": {"id": report["id"], "status": "IN_PROGRESS"}}
    await other_inbox.nothing()
    assert refused
    for client in (watcher, inbox, other_inbox, signed_out):
        await client.close()


async def test_home_feed_and_hidden_reports(api: Api) -> None:
    fan_token, _ = await api.account()
    star_token, star = await api.account()
    lurah_token, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    await api.gql("mutation($id: ID!) { follow(id: $id) }", {"id": to_global_id("Account", star.id)}, fan_token)
    home = await LiveClient.open(api.server.url, fan_token)
    home_op = await home.subscribe("subscription { homeFeedUpdated { id body } }")
    public = await LiveClient.open(api.server.url)
    public_op = await public.subscribe(FEED)
    official = await LiveClient.open(api.server.url, lurah_token)
    official_op = await official.subscribe(FEED)
    await post(api, fan_token, CEGER, "Punya saya sendiri")  # the fan's own report is in their home feed too
    assert (await home.next_data(home_op))["homeFeedUpdated"]["body"] == "Punya saya sendiri"
    report = await post(api, star_token, PISANGAN_BARU, "Dari yang diikuti")
    assert (await home.next_data(home_op))["homeFeedUpdated"]["id"] == report["id"]
    for client, op in ((public, public_op), (official, official_op)):
        await client.next_data(op)  # the fan's report
        assert (await client.next_data(op))["feedUpdated"]["id"] == report["id"]
    await api.gql("mutation($id: ID!) { hideReport(reportId: $id, reason: \"Spam\") { hidden } }",
                  {"id": report["id"]}, lurah_token)
    assert (await official.next_data(official_op))["feedUpdated"] == {"id": report["id"], "status": "WAITING",
                                                                      "hidden": True}
    await public.nothing()
    for client in (home, public, official):
        await client.close()


async def test_identical_subscriptions_share_one_execution(api: Api) -> None:
    hub = api.server.app.state.hub
    before = len(hub.groups)
    crowd = [await LiveClient.open(api.server.url) for _ in range(5)]
    ops = [await client.subscribe(ADDED, {"f": {"text": "sepeda"}}) for client in crowd]
    await crowd[0].send({"type": "ping"})
    await crowd[0].receive()
    assert len(hub.groups) == before + 1
    token, _ = await api.account()
    report = await post(api, token, PISANGAN_BARU, "Sepeda motor parkir liar", "PARKIR_LIAR")
    for client, op in zip(crowd, ops, strict=True):
        assert (await client.next_data(op))["reportAdded"]["id"] == report["id"]
        await client.close()


async def test_supports_and_comments_update_live_counts(api: Api) -> None:
    resident, author = await api.account()
    neighbour, _ = await api.account()
    client = await LiveClient.open(api.server.url)
    op = await client.subscribe("subscription($f: ReportFilter) { feedUpdated(filter: $f) { id supportCount "
                                "commentCount } }", {"f": {"authorId": to_global_id("Account", author.id)}})
    report = (await post(api, resident, CEGER, body="Trotoar rusak"))["id"]
    changes = await client.subscribe("subscription($id: ID!) { reportChanged(reportId: $id) { kind } }",
                                     {"id": report})
    await asyncio.sleep(0.2)  # both subscriptions are registered
    await api.gql("mutation($id: ID!) { support(reportId: $id) { id } }", {"id": report}, neighbour)
    first = (await client.next_data(op))["feedUpdated"]
    if first["supportCount"] == 0:  # the report's creation, when the subscription was registered before it
        first = (await client.next_data(op))["feedUpdated"]
    assert first == {"id": report, "supportCount": 1, "commentCount": 0}
    await api.gql('mutation($id: ID!) { addComment(reportId: $id, body: "Setuju") { id } }', {"id": report}, neighbour)
    assert (await client.next_data(op))["feedUpdated"] == {"id": report, "supportCount": 1, "commentCount": 1}
    await api.gql("mutation($id: ID!) { unsupport(reportId: $id) { id } }", {"id": report}, neighbour)
    assert (await client.next_data(op))["feedUpdated"]["supportCount"] == 0
    await api.gql("mutation($id: ID!) { acknowledge(reportId: $id) { status } }", {"id": report},
                  (await api.account(Role.OFFICER, area_code="31.75.10.1008"))[0])
    # reportChanged carries timeline events only: the counters did not produce one, the acknowledgement did.
    assert (await client.next_data(op))["feedUpdated"]["id"] == report
    assert (await client.next_data(changes))["reportChanged"] == {"kind": "ACKNOWLEDGED"}
    await client.close()
