"""Answers to anonymous queries, kept for a few seconds and dropped by any change to a report.

Anonymous answers are the same for everyone, so the public feed, the map and a report's page
are served from here without parsing or touching the database. A mutation in this process (but an asset's
reading, view.QUIET) and every event from the broker (any process) start a new generation; the TTL bounds
what no event announces (time passing: isOverdue; catalog edits from the command line; a reading's level
within its alert band).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict

from core import clock

MAX_ENTRY_BYTES = 256 * 1024


class ResponseCache:
    def __init__(self, maxsize: int = 2000, ttl_seconds: float = 5.0) -> None:
        self.entries: OrderedDict[bytes, tuple[float, int, bytes]] = OrderedDict()
        self.maxsize, self.ttl = maxsize, ttl_seconds
        self.generation = 0
        self.hits = self.misses = 0

    def invalidate(self) -> None:
        self.generation += 1
        self.entries.clear()

    @staticmethod
    def key(method: str, path_query: bytes, body: bytes) -> bytes:
        # The test clock is part of the answer (deadlines), so it is part of the key.
        offset = str(clock.offset()).encode()
        return hashlib.sha256(b"\0".join((method.encode(), path_query, body, offset))).digest()

    def get(self, key: bytes) -> bytes | None:
        entry = self.entries.get(key)
        if entry is None or entry[0] < time.monotonic() or entry[1] != self.generation:
            self.misses += 1
            return None
        self.hits += 1
        return entry[2]

    def put(self, key: bytes, generation: int, body: bytes) -> None:
        """`generation` is the one the answer was computed in: a change meanwhile makes it stale."""
        if generation != self.generation or len(body) > MAX_ENTRY_BYTES or self.ttl <= 0:
            return
        self.entries[key] = (time.monotonic() + self.ttl, generation, body)
        self.entries.move_to_end(key)
        if len(self.entries) > self.maxsize:
            self.entries.popitem(last=False)
