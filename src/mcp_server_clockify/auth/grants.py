"""The little state OAuth 2.1 cannot do without: codes and refresh tokens are single-use, and a revoked
grant stays revoked. Everything else lives in the sealed tokens.

`MemoryGrants` serves one process (one replica). Several replicas share `RedisGrants` (an existing store,
Debian's `redis-server`; `CLOCKIFY_MCP_REDIS_URL`), so a code used on one replica is used on all of them.
Entries expire with the tokens they guard, so nothing grows without bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Grants", "MemoryGrants", "RedisGrants", "grants_from_url"]


class Grants(Protocol):
    async def claim(self, once: str, ttl: int) -> bool:
        """True the first time `once` (a code's or refresh token's id) is claimed, False ever after."""
        ...

    async def revoke(self, grant: str, ttl: int) -> None:
        """Revoke every token of `grant` (one sign-in: its code, access and refresh tokens)."""
        ...

    async def revoked(self, grant: str) -> bool: ...


class MemoryGrants:
    MAX = 200_000

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._seen: dict[str, float] = {}
        self._clock = clock

    def _prune(self) -> None:
        now = self._clock()
        if len(self._seen) > self.MAX // 2:
            self._seen = {k: t for k, t in self._seen.items() if t > now}

    async def claim(self, once: str, ttl: int) -> bool:
        key = f"once:{once}"
        if self._seen.get(key, 0) > self._clock():
            return False
        self._prune()
        self._seen[key] = self._clock() + ttl
        return True

    async def revoke(self, grant: str, ttl: int) -> None:
        self._prune()
        self._seen[f"revoked:{grant}"] = self._clock() + ttl

    async def revoked(self, grant: str) -> bool:
        return self._seen.get(f"revoked:{grant}", 0) > self._clock()


class RedisGrants:
    """The same on Redis: SET NX EX for a claim, SET EX and EXISTS for revocation."""

    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)

    async def claim(self, once: str, ttl: int) -> bool:
        return bool(await self._redis.set(f"mcp-clockify:once:{once}", b"1", nx=True, ex=max(1, ttl)))

    async def revoke(self, grant: str, ttl: int) -> None:
        await self._redis.set(f"mcp-clockify:revoked:{grant}", b"1", ex=max(1, ttl))

    async def revoked(self, grant: str) -> bool:
        return bool(await self._redis.exists(f"mcp-clockify:revoked:{grant}"))


def grants_from_url(url: str | None) -> Grants:
    return RedisGrants(url) if url else MemoryGrants()
