"""Real server processes (python server.py serve) and a Redis of their own, for the scale-out tests."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx

from tests.paths import ROOT


async def run(*args: str, env: dict[str, str]) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode()


class ServerProcess:
    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**env, "WARGA_PORT": str(port), "WARGA_ENV": "production"}
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> ServerProcess:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, "server.py", "serve", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                try:
                    if (await http.get(self.url + "/healthz")).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                if self.process.returncode is not None:
                    raise AssertionError((await self.process.stderr.read()).decode()[-2000:])  # type: ignore[union-attr]
                await asyncio.sleep(0.05)
        raise AssertionError("server did not start")

    async def stop(self, sig: int = signal.SIGTERM) -> float:
        """Signal the process and return how long it took to exit."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        if self.process.returncode is None:
            self.process.send_signal(sig)
            await asyncio.wait_for(self.process.wait(), 30)
        return loop.time() - started


class RedisProcess:
    """A real redis-server on its own port, so a test may stop and start it without touching others."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port = port
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.workdir), stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                writer.close()
                return
            except OSError:
                await asyncio.sleep(0.05)
        raise AssertionError("redis-server did not start")

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()


def base_env(database_url: str, redis_url: str, media_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARGA_")}
    env.update(WARGA_DATABASE_URL=database_url, WARGA_REDIS_URL=redis_url, WARGA_MEDIA_ROOT=str(media_root))
    return env


def kill_all(servers: list[ServerProcess]) -> None:
    for server in servers:
        if server.process is not None and server.process.returncode is None:
            server.process.send_signal(signal.SIGKILL)
