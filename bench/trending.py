"""trendingTopics over 100,000 reports and 200,000 comments in a month of a city (and as many in the month
before), on PostgreSQL and on SQLite, each figure beside baselines measured in the same run.

    .venv/bin/python bench/trending.py [--reports 100000] [--comments 200000] [--runs 9] [--databases postgres,sqlite]

Per database: a fresh database migrated and loaded with the demo (Jakarta Timur: 65 kelurahan), then two months
of residents' texts from testkit/opinion.py's seeded writer (topic words in several forms, 5,000 place names,
stop words, @mentions, numbers, links; floods and mosquitoes hotter in the second month) written straight into
the tables, counted by `server.py rebuild-trends` (the backfill), and asked of a server process over HTTP,
signed in as the admin: the city's month (October 2026, Jakarta time) and one kelurahan's. No answer cache
is involved (signed-in answers are never cached; the service keeps none), so every figure is cache-free.

Baselines: a plain `SELECT count(*)` of the month's reports and comments; the service's own sum as raw SQL over
term_use (what the query costs without GraphQL and sample reports); and counting the words of the same texts
at query time, the design the write-time counts replace. The write cost is a comment's insert with and without
its counts, in a transaction rolled back.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from resolvers.ids import to_global_id  # noqa: E402
from testkit.databases import demo_database  # noqa: E402
from testkit.opinion import Writer  # noqa: E402
from testkit.processes import ServerProcess, base_env, login, run  # noqa: E402
from testkit.servers import free_port  # noqa: E402

JAKARTA = ZoneInfo("Asia/Jakarta")
START = datetime(2026, 10, 1, tzinfo=JAKARTA)
END = datetime(2026, 11, 1, tzinfo=JAKARTA)
BEFORE = START - (END - START)
REDIS = "redis://127.0.0.1:6379/13"
QUERY = """query($a: ID, $f: DateTime!, $t: DateTime!) { trendingTopics(areaId: $a, from: $f, to: $t, first: 10) {
  term label count previousCount growth sampleReports { id body createdAt area { name } } } }"""
HEAT = {"before": {0: 2.0}, "now": {2: 3.0, 16: 4.0}}
WORD = re.compile(r"\w+")


# ---- the texts ------------------------------------------------------------------------------------------

def generate(reports: int, comments: int, villages: list[tuple[int, str]], seed: int = 19
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Both months: per month `reports` reports in random kelurahan (some busier) and `comments` comments on
    reports of the same month (up to 3 days after them); 1% of reports hidden."""
    from services.words import stem

    rng = random.Random(seed)
    writer = Writer(rng, places=5000)
    weights = [rng.uniform(0.3, 3.0) for _ in villages]
    made_reports: list[dict[str, Any]] = []
    made_comments: list[dict[str, Any]] = []
    for name, start, end in (("before", BEFORE, START), ("now", START, END)):
        seconds = int((end - start).total_seconds())
        first = len(made_reports)
        for place in rng.choices(range(len(villages)), weights, k=reports):
            body = writer.text(HEAT[name])
            made_reports.append({
                "body": body, "search_text": " ".join(stem(w) for w in WORD.findall(body.lower())),
                "area_id": villages[place][0], "area_path": villages[place][1], "hidden": rng.random() < 0.01,
                "created_at": (start + timedelta(seconds=rng.randrange(seconds))).astimezone(UTC)})
        for _ in range(comments):
            number = rng.randrange(first, len(made_reports))
            moment = made_reports[number]["created_at"] + timedelta(seconds=rng.randrange(3 * 86400))
            made_comments.append({"report": number, "body": writer.text(HEAT[name]),
                                  "created_at": min(moment, end.astimezone(UTC) - timedelta(seconds=1))})
    return made_reports, made_comments


# ---- the databases --------------------------------------------------------------------------------------

class Database(Protocol):
    """The raw driver of one database, for filling it and for the baselines."""

    name: str
    env: dict[str, str]

    async def fetchval(self, sql: str, *args: Any) -> Any: ...
    async def fetch(self, sql: str, *args: Any) -> list[Any]: ...
    async def fill(self, reports: list[dict[str, Any]], comments: list[dict[str, Any]]) -> None: ...
    async def close(self) -> None: ...
    def moment(self, value: datetime) -> Any: ...


