"""A bounded load test on loopback: 200 concurrent clients mixing reads, writes and subscriptions for
60 seconds against one server (`--workers` processes on one port; PostgreSQL + Redis), with no failed request
allowed.

    .venv/bin/python bench/load.py [--clients 200] [--seconds 60] [--workers 2]

150 readers (the feed anonymous and signed in, a report's page, the map), 30 writers (a report with
a photo, supports, comments) and 20 live subscribers. The baseline is the same read mix from one
client in the same run: loaded latency is printed as a multiple of it. Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.photos import sample_photo
from testkit.databases import demo_database
from testkit.processes import CREATE, ServerProcess, login
from testkit.servers import free_port
from testkit.ws import LiveClient

REDIS = "redis://127.0.0.1:6379/11"
CARD = "id body badge category { name } area { name } photos { thumbnailUrl } supportCount commentCount"
READS = {
    "feed": (f"{{ feed(first: 20) {{ edges {{ node {{ {CARD} }} }} }} }}", {}),
    "map": ("query($b: BBoxInput!) { mapClusters(bbox: $b, zoom: 12) { count center { lat lng } } }",
            {"b": {"south": -6.37, "west": 106.84, "north": -6.15, "east": 106.97}}),
}
REPORT = "query($id: ID!) { report(id: $id) { id body followUps { note } timeline { kind } " \
         "comments { edges { node { body } } } } }"


class Tally:
    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.failures: list[str] = []

    async def call(self, http: httpx.AsyncClient, kind: str, body: dict[str, object] | None = None,
                   token: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        try:
            if body is not None:
                response = await http.post("/graphql", json=body, headers=headers)
            else:
                response = await http.post("/graphql", headers={**headers, "apollo-require-preflight": "1"}, **kwargs)
            result = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            self.failures.append(f"{kind}: {exc!r}")
            return {}
        self.times[kind].append(time.perf_counter() - started)
        if response.status_code != 200 or result.get("errors"):
            self.failures.append(f"{kind}: {response.status_code} {str(result)[:300]}")
        return dict(result.get("data") or {})


async def reader(http: httpx.AsyncClient, tally: Tally, token: str | None, ids: list[str], until: float,
                 pause: tuple[float, float] = (0.5, 2.5)) -> None:
    while time.monotonic() < until:
        kind = random.choice(["feed", "feed", "map", "report"])
        if kind == "report":
            await tally.call(http, "report", {"query": REPORT, "variables": {"id": random.choice(ids)}}, token)
        else:
            query, variables = READS[kind]
            await tally.call(http, kind if token is None else f"{kind} (signed in)",
                             {"query": query, "variables": variables}, token)
        await asyncio.sleep(random.uniform(*pause))  # a person reading before the next tap


async def writer(http: httpx.AsyncClient, tally: Tally, token: str, ids: list[str], until: float, n: int) -> None:
    photo = sample_photo(n, "load")
    while time.monotonic() < until:
        operations = {"query": CREATE, "variables": {"input": {
            "body": f"Uji beban {n} {time.monotonic():.3f}", "categoryCode": "SAMPAH",
            "lat": -6.2117 + random.uniform(-0.001, 0.001), "lng": 106.869 + random.uniform(-0.001, 0.001),
            "photos": [None]}}}
        data = await tally.call(http, "createReport", token=token, data={
            "operations": orjson.dumps(operations).decode(), "map": '{"0": ["variables.input.photos.0"]}'},
            files={"0": ("p.jpg", photo, "image/jpeg")})
        if data:
            ids.append(data["createReport"]["id"])
        target = random.choice(ids)
        await tally.call(http, "support", {"query": "mutation($id: ID!) { support(reportId: $id) { id } }",
                                           "variables": {"id": target}}, token)
        await tally.call(http, "addComment", {"query": "mutation($id: ID!) { addComment(reportId: $id, "
                                                       "body: \"Ikut memantau\") { id } }",
                                              "variables": {"id": target}}, token)
        await asyncio.sleep(random.uniform(2.0, 6.0))


async def subscriber(url: str, tally: Tally, until: float, counts: list[int]) -> None:
    client = await LiveClient.open(url)
    op = await client.subscribe("subscription { feedUpdated { id supportCount commentCount } }")
    try:
        while time.monotonic() < until:
            try:
                message = await client.receive(wait=max(0.1, until - time.monotonic()))
            except TimeoutError:
                break
            if message.get("id") != op or message.get("type") != "next" or "errors" in message.get("payload", {}):
                tally.failures.append(f"subscription: {str(message)[:300]}")
            counts[0] += 1
    finally:
        await client.close()


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    async with demo_database("warga_bench_load", REDIS) as env:
        server = await ServerProcess(free_port(), {**env, "WARGA_WORKERS": str(args.workers)}).start()
        try:
            limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)
            async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as http:
                tokens = [await login(http, server.url, handle) for handle in ("budi", "siti", "andi")]
                feed = (await http.post("/graphql", json={"query": READS["feed"][0]})).json()
                ids = [e["node"]["id"] for e in feed["data"]["feed"]["edges"]]

                baseline = Tally()
                await reader(http, baseline, tokens[0], ids, time.monotonic() + 10, pause=(0.02, 0.05))
                loaded, counts = Tally(), [0]
                until = time.monotonic() + args.seconds
                writers, subscribers = args.clients * 3 // 20, args.clients // 10
                readers = args.clients - writers - subscribers
                started = time.monotonic()
                await asyncio.gather(
                    *(reader(http, loaded, tokens[i % 3] if i % 2 else None, ids, until) for i in range(readers)),
                    *(writer(http, loaded, tokens[i % 3], ids, until, i) for i in range(writers)),
                    *(subscriber(server.url, loaded, until, counts) for _ in range(subscribers)),
                )
                elapsed = time.monotonic() - started
        finally:
            await server.stop()
    total = sum(len(t) for t in loaded.times.values())
    print(f"{args.workers} worker(s); {args.clients} clients ({readers} readers, {writers} writers, "
          f"{subscribers} subscribers) for "
          f"{elapsed:.0f} s: {total} requests ({total / elapsed:.0f}/s), {counts[0]} live messages, "
          f"{len(loaded.failures)} failed")
    reads = [t for kind, ts in baseline.times.items() for t in ts]
    base_p50 = statistics.median(reads) * 1000
    print(f"baseline, one signed-in reader alone: p50 {base_p50:.1f} ms over {len(reads)} requests")
    print("kind                      requests    p50 ms    p99 ms   p50 vs baseline")
    for kind, times in sorted(loaded.times.items()):
        print(f"{kind:24} {len(times):>9} {p(times, 0.5):>9.1f} {p(times, 0.99):>9.1f} "
              f"{p(times, 0.5) / base_p50:>12.1f}x")
    for failure in loaded.failures[:10]:
        print("FAILED", failure)
    if loaded.failures:
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())
