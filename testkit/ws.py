"""A graphql-transport-ws client over a real socket, for the tests."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

_ids = itertools.count(1)


class LiveClient:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, base_url: str, token: str | None = None) -> LiveClient:
        connection = await connect(base_url.replace("http", "ws", 1) + "/graphql",
                                   subprotocols=[Subprotocol("graphql-transport-ws")])
        client = cls(connection)
        payload = {"authorization": f"Bearer {token}"} if token else {}
        await client.send({"type": "connection_init", "payload": payload})
        assert (await client.receive())["type"] == "connection_ack"
        return client

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(orjson.dumps(message).decode())

    async def receive(self, wait: float = 5.0) -> dict[str, Any]:
        return dict(orjson.loads(await asyncio.wait_for(self.connection.recv(), wait)))

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        op_id = f"op{next(_ids)}"
        await self.send({"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables or {}}})
        return op_id

    async def next_data(self, op_id: str, wait: float = 5.0) -> dict[str, Any]:
        message = await self.receive(wait)
        assert message["id"] == op_id and message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return dict(message["payload"]["data"])

    async def nothing(self, wait: float = 0.5) -> None:
        """Assert that no message arrives within the wait."""
        try:
            message = await self.receive(wait)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected message {message}")

    async def close(self) -> None:
        await self.connection.close()
