"""Automatic persisted queries as Apollo's clients speak them: a sha256 instead of the document.

The first request sends only `extensions.persistedQuery.sha256Hash`; an unknown hash answers
`PersistedQueryNotFound` (HTTP 200, as Apollo Server does, so that clients read the body), and the
client retries with the document, which is checked against the hash and remembered: in this
process (bounded) and in Redis when configured, so every server knows it after one miss.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("warga.apq")
MAX_DOCUMENT = 20_000  # characters; the token limit refuses anything that could be bigger anyway
TTL_SECONDS = 7 * 86400


class RequestRefused(Exception):
    """Refused before parsing: answered with one error carrying `code`, with HTTP `status`."""


    def __init__(self, message: str, code: str, status: int) -> None:
        super().__init__(message)
        self.message, self.code, self.status = message, code, status


NOT_FOUND = RequestRefused("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND", 200)


class PersistedQueries:
    def __init__(self, redis_url: str | None, maxsize: int = 2000) -> None:
        self.local: OrderedDict[str, str] = OrderedDict()
        self.maxsize = maxsize
        self.redis = Redis.from_url(redis_url) if redis_url else None

    def _remember(self, digest: str, document: str) -> None:
        self.local[digest] = document
        self.local.move_to_end(digest)
        if len(self.local) > self.maxsize:
            self.local.popitem(last=False)

    async def _shared(self, digest: str, document: str | None = None) -> str | None:
        """Reads (or, given a document, writes) the copy every server shares; Redis down means local only."""
        if self.redis is None:
            return None
        try:
            if document is not None:
                await self.redis.set(f"apq:{digest}", document, ex=TTL_SECONDS)
                return document
            found = await self.redis.get(f"apq:{digest}")
        except (RedisError, OSError) as exc:
            log.warning("persisted queries: Redis unavailable (%s); using this process's copies", exc)
            return None
        # bytes: the client is not asked to decode responses (redis-py's types allow either).
        return found.decode() if isinstance(found, bytes) else found

    async def document(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The document to execute: the query itself, or the one the hash stands for."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            return query
        digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(persisted, dict) or persisted.get("version") != 1 or not isinstance(digest, str):
            raise RequestRefused("Unsupported persistedQuery: version 1 with a sha256Hash.", "BAD_USER_INPUT", 400)
        digest = digest.lower()
        if query is None:
            found = self.local.get(digest) or await self._shared(digest)
            if found is None:
                raise NOT_FOUND
            self._remember(digest, found)
            return found
        if hashlib.sha256(query.encode()).hexdigest() != digest:
            raise RequestRefused("provided sha does not match query", "BAD_USER_INPUT", 400)
        if len(query) <= MAX_DOCUMENT and digest not in self.local:
            self._remember(digest, query)
            await self._shared(digest, query)
        return query

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
