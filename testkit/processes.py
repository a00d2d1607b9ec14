"""Real server processes (python server.py serve) and a Redis of their own, for the scale-out tests."""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import httpx
import orjson

from demo.loader import DEMO_PASSWORD
from demo.photos import sample_photo
from testkit.paths import ROOT

CREATE = "mutation($input: CreateReportInput!) { createReport(input: $input) { id } }"


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
        # One worker unless asked: the tests and benchmarks that start these count server processes themselves.
        self.env = {**env, "WARGA_PORT": str(port), "WARGA_ENV": "production",
                    "WARGA_WORKERS": env.get("WARGA_WORKERS", "1")}
        self.process: asyncio.subprocess.Process | None = None
        # A file, not a pipe: a server that logs every request would block once a pipe nobody reads is full.
        self.log = Path(tempfile.mkstemp(prefix="warga-server-", suffix=".log")[1])

    async def start(self) -> ServerProcess:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "server.py", "serve", cwd=ROOT, env=self.env, stdout=log, stderr=log,
            )
        async with httpx.AsyncClient() as http:
            for _ in range(200):
                try:
                    if (await http.get(self.url + "/healthz")).status_code == 200:
                        return self
                except httpx.TransportError:
                    pass
                if self.process.returncode is not None:
                    raise AssertionError(self.log.read_text(errors="replace")[-2000:])
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


class PostgresProcess:
    """A private PostgreSQL cluster (initdb in a folder of its own), so a test may stop and start it.

    PostgreSQL refuses to run as root: when the tests are root, its commands run as `postgres`."""

    BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]) if glob.glob("/usr/lib/postgresql/*/bin") else None

    def __init__(self, port: int) -> None:
        self.port = port
        self.root = Path(tempfile.mkdtemp(prefix="warga-pg-"))
        self.data = self.root / "data"
        self.admin_url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    async def _pg(self, tool: str, *args: str) -> None:
        assert self.BIN is not None, "PostgreSQL's server programs are not installed"
        command = [str(self.BIN / tool), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.DEVNULL,
                                                       stderr=asyncio.subprocess.PIPE)
        _, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()[-2000:]

    async def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        await self._pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    async def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        await self._pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")

    async def stop(self) -> None:
        """A fast shutdown: open connections are cut, as in a failover or a restart."""
        await self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    async def destroy(self) -> None:
        with contextlib.suppress(AssertionError):
            await self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def base_env(database_url: str, redis_url: str, media_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARGA_")}
    env.update(WARGA_DATABASE_URL=database_url, WARGA_REDIS_URL=redis_url, WARGA_MEDIA_ROOT=str(media_root))
    return env


def kill_all(servers: list[ServerProcess]) -> None:
    for server in servers:
        if server.process is not None and server.process.returncode is None:
            server.process.send_signal(signal.SIGKILL)


# Over HTTP, against a running server ------------------------------------------------------


async def login(http: httpx.AsyncClient, url: str, handle: str = "budi") -> str:
    body = (await http.post(url + "/graphql", json={"query": "mutation($h: String!, $p: String!) { login(handle: $h, "
                                                            "password: $p) { token } }",
                                                   "variables": {"h": handle, "p": DEMO_PASSWORD}})).json()
    return str(body["data"]["login"]["token"])


async def create(http: httpx.AsyncClient, url: str, token: str, body: str, photo: bytes | None = None,
                 kind: str = "CITIZEN", category: str = "SAMPAH") -> str:
    """A report with one photo (a small sample unless given) in Pisangan Baru, through the multipart request spec;
    its id."""
    operations = {"query": CREATE, "variables": {"input": {"body": body, "categoryCode": category, "lat": -6.2117,
                                                           "lng": 106.869, "kind": kind, "photos": [None]}}}
    response = await http.post(url + "/graphql", headers={"authorization": f"Bearer {token}",
                                                          "x-apollo-operation-name": "create"},
                               data={"operations": orjson.dumps(operations).decode(),
                                     "map": orjson.dumps({"0": ["variables.input.photos.0"]}).decode()},
                               files={"0": ("p.jpg", photo or sample_photo(len(body)), "image/jpeg")})
    result = response.json()
    assert "errors" not in result, result
    return str(result["data"]["createReport"]["id"])
