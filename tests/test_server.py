"""The HTTP surface: health, readiness, media headers, GraphQL over HTTP, metrics and logs."""

from __future__ import annotations

from starlette.applications import Starlette

from demo.photos import sample_photo
from services.photos import ingest
from testkit.client import Api


async def test_health_and_readiness(api: Api) -> None:
    assert (await api.http.get("/healthz")).json() == {"status": "ok"}
    ready = await api.http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


async def test_graphql_response_media_type(api: Api) -> None:
    query = {"query": "{ categories { code } }"}
    legacy = await api.http.post("/graphql", json=query)
    assert legacy.status_code == 200 and legacy.headers["content-type"].startswith("application/json")
    modern = await api.http.post("/graphql", json=query, headers={"accept": "application/graphql-response+json"})
    assert modern.status_code == 200
    assert modern.headers["content-type"].startswith("application/graphql-response+json")
    broken = await api.http.post("/graphql", json={"query": "{ categories { "},
                                 headers={"accept": "application/graphql-response+json"})
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    invalid = await api.http.post("/graphql", json={"query": "{ nope }"},
                                  headers={"accept": "application/graphql-response+json"})
    # A request error (parse or validation) is no execution: the newer media type carries no `data` entry.
    assert invalid.status_code == 400 and "data" not in invalid.json() and "data" not in broken.json()
    unknown = await api.http.post("/graphql", json={"query": "{ nope }"})
    assert unknown.status_code == 200 and unknown.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_queries_over_get_but_not_mutations(api: Api) -> None:
    ok = await api.http.get("/graphql", params={"query": "{ categories { code } }"})
    assert ok.status_code == 200 and ok.json()["data"]["categories"]
    refused = await api.http.get("/graphql", params={"query": "mutation { logout }"})
    assert refused.status_code == 405


async def test_media_served_with_long_cache_and_nosniff(api: Api) -> None:
    app = api.server.server.config.app
    assert isinstance(app, Starlette)
    storage = app.state.resources.storage
    [image] = await ingest([sample_photo(99)], storage, app.state.resources.photo_policy, "A report")
    response = await api.http.get(f"/media/{image.digest}.jpg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in response.headers["cache-control"]
    assert (await api.http.get("/media/../settings.py")).status_code == 404


async def test_request_ids_and_metrics(api: Api) -> None:
    echoed = await api.http.get("/healthz", headers={"x-request-id": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    made = await api.http.get("/healthz")
    assert len(made.headers["x-request-id"]) == 32
    await api.http.get("/no/such/page")
    text = (await api.http.get("/metrics")).text
    assert 'warga_http_requests_total{path="/healthz",status="200"}' in text
    assert 'warga_http_requests_total{path="other",status="404"}' in text
    for name in ("warga_http_request_seconds_bucket", "warga_http_errors_total", "warga_open_websockets",
                 "warga_subscriptions", "warga_broker_lag_seconds"):
        assert name in text


def test_production_logs_are_json_lines_with_the_request_id() -> None:
    import logging

    import orjson

    from app.observability import JsonFormatter, request_id

    token = request_id.set("req-7")
    try:
        record = logging.LogRecord("warga", logging.WARNING, __file__, 1, "report %s hidden", (42,), None)
        line = orjson.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "report 42 hidden" and line["request_id"] == "req-7" and line["level"] == "WARNING"
