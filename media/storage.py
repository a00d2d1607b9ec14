"""Where cleaned images live: a local folder (served at /media/) or an S3-compatible object store."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any, Protocol

CACHE_FOREVER = "public, max-age=31536000, immutable"


class Storage(Protocol):
    """Names are content hashes, so a name that exists already holds the right bytes."""

    async def put(self, name: str, data: bytes) -> None: ...

    def url(self, name: str) -> str: ...


class LocalStorage:
    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self.base_url = base_url.rstrip("/") + "/"
        root.mkdir(parents=True, exist_ok=True)

    async def put(self, name: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self.root / name, data)

    def _write(self, target: Path, data: bytes) -> None:
        if target.exists():
            return
        # Write then rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)

    def url(self, name: str) -> str:
        return self.base_url + name


class S3Storage:
    """Any S3-compatible store (AWS, MinIO, Ceph…): what a city running several servers uses.

    Open it with `async with`; its client keeps one connection pool for the process.
    """

    def __init__(self, bucket: str, public_url: str, **client_options: Any) -> None:
        self.bucket = bucket
        self.public_url = public_url.rstrip("/") + "/"
        self.client_options = client_options
        self._stack = contextlib.AsyncExitStack()
        self._client: Any = None

    async def __aenter__(self) -> S3Storage:
        from aiobotocore.session import get_session

        self._client = await self._stack.enter_async_context(get_session().create_client("s3", **self.client_options))
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    async def put(self, name: str, data: bytes) -> None:
        await self._client.put_object(
            Bucket=self.bucket, Key=name, Body=data, ContentType="image/jpeg", CacheControl=CACHE_FOREVER
        )

    def url(self, name: str) -> str:
        return self.public_url + name
