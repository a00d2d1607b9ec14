"""Posting reports through the API and moving them along, for the tests of feeds, the map and the workflow."""

from __future__ import annotations

from typing import Any

from demo.photos import sample_photo
from testkit.client import Api

CREATE = """mutation($input: CreateReportInput!) {
  createReport(input: $input) { id kind status area { id code } agency { id code } createdAt }
}"""
ACK = "mutation($id: ID!) { acknowledge(reportId: $id, note: \"Segera dicek\") { status badge } }"
PISANGAN_BARU = (-6.2117, 106.8690)
CEGER = (-6.308509, 106.892381)
CAKUNG_BARAT = (-6.173047, 106.934692)


def photo_files(count: int = 1, seed: int = 1, path: str = "variables.input.photos") -> dict[str, bytes]:
    """Sample JPEGs for a multipart request, keyed by where they go in the variables."""
    return {f"{path}.{i}": sample_photo(seed + i) for i in range(count)}


async def post(api: Api, token: str, where: tuple[float, float] = PISANGAN_BARU, body: str = "Lampu jalan mati",
               category: str = "PJU_PADAM", **extra: Any) -> dict[str, Any]:
    variables = {"input": {"body": body, "categoryCode": category, "lat": where[0], "lng": where[1],
                           "photos": [None], **extra}}
    files = {"variables.input.photos.0": sample_photo(hash(body) % 1000)}
    return dict((await api.gql(CREATE, variables, token, files=files))["createReport"])


async def feed_ids(api: Api, filter: dict[str, Any], token: str | None = None, first: int = 100) -> list[str]:
    query = "query($f: ReportFilter, $n: Int) { feed(filter: $f, first: $n) { edges { node { id } } } }"
    body = await api.gql(query, {"f": filter, "n": first}, token)
    return [e["node"]["id"] for e in body["feed"]["edges"]]


async def all_ids(api: Api, field: str, filter: dict[str, Any] | None = None, token: str | None = None) -> list[str]:
    """Every report of feed or homeFeed, page by page."""
    args = "(filter: $f, first: 100, after: $a)" if field == "feed" else "(first: 100, after: $a)"
    params = "($f: ReportFilter, $a: String)" if field == "feed" else "($a: String)"
    query = f"query{params} {{ {field}{args} {{ edges {{ node {{ id }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    ids: list[str] = []
    after = None
    while True:
        variables = {"a": after, **({"f": filter} if field == "feed" else {})}
        page = (await api.gql(query, variables, token))[field]
        ids += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


async def work_queue(api: Api, query: str, token: str | None, f: dict[str, Any] | None,
                     first: int = 100) -> list[dict[str, Any]]:
    """Every node of workQueue asked with this query ($f, $n, $a), page by page, checking each page's flags."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        found = (await api.gql(query, {"f": f, "n": first, "a": after}, token))["workQueue"]
        assert len(found["edges"]) <= first and found["pageInfo"]["hasPreviousPage"] is (after is not None)
        nodes += [edge["node"] for edge in found["edges"]]
        if not found["pageInfo"]["hasNextPage"]:
            return nodes
        after = found["pageInfo"]["endCursor"]


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [node["id"] for node in nodes]
