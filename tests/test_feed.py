"""The public feed: every filter, full-text search in Indonesian, keyset pages, one query per kind."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from models import Area
from resolvers.ids import to_global_id
from resolvers.selection import selected
from testkit.client import Api
from testkit.reports import CAKUNG_BARAT, CEGER, PISANGAN_BARU, feed_ids, post


async def test_filters(api: Api) -> None:
    token, author = await api.account()
    me = to_global_id("Account", author.id)
    light = await post(api, token, PISANGAN_BARU, "Lampu PJU padam", "PJU_PADAM")
    flood = await post(api, token, CAKUNG_BARAT, "Banjir setinggi lutut", "BANJIR")
    road = await post(api, token, CEGER, "Jalan rusak berlubang", "JALAN_RUSAK")
    assert await feed_ids(api, {"authorId": me}) == [road["id"], flood["id"], light["id"]]  # newest first
    matraman = await Area.get(code="31.75.01")
    city = await Area.get(code="31.75")
    assert await feed_ids(api, {"authorId": me, "areaId": to_global_id("Area", matraman.id)}) == [light["id"]]
    assert len(await feed_ids(api, {"authorId": me, "areaId": to_global_id("Area", city.id)})) == 3
    assert await feed_ids(api, {"authorId": me, "areaId": light["area"]["id"]}) == [light["id"]]
    water_and_roads = {"authorId": me, "categoryCodes": ["BANJIR", "JALAN_RUSAK"]}
    assert await feed_ids(api, water_and_roads) == [road["id"], flood["id"]]
    assert await feed_ids(api, {"authorId": me, "agencyId": road["agency"]["id"]}) == [road["id"]]
    assert await feed_ids(api, {"authorId": me, "statuses": ["WAITING"]}) == [road["id"], flood["id"], light["id"]]
    assert await feed_ids(api, {"authorId": me, "statuses": ["CLOSED", "REJECTED"]}) == []
    assert await feed_ids(api, {"authorId": me, "kind": "DUTY"}) == []
    north_box = {"south": -6.20, "west": 106.90, "north": -6.15, "east": 106.98}
    assert await feed_ids(api, {"authorId": me, "bbox": north_box}) == [flood["id"]]
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert await feed_ids(api, {"authorId": me, "since": future}) == []
    assert await feed_ids(api, {"authorId": me, "since": light["createdAt"]}) == [road["id"], flood["id"], light["id"]]


async def test_text_search_understands_indonesian_word_forms(api: Api) -> None:
    token, author = await api.account()
    me = to_global_id("Account", author.id)
    pothole = await post(api, token, body="Jalanan yang rusak parah di depan sekolah", category="JALAN_RUSAK")
    await post(api, token, body="Sampah menumpuk di pinggir kali", category="SAMPAH")
    assert await feed_ids(api, {"authorId": me, "text": "jalan rusak"}) == [pothole["id"]]
    assert await feed_ids(api, {"authorId": me, "text": "Kerusakan jalan"}) == [pothole["id"]]  # ke-rusak-an
    assert await feed_ids(api, {"authorId": me, "text": "jalan banjir"}) == []  # every word must match
    assert len(await feed_ids(api, {"authorId": me, "text": "  "})) == 2
    assert await feed_ids(api, {"authorId": me, "text": "'; DROP TABLE report; --"}) == []


async def test_pages_have_no_gaps_or_repeats_while_reports_arrive(api: Api) -> None:
    token, author = await api.account()
    me = to_global_id("Account", author.id)
    original = [(await post(api, token, body=f"Laporan nomor {i}"))["id"] for i in range(7)]
    query = """query($f: ReportFilter, $after: String) {
      feed(filter: $f, first: 3, after: $after) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = (await api.gql(query, {"f": {"authorId": me}, "after": after}))["feed"]
        seen += [e["node"]["id"] for e in page["edges"]]
        await post(api, token, body=f"Laporan baru setelah halaman {len(seen)}")  # arrives between pages
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(original))


async def test_page_size_and_cursor_errors(api: Api) -> None:
    query = "query($n: Int, $a: String) { feed(first: $n, after: $a) { edges { node { id } } } }"
    assert len((await api.gql(query, {"n": 1000}))["feed"]["edges"]) <= 100
    assert await api.error_codes(query, {"n": -1}) == ["BAD_USER_INPUT"]
    assert await api.error_codes(query, {"n": 5, "a": "garbage!"}) == ["BAD_USER_INPUT"]


CARD = """query($f: ReportFilter, $n: Int) { feed(filter: $f, first: $n) { edges { cursor node {
  id kind body status badge createdAt dueAt isOverdue address hidden location { lat lng }
  author { id handle displayName } category { code name agency { code } } area { id name parent { name } }
  agency { code name } photos { url thumbnailUrl width height distanceFromReportMeters } mentions { handle }
  commentCount supportCount viewerHasSupported viewerFollows } } pageInfo { hasNextPage endCursor } } }"""


class Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements = 0

    def emit(self, record: logging.LogRecord) -> None:
        task = asyncio.current_task()
        if task is not None and task.get_name().startswith("warga-"):
            return  # the server's background work (the outbox relay), not this request
        if not str(record.msg).startswith(("Created connection", "Closed connection")):
            self.statements += 1


async def statements_for_page(api: Api, filter: dict, token: str, size: int) -> tuple[int, int]:
    logger = logging.getLogger("tortoise.db_client")
    counter, level = Counter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        body = await api.gql(CARD, {"f": filter, "n": size}, token)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.statements, len(body["feed"]["edges"])


async def test_feed_page_costs_the_same_statements_for_10_and_100_reports(api: Api) -> None:
    token, author = await api.account()
    viewer_token, _ = await api.account()
    me = to_global_id("Account", author.id)
    for i in range(100):
        await post(api, token, body=f"Laporan @{author.handle} nomor {i}")
    await statements_for_page(api, {"authorId": me}, viewer_token, 10)  # areas and categories are kept a minute
    small, rows_small = await statements_for_page(api, {"authorId": me}, viewer_token, 10)
    large, rows_large = await statements_for_page(api, {"authorId": me}, viewer_token, 100)
    assert (rows_small, rows_large) == (10, 100)
    print(f"\nfeed page with the full card: {small} SQL statements for 10 reports, {large} for 100")
    assert small == large
    assert large <= 16


def test_a_page_prefetches_what_fragments_select_too() -> None:
    """resolvers.selection finds the node fields a page must load, through fragments of both kinds."""
    def field(name: str, *selections: Selection) -> SelectedField:
        return SelectedField(name=name, directives={}, arguments={}, selections=list(selections))

    card = FragmentSpread(name="Card", type_condition="Report", directives={},
                          selections=[field("photos", field("url")), field("author", field("handle"))])
    node = field("node", field("id"), card, InlineFragment(type_condition="Report", directives={},
                                                           selections=[field("viewerHasSupported")]))
    feed = field("feed", field("edges", node), field("pageInfo", field("endCursor")))
    info = cast(Any, SimpleNamespace(selected_fields=[feed]))  # all that resolvers.selection reads of an Info
    assert selected(info, "edges", "node") == {"id", "photos", "author", "viewerHasSupported"}
    assert selected(info) == {"edges", "pageInfo"}
