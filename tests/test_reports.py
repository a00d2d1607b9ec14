"""Reports as posts, end to end over real HTTP with real JPEGs: create, retry, route, mention."""

from __future__ import annotations

import asyncio
import io
from typing import Any

from PIL import Image

from models import Notification, Photo, Report
from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api, unique
from testkit.reports import PISANGAN_BARU, photo_files

CREATE = """mutation($input: CreateReportInput!) {
  createReport(input: $input) {
    id body status badge anonymous: hidden address kind
    author { handle } area { code name } agency { code } category { code }
    location { lat lng } photos { url thumbnailUrl width height } mentions { handle }
    timeline { kind status actor { handle } }
    dueAt isOverdue supportCount commentCount viewerHasSupported
  }
}"""


def report_input(**overrides: object) -> dict:
    return {"body": "Jalan berlubang di depan pasar", "categoryCode": "JALAN_RUSAK", "lat": PISANGAN_BARU[0],
            "lng": PISANGAN_BARU[1], "photos": [None], **overrides}


async def post_report(api: Api, token: str, count: int = 1, seed: int = 1, **overrides: object) -> dict:
    variables = {"input": report_input(photos=[None] * count, **overrides)}
    return (await api.gql(CREATE, variables, token, files=photo_files(count, seed)))["createReport"]


async def test_create_report_routes_and_stores_clean_photos(api: Api) -> None:
    token, author = await api.account()
    report = await post_report(api, token, count=2, address="Jl. Pisangan Baru Timur")
    assert report["status"] == "WAITING" and report["badge"] == "RED" and report["kind"] == "CITIZEN"
    assert report["area"]["code"] == "31.75.01.1001"
    assert report["agency"]["code"] == "SUDIN_BM_JT"  # the suku dinas serving Jakarta Timur
    assert report["author"] == {"handle": author.handle}
    assert report["timeline"] == [{"kind": "CREATED", "status": "WAITING", "actor": {"handle": author.handle}}]
    assert report["dueAt"] is not None and report["isOverdue"] is False
    assert len(report["photos"]) == 2
    for photo in report["photos"]:
        for url in (photo["url"], photo["thumbnailUrl"]):
            served = await api.http.get(url)
            assert served.status_code == 200
            image = Image.open(io.BytesIO(served.content))
            assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
        assert max(photo["width"], photo["height"]) <= 2048


async def test_idempotent_retry_returns_the_first_report(api: Api) -> None:
    token, _ = await api.account()
    key = unique("retry")
    first = await post_report(api, token, clientMutationId=key)
    again = await post_report(api, token, clientMutationId=key)
    assert again["id"] == first["id"]
    codes = await api.error_codes(CREATE, {"input": report_input(body="Lain", clientMutationId=key)}, token,
                                  files=photo_files())
    assert codes == ["CONFLICT"]
    # The key belongs to its account: another resident may use the same string.
    other_token, _ = await api.account()
    assert (await post_report(api, other_token, clientMutationId=key))["id"] != first["id"]


async def test_two_concurrent_copies_make_one_report(api: Api) -> None:
    token, author = await api.account()
    key = unique("race")
    copies = await asyncio.gather(*(post_report(api, token, seed=5, clientMutationId=key) for _ in range(4)))
    assert len({c["id"] for c in copies}) == 1
    assert await Report.filter(author_id=author.id).count() == 1


async def test_bad_reports_are_refused_and_store_nothing(api: Api) -> None:
    token, author = await api.account()
    photos_before = await Photo.all().count()
    cases = [
        (report_input(body=""), photo_files()),
        (report_input(body="x" * 2001), photo_files()),
        (report_input(categoryCode="NOPE"), photo_files()),
        (report_input(photos=[]), {}),
        (report_input(photos=[None] * 5), photo_files(5)),
        (report_input(lat=1000.0), photo_files()),
    ]
    for variables, files in cases:
        assert await api.error_codes(CREATE, {"input": variables}, token, files=files or None) == ["BAD_USER_INPUT"]
    not_an_image = {"variables.input.photos.0": b"GIF89a" + b"\x00" * 100}
    assert await api.error_codes(CREATE, {"input": report_input()}, token, files=not_an_image) == ["BAD_USER_INPUT"]
    one_good_one_bad = {**photo_files(1), "variables.input.photos.1": b"this is text, not a photo"}
    assert await api.error_codes(CREATE, {"input": report_input(photos=[None, None])}, token,
                                 files=one_good_one_bad) == ["BAD_USER_INPUT"]
    assert await api.error_codes(CREATE, {"input": report_input()}, None, files=photo_files()) == ["UNAUTHENTICATED"]
    assert await Report.filter(author_id=author.id).count() == 0
    assert await Photo.all().count() == photos_before


