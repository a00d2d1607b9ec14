"""Follows, the home feed, notifications to followers, and the map."""

from __future__ import annotations

from typing import Any

from models import Area, Notification
from models.enums import NotificationKind
from resolvers.ids import to_global_id
from services.geo import distance_m
from services.maps import cell_degrees
from testkit.client import Api
from testkit.reports import CAKUNG_BARAT, CEGER, PISANGAN_BARU, all_ids, post

FOLLOW = "mutation($id: ID!) { follow(id: $id) }"
UNFOLLOW = "mutation($id: ID!) { unfollow(id: $id) }"
HOME = "{ homeFeed { edges { node { id } } } }"


async def home_ids(api: Api, token: str) -> set[str]:
    ids = await all_ids(api, "homeFeed", token=token)
    assert len(ids) == len(set(ids))
    return set(ids)


async def test_home_feed_holds_exactly_what_the_viewer_follows(api: Api) -> None:
    viewer_token, _ = await api.account()
    friend_token, friend = await api.account()
    stranger_token, _ = await api.account()
    in_ceger = await post(api, stranger_token, CEGER, "Pohon tumbang di Ceger", "POHON_TUMBANG")
    by_friend = await post(api, friend_token, CAKUNG_BARAT, "Banjir lagi", "BANJIR")
    by_friend_anonymously = await post(api, friend_token, CAKUNG_BARAT, "Parkir liar", "PARKIR_LIAR", anonymous=True)
    watched = await post(api, stranger_token, PISANGAN_BARU, "Lampu padam", "PJU_PADAM")
    unrelated = await post(api, stranger_token, PISANGAN_BARU, "Sampah", "SAMPAH")
    own = await post(api, viewer_token, PISANGAN_BARU, "Laporan saya", "SAMPAH")
    assert await home_ids(api, viewer_token) == {own["id"]}
    ceger_district = await Area.get(code="31.75.10")  # following the kecamatan covers its kelurahan
    for target in (to_global_id("Area", ceger_district.id), to_global_id("Account", friend.id), watched["id"]):
        assert (await api.gql(FOLLOW, {"id": target}, viewer_token))["follow"] is True
        assert (await api.gql(FOLLOW, {"id": target}, viewer_token))["follow"] is True  # idempotent
    home = await home_ids(api, viewer_token)
    in_cipayung = set(await all_ids(api, "feed", {"areaId": to_global_id("Area", ceger_district.id)}, viewer_token))
    assert home == {own["id"], by_friend["id"], watched["id"]} | in_cipayung
    assert in_ceger["id"] in home and unrelated["id"] not in home
    assert by_friend_anonymously["id"] not in home  # following someone does not unmask their anonymous posts
    await api.gql(UNFOLLOW, {"id": watched["id"]}, viewer_token)
    assert watched["id"] not in await home_ids(api, viewer_token)
    assert await api.error_codes(HOME) == ["UNAUTHENTICATED"]


async def test_follower_counts_and_viewer_follows(api: Api) -> None:
    fan_token, _ = await api.account()
    star_token, star = await api.account()
    report = await post(api, star_token)
    query = """query($h: String!, $r: ID!) { account(handle: $h) { followerCount viewerFollows }
      report(id: $r) { viewerFollows } }"""
    before = (await api.gql(query, {"h": star.handle, "r": report["id"]}, fan_token))
    assert before["account"] == {"followerCount": 0, "viewerFollows": False}
    await api.gql(FOLLOW, {"id": to_global_id("Account", star.id)}, fan_token)
    await api.gql(FOLLOW, {"id": report["id"]}, fan_token)
    after = await api.gql(query, {"h": star.handle, "r": report["id"]}, fan_token)
    assert after == {"account": {"followerCount": 1, "viewerFollows": True}, "report": {"viewerFollows": True}}
    assert await api.error_codes(FOLLOW, {"id": to_global_id("Account", star.id)}, star_token) == ["BAD_USER_INPUT"]
    assert await api.error_codes(FOLLOW, {"id": to_global_id("Report", 10**9)}, fan_token) == ["NOT_FOUND"]
    assert await api.error_codes(FOLLOW, {"id": to_global_id("Notification", 1)}, fan_token) == ["BAD_USER_INPUT"]
    assert await api.error_codes(FOLLOW, {"id": report["id"]}) == ["UNAUTHENTICATED"]


