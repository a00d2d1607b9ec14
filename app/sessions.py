"""Who a bearer token signs in, remembered for a few seconds, so that a signed-in request costs no query.

Each change to what a token signs in as (a logout; an account's role, area, agency or password) is made through
services.auth.changing_account: this process forgets the account's tokens as soon as it commits, every other
process when the change's outbox event reaches it through the broker (milliseconds later). What no event
announces (a row edited by hand; an event that waits in the outbox while Redis is away) lives TTL_SECONDS at most.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import orjson

from core import clock
from models import Account
from services import auth

# How long a token's account is believed without asking the database: the most a change that no event announces
# (a hand edit, an event held up while Redis is away) goes unnoticed. Short, since each hit saves only ~0.5 ms.
TTL_SECONDS = 5.0
# Tokens remembered per process (an account with its area is a few kB); the oldest go first.
MAX_ENTRIES = 10_000
Receiver = Callable[[bytes], Awaitable[None]]
Resync = Callable[[], Awaitable[None]]


@dataclass(slots=True)
class _Entry:
    fresh_until: float  # time.monotonic()
    account: Account | None  # None: no such session (a token never comes back to life)
    expires_at: datetime | None  # the session's own end, honoured whatever the TTL says


class SessionCache:
    def __init__(self, ttl_seconds: float = TTL_SECONDS, maxsize: int = MAX_ENTRIES) -> None:
        self.ttl, self.maxsize = ttl_seconds, maxsize
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # by token hash, oldest first
        self._by_account: dict[int, set[str]] = {}
        # Moves on every invalidation: a lookup that started before one must not store what it read.
        self.generation = 0
        self.hits = self.misses = 0

    async def viewer(self, token: str) -> Account | None:
        """The account the token signs in, with its area; None for an unknown, ended or expired session."""
        key = auth.token_hash(token)
        entry = self._entries.get(key)
        if entry is not None and entry.fresh_until > time.monotonic() and (
                entry.expires_at is None or entry.expires_at > clock.now()):
            self.hits += 1
            return entry.account
        self.misses += 1
        generation = self.generation
        found = await auth.signed_in(key)
        if generation == self.generation:
            self._put(key, found)
        return found.account if found is not None else None

    def _put(self, key: str, found: auth.SignedIn | None) -> None:
        self._pop(key)
        if self.ttl <= 0:
            return
        account = found.account if found is not None else None
        self._entries[key] = _Entry(time.monotonic() + self.ttl, account, found.expires_at if found else None)
        if account is not None:
            self._by_account.setdefault(account.id, set()).add(key)
        while len(self._entries) > self.maxsize:
            self._pop(next(iter(self._entries)))

    def _pop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and entry.account is not None:
            keys = self._by_account.get(entry.account.id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_account[entry.account.id]

    def __len__(self) -> int:
        return len(self._entries)

    def forget_account(self, account_id: int) -> None:
        self.generation += 1
        for key in self._by_account.pop(account_id, set()):
            self._entries.pop(key, None)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()
        self._by_account.clear()

    def receive(self, message: bytes) -> None:
        """A broker message (an outbox row as JSON): an account's change makes its tokens be looked up again."""
        try:
            event = orjson.loads(message)
            if event["topic"] == auth.ACCOUNT_CHANGED:
                self.forget_account(int(event["payload"]["account_id"]))
        except (ValueError, KeyError, TypeError):
            self.clear()  # not ours to judge; forgetting everything is always safe

    def listening(self, receive: Receiver, resync: Resync) -> tuple[Receiver, Resync]:
        """The broker's callbacks with this cache first in line. After a (re)subscription events may have been
        missed, so it forgets everything."""

        async def received(message: bytes) -> None:
            self.receive(message)
            await receive(message)

        async def resynced() -> None:
            self.clear()
            await resync()

        return received, resynced


# One per process, as Tortoise's connections are: every transport of the process signs tokens in through it.
cache = SessionCache()
auth.on_account_changed(cache.forget_account)
