"""`python server.py serve` as an operator runs it, with its worker processes, for the tests of WARGA_WORKERS."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import tempfile
from pathlib import Path

import httpx

from testkit.paths import ROOT


class Serve:
    """The serve command in a process group of its own, so that whatever it started can be stopped with it."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.env = {**env, "WARGA_PORT": str(port), "WARGA_ENV": "production"}
        self.process: asyncio.subprocess.Process | None = None
        self.log = Path(tempfile.mkstemp(prefix="warga-serve-", suffix=".log")[1])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def start(self) -> Serve:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "server.py", "serve", cwd=ROOT, env=self.env, stdout=log, stderr=log,
                start_new_session=True,
            )
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                with contextlib.suppress(httpx.TransportError):
                    if (await http.get(self.url + "/healthz")).status_code == 200:
                        return self
                if self.process.returncode is not None:
                    raise AssertionError(self.log.read_text(errors="replace")[-2000:])
                await asyncio.sleep(0.05)
        raise AssertionError("serve did not start")

    async def stop(self) -> float:
        """SIGTERM, as a process manager stops it; how long it took to exit."""
        assert self.process is not None
        loop = asyncio.get_running_loop()
        started = loop.time()
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(self.process.wait(), 30)
        return loop.time() - started

    def kill(self) -> None:
        """Whatever is left of the group, at once (a test's cleanup)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


def parse_metrics(text: str) -> dict[str, float]:
    """The unlabelled samples of a Prometheus text page."""
    samples = (line.split() for line in text.splitlines() if line and not line.startswith("#") and "{" not in line)
    return {parts[0]: float(parts[1]) for parts in samples if len(parts) == 2}


async def metrics_by_worker(url: str, workers: int, rounds: int = 50) -> dict[int, dict[str, float]]:
    """/metrics of each worker behind one port, told apart by warga_process_id: rounds of concurrent requests,
    each on a connection of its own (a kept-alive connection stays with one worker)."""
    seen: dict[int, dict[str, float]] = {}
    async with httpx.AsyncClient(limits=httpx.Limits(max_keepalive_connections=0), timeout=10) as http:
        for _ in range(rounds):
            pages = await asyncio.gather(*(http.get(url + "/metrics") for _ in range(8)))
            for page in pages:
                metrics = parse_metrics(page.text)
                seen[int(metrics["warga_process_id"])] = metrics
            if len(seen) >= workers:
                break
    return seen


def parent_of(pid: int) -> int:
    """The parent process id, from /proc (after the command's name, which may hold spaces)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def refused(env: dict[str, str]) -> tuple[int, str]:
    """Run serve expecting it to refuse: its exit status and what it said on stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "server.py", "serve", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, start_new_session=True,
    )
    try:
        _, err = await asyncio.wait_for(process.communicate(), 60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode is not None
    return process.returncode, err.decode(errors="replace")