async def test_followers_of_a_report_hear_of_comments(api: Api) -> None:
    author_token, author = await api.account()
    follower_token, follower = await api.account()
    commenter_token, _ = await api.account()
    report = await post(api, author_token)
    await api.gql(FOLLOW, {"id": report["id"]}, follower_token)
    await api.gql("mutation($id: ID!) { addComment(reportId: $id, body: \"Sudah lapor RT\") { id } }",
                  {"id": report["id"]}, commenter_token)
    for account in (author, follower):
        kinds: list[Any] = await Notification.filter(account_id=account.id).values_list("kind", flat=True)
        assert kinds == [NotificationKind.COMMENTED]


async def test_nearby_reports_nearest_first(api: Api) -> None:
    token, _ = await api.account()
    lat, lng = -6.3000, 106.9000  # in Cipayung, a quiet corner of the tests
    near = await post(api, token, (lat + 0.0005, lng), "Dekat", "SAMPAH")  # about 55 m
    nearer = await post(api, token, (lat + 0.0002, lng), "Lebih dekat", "SAMPAH")  # about 22 m
    other_kind = await post(api, token, (lat, lng + 0.0003), "Banjir dekat", "BANJIR")
    far = await post(api, token, (lat + 0.01, lng), "Jauh", "SAMPAH")  # about 1.1 km
    query = """query($lat: Float!, $lng: Float!, $r: Int, $c: String) {
      nearbyReports(lat: $lat, lng: $lng, radiusMeters: $r, categoryCode: $c) { id location { lat lng } } }"""
    found = (await api.gql(query, {"lat": lat, "lng": lng, "c": "SAMPAH"}))["nearbyReports"]
    assert [r["id"] for r in found][:2] == [nearer["id"], near["id"]] and far["id"] not in {r["id"] for r in found}
    assert all(distance_m(lat, lng, r["location"]["lat"], r["location"]["lng"]) <= 250 for r in found)
    everything = {r["id"] for r in (await api.gql(query, {"lat": lat, "lng": lng, "r": 2000}))["nearbyReports"]}
    assert {near["id"], nearer["id"], other_kind["id"], far["id"]} <= everything
    assert await api.error_codes(query, {"lat": lat, "lng": lng, "r": 0}) == ["BAD_USER_INPUT"]
    assert await api.error_codes(query, {"lat": lat, "lng": lng, "c": "NOPE"}) == ["BAD_USER_INPUT"]


async def test_map_clusters_are_grid_cells_from_the_database(api: Api) -> None:
    token, author = await api.account()
    base = (-6.313026, 106.914819)  # Setu
    group = [await post(api, token, (base[0] + i * 0.0001, base[1]), f"Titik {i}", "SAMPAH") for i in range(3)]
    lonely = await post(api, token, CEGER, "Sendiri", "SAMPAH")  # about 2.5 km west
    cell = cell_degrees(13)
    query = """query($b: BBoxInput!, $z: Int!, $f: ReportFilter) {
      mapClusters(bbox: $b, zoom: $z, filter: $f) { center { lat lng } count report { id } } }"""
    # The trio sits in the middle of a cell at zoom 13, so no cell border splits it.
    box = {"south": base[0] - cell / 2, "west": base[1] - 3.5 * cell, "north": base[0] + cell, "east": base[1] + cell}
    mine = {"authorId": to_global_id("Account", author.id)}
    wide = (await api.gql(query, {"b": box, "z": 13, "f": mine}))["mapClusters"]
    assert sorted(c["count"] for c in wide) == [1, 3]
    single = next(c for c in wide if c["count"] == 1)
    assert single["report"] == {"id": lonely["id"]}
    trio = next(c for c in wide if c["count"] == 3)
    assert trio["report"] is None and abs(trio["center"]["lat"] - (base[0] + 0.0001)) < 1e-6
    close = (await api.gql(query, {"b": box, "z": 20, "f": mine}))["mapClusters"]
    assert sorted(c["count"] for c in close) == [1, 1, 1, 1]
    assert {c["report"]["id"] for c in close} == {r["id"] for r in [*group, lonely]}
    assert await api.error_codes(query, {"b": box, "z": 99}) == ["BAD_USER_INPUT"]
