"""Rate limits: an atomic sliding window in Redis, or in this process when there is no Redis.

Each call counts, so aliases cannot multiply a limit: `a: support(...) b: support(...)` is two
hits. When Redis is unreachable the in-process window takes over, so limits hold (per process)
and requests keep being answered.
"""

from __future__ import annotations

import collections
import ipaddress
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


# Per kind of action: (limit per account, limit per client address). An address is counted only where there is
# no account to count yet (signing in, registering): Indonesian carriers put thousands of phones behind one public
# IPv4 address (CGNAT), so a per-address limit on reports, comments or votes would let one busy address silence
# every neighbour behind it. The accounts' own limits stop a single abuser there.
LIMITS: dict[str, tuple[Limit, Limit | None]] = {
    # Per handle, 10 guesses in 5 minutes. Per address: an app release that signs everyone out brings back the
    # ~150 Warga users among ~3,000 phones on one carrier address (5%) within minutes, at two tries each.
    "login": (Limit(10, 300), Limit(300, 300)),
    # A sign-up drive at a kantor kelurahan (100-200 residents in an hour, on one cell and often one carrier
    # address) gets through; a script that makes thousands of accounts needs dozens of addresses.
    "register": (Limit(5, 3600), Limit(200, 3600)),
    "createReport": (Limit(10, 60), None),
    "addComment": (Limit(30, 60), None),
    "support": (Limit(60, 60), None),
    # Changing one's mind a few times is fine.
    "vote": (Limit(10, 60), None),
    "createPoll": (Limit(10, 3600), None),
    # An Open311 app posts for many residents from its own server: per key.
    "open311": (Limit(120, 60), None),
}


def address_key(address: str) -> str:
    """What one client's address counts as: an IPv6 client holds a whole /64 (a phone on a mobile network gets
    one), so counting each address would let it rotate through 2^64 of them."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed.ipv4_mapped if isinstance(parsed, ipaddress.IPv6Address) else parsed)


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

    def _scaled(self, limit: Limit) -> Limit:
        return Limit(max(1, int(limit.hits * self.scale)), limit.seconds)

    async def check(self, action: str, account_id: int | str | None, ip: str | None) -> None:
        """RATE_LIMITED (with the seconds to wait) when the account or the address is over its limit. The address
        is ignored for actions without a per-address limit (every caller may pass it)."""
        if self.scale <= 0:
            return
        per_account, per_ip = LIMITS[action]
        waits = []
        if account_id is not None:
            waits.append(await self._hit(f"{action}:a:{account_id}", self._scaled(per_account)))
        if ip is not None and per_ip is not None:
            waits.append(await self._hit(f"{action}:ip:{address_key(ip)}", self._scaled(per_ip)))
        if waits and max(waits) > 0:
            raise RateLimited(max(waits))

    async def close(self) -> None:
        if self.redis is not None:
            await self.redis.aclose()