async def test_mentions_resolve_and_notify(api: Api) -> None:
    token, _ = await api.account()
    lurah_token, lurah = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    ghost = unique("ghost")
    report = await post_report(api, token, body=f"Tolong @{lurah.handle.upper()} dan @{ghost}, jalan rusak")
    assert report["mentions"] == [{"handle": lurah.handle}]
    inbox = await api.gql("{ notifications { edges { node { kind read report { id } } } } }", token=lurah_token)
    assert {"kind": "MENTIONED", "read": False, "report": {"id": report["id"]}} in [
        e["node"] for e in inbox["notifications"]["edges"]
    ]
    changed = await api.gql("mutation { markNotificationsRead }", token=lurah_token)
    assert changed["markNotificationsRead"] >= 1
    unread = await api.gql("{ notifications(unreadOnly: true) { edges { node { id } } } }", token=lurah_token)
    assert unread["notifications"]["edges"] == []


async def test_comments_supports_and_their_counts(api: Api) -> None:
    token, author = await api.account()
    report = await post_report(api, token)
    fans = [await api.account() for _ in range(5)]
    support = "mutation($id: ID!) { support(reportId: $id) { supportCount viewerHasSupported } }"
    # Each fan supports twice at once: idempotent, and the count stays right under concurrency.
    await asyncio.gather(*(api.gql(support, {"id": report["id"]}, t) for t, _ in fans for _ in range(2)))
    again = await api.gql(support, {"id": report["id"]}, fans[0][0])
    assert again["support"] == {"supportCount": 5, "viewerHasSupported": True}
    unsupport = "mutation($id: ID!) { unsupport(reportId: $id) { supportCount viewerHasSupported } }"
    await api.gql(unsupport, {"id": report["id"]}, fans[0][0])
    assert (await api.gql(unsupport, {"id": report["id"]}, fans[0][0]))["unsupport"] == {
        "supportCount": 4, "viewerHasSupported": False}
    comment = """mutation($id: ID!, $b: String!) { addComment(reportId: $id, body: $b) {
      id body author { handle } mentions { handle } report { commentCount } } }"""
    added = (await api.gql(comment, {"id": report["id"], "b": f"Setuju @{author.handle}"}, fans[1][0]))["addComment"]
    assert added["mentions"] == [{"handle": author.handle}] and added["report"]["commentCount"] == 1
    assert await api.error_codes(comment, {"id": report["id"], "b": "  "}, fans[1][0]) == ["BAD_USER_INPUT"]
    assert await api.error_codes(comment, {"id": report["id"], "b": "hai"}) == ["UNAUTHENTICATED"]
    page = await api.gql("query($id: ID!) { report(id: $id) { comments { edges { node { body } } } } }",
                         {"id": report["id"]})
    assert [e["node"]["body"] for e in page["report"]["comments"]["edges"]] == [f"Setuju @{author.handle}"]
    kinds: list[Any] = await Notification.filter(account_id=author.id).values_list("kind", flat=True)
    assert "MENTIONED" in kinds


async def test_anonymous_reporter_stays_hidden_except_from_admin(api: Api) -> None:
    token, author = await api.account()
    other_token, _ = await api.account()
    admin_token, _ = await api.account(Role.ADMIN)
    report = await post_report(api, token, anonymous=True)
    await api.gql("mutation($id: ID!, $b: String!) { addComment(reportId: $id, body: $b) { id } }",
                  {"id": report["id"], "b": "Masih rusak"}, token)
    query = """query($id: ID!) { report(id: $id) { author { handle } timeline { actor { handle } }
      comments { edges { node { author { handle } } } } } }"""
    for viewer in (None, other_token):
        seen = (await api.gql(query, {"id": report["id"]}, viewer))["report"]
        assert seen["author"] is None and seen["timeline"][0]["actor"] is None
        assert seen["comments"]["edges"][0]["node"]["author"]["handle"] == "anonim"
    seen = (await api.gql(query, {"id": report["id"]}, admin_token))["report"]
    assert seen["author"] == {"handle": author.handle}
    by_author = """query($a: ID!) { feed(filter: {authorId: $a}) { edges { node { id } } } }"""
    assert (await api.gql(by_author, {"a": to_global_id("Account", author.id)}, other_token))["feed"]["edges"] == []


async def test_report_by_unknown_id(api: Api) -> None:
    query = "query($id: ID!) { report(id: $id) { id } }"
    assert await api.error_codes(query, {"id": to_global_id("Report", 10**9)}) == ["NOT_FOUND"]
    assert await api.error_codes(query, {"id": to_global_id("Area", 1)}) == ["BAD_USER_INPUT"]
