"""Reports in bulk for the benchmarks: synthetic rows written by SQL straight into PostgreSQL (a million in
minutes), and the feed page the benchmarks read them with (the public page's card)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

CARD = """id body status badge isOverdue createdAt supportCount commentCount category { code name } area { name }
  author { handle displayName } photos { url thumbnailUrl }"""
FEED = "query Feed($after: String) { feed(first: 20, after: $after) { edges { node { %s } } " \
       "pageInfo { endCursor hasNextPage } } }"
ANONYMOUS_FEED = FEED % CARD
SIGNED_IN_FEED = FEED % (CARD + " viewerHasSupported")

STATUSES = ["WAITING", "IN_PROGRESS", "FOLLOWED_UP", "CLOSED", "REOPENED", "REJECTED"]
# Synthetic reports, one every 30 s back from a fixed point, spread over categories and villages.
FILL = """
INSERT INTO report (kind, body, search_text, category_id, agency_id, lat, lng, address, area_id, area_path, author_id,
    anonymous, status, hidden, support_count, comment_count, reopen_count, created_at, updated_at, due_at,
    first_response_at, first_follow_up_at, last_follow_up_at)
SELECT 'CITIZEN', 'Laporan uji beban nomor ' || g, 'lapor uji beban nomor', ($1::int[])[1 + g % cardinality($1::int[])],
    ($2::int[])[1 + g % cardinality($2::int[])], ($4::float8[])[1 + g % cardinality($3::int[])],
    ($5::float8[])[1 + g % cardinality($3::int[])], NULL, ($3::int[])[1 + g % cardinality($3::int[])],
    ($6::text[])[1 + g % cardinality($3::int[])], $7, g % 7 = 3, ($8::text[])[1 + g % 6], false, g % 5, g % 3, 0,
    $9::timestamptz - g * interval '30 seconds', $9::timestamptz - g * interval '30 seconds',
    $9::timestamptz - g * interval '30 seconds' + interval '72 hours',
    CASE WHEN g % 6 <> 0 THEN $9::timestamptz - g * interval '30 seconds' + (g % 48) * interval '1 hour' END,
    CASE WHEN g % 6 IN (2, 3) THEN $9::timestamptz - g * interval '30 seconds' + interval '30 hours' END,
    CASE WHEN g % 6 IN (2, 3) THEN $9::timestamptz - g * interval '30 seconds' + interval '30 hours' END
FROM generate_series($10::int, $11::int) g
"""
PHOTOS = """INSERT INTO photo (report_id, digest, width, height, position)
SELECT id, $1, 2000, 1500, 0 FROM report WHERE id > $2"""


async def fill(conn: asyncpg.Connection, start: int, end: int, anchor: datetime) -> None:
    """Adds synthetic reports number start..end (with one photo each), in batches of 100,000."""
    cats = await conn.fetch("SELECT id, agency_id FROM category ORDER BY id")
    villages = await conn.fetch("SELECT id, path, centroid_lat, centroid_lng FROM area WHERE level = 'VILLAGE'")
    author = await conn.fetchval("SELECT id FROM account WHERE handle = 'siti'")
    digest = await conn.fetchval("SELECT digest FROM photo LIMIT 1")
    for low in range(start, end + 1, 100_000):
        high = min(end, low + 99_999)
        last = await conn.fetchval("SELECT coalesce(max(id), 0) FROM report")
        await conn.execute(FILL, [c["id"] for c in cats], [c["agency_id"] for c in cats], [v["id"] for v in villages],
                           [v["centroid_lat"] for v in villages], [v["centroid_lng"] for v in villages],
                           [v["path"] for v in villages], author, STATUSES, anchor, low, high)
        await conn.execute(PHOTOS, digest, last)
    await conn.execute("ANALYZE report; ANALYZE photo")
