"""trendingTopics and surges over HTTP: the write path's mutations feed the counts, the answers' shape, who may
ask, and the surge notification in the head's inbox. The counting itself is checked against an independent
count in tests/rules/test_trending.py, the surge rule and its duty in tests/rules/test_surges.py.

A made-up city at moments long past (2016), so that other tests' counts and feeds do not see these reports.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core import clock
from models import Category, Report
from models.enums import ReportKind, ReportStatus, Role
from resolvers.ids import to_global_id
from services import surges
from testkit.client import Api
from testkit.opinion import made_up_city
from testkit.reports import post

DAY = datetime(2016, 5, 10, 3, tzinfo=UTC)  # 10:00 in Jakarta
SURGE_DAY = datetime(2016, 6, 10, 3, tzinfo=UTC)
TRENDING = """query($a: ID, $f: DateTime!, $t: DateTime!, $n: Int) {
  trendingTopics(areaId: $a, from: $f, to: $t, first: $n) {
    term label count previousCount growth sampleReports { id body } } }"""
SURGES = """query($a: ID, $w: Int) { surges(areaId: $a, windowHours: $w) {
  area { code } category { code } count usual ratio } }"""
INBOX = "{ notifications(first: 50) { edges { node { kind report { id } } } } }"


def at(moment: datetime) -> None:
    clock.reset()
    clock.advance((moment - datetime.now(UTC)).total_seconds())


async def test_trending_topics_follow_reports_comments_and_moderation(api: Api) -> None:
    city, (village, _other) = await made_up_city(lat=-14.5)
    where = (village.centroid_lat or 0, village.centroid_lng or 0)
    lurah, _ = await api.account(Role.AREA_HEAD, village.code)
    admin, _ = await api.account(Role.ADMIN)
    resident, _ = await api.account()
    at(DAY - timedelta(days=1))  # the day before: one flood
    await post(api, resident, where, body="Banjir di gang kami", category="BANJIR")
    at(DAY)
    bodies = ["Kebanjiran lagi, jalanan tergenang", "Banjir setinggi lutut di jalan", "Banjir banjir banjir!",
              "Air banjir masuk rumah"]
    made = [await post(api, resident, where, body=body, category="BANJIR") for body in bodies]
    at(DAY + timedelta(hours=1))
    await api.gql("mutation($r: ID!, $b: String!) { addComment(reportId: $r, body: $b) { id } }",
                  {"r": made[3]["id"], "b": "Di RT 03 juga kebanjiran"}, resident)
    variables = {"a": to_global_id("Area", village.id), "f": "2016-05-10T00:00:00+07:00",
                 "t": "2016-05-11T00:00:00+07:00", "n": 5}

    def samples(*numbers: int) -> list[dict[str, str]]:
        return [{"id": made[n]["id"], "body": bodies[n]} for n in numbers]

    try:
        topics = {t["term"]: t for t in (await api.gql(TRENDING, variables, lurah))["trendingTopics"]}
        # Five texts that day use "banjir" (one of them three times, two as "kebanjiran"), one the day before.
        assert topics["banjir"] == {"term": "banjir", "label": "banjir", "count": 5, "previousCount": 1,
                                    "growth": 3.0, "sampleReports": samples(3, 2, 1)}
        assert "jalan" not in topics  # two texts: fewer than the 3 a trend needs
        # Hidden: the report and its comment leave the counts and the samples; unhidden, they return.
        await api.gql("mutation($r: ID!) { hideReport(reportId: $r, reason: \"Uji\") { id } }", {"r": made[3]["id"]},
                      admin)
        topics = {t["term"]: t for t in (await api.gql(TRENDING, variables, lurah))["trendingTopics"]}
        assert (topics["banjir"]["count"], topics["banjir"]["sampleReports"]) == (3, samples(2, 1, 0))
        await api.gql("mutation($r: ID!) { unhideReport(reportId: $r) { id } }", {"r": made[3]["id"]}, admin)
        topics = {t["term"]: t for t in (await api.gql(TRENDING, variables, lurah))["trendingTopics"]}
        assert (topics["banjir"]["count"], topics["banjir"]["sampleReports"]) == (5, samples(3, 2, 1))
        # Only officials of the area, and admins.
        assert await api.error_codes(TRENDING, variables, resident) == ["FORBIDDEN"]
        assert await api.error_codes(TRENDING, variables) == ["UNAUTHENTICATED"]
        elsewhere, _ = await api.account(Role.AREA_HEAD, "31.75.01.1001")
        assert await api.error_codes(TRENDING, variables, elsewhere) == ["FORBIDDEN"]
        assert (await api.gql(TRENDING, {**variables, "a": to_global_id("Area", city.id)}, admin))["trendingTopics"]
        # Without areaId: the lurah's own kelurahan; every area for the admin.
        assert (await api.gql(TRENDING, {**variables, "a": None}, lurah))["trendingTopics"] == \
            (await api.gql(TRENDING, variables, lurah))["trendingTopics"]
        everywhere = (await api.gql(TRENDING, {**variables, "a": None, "n": 50}, admin))["trendingTopics"]
        assert "banjir" in {t["term"] for t in everywhere}
        assert await api.error_codes(TRENDING, {**variables, "n": 0}, admin) == ["BAD_USER_INPUT"]
    finally:
        clock.reset()


async def test_surges_and_the_heads_notification(api: Api) -> None:
    _, (village, other) = await made_up_city(lat=-15.5)
    lurah, _ = await api.account(Role.AREA_HEAD, village.code)
    resident, author = await api.account()
    category = await Category.get(code="PKL_LIAR", city_id=None)
    moments = [SURGE_DAY - timedelta(hours=h) for h in range(1, 7)]
    await Report.bulk_create([
        Report(kind=ReportKind.CITIZEN, body="PKL liar di trotoar", category=category, lat=0, lng=0, area=village,
               area_path=village.path, author=author, status=ReportStatus.WAITING, created_at=m, updated_at=m)
        for m in moments])
    at(SURGE_DAY)
    try:
        variables = {"a": to_global_id("Area", village.id), "w": 24}
        found = (await api.gql(SURGES, variables, lurah))["surges"]
        assert found == [{"area": {"code": village.code}, "category": {"code": "PKL_LIAR"}, "count": 6, "usual": 0.0,
                          "ratio": 7.0}]
        admin, _ = await api.account(Role.ADMIN)
        assert (await api.gql(SURGES, {"a": to_global_id("Area", other.id)}, admin)) == {"surges": []}
        assert await api.error_codes(SURGES, variables, resident) == ["FORBIDDEN"]
        assert await surges.detect() == 1
        inbox = (await api.gql(INBOX, None, lurah))["notifications"]["edges"]
        newest = await Report.filter(area_id=village.id).order_by("-created_at").first()
        assert newest is not None
        assert [e["node"] for e in inbox] == [{"kind": "CATEGORY_SURGE",
                                                "report": {"id": to_global_id("Report", newest.id)}}]
    finally:
        clock.reset()