class Postgres:
    name = "PostgreSQL"

    def moment(self, value: datetime) -> Any:
        return value

    def __init__(self, env: dict[str, str], conn: asyncpg.Connection) -> None:
        self.env, self.conn = env, conn

    async def fetchval(self, sql: str, *args: Any) -> Any:
        counter = iter(range(1, 100))
        return await self.conn.fetchval(re.sub(r"\?", lambda _: f"${next(counter)}", sql), *args)

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        counter = iter(range(1, 100))
        return list(await self.conn.fetch(re.sub(r"\?", lambda _: f"${next(counter)}", sql), *args))

    async def fill(self, reports: list[dict[str, Any]], comments: list[dict[str, Any]]) -> None:
        category, author = await self.conn.fetchval("SELECT id FROM category WHERE code = 'SAMPAH'"), \
            await self.conn.fetchval("SELECT id FROM account WHERE handle = 'siti'")
        last = await self.conn.fetchval("SELECT coalesce(max(id), 0) FROM report")
        columns = ["kind", "body", "search_text", "category_id", "lat", "lng", "area_id", "area_path", "author_id",
                   "anonymous", "status", "hidden", "support_count", "comment_count", "reopen_count", "created_at",
                   "updated_at"]
        await self.conn.copy_records_to_table("report", columns=columns, records=[
            ("CITIZEN", r["body"], r["search_text"], category, -6.2, 106.9, r["area_id"], r["area_path"], author,
             False, "WAITING", r["hidden"], 0, 0, 0, r["created_at"], r["created_at"]) for r in reports])
        ids = [row["id"] for row in await self.conn.fetch("SELECT id FROM report WHERE id > $1 ORDER BY id", last)]
        await self.conn.copy_records_to_table("comment", columns=["report_id", "author_id", "body", "created_at"],
                                              records=[(ids[c["report"]], author, c["body"], c["created_at"])
                                                       for c in comments])
        await self.conn.execute("ANALYZE report; ANALYZE comment")

    async def close(self) -> None:
        await self.conn.close()


class Sqlite:
    name = "SQLite"

    def __init__(self, env: dict[str, str], path: str) -> None:
        self.env, self.db = env, sqlite3.connect(path)

    def moment(self, value: datetime) -> Any:
        return value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return self.db.execute(sql, args).fetchone()[0]

    async def fetch(self, sql: str, *args: Any) -> list[Any]:
        return self.db.execute(sql, args).fetchall()

    async def fill(self, reports: list[dict[str, Any]], comments: list[dict[str, Any]]) -> None:
        category = self.db.execute("SELECT id FROM category WHERE code = 'SAMPAH'").fetchone()[0]
        author = self.db.execute("SELECT id FROM account WHERE handle = 'siti'").fetchone()[0]
        last = self.db.execute("SELECT coalesce(max(id), 0) FROM report").fetchone()[0]
        self.db.executemany(
            "INSERT INTO report (kind, body, search_text, category_id, lat, lng, area_id, area_path, author_id, "
            "anonymous, status, hidden, support_count, comment_count, reopen_count, created_at, updated_at) "
            "VALUES ('CITIZEN', ?, ?, ?, -6.2, 106.9, ?, ?, ?, 0, 'WAITING', ?, 0, 0, 0, ?, ?)",
            [(r["body"], r["search_text"], category, r["area_id"], r["area_path"], author, int(r["hidden"]),
              self.moment(r["created_at"]), self.moment(r["created_at"])) for r in reports])
        ids = [row[0] for row in self.db.execute("SELECT id FROM report WHERE id > ? ORDER BY id", (last,))]
        self.db.executemany("INSERT INTO comment (report_id, author_id, body, created_at) VALUES (?, ?, ?, ?)",
                            [(ids[c["report"]], author, c["body"], self.moment(c["created_at"])) for c in comments])
        self.db.commit()
        self.db.execute("ANALYZE")

    async def close(self) -> None:
        self.db.close()


@asynccontextmanager
async def database(kind: str) -> AsyncIterator[Database]:
    if kind == "postgres":
        async with demo_database("warga_bench_trending", REDIS) as env:
            conn = await asyncpg.connect(env["WARGA_DATABASE_URL"])
            # As the service does (plumbing.dialect.custom_plans): no generic plan after five runs.
            await conn.execute("SET plan_cache_mode = force_custom_plan")
            db: Database = Postgres(env, conn)
            try:
                yield db
            finally:
                await db.close()
    else:
        folder = Path(tempfile.mkdtemp(prefix="warga-bench-trending-"))
        env = base_env(f"sqlite://{folder / 'warga.sqlite3'}", "", folder / "media")
        env["WARGA_RATE_LIMIT_SCALE"] = "0"
        await run("migrate", env=env)
        await run("seed-demo", env=env)
        db = Sqlite(env, str(folder / "warga.sqlite3"))
        try:
            yield db
        finally:
            await db.close()


