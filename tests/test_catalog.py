"""Categories, areas and agencies: the seed of Jakarta Timur, read through the API."""

from __future__ import annotations

from demo.catalog import CATEGORIES
from resolvers.ids import to_global_id
from testkit.client import Api


async def test_categories_and_villages(api: Api) -> None:
    body = await api.gql("{ categories { code name slaHours escalateEveryHours agency { code } } "
                         "areas(level: VILLAGE) { code name } }")
    # Other tests add categories and areas of their own (a made-up city): compare the demo's.
    seen = {c["code"]: (c["slaHours"], c["escalateEveryHours"], c["agency"]["code"]) for c in body["categories"]}
    assert {code: seen.get(code) for code, _, agency, sla, every, _ in CATEGORIES} == {
        code: (sla, every, agency) for code, _, agency, sla, every, _ in CATEGORIES}
    assert len([a for a in body["areas"] if a["code"].startswith("31.75.")]) == 65
    assert {"Pisangan Baru", "Halim Perdana Kusumah", "Pondok Rangon"} <= {a["name"] for a in body["areas"]}


async def test_area_tree(api: Api) -> None:
    query = "{ areas(level: DISTRICT) { id code name parent { code } children { code } } }"
    districts = [d for d in (await api.gql(query))["areas"] if d["code"].startswith("31.75.")]
    assert len(districts) == 10
    matraman = next(d for d in districts if d["name"] == "Matraman")
    assert matraman["code"] == "31.75.01" and matraman["parent"] == {"code": "31.75"}
    assert len(matraman["children"]) == 6
    children = (await api.gql("query($p: ID!) { areas(parentId: $p) { code level centroid { lat lng } } }",
                              {"p": matraman["id"]}))["areas"]
    assert [c["code"] for c in children] == [f"31.75.01.100{i}" for i in range(1, 7)]
    assert all(-6.4 < c["centroid"]["lat"] < -6.1 and c["level"] == "VILLAGE" for c in children)


async def test_agencies_and_node(api: Api) -> None:
    agencies = (await api.gql("{ agencies { id code name area { code } } }"))["agencies"]
    sudin = next(a for a in agencies if a["code"] == "SUDIN_BM_JT")
    assert sudin["area"] == {"code": "31.75"}
    node = (await api.gql("query($id: ID!) { node(id: $id) { ... on Agency { code } } }", {"id": sudin["id"]}))
    assert node["node"] == {"code": "SUDIN_BM_JT"}
    assert await api.error_codes("query($id: ID!) { areas(parentId: $id) { code } }",
                                 {"id": to_global_id("Agency", 1)}) == ["BAD_USER_INPUT"]
