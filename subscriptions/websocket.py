"""GraphQL over WebSocket, the graphql-transport-ws protocol, with subscriptions served by the hub.

https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md — close codes as it defines them.
Queries and mutations sent over the socket run through the Strawberry schema like HTTP ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from graphql import DocumentNode, GraphQLError, OperationDefinitionNode, OperationType, parse, specified_rules, validate
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry import Schema

from app.resources import Resources
from core.errors import DomainError
from models import Account
from resolvers.context import Context, bearer_token
from schema.errors import coded
from schema.limits import MAX_TOKENS, NUL_REFUSED, has_nul, too_many_selections, validation_rules
from subscriptions.hub import Hub

log = logging.getLogger("warga.ws")
PROTOCOL = "graphql-transport-ws"
INIT_TIMEOUT = 10.0
OUTBOX = 1000  # messages queued for one socket before it counts as too slow
_ids = itertools.count(1)
Authenticate = Callable[[str | None], Awaitable[Account | None]]


@functools.lru_cache(maxsize=256)
def checked(schema: Schema, query: str, production: bool) -> DocumentNode | tuple[GraphQLError, ...]:
    """The parsed document, or why it is refused. Kept: when a server restarts, thousands of clients
    reconnect with the same few documents, and validating each again was most of the work."""
    try:
        document = parse(query, max_tokens=MAX_TOKENS)
    except GraphQLError as error:
        return (error,)
    if (too_many := too_many_selections(document)) is not None:
        return (too_many,)
    errors = validate(schema._schema, document, [*specified_rules, *validation_rules(production)])
    return tuple(errors) if errors else document


class Connection:
    def __init__(self, websocket: WebSocket, hub: Hub, schema: Schema, resources: Resources,
                 authenticate: Authenticate) -> None:
        self.id = next(_ids)
        self.ws = websocket
        self.hub = hub
        self.schema = schema
        self.resources = resources
        self.authenticate = authenticate
        self.max_subscriptions = resources.settings.max_subscriptions_per_socket
        self.production = resources.settings.env == "production"
        self.viewer: Account | None = None
        self.acknowledged = False
        self.operations: set[str] = set()
        self.outgoing: asyncio.Queue[bytes | None] = asyncio.Queue(OUTBOX)
        self.tasks: set[asyncio.Task[None]] = set()

    def send(self, message: bytes) -> None:
        """Queue a message; a client too slow to take OUTBOX messages is disconnected."""
        try:
            self.outgoing.put_nowait(message)
        except asyncio.QueueFull:
            self.outgoing = asyncio.Queue(1)
            self.outgoing.put_nowait(None)

    def send_json(self, message: dict[str, Any]) -> None:
        self.send(orjson.dumps(message))

    async def writer(self) -> None:
        while (message := await self.outgoing.get()) is not None:
            await self.ws.send_text(message.decode())
        await self.close(1013, "Too slow: messages were piling up")

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.CONNECTED:
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.ws.close(code, reason)

    async def run(self) -> None:
        writer = asyncio.create_task(self.writer())
        try:
            await self._receive_loop()
        except WebSocketDisconnect:
            pass
        finally:
            for op_id in list(self.operations):
                self.hub.leave(self.id, op_id)
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await writer

    async def _receive_loop(self) -> None:
        try:
            first = await asyncio.wait_for(self.ws.receive_text(), INIT_TIMEOUT)
        except TimeoutError:
            await self.close(4408, "Connection initialisation timeout")
            return
        text: str | None = first
        while text is not None:
            if not await self._handle(text):
                return
            text = await self.ws.receive_text()

    async def _handle(self, text: str) -> bool:
        """One client message; False when the connection was closed because of it."""
        try:
            message = orjson.loads(text)
            kind = message["type"]
        except (orjson.JSONDecodeError, KeyError, TypeError):
            await self.close(4400, "Invalid message")
            return False
        if kind == "connection_init":
            if self.acknowledged:
                await self.close(4429, "Too many initialisation requests")
                return False
            payload = message.get("payload") or {}
            token = bearer_token(payload.get("authorization") if isinstance(payload, dict) else None)
            self.viewer = await self.authenticate(token)
            if token and self.viewer is None:
                await self.close(4403, "Forbidden")
                return False
            self.acknowledged = True
            self.send_json({"type": "connection_ack"})
        elif kind == "ping":
            self.send_json({"type": "pong"})
        elif kind == "pong":
            pass
        elif not self.acknowledged:
            await self.close(4401, "Unauthorized")
            return False
        elif kind == "subscribe":
            return await self._subscribe(message)
        elif kind == "complete":
            op_id = message.get("id")
            self.operations.discard(op_id)
            self.hub.leave(self.id, op_id)
        else:
            await self.close(4400, f"Unknown message type {kind!r}")
            return False
        return True

    def _error(self, op_id: str, errors: list[GraphQLError]) -> None:
        self.send_json({"id": op_id, "type": "error",
                        "payload": [coded(e, self.production).formatted for e in errors]})

    async def _subscribe(self, message: dict[str, Any]) -> bool:
        op_id, payload = message.get("id"), message.get("payload")
        if not isinstance(op_id, str) or not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            await self.close(4400, "Invalid subscribe message")
            return False
        if op_id in self.operations:
            await self.close(4409, f"Subscriber for {op_id} already exists")
            return False
        query, variables = payload["query"], payload.get("variables")
        operation_name = payload.get("operationName")
        if has_nul(variables):
            self._error(op_id, [GraphQLError(NUL_REFUSED, extensions={"code": "BAD_USER_INPUT"})])
            return True
        document = checked(self.schema, query, self.production)
        if isinstance(document, tuple):
            self._error(op_id, list(document))
            return True
        operation = next((d for d in document.definitions if isinstance(d, OperationDefinitionNode)
                          and (operation_name is None or (d.name and d.name.value == operation_name))), None)
        if operation is None:
            self._error(op_id, [GraphQLError("No operation with that name.")])
            return True
        if operation.operation != OperationType.SUBSCRIPTION:
            self.operations.add(op_id)
            task = asyncio.create_task(self._execute(op_id, query, variables, operation_name))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
            return True
        if len(self.operations) >= self.max_subscriptions:
            self._error(op_id, [GraphQLError(f"At most {self.max_subscriptions} subscriptions a connection.")])
            return True
        try:
            self.hub.join(self.id, op_id, document, query, variables, operation_name, self.viewer, self.send)
        except DomainError as exc:
            self._error(op_id, [GraphQLError(exc.message, original_error=exc)])
            return True
        self.operations.add(op_id)
        return True

    async def _execute(self, op_id: str, query: str, variables: Any, operation_name: str | None) -> None:
        context = Context(resources=self.resources, viewer=self.viewer, token=None, request=self.ws)
        result = await self.schema.execute(query, variable_values=variables, context_value=context,
                                           operation_name=operation_name)
        if op_id not in self.operations:
            return  # completed by the client meanwhile
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = [coded(e, self.production).formatted for e in result.errors]
        self.send_json({"id": op_id, "type": "next", "payload": body})
        self.send_json({"id": op_id, "type": "complete"})
        self.operations.discard(op_id)


def websocket_endpoint(
    hub: Hub, schema: Schema, resources: Resources, authenticate: Authenticate,
    on_open: Callable[[int], None] | None = None,
) -> Callable[[WebSocket], Awaitable[None]]:
    async def endpoint(websocket: WebSocket) -> None:
        allowed = resources.settings.allowed_origins
        origin = websocket.headers.get("origin")
        if origin is not None and "*" not in allowed and origin not in allowed:
            await websocket.close(1008)  # before accepting: the handshake is answered with 403
            return
        if PROTOCOL not in websocket.scope.get("subprotocols", []):
            # The legacy subscriptions-transport-ws ("graphql-ws") and anything else are refused.
            await websocket.accept()
            await websocket.close(4406, "Subprotocol not acceptable")
            return
        await websocket.accept(subprotocol=PROTOCOL)
        connection = Connection(websocket, hub, schema, resources, authenticate)
        if on_open:
            on_open(+1)
        try:
            await connection.run()
        finally:
            if on_open:
                on_open(-1)

    return endpoint