# ---- the measurements -----------------------------------------------------------------------------------

def p50(times: list[float]) -> float:
    return statistics.median(times) * 1000


async def timed(action: Any, runs: int) -> tuple[float, float, Any]:
    """The first call's ms, the median of `runs` more, and the last answer."""
    t0 = time.perf_counter()
    answer = await action()
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        answer = await action()
        times.append(time.perf_counter() - t0)
    return first, p50(times), answer


def sum_sql(db: Database, area_id: int, weeks: bool) -> list[Any]:
    """The service's sum over term_use for the city's month and the 31 days before, as one raw statement (with
    its week rows, as services/trends.py reads them, or day rows only); its arguments follow the SQL."""
    from services.trends import spans

    first, end, previous = START.date(), END.date(), BEFORE.date()
    ranges = spans(previous, first) + spans(first, end) if weeks else [(1, previous, end)]
    day = (lambda d: d) if db.name == "PostgreSQL" else (lambda d: d.isoformat())
    union = " UNION ALL ".join(
        "SELECT term, form, day, count FROM term_use WHERE area_id = ? AND days = ? AND day >= ? AND day < ?"
        for _ in ranges)
    return [f"SELECT term, form, SUM(CASE WHEN day >= ? THEN count ELSE 0 END), SUM(CASE WHEN day < ? THEN count "
            f"ELSE 0 END) FROM ({union}) AS uses GROUP BY term, form", day(first), day(first),
            *(v for span, low, high in ranges for v in (area_id, span, day(low), day(high)))]


async def query_time_count(db: Database) -> tuple[float, int]:
    """The design not taken: read both months' texts of the city and count their words now (seconds)."""
    from services.words import terms

    started = time.perf_counter()
    counts: Counter[str] = Counter()
    low, high = db.moment(BEFORE), db.moment(END)
    for sql in ("SELECT body FROM report WHERE created_at >= ? AND created_at < ? AND hidden = ?",
                "SELECT c.body FROM comment c JOIN report r ON r.id = c.report_id "
                "WHERE c.created_at >= ? AND c.created_at < ? AND r.hidden = ?"):
        for row in await db.fetch(sql, low, high, False):
            counts.update(terms(row[0]).keys())
    return time.perf_counter() - started, len(counts)


async def write_cost(env: dict[str, str], runs: int = 200) -> tuple[float, float]:
    """p50 ms of inserting one comment, alone and with its term counts, in a transaction rolled back."""
    from tortoise import Tortoise
    from tortoise.transactions import in_transaction

    from models import Comment, Report
    from models.config import tortoise_config
    from services import trends

    class Rollback(Exception):
        pass

    rng = random.Random(5)
    writer = Writer(rng, places=5000)
    await Tortoise.init(config=tortoise_config(env["WARGA_DATABASE_URL"]))
    try:
        report = await Report.filter(created_at__gte=START.astimezone(UTC)).order_by("id").first()
        assert report is not None
        alone: list[float] = []
        counted: list[float] = []
        for number in range(runs * 2):
            with_counts = number % 2 == 1
            t0 = time.perf_counter()
            try:
                async with in_transaction():
                    comment = await Comment.create(report_id=report.id, author_id=report.author_id,
                                                   body=writer.text(), created_at=datetime.now(UTC))
                    if with_counts:
                        await trends.record_comment(comment)
                    raise Rollback
            except Rollback:
                pass
            (counted if with_counts else alone).append(time.perf_counter() - t0)
        return p50(alone), p50(counted)
    finally:
        await Tortoise.close_connections()


