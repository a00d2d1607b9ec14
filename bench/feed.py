"""Feed throughput against the raw limit, latency at 10,000 and 1,000,000 reports, `performance` over
100,000 reports, and the write path; on PostgreSQL and Redis, one server worker.

    .venv/bin/python bench/feed.py [--seconds 10] [--big 1000000]

Needs PostgreSQL and Redis on their standard loopback ports and `wrk` (Debian's package) as the
load generator, in a process of its own. Every figure is printed beside a baseline measured in
the same run: bench/baseline.py (Starlette + asyncpg + orjson) for the feed, plain SQL for
`performance`, and the photo pipeline alone for the write path.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo.photos import sample_photo  # noqa: E402
from media.images import clean  # noqa: E402
from testkit.databases import demo_database  # noqa: E402
from testkit.processes import create, login  # noqa: E402
from testkit.servers import free_port  # noqa: E402
from testkit.synthetic import ANONYMOUS_FEED, SIGNED_IN_FEED, fill  # noqa: E402

REDIS = os.environ.get("WARGA_BENCH_REDIS", "redis://127.0.0.1:6379/13")
PERFORMANCE = """query($from: DateTime!, $to: DateTime!) { performance(unit: VILLAGE, from: $from, to: $to) {
  area { name } received followedUp followUpRate medianResponseMinutes medianFollowUpHours reopenRate overdue } }"""


class Process:
    """A server in a process of its own, its log in a file (a pipe would fill up under load)."""

    def __init__(self, args: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.args, self.env, self.port, self.log = args, env, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, ready_path: str) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(*self.args, cwd=ROOT, env=self.env, stdout=log,
                                                                stderr=log)
        async with httpx.AsyncClient() as http:
            for _ in range(400):
                try:
                    await http.get(self.url + ready_path)
                    return
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
        raise RuntimeError(f"{self.args} did not start; see {self.log}")

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


async def wrk(url: str, body: dict[str, object], headers: dict[str, str], seconds: int, workdir: Path) -> float:
    """Requests per second that wrk (one thread, 16 connections) gets through a POST."""
    script = workdir / "post.lua"
    lines = ['wrk.method = "POST"', f"wrk.body = {orjson.dumps(orjson.dumps(body).decode()).decode()}",
             'wrk.headers["Content-Type"] = "application/json"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items()]
    script.write_text("\n".join(lines) + "\n")
    command = ["wrk", "-t1", "-c16", f"-d{seconds}s", "--latency", "-s", str(script), url]
    warm = await asyncio.create_subprocess_exec(*command[:3], "-d2s", *command[4:], stdout=asyncio.subprocess.DEVNULL)
    await warm.wait()
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
    out = (await process.communicate())[0].decode()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} failed requests\n{out}")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if rate is None:
        raise RuntimeError(f"{url}: wrk printed no rate\n{out}")
    return float(rate.group(1))


async def p50_ms(http: httpx.AsyncClient, url: str, body: dict[str, object], headers: dict[str, str],
                 n: int = 200) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = await http.post(url, json=body, headers=headers)
        times.append(time.perf_counter() - started)
        assert "errors" not in response.json(), response.text[:500]
    return statistics.median(times) * 1000


async def latencies(http: httpx.AsyncClient, url: str, token: str, conn: asyncpg.Connection) -> tuple[float, float]:
    """p50 of the first page and of a page 90% deep (a keyset cursor), signed in (never cached)."""
    import base64

    auth = {"authorization": f"Bearer {token}"}
    count = await conn.fetchval("SELECT count(*) FROM report")
    deep = await conn.fetchrow("SELECT created_at, id FROM report ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1",
                               int(count * 0.9))
    cursor = base64.urlsafe_b64encode(f"{deep['created_at'].isoformat()}|{deep['id']}".encode()).decode()
    first = await p50_ms(http, url, {"query": SIGNED_IN_FEED}, auth)
    deeper = await p50_ms(http, url, {"query": SIGNED_IN_FEED, "variables": {"after": cursor}}, auth)
    return first, deeper


async def write_path(server_url: str, token: str, seconds: float) -> tuple[float, float, float]:
    """createReport with one 4000x3000 photo from 4 clients: per second, p99 ms; and the pipeline alone per second."""
    photos = [sample_photo(n, "bench", size=(4000, 3000)) for n in range(8)]
    started = time.perf_counter()
    for photo in photos[:4]:
        clean(photo, 40_000_000)
    pipeline_per_s = 4 / (time.perf_counter() - started)
    times: list[float] = []

    async def client(number: int) -> None:
        async with httpx.AsyncClient(timeout=60) as http:
            n = 0
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                await create(http, server_url, token, f"Uji tulis {number}-{n}", photos[(number + n) % 8])
                times.append(time.perf_counter() - t0)
                n += 1

    deadline = time.perf_counter() + seconds
    began = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(4)))
    times.sort()
    return len(times) / (time.perf_counter() - began), times[int(len(times) * 0.99) - 1] * 1000, pipeline_per_s


async def performance(http: httpx.AsyncClient, url: str, token: str, conn: asyncpg.Connection, anchor: datetime,
                      rows: int) -> tuple[float, float, int]:
    """`performance` over the newest `rows` synthetic reports, p50 of 5 (ms), beside the bare GROUP BY."""
    variables = {"from": (anchor - timedelta(seconds=30 * rows)).isoformat(), "to": anchor.isoformat()}
    inside = await conn.fetchval("SELECT count(*) FROM report WHERE created_at >= $1 AND created_at < $2",
                                 anchor - timedelta(seconds=30 * rows), anchor)
    times, plain = [], []
    for _ in range(5):
        t0 = time.perf_counter()
        # Signed in, so that the anonymous answer cache does not answer.
        body = (await http.post(url, json={"query": PERFORMANCE, "variables": variables}, timeout=120,
                                headers={"authorization": f"Bearer {token}"})).json()
        times.append(time.perf_counter() - t0)
        assert "errors" not in body, body
        t0 = time.perf_counter()
        await conn.fetch("SELECT area_id, count(*), count(first_follow_up_at) FROM report "
                         "WHERE created_at >= $1 AND created_at < $2 GROUP BY area_id",
                         anchor - timedelta(seconds=30 * rows), anchor)
        plain.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000, statistics.median(plain) * 1000, inside


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--big", type=int, default=1_000_000)
    args = parser.parse_args()
    async with demo_database("warga_bench_feed", REDIS) as env:
        url, workdir = env["WARGA_DATABASE_URL"], Path(tempfile.mkdtemp())
        env.update(WARGA_ENV="production", WARGA_AUTO_CLOSE_INTERVAL_S="0")
        port = free_port()
        warga = Process([sys.executable, "server.py", "serve"], {**env, "WARGA_PORT": str(port)}, port,
                        workdir / "warga.log")
        port = free_port()
        baseline = Process([sys.executable, "-m", "uvicorn", "bench.baseline:app", "--port", str(port),
                            "--no-access-log", "--log-level", "warning"], env, port, workdir / "baseline.log")
        conn = None
        try:
            conn = await asyncpg.connect(url)
            anchor = datetime.now(UTC) - timedelta(days=1)
            await fill(conn, 1, 10_000, anchor)
            await warga.start("/healthz")
            await baseline.start("/feed")
            print(f"feed.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, PostgreSQL + Redis, one worker each, wrk -t1 -c16 "
                  f"-d{args.seconds}s")
            async with httpx.AsyncClient(timeout=60) as http:
                token = await login(http, warga.url)
                gql = warga.url + "/graphql"

                print("\n1. Feed throughput, feed(first: 20) with the full card, 10,000 reports")
                raw = await wrk(baseline.url + "/feed", {}, {}, args.seconds, workdir)
                anonymous = await wrk(gql, {"query": ANONYMOUS_FEED}, {}, args.seconds, workdir)
                signed_in = await wrk(gql, {"query": SIGNED_IN_FEED}, {"Authorization": f"Bearer {token}"},
                                      args.seconds, workdir)
                print(f"   baseline (Starlette + asyncpg + orjson)  {raw:8.0f} req/s")
                print(f"   Warga, anonymous                         {anonymous:8.0f} req/s  {anonymous / raw:5.2f}x "
                      f"(target >= 0.50x)")
                print(f"   Warga, signed in                         {signed_in:8.0f} req/s  {signed_in / raw:5.2f}x "
                      f"(target >= 0.25x)")

                print("\n2. Scale: feed latency p50 (signed in), first page and a page 90% deep")
                small = await latencies(http, gql, token, conn)
                print(f"   {await conn.fetchval('SELECT count(*) FROM report'):>9,} reports: first {small[0]:6.2f} ms, "
                      f"deep {small[1]:6.2f} ms")
                started = time.perf_counter()
                await fill(conn, 10_001, 100_000, anchor)
                perf = await performance(http, gql, token, conn, anchor, 100_000)
                print(f"   performance(unit: VILLAGE) over {perf[2]:,} reports: {perf[0]:.0f} ms "
                      f"(plain GROUP BY {perf[1]:.0f} ms, {perf[0] / perf[1]:.1f}x; target < 1000 ms)")
                await fill(conn, 100_001, args.big, anchor)
                filled = time.perf_counter() - started
                big = await latencies(http, gql, token, conn)
                print(f"   {await conn.fetchval('SELECT count(*) FROM report'):>9,} reports: first {big[0]:6.2f} ms, "
                      f"deep {big[1]:6.2f} ms  ({big[0] / small[0]:.2f}x and {big[1] / small[1]:.2f}x the small "
                      f"table; target <= 1.3x; filled in {filled:.0f} s)")

                print("\n3. Write path: createReport with one 12 MP photo, 4 clients")
                per_s, p99, pipeline = await write_path(warga.url, token, args.seconds * 2)
                print(f"   {per_s:.1f} reports/s, p99 {p99:.0f} ms; the photo pipeline alone, one thread: "
                      f"{pipeline:.1f} photos/s ({per_s / pipeline:.2f}x)")
        finally:
            if conn is not None:
                await conn.close()
            await warga.stop()
            await baseline.stop()


if __name__ == "__main__":
    asyncio.run(main())
