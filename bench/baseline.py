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


REPORT = """
SELECT r.id, r.body, r.status, r.created_at, r.due_at, r.support_count, r.comment_count, r.anonymous,
       c.code AS category_code, c.name AS category_name, a.name AS area_name, u.handle, u.display_name,
       NULL AS digest
FROM report r JOIN category c ON c.id = r.category_id LEFT JOIN area a ON a.id = r.area_id
JOIN account u ON u.id = r.author_id WHERE r.id = $1 AND NOT r.hidden
"""
PHOTOS = """SELECT report_id, follow_up_id, digest FROM photo WHERE report_id = $1 AND event_id IS NULL
ORDER BY position"""
FOLLOW_UPS = """SELECT f.id, f.note, f.created_at, u.handle FROM follow_up f JOIN account u ON u.id = f.officer_id
WHERE f.report_id = $1 ORDER BY f.created_at, f.id"""
TIMELINE = """SELECT e.kind, e.status, e.note, e.created_at, u.handle FROM report_event e
LEFT JOIN account u ON u.id = e.actor_id WHERE e.report_id = $1 ORDER BY e.created_at, e.id"""
COMMENTS = """SELECT m.id, m.body, m.created_at, u.handle FROM comment m JOIN account u ON u.id = m.author_id
WHERE m.report_id = $1 ORDER BY m.created_at, m.id LIMIT 21"""


def photo(digest: str) -> dict[str, str]:
    return {"url": f"/media/{digest}.jpg", "thumbnailUrl": f"/media/{digest}_t.jpg"}


async def report(request: Request) -> Response:
    """A report's page: the report, its photos, its follow-ups with theirs, its timeline, its first 20 comments
    (what bench/reads.py asks Warga for), one query each on one connection."""
    pk = int(request.path_params["pk"])
    async with request.app.state.pool.acquire() as conn:
        row = await conn.fetchrow(REPORT, pk)
        photos, follow_ups = await conn.fetch(PHOTOS, pk), await conn.fetch(FOLLOW_UPS, pk)
        events, comments = await conn.fetch(TIMELINE, pk), await conn.fetch(COMMENTS, pk)
    by_follow_up: dict[int | None, list[dict[str, str]]] = {}
    for p in photos:
        by_follow_up.setdefault(p["follow_up_id"], []).append(photo(p["digest"]))
    body = {"data": {"report": {
        **node(row, datetime.now(UTC)), "photos": by_follow_up.get(None, []),
        "followUps": [{"note": f["note"], "createdAt": f["created_at"].isoformat(), "officer": {"handle": f["handle"]},
                       "photos": by_follow_up.get(f["id"], [])} for f in follow_ups],
        "timeline": [{"kind": e["kind"], "status": e["status"], "note": e["note"],
                      "createdAt": e["created_at"].isoformat(),
                      "actor": None if e["handle"] is None else {"handle": e["handle"]}} for e in events],
        "comments": {"edges": [{"node": {"id": global_id("Comment", c["id"]), "body": c["body"],
                                         "createdAt": c["created_at"].isoformat(), "author": {"handle": c["handle"]}}}
                               for c in comments[:20]], "pageInfo": {"hasNextPage": len(comments) > 20}},
    }}}
    return Response(orjson.dumps(body), media_type="application/json")


app = Starlette(routes=[Route("/feed", feed, methods=["GET", "POST"]),
                        Route("/report/{pk:int}", report, methods=["GET", "POST"])], lifespan=lifespan)
