"""Live fan-out: delivery latency, deliveries per second, server CPU per event and memory per subscription
for 100, 1,000 and 5,000 WebSocket subscribers spread over two server processes (PostgreSQL + Redis).

    .venv/bin/python bench/fanout.py [--sizes 100,1000,5000] [--events 20] [--gap 0.25]

Needs PostgreSQL and Redis on their standard loopback ports. Each round creates reports through
one server and measures, at every subscriber, the time from the mutation's answer (the commit)
to the `next` message. The subscribers all send the public page's document, which the hub
executes once per process per event; the baseline printed beside it is the same server's
cost per event with one subscriber, measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

import httpx
import orjson
import uvloop

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from testkit.databases import demo_database
from testkit.processes import ServerProcess, create, kill_all, login
from testkit.servers import free_port

REDIS = os.environ.get("WARGA_BENCH_REDIS", "redis://127.0.0.1:6379/14")
DOCUMENT = "subscription { reportAdded { id body badge category { code name } area { name } createdAt } }"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class Subscriber(asyncio.Protocol):
    """A graphql-transport-ws subscriber on a bare asyncio protocol (RFC 6455 framing by hand). The
    load generator shares the two cores with the servers: the websockets client spent more CPU on
    each message than a server spent sending it, and the latencies counted that as the server's."""

    def __init__(self, host: str, subscribed: Callable[[], None]) -> None:
        self.host, self.subscribed = host, subscribed
        self.received: dict[str, float] = {}
        self.buffer = bytearray()
        self.upgraded = False
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # a TCP connection's (uvloop's is no subclass of it)
        key = base64.b64encode(os.urandom(16)).decode()
        self.transport.write(
            f"GET /graphql HTTP/1.1\r\nHost: {self.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n".encode())

    def send(self, opcode: int, payload: bytes) -> None:
        mask = os.urandom(4)
        n = len(payload)
        length = bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big")
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        assert self.transport is not None
        self.transport.write(bytes([0x80 | opcode]) + length + mask + masked)

    def data_received(self, data: bytes) -> None:
        at = time.perf_counter()
        self.buffer += data
        if not self.upgraded:
            head, found, rest = bytes(self.buffer).partition(b"\r\n\r\n")
            if not found:
                return
            assert head.startswith(b"HTTP/1.1 101"), head
            self.upgraded, self.buffer = True, bytearray(rest)
            self.send(1, orjson.dumps({"type": "connection_init", "payload": {}}))
        while len(self.buffer) >= 2:
            opcode, n, start = self.buffer[0] & 0x0F, self.buffer[1] & 0x7F, 2
            if n == 126:
                n, start = int.from_bytes(self.buffer[2:4], "big"), 4
            elif n == 127:
                n, start = int.from_bytes(self.buffer[2:10], "big"), 10
            if len(self.buffer) < start + n:
                return
            payload = bytes(self.buffer[start:start + n])
            del self.buffer[:start + n]
            self.frame(opcode, payload, at)

    def frame(self, opcode: int, payload: bytes, at: float) -> None:
        if opcode == 9:  # ping
            self.send(10, payload)
        elif b'"connection_ack"' in payload:
            self.send(1, orjson.dumps({"id": "1", "type": "subscribe", "payload": {"query": DOCUMENT}}))
            self.subscribed()
        elif b'"next"' in payload:
            start = payload.find(b'"id":"', payload.find(b"reportAdded"))
            self.received[payload[start + 6: payload.find(b'"', start + 6)].decode()] = at


async def round_of(size: int, events: int, servers: list[ServerProcess], token: str,
                   gap: float) -> dict[str, float]:
    pids = [s.process.pid for s in servers if s.process is not None]
    rss_before = sum(rss_bytes(p) for p in pids)
    ready, counter = asyncio.Event(), [0]

    def subscribed() -> None:
        counter[0] += 1
        if counter[0] == size:
            ready.set()

    loop = asyncio.get_running_loop()
    subscribers: list[Subscriber] = []
    for i in range(size):
        host = servers[i % 2].url.removeprefix("http://")
        name, port = host.split(":")
        _, subscriber = await loop.create_connection(partial(Subscriber, host, subscribed), name, int(port))
        subscribers.append(subscriber)
        if i % 200 == 199:
            await asyncio.sleep(0.05)  # do not stampede the accept queue
    await asyncio.wait_for(ready.wait(), 120)
    await asyncio.sleep(1.0)
    rss_after = sum(rss_bytes(p) for p in pids)
    cpu_before = sum(cpu_seconds(p) for p in pids)
    sent: dict[str, float] = {}
    # The generator's own full collections (5,000 protocols) took 70+ ms: not while it times deliveries.
    gc.collect()
    gc.disable()
    started = time.perf_counter()
    async with httpx.AsyncClient(timeout=60) as http:
        for n in range(events):
            report_id = await create(http, servers[0].url, token, f"Laporan bench {n}")
            sent[report_id] = time.perf_counter()  # the commit is answered
            await asyncio.sleep(gap)
    deadline = time.perf_counter() + 30
    # Polls: thousands of subscribers finish at different times, one event per subscriber would cost more.
    while time.perf_counter() < deadline and any(len(s.received) < events for s in subscribers):  # noqa: ASYNC110
        await asyncio.sleep(0.1)
    elapsed = time.perf_counter() - started
    gc.enable()
    cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
    latencies = [s.received[r] - t for s in subscribers for r, t in sent.items() if r in s.received]
    for subscriber in subscribers:
        if subscriber.transport is not None:
            subscriber.transport.close()
    delivered = len(latencies)
    latencies.sort()
    return {
        "subscribers": size,
        "delivered": delivered,
        "expected": size * events,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "deliveries_per_s": delivered / elapsed,
        "cpu_ms_per_event": cpu / events * 1000,
        "kb_per_subscription": max(0, rss_after - rss_before) / size / 1024,
    }


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--events", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.25, help="seconds between two reports (0: back to back)")
    args = parser.parse_args()
    async with demo_database("warga_bench_fanout", REDIS) as env:
        servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
        try:
            for server in servers:
                await server.start()
            async with httpx.AsyncClient() as http:
                token = await login(http, servers[0].url)
            baseline = await round_of(2, args.events, servers, token, args.gap)
            print(f"baseline, 1 subscriber a process: {baseline['cpu_ms_per_event']:.1f} ms server CPU per event, "
                  f"p50 {baseline['p50_ms']:.1f} ms")
            print("subscribers  delivered      p50 ms   p99 ms  deliveries/s  CPU ms/event (x baseline)  "
                  "KB/subscription")
            for size in (int(s) for s in args.sizes.split(",")):
                r = await round_of(size, args.events, servers, token, args.gap)
                ratio = r["cpu_ms_per_event"] / max(baseline["cpu_ms_per_event"], 0.001)
                print(f"{r['subscribers']:>11} {r['delivered']:>6}/{r['expected']:<7} {r['p50_ms']:>8.1f} "
                      f"{r['p99_ms']:>8.1f} {r['deliveries_per_s']:>13.0f} {r['cpu_ms_per_event']:>13.1f} "
                      f"({ratio:4.1f}x) {r['kb_per_subscription']:>16.1f}")
        finally:
            kill_all(servers)
            for server in servers:
                if server.process is not None:
                    await server.process.wait()


if __name__ == "__main__":
    uvloop.run(main())  # the load generator as lean as it can be: it shares the cores with the servers
