"""The broker: how an event reaches every server process. In-process, or Redis pub/sub.

Messages are the outbox rows as JSON ({"id", "topic", "payload"}); every process hands what it
receives to its hub, which drops an id it has already seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from redis import asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger("warga.broker")
CHANNEL = "warga:events"
Receiver = Callable[[bytes], Awaitable[None]]
# Called after the Redis subscription is (re)established: the hub catches up from the outbox.
Resync = Callable[[], Awaitable[None]]


class Broker(Protocol):
    async def start(self, receive: Receiver, resync: Resync) -> None: ...

    async def publish(self, message: bytes) -> None: ...

    async def stop(self) -> None: ...


class InProcessBroker:
    """The embedded default: one process, so publishing is handing over."""

    def __init__(self) -> None:
        self._receive: Receiver | None = None

    async def start(self, receive: Receiver, resync: Resync) -> None:
        self._receive = receive

    async def publish(self, message: bytes) -> None:
        if self._receive is not None:
            await self._receive(message)

    async def stop(self) -> None:
        self._receive = None


class RedisBroker:
    """Redis pub/sub with a listener that resubscribes by itself after Redis restarts.

    redis-py's PubSub does not reconnect (redis-py #2089): the listener loop reconnects with
    backoff, and after each (re)subscription asks the hub to catch up on what it missed.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = aioredis.from_url(url, socket_timeout=5, socket_connect_timeout=2, health_check_interval=10)
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    async def start(self, receive: Receiver, resync: Resync) -> None:
        self._task = asyncio.create_task(self._listen(receive, resync), name="warga-broker")

    async def publish(self, message: bytes) -> None:
        await self.redis.publish(CHANNEL, message)

    async def _listen(self, receive: Receiver, resync: Resync) -> None:
        delay = 0.1
        while True:
            # A fresh client per attempt: the old pool may hold sockets of the Redis that went away.
            client = aioredis.from_url(self.url, socket_connect_timeout=2, health_check_interval=10)
            try:
                async with client.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    self.connected.set()
                    delay = 0.1
                    await resync()
                    while True:
                        message = await pubsub.get_message(timeout=5.0)
                        if message is not None:
                            await receive(message["data"])
            except (RedisError, OSError) as exc:
                if self.connected.is_set():
                    log.warning("redis subscription lost (%s); reconnecting", exc)
                self.connected.clear()
            finally:
                with contextlib.suppress(RedisError, OSError):
                    await client.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.redis.aclose()


def broker_for(redis_url: str | None) -> InProcessBroker | RedisBroker:
    return RedisBroker(redis_url) if redis_url else InProcessBroker()
