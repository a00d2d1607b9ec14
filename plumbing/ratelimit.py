"""Rate limits: an atomic sliding window in Redis, or in this process when there is no Redis.

Each call counts, so aliases cannot multiply a limit: `a: support(...) b: support(...)` is two
hits. When Redis is unreachable the in-process window takes over, so limits hold (per process)
and requests keep being answered.
"""

from __future__ import annotations

import collections
import logging
import time
import uuid
from dataclasses import dataclass

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from core.errors import RateLimited

log = logging.getLogger("warga.ratelimit")


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: float


# Per kind of action: (limit per account, limit per IP address).
LIMITS = {
    "login": (Limit(10, 300), Limit(30, 300)),
    "register": (Limit(5, 3600), Limit(10, 3600)),
    "createReport": (Limit(10, 60), Limit(30, 60)),
    "addComment": (Limit(30, 60), Limit(60, 60)),
    "support": (Limit(60, 60), Limit(120, 60)),
    # Changing one's mind a few times is fine; per address generous, as a carrier's NAT hides many voters.
    "vote": (Limit(10, 60), Limit(120, 60)),
    "createPoll": (Limit(10, 3600), Limit(30, 3600)),
    # An Open311 app posts for many residents: per key rather than per person.
    "open311": (Limit(120, 60), Limit(120, 60)),
}

# Removes hits older than the window, then adds this one if there is room; else says how long to wait.
SLIDING_WINDOW = """
local key, now, window, limit, member = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
redis.call('ZREMRANGEBYSCORE', key, 0, now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return '0'
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window - now)
"""


class MemoryWindow:
    def __init__(self) -> None:
        self.hits: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)

    def hit(self, key: str, limit: Limit, now: float) -> float:
        window = self.hits[key]
        while window and window[0] <= now - limit.seconds:
            window.popleft()
        if len(window) < limit.hits:
            window.append(now)
            return 0.0
        return window[0] + limit.seconds - now


class RateLimiter:
    """`scale` multiplies every limit (0 turns limiting off, as the test suite does by default)."""

    def __init__(self, redis_url: str | None, scale: float = 1.0) -> None:
        self.scale = scale
        self.redis = aioredis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5) if redis_url else None
        self.script = self.redis.register_script(SLIDING_WINDOW) if self.redis else None
        self.memory = MemoryWindow()

    async def _hit(self, key: str, limit: Limit) -> float:
        now = time.time()
        if self.script is not None:
            try:
                return float(await self.script(keys=[f"warga:rl:{key}"],
                                               args=[now, limit.seconds, limit.hits, uuid.uuid4().hex]))
            except (RedisError, OSError) as exc:
                log.warning("rate limits fall back to this process (%s)", exc)
        return self.memory.hit(key, limit, now)

    async def check(self, action: str, account_id: int | str | None, ip: str | None) -> None:
        """RATE_LIMITED (with the seconds to wait) when the account or the address is over its limit."""
        if self.scale <= 0:
            return
        per_account, per_ip = (Limit(max(1, int(limit.hits * self.scale)), limit.seconds) for limit in LIMITS[action])
        waits = []
        if account_id is not None:
            waits.append(await self._hit(f"{action}:a:{account_id}", per_account))
        if ip is not None:
            waits.append(await self._hit(f"{action}:ip:{ip}", per_ip))
        if waits and max(waits) > 0:
            raise RateLimited(max(waits))

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
