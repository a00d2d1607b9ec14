"""unreadNotificationCount and the notificationAdded subscription, over HTTP and a real WebSocket
(graphql-transport-ws): a notification reaches its account live, under either subscription's name, and the
count follows it up and markNotificationsRead back down."""

from __future__ import annotations

from typing import Any

from models.enums import Role
from testkit.client import Api
from testkit.reports import ACK, PISANGAN_BARU, post
from testkit.ws import LiveClient

COUNT = "{ unreadNotificationCount }"
ADDED = "subscription { notificationAdded { id kind read report { id status } } }"
RECEIVED = "subscription { notificationReceived { id kind read report { id status } } }"
MARK = "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }"


async def count(api: Api, token: str) -> int:
    return int((await api.gql(COUNT, token=token))["unreadNotificationCount"])


async def both(client: LiveClient, ops: dict[str, str]) -> dict[str, Any]:
    """The next message of each subscription (field name -> op id), in whichever order they come."""
    by_op = {op: field for field, op in ops.items()}
    seen: dict[str, Any] = {}
    while len(seen) < len(ops):
        message = await client.receive()
        assert message["type"] == "next" and "errors" not in message["payload"], message
        field = by_op[message["id"]]
        seen[field] = message["payload"]["data"][field]
    return seen


async def test_the_count_follows_notifications_and_reading(api: Api) -> None:
    resident, reporter = await api.account()
    neighbour, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    assert await count(api, resident) == 0
    report = await post(api, resident, PISANGAN_BARU)
    await api.gql(ACK, {"id": report["id"]}, officer)  # STATUS_CHANGED to the reporter
    assert await count(api, resident) == 1
    await post(api, neighbour, PISANGAN_BARU, body=f"Lampu ini juga mati, @{reporter.handle}")  # MENTIONED
    assert await count(api, resident) == 2
    assert await count(api, neighbour) == 0  # one's own only
    inbox = await api.gql("{ notifications(unreadOnly: true) { edges { node { id kind } } } }", token=resident)
    notes = [edge["node"] for edge in inbox["notifications"]["edges"]]
    assert [n["kind"] for n in notes] == ["MENTIONED", "STATUS_CHANGED"]
    assert (await api.gql(MARK, {"ids": [notes[0]["id"]]}, resident))["markNotificationsRead"] == 1
    assert await count(api, resident) == 1
    assert (await api.gql(MARK, {"ids": None}, resident))["markNotificationsRead"] == 1
    assert await count(api, resident) == 0


async def test_signed_out_has_no_count(api: Api) -> None:
    assert await api.error_codes(COUNT) == ["UNAUTHENTICATED"]


async def test_notification_added_over_a_websocket(api: Api) -> None:
    resident, reporter = await api.account()
    stranger, _ = await api.account()
    officer, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    inbox = await LiveClient.open(api.server.url, resident)
    ops = {"notificationAdded": await inbox.subscribe(ADDED), "notificationReceived": await inbox.subscribe(RECEIVED)}
    other = await LiveClient.open(api.server.url, stranger)
    await other.subscribe(ADDED)
    signed_out = await LiveClient.open(api.server.url)
    await signed_out.subscribe(ADDED)
    refused = await signed_out.receive()
    assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    try:
        report = await post(api, resident, PISANGAN_BARU)
        await api.gql(ACK, {"id": report["id"]}, officer)
        live = await both(inbox, ops)
        note = live["notificationAdded"]
        assert note["kind"] == "STATUS_CHANGED" and note["read"] is False
        assert note["report"] == {"id": report["id"], "status": "IN_PROGRESS"}
        assert live["notificationReceived"] == note  # one stream, two names
        inbox_ids = await api.gql("{ notifications(first: 1) { edges { node { id } } } }", token=resident)
        assert inbox_ids["notifications"]["edges"][0]["node"]["id"] == note["id"]
        await post(api, stranger, PISANGAN_BARU, body=f"Sama, @{reporter.handle}")
        assert (await both(inbox, ops))["notificationAdded"]["kind"] == "MENTIONED"
        await other.nothing()
        await inbox.send({"id": ops["notificationAdded"], "type": "complete"})
        await api.gql(ACK, {"id": (await post(api, resident, PISANGAN_BARU, body="Lagi"))["id"]}, officer)
        assert (await inbox.next_data(ops["notificationReceived"]))["notificationReceived"]["kind"] == "STATUS_CHANGED"
        await inbox.nothing()  # the completed one is silent
    finally:
        for client in (inbox, other, signed_out):
            await client.close()
