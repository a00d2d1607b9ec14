"""workQueue for a kelurahan's verifier, as web/static/screens/verify.js asks for it ({kind: DUTY, verified: false}):
the RT/RW duty reports of their kelurahan not judged yet, oldest first whatever their category's deadline, paged;
a judged one leaves it. And ReportFilter.verified in the feed. tests/test_work_queue.py refuses residents and RT/RW
heads a queue.

Other tests' reports share the database, so most reads here keep to this test's RT head (filter.authorId).
"""

from __future__ import annotations

from typing import Any

from core import clock
from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api
from testkit.reports import PISANGAN_BARU, feed_ids, ids, post, work_queue

QUEUE = """query($f: ReportFilter, $n: Int, $a: String) { workQueue(filter: $f, first: $n, after: $a) {
  edges { node { id kind isOverdue area { code } verification { verdict } } }
  pageInfo { hasNextPage hasPreviousPage endCursor } } }"""
VERIFY = "mutation($id: ID!, $v: Verdict!) { verify(reportId: $id, verdict: $v, note: \"Dicek\") { id } }"
RT001 = "31.75.01.1001.RW01.RT001"
VILLAGE = "31.75.01.1001"  # Pisangan Baru
HOUR = 3600


async def duty(api: Api, token: str, body: str, category: str = "KEBERSIHAN") -> str:
    return str((await post(api, token, PISANGAN_BARU, body=body, category=category, kind="DUTY"))["id"])


async def queue(api: Api, token: str, f: dict[str, Any] | None, first: int = 100) -> list[dict[str, Any]]:
    return await work_queue(api, QUEUE, token, f, first)


async def test_the_verifiers_queue(api: Api) -> None:
    rt, head = await api.account(Role.RT_RW, area_code=RT001)
    resident, citizen = await api.account()
    verifier, _ = await api.account(Role.VERIFIER, area_code=VILLAGE)
    next_door, _ = await api.account(Role.VERIFIER, area_code="31.75.01.1003")  # Kayu Manis
    lurah, _ = await api.account(Role.AREA_HEAD, area_code=VILLAGE)
    # Posted in this order; their categories give them deadlines of 48, 24, 6 and 48 hours.
    a = await duty(api, rt, "Selokan RT 001 dibersihkan")
    b = await duty(api, rt, "Sampah RT 001 diangkut", "SAMPAH")
    c = await duty(api, rt, "Lalu lintas RT 001 lancar", "MACET")
    d = await duty(api, rt, "Taman RT 001 disiram")
    await post(api, resident, PISANGAN_BARU, body="Lampu mati di gang")  # a resident's: nothing to verify
    to_judge = {"kind": "DUTY", "verified": False, "authorId": to_global_id("Account", head.id)}

    # Past two deadlines: still oldest first (duty reports are verified, not fixed), on pages of every size.
    clock.advance(30 * HOUR)
    nodes = await queue(api, verifier, to_judge)
    assert ids(nodes) == [a, b, c, d]
    assert [n["isOverdue"] for n in nodes] == [False, True, True, False]
    for size in (1, 2, 3, 4, 5):
        assert ids(await queue(api, verifier, to_judge, first=size)) == [a, b, c, d], size
    # The whole queue: DUTY reports of the kelurahan, none judged; ours among them in order.
    whole = await queue(api, verifier, {"kind": "DUTY", "verified": False})
    assert [i for i in ids(whole) if i in {a, b, c, d}] == [a, b, c, d]
    assert all(n["kind"] == "DUTY" and n["verification"] is None and n["area"]["code"].startswith(VILLAGE)
               for n in whole)
    # Another kelurahan's verifier has none of them; without a kind (CITIZEN) a verifier has nothing to act on.
    assert not set(ids(await queue(api, next_door, {"kind": "DUTY"}))) & {a, b, c, d}
    assert await queue(api, verifier, {"authorId": to_global_id("Account", citizen.id)}) == []

    # Judged ones leave the queue of those to judge; the others stay in order.
    await api.gql(VERIFY, {"id": b, "v": "VALID"}, verifier)
    await api.gql(VERIFY, {"id": c, "v": "INVALID"}, verifier)
    assert ids(await queue(api, verifier, to_judge)) == [a, d]
    assert ids(await queue(api, verifier, {**to_judge, "verified": True})) == [b, c]
    assert ids(await queue(api, verifier, {**to_judge, "verified": None})) == [a, b, c, d]
    # A lurah's queue of DUTY reports goes by age too.
    assert ids(await queue(api, lurah, to_judge)) == [a, d]


async def test_a_page_boundary_survives_a_verdict(api: Api) -> None:
    """The verifier judges the first page while paging: the next page starts after it, nothing skipped."""
    rt, head = await api.account(Role.RT_RW, area_code=RT001)
    verifier, _ = await api.account(Role.VERIFIER, area_code=VILLAGE)
    made = [await duty(api, rt, f"Laporan tugas ke-{n}") for n in range(5)]
    to_judge = {"kind": "DUTY", "verified": False, "authorId": to_global_id("Account", head.id)}
    first = (await api.gql(QUEUE, {"f": to_judge, "n": 2, "a": None}, verifier))["workQueue"]
    assert ids([e["node"] for e in first["edges"]]) == made[:2]
    for report in made[:2]:
        await api.gql(VERIFY, {"id": report, "v": "VALID"}, verifier)
    rest = (await api.gql(QUEUE, {"f": to_judge, "n": 10, "a": first["pageInfo"]["endCursor"]}, verifier))
    assert ids([e["node"] for e in rest["workQueue"]["edges"]]) == made[2:]


async def test_the_verified_filter_in_the_feed(api: Api) -> None:
    rt, head = await api.account(Role.RT_RW, area_code=RT001)
    verifier, _ = await api.account(Role.VERIFIER, area_code=VILLAGE)
    judged = await duty(api, rt, "Got RT 001 bersih")
    waiting = await duty(api, rt, "Pos ronda RT 001 dijaga")
    own = (await post(api, rt, PISANGAN_BARU, body="Lampu gang RT 001 mati"))["id"]  # the head's own citizen report
    await api.gql(VERIFY, {"id": judged, "v": "VALID"}, verifier)
    mine = {"authorId": to_global_id("Account", head.id)}
    assert await feed_ids(api, {**mine, "verified": True}) == [judged]
    assert await feed_ids(api, {**mine, "verified": False}) == [own, waiting]  # newest first
    assert await feed_ids(api, {**mine, "verified": None}) == [own, waiting, judged]
    assert await feed_ids(api, {**mine, "verified": True, "kind": "CITIZEN"}) == []
