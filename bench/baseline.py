"""The practical limit for a feed page: Starlette, raw asyncpg, orjson, nothing else.

Reads the same 20 rows (with category, kelurahan, author and first photo) that `feed(first: 20)`
reads, in keyset order, and writes the same JSON the GraphQL answer carries. Run by bench/feed.py:

    WARGA_DATABASE_URL=postgres://... python -m uvicorn bench.baseline:app --port 8100
"""

from __future__ import annotations

import base64
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BADGES = {"WAITING": "RED", "REOPENED": "RED", "IN_PROGRESS": "YELLOW", "FOLLOWED_UP": "GREEN", "CLOSED": "GREEN",
          "REJECTED": "GREY"}
OPEN = ("WAITING", "IN_PROGRESS", "REOPENED")
PAGE = """
SELECT r.id, r.body, r.status, r.created_at, r.due_at, r.support_count, r.comment_count, r.anonymous,
       c.code AS category_code, c.name AS category_name, a.name AS area_name,
       u.handle, u.display_name,
       (SELECT p.digest FROM photo p WHERE p.report_id = r.id AND p.follow_up_id IS NULL AND p.event_id IS NULL
        ORDER BY p.position LIMIT 1) AS digest
FROM report r
JOIN category c ON c.id = r.category_id
LEFT JOIN area a ON a.id = r.area_id
JOIN account u ON u.id = r.author_id
WHERE NOT r.hidden
ORDER BY r.created_at DESC, r.id DESC
LIMIT 21
"""


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode().rstrip("=")


def node(row: asyncpg.Record, now: datetime) -> dict[str, object]:
    photo = [] if row["digest"] is None else [{"url": f"/media/{row['digest']}.jpg",
                                                "thumbnailUrl": f"/media/{row['digest']}_t.jpg"}]
    return {
        "id": global_id("Report", row["id"]),
        "body": row["body"],
        "status": row["status"],
        "badge": BADGES[row["status"]],
        "isOverdue": row["due_at"] is not None and row["status"] in OPEN and row["due_at"] < now,
        "createdAt": row["created_at"].isoformat(),
        "supportCount": row["support_count"],
        "commentCount": row["comment_count"],
        "category": {"code": row["category_code"], "name": row["category_name"]},
        "area": {"name": row["area_name"]},
        "author": None if row["anonymous"] else {"handle": row["handle"], "displayName": row["display_name"]},
        "photos": photo,
    }


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(os.environ["WARGA_DATABASE_URL"], min_size=2, max_size=10)
    yield
    await app.state.pool.close()


async def feed(request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        rows = await conn.fetch(PAGE)
    now = datetime.now(UTC)
    last = rows[min(len(rows), 20) - 1]
    cursor = base64.urlsafe_b64encode(f"{last['created_at'].isoformat()}|{last['id']}".encode()).decode()
    body = {"data": {"feed": {"edges": [{"node": node(r, now)} for r in rows[:20]],
                              "pageInfo": {"endCursor": cursor, "hasNextPage": len(rows) > 20}}}}
    return Response(orjson.dumps(body), media_type="application/json")


app = Starlette(routes=[Route("/feed", feed, methods=["GET", "POST"])], lifespan=lifespan)
