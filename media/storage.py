"""Where cleaned images live: a local folder by default (served at /media/)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import Protocol


class Storage(Protocol):
    async def put(self, name: str, data: bytes) -> None: ...

    def url(self, name: str) -> str: ...


class LocalStorage:
    """Files in a folder; names are content hashes, so an existing name is already right."""

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