async def bench(kind: str, reports: int, comments: int, runs: int) -> None:
    async with database(kind) as db:
        villages = [(r[0], r[1]) for r in await db.fetch("SELECT id, path FROM area WHERE level = ? ORDER BY id",
                                                          "VILLAGE")]
        city = await db.fetchval("SELECT id FROM area WHERE level = ?", "CITY")
        village = villages[0][0]
        print(f"\n{db.name}: {len(villages)} kelurahan; writing {2 * reports:,} reports and {2 * comments:,} comments")
        t0 = time.perf_counter()
        made_reports, made_comments = generate(reports, comments, villages)
        await db.fill(made_reports, made_comments)
        print(f"   generated and written in {time.perf_counter() - t0:.0f} s")
        t0 = time.perf_counter()
        counted = await asyncio.create_subprocess_exec(sys.executable, "server.py", "rebuild-trends", cwd=ROOT,
                                                       env=db.env, stdout=asyncio.subprocess.DEVNULL)
        assert await counted.wait() == 0, "rebuild-trends failed"
        rebuild = time.perf_counter() - t0
        rows = await db.fetchval("SELECT count(*) FROM term_use")
        print(f"   rebuild-trends (the backfill): {rebuild:.0f} s for {2 * (reports + comments):,} texts, "
              f"{rows:,} term_use rows")

        server = await ServerProcess(free_port(), {**db.env, "WARGA_AUTO_CLOSE_INTERVAL_S": "0",
                                                    "WARGA_SURGE_INTERVAL_S": "0"}).start()
        try:
            async with httpx.AsyncClient(timeout=300) as http:
                token = await login(http, server.url, "admin")

                async def ask(area_id: int) -> dict[str, Any]:
                    variables = {"a": to_global_id("Area", area_id), "f": START.isoformat(), "t": END.isoformat()}
                    body = (await http.post(server.url + "/graphql", json={"query": QUERY, "variables": variables},
                                            headers={"authorization": f"Bearer {token}"})).json()
                    assert "errors" not in body, body
                    return dict(body["data"])

                city_first, city_p50, answer = await timed(lambda: ask(city), runs)
                village_first, village_p50, _ = await timed(lambda: ask(village), runs)
        finally:
            await server.stop()

        month = (db.moment(START), db.moment(END))
        _, count_p50, _ = await timed(lambda: db.fetchval(
            "SELECT (SELECT count(*) FROM report WHERE created_at >= ? AND created_at < ?) + "
            "(SELECT count(*) FROM comment WHERE created_at >= ? AND created_at < ?)", *month, *month), runs)
        _, sum_p50, _ = await timed(lambda: db.fetch(*sum_sql(db, city, weeks=True)), runs)
        _, days_p50, _ = await timed(lambda: db.fetch(*sum_sql(db, city, weeks=False)), runs)
        counting, distinct = await query_time_count(db)
        alone, with_counts = await write_cost(db.env)

        top = answer["trendingTopics"]
        rising = ", ".join(f"{t['label']} {t['previousCount']}->{t['count']}" for t in top[:5])
        print(f"   top terms: {rising}")
        print(f"   trendingTopics, the city's month, HTTP, p50 of {runs}:  {city_p50:7.1f} ms  (the server's first "
              f"request: {city_first:.1f} ms; target < 500 ms)")
        print(f"   trendingTopics, one kelurahan's month:             {village_p50:7.1f} ms  "
              f"(first {village_first:.1f})")
        print(f"   baseline: SELECT count(*) of the month's texts:    {count_p50:7.1f} ms  "
              f"-> trendingTopics is {city_p50 / count_p50:.1f}x")
        print(f"   baseline: the same sum as raw SQL on term_use:     {sum_p50:7.1f} ms  "
              f"-> {city_p50 / sum_p50:.1f}x (GraphQL, HTTP, labels, samples)")
        print(f"   the same sum over day rows only (no week rows):    {days_p50:7.1f} ms  "
              f"-> {days_p50 / sum_p50:.1f}x the sum with week rows")
        print(f"   counting both months' words at query time:         {counting * 1000:7.0f} ms  "
              f"({distinct:,} terms) -> {counting * 1000 / city_p50:.0f}x slower")
        print(f"   write cost: a comment's insert {alone:.2f} ms, with its term counts {with_counts:.2f} ms "
              f"(+{with_counts - alone:.2f} ms)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--databases", default="postgres,sqlite")
    args = parser.parse_args()
    print(f"trending.py {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {args.reports:,} reports and {args.comments:,} "
          f"comments a month, two months, Jakarta Timur's demo areas")
    for kind in args.databases.split(","):
        await bench(kind, args.reports, args.comments, args.runs)


if __name__ == "__main__":
    asyncio.run(main())
