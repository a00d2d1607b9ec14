"""Lighthouse (npm `lighthouse`, Debian's Chromium, mobile emulation with simulated throttling) on the web app's
public feed, a report's page, the posting screen and the official's queue, against the demo data; and the
JavaScript each downloads (compressed) and runs.

    .venv/bin/python bench/lighthouse.py

The baseline, measured in the same run: a static page of one heading and one paragraph served by the same kind
of process (Python's http.server), so that FCP and LCP read as multiples of the least any page costs here.
Targets (the issue's): performance ≥ 90, accessibility 100, best practices ≥ 95, CLS < 0.1.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path
from subprocess import DEVNULL
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from testkit.browser import ARTIFACTS  # noqa: E402
from testkit.processes import ServerProcess, base_env, login, run  # noqa: E402
from testkit.servers import free_port  # noqa: E402

OUT = ARTIFACTS / "lighthouse"
GREEN = 'query { feed(filter: {statuses: [FOLLOWED_UP]}, first: 1) { edges { node { id } } } }'
BLANK = "<!doctype html><html lang=en><title>Baseline</title><h1>Warga</h1><p>One paragraph of text.</p></html>"


async def lighthouse(url: str, token: str | None, name: str) -> dict[str, Any]:
    out = OUT / f"{name}.json"
    node = await asyncio.create_subprocess_exec("node", str(ROOT / "bench" / "lighthouse.mjs"), url, token or "-",
                                                str(out), cwd=ROOT, stdout=DEVNULL, stderr=DEVNULL)
    if await node.wait():
        raise SystemExit(f"lighthouse failed on {url}")
    report: dict[str, Any] = json.loads(out.read_text())
    return report


def figures(report: dict[str, Any]) -> dict[str, float]:
    audits = report["audits"]
    scripts = [r for r in audits["network-requests"]["details"]["items"] if r.get("resourceType") == "Script"]
    return {
        "perf": report["categories"]["performance"]["score"] * 100,
        "a11y": report["categories"]["accessibility"]["score"] * 100,
        "bp": report["categories"]["best-practices"]["score"] * 100,
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "js_kb": sum(r["transferSize"] for r in scripts) / 1024,
        "js_raw_kb": sum(r["resourceSize"] for r in scripts) / 1024,
    }


def failing(report: dict[str, Any]) -> list[str]:
    """The audits of the three categories that failed, for the reader to fix."""
    ids = {ref["id"] for c in report["categories"].values() for ref in c["auditRefs"] if ref.get("weight")}
    return sorted(i for i in ids if report["audits"][i].get("score") is not None and report["audits"][i]["score"] < 0.9)


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "index.html").write_text(BLANK)
        blank_port = free_port()
        blank = await asyncio.create_subprocess_exec(sys.executable, "-m", "http.server", str(blank_port), "--bind",
                                                     "127.0.0.1", cwd=tmp, stdout=DEVNULL, stderr=DEVNULL)
        env = base_env(f"sqlite://{Path(tmp) / 'demo.sqlite3'}", "", Path(tmp) / "media")
        env.update(WARGA_MAP_TILE_URL="")  # no tile server here: markers on a plain background
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        server = ServerProcess(free_port(), env)
        await server.start()
        try:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
                resident = await login(http, server.url, "budi")
                lurah = await login(http, server.url, "lurah_pisanganbaru")
                green = (await http.post("/graphql", json={"query": GREEN})).json()["data"]["feed"]["edges"][0]["node"]
            pages = [("baseline", f"http://127.0.0.1:{blank_port}/", None), ("feed", f"{server.url}/", None),
                     ("report", f"{server.url}/#/r/{green['id']}", None), ("post", f"{server.url}/#/lapor", resident),
                     ("queue", f"{server.url}/#/antrian", lurah)]
            results = {name: await lighthouse(url, token, name) for name, url, token in pages}
        finally:
            await server.stop()
            blank.terminate()
            await blank.wait()
    base = figures(results["baseline"])
    print(f"{'screen':<9}{'perf':>6}{'a11y':>6}{'bp':>6}{'CLS':>7}{'FCP ms':>8}{'LCP ms':>8}{'LCP/base':>9}"
          f"{'TBT ms':>8}{'JS KB gz':>9}{'JS KB':>7}")
    for name, report in results.items():
        f = figures(report)
        print(f"{name:<9}{f['perf']:>6.0f}{f['a11y']:>6.0f}{f['bp']:>6.0f}{f['cls']:>7.3f}{f['fcp']:>8.0f}"
              f"{f['lcp']:>8.0f}{f['lcp'] / base['lcp']:>8.2f}×{f['tbt']:>8.0f}{f['js_kb']:>9.1f}"
              f"{f['js_raw_kb']:>7.1f}")
    for name, report in results.items():
        if name != "baseline" and failing(report):
            print(f"  {name}: below 0.9 — {', '.join(failing(report))}")
    print(f"(reports in {OUT.relative_to(ROOT)}/)")


if __name__ == "__main__":
    asyncio.run(main())
