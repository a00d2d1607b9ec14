"""Automatic persisted queries (Apollo's protocol) and the anonymous response cache, over real HTTP."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from graphql_http.persisted import PersistedQueries, RequestRefused
from testkit.client import Api, unique
from testkit.databases import REDIS_URL, redis_reachable
from testkit.reports import post

FEED = "query Top($n: Int) { feed(first: $n) { edges { node { id body badge } } } }"


def apq(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


async def test_a_hash_stands_for_the_document_after_one_miss(api: Api) -> None:
    query = FEED.replace("Top", "TopApq")
    missing = await api.http.post("/graphql", json={"extensions": apq(query), "variables": {"n": 2}})
    assert missing.status_code == 200 and missing.headers["cache-control"] == "no-store"
    assert missing.json() == {"errors": [{"message": "PersistedQueryNotFound",
                                          "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}]}
    full = await api.http.post("/graphql", json={"query": query, "extensions": apq(query), "variables": {"n": 2}})
    short = await api.http.post("/graphql", json={"extensions": apq(query), "variables": {"n": 2}})
    assert "errors" not in full.json() and short.json() == full.json()
    # GET, as a CDN would cache it: a few bytes instead of the document.
    params = {"extensions": orjson.dumps(apq(query)).decode(), "variables": '{"n": 2}'}
    got = await api.http.get("/graphql", params=params)
    assert got.json() == full.json()
    assert len(str(got.request.url)) < len(query) + 200

    wrong = await api.http.post("/graphql", json={"query": query + " ", "extensions": apq(query)})
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0] == {"message": "provided sha does not match query",
                                         "extensions": {"code": "BAD_USER_INPUT"}}
    for bad in ({"version": 2, "sha256Hash": "ab"}, {"version": 1}, "x"):
        refused = await api.http.post("/graphql", json={"extensions": {"persistedQuery": bad}})
        assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_persisted_queries_are_shared_through_redis_and_survive_its_absence() -> None:
    await redis_reachable(REDIS_URL)
    query = "{ categories { code } }"
    one, other = PersistedQueries(REDIS_URL), PersistedQueries(REDIS_URL)  # two processes' stores
    try:
        assert await one.document(query, apq(query)) == query
        assert await other.document(None, apq(query)) == query
    finally:
        await one.close()
        await other.close()
    down = PersistedQueries("redis://127.0.0.1:1/0")
    try:
        assert await down.document(query, apq(query)) == query  # remembered locally, Redis unreachable
        assert await down.document(None, apq(query)) == query
        unknown = "{ agencies { code } }"
        try:
            await down.document(None, apq(unknown))
            raise AssertionError("an unknown hash must be refused")
        except RequestRefused as exc:
            assert exc.code == "PERSISTED_QUERY_NOT_FOUND"
    finally:
        await down.close()


async def test_anonymous_answers_are_cached_until_something_changes(api: Api) -> None:
    body = {"query": FEED, "variables": {"n": 5}}
    first = await api.http.post("/graphql", json=body)
    second = await api.http.post("/graphql", json=body)
    assert second.headers.get("x-warga-cache") == "hit" and second.json() == first.json()
    assert second.headers["content-type"] == "application/json"
    fresh_asked = await api.http.post("/graphql", json=body, headers={"cache-control": "no-cache"})
    assert "x-warga-cache" not in fresh_asked.headers and fresh_asked.json() == first.json()
    typed = await api.http.post("/graphql", json=body, headers={"accept": "application/graphql-response+json"})
    assert typed.headers["content-type"].startswith("application/graphql-response+json")

    token, _ = await api.account()
    created = await post(api, token, body="Baru saja dilaporkan")
    fresh = await api.http.post("/graphql", json=body)
    assert "x-warga-cache" not in fresh.headers  # the mutation emptied the cache
    assert fresh.json()["data"]["feed"]["edges"][0]["node"]["id"] == created["id"]

    signed_in = {"authorization": f"Bearer {token}"}
    for _ in range(2):  # signed-in answers depend on the viewer: never cached
        assert "x-warga-cache" not in (await api.http.post("/graphql", json=body, headers=signed_in)).headers
    broken = {"query": "{ feed(first: 2) { edges { node { nope } } } }"}
    for _ in range(2):  # errors are never cached
        assert "x-warga-cache" not in (await api.http.post("/graphql", json=broken)).headers


async def test_the_answer_cache_reports_its_hits_and_misses_in_metrics(api: Api) -> None:
    async def counted() -> tuple[float, float]:
        text = (await api.http.get("/metrics")).text
        values = dict(line.rsplit(" ", 1) for line in text.splitlines() if line.startswith("warga_response_cache_"))
        return float(values["warga_response_cache_hits_total"]), float(values["warga_response_cache_misses_total"])

    hits, misses = await counted()
    body = {"query": FEED + f"\n# {unique('metrics')}", "variables": {"n": 3}}
    for _ in range(3):
        await api.http.post("/graphql", json=body)
    assert await counted() == (hits + 2, misses + 1)
