"""Many cities in one deployment, through the API: Jakarta Timur (partner, WIB), Kota Bogor (known, not a
partner, its own catalog) and a Manado made here (WITA) that becomes a partner during the tests; a point in no
known city. Who may act on which report, what a partnership starts, and each city's catalog.
(Zones, duty days and rankings: tests/rules/test_cities.py; Open311: tests/open311/test_jurisdictions.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson

from core import clock
from models import Area, City, Report
from models.enums import Role
from resolvers.ids import pk_of, to_global_id
from testkit.cities import BANDUNG, MANADO, SEMPUR, WENANG, manado
from testkit.client import Api, unique
from testkit.reports import ACK, PISANGAN_BARU, post

FIELDS = "id handled dueAt agency { code } city { code partner timezone } area { code }"
REPORT = f"query($id: ID!) {{ report(id: $id) {{ {FIELDS} }} }}"
PARTNER = """mutation($c: ID!, $p: Boolean!) {
  setCityPartner(cityId: $c, partner: $p) { code partner partnerSince } }"""
HIDE = 'mutation($id: ID!) { hideReport(reportId: $id, reason: "Spam") { hidden } }'
IMPORT = """mutation($c: ID!, $f: Upload!) { importCityCatalog(cityId: $c, catalog: $f) {
  code timezone categories { code slaHours city { code } agency { code } } agencies { code } } }"""
MANADO_CATALOG = {"timezone": "Asia/Makassar", "agencies": [{"code": "DLH_MDO", "name": "DLH Kota Manado"}],
                  "categories": [{"code": "SAMPAH", "name": "Sampah", "agency_code": "DLH_MDO", "sla_hours": 12},
                                 {"code": "BANJIR_ROB", "name": "Banjir rob", "sla_hours": 6}]}


async def read(api: Api, report_id: str, token: str | None = None) -> dict:
    return dict((await api.gql(REPORT, {"id": report_id}, token))["report"])


async def test_each_city_is_known_in_its_zone_partners_first(api: Api) -> None:
    await manado()
    cities = (await api.gql("{ cities { code name partner timezone area { level } } }"))["cities"]
    by_code = {c["code"]: c for c in cities}
    assert by_code["31.75"] == {"code": "31.75", "name": "Jakarta Timur", "partner": True,
                                "timezone": "Asia/Jakarta", "area": {"level": "CITY"}}
    assert by_code["32.71"]["partner"] is False and by_code[MANADO]["timezone"] == "Asia/Makassar"
    partners = [c["partner"] for c in cities]
    assert partners == sorted(partners, reverse=True)
    found = await api.gql('{ city(code: "32.71") { name area { city { code } } } areas(level: VILLAGE) { code } }')
    assert found["city"] == {"name": "Kota Bogor", "area": {"city": {"code": "32.71"}}}
    assert (await api.gql('{ city(code: "99.99") { name } }'))["city"] is None


async def test_reports_are_handled_only_in_partner_cities(api: Api) -> None:
    resident, _ = await api.account()
    jakarta = await read(api, (await post(api, resident, PISANGAN_BARU))["id"])
    assert jakarta["handled"] and jakarta["dueAt"] and jakarta["agency"] == {"code": "SUDIN_PE_JT"}
    assert jakarta["city"]["code"] == "31.75"
    bogor = await read(api, (await post(api, resident, SEMPUR, category="SAMPAH"))["id"])
    assert bogor == {**bogor, "handled": False, "dueAt": None, "agency": None,
                     "city": {"code": "32.71", "partner": False, "timezone": "Asia/Jakarta"},
                     "area": {"code": "32.71.03.1006"}}
    nowhere = await read(api, (await post(api, resident, BANDUNG))["id"])
    assert nowhere == {**nowhere, "handled": False, "city": None, "area": None, "dueAt": None}
    # The filters: one city, handled or not.
    query = "query($f: ReportFilter) { feed(filter: $f, first: 100) { edges { node { id } } } }"

    async def ids(f: dict) -> set[str]:
        return {e["node"]["id"] for e in (await api.gql(query, {"f": f}))["feed"]["edges"]}

    bogor_city = to_global_id("City", (await City.get(area__code="32.71")).id)
    assert bogor["id"] in await ids({"cityId": bogor_city}) and jakarta["id"] not in await ids({"cityId": bogor_city})
    unhandled = await ids({"handled": False})
    assert {bogor["id"], nowhere["id"]} <= unhandled and jakarta["id"] not in unhandled


async def test_nobody_acts_across_cities_or_on_unhandled_reports(api: Api) -> None:
    """The permission matrix's city dimension: each official against a report in their own city, in another
    partner city, and in a city that is not a partner."""
    city = await manado()
    admin, _ = await api.account(Role.ADMIN)
    await api.gql(PARTNER, {"c": to_global_id("City", city.id), "p": True}, admin)
    resident, _ = await api.account()
    reports = {"jakarta": (await post(api, resident, PISANGAN_BARU))["id"],
               "manado": (await post(api, resident, WENANG, category="SAMPAH"))["id"],
               "bogor": (await post(api, resident, SEMPUR, category="SAMPAH"))["id"]}
    officials = {
        "lurah of Pisangan Baru": (Role.AREA_HEAD, "31.75.01.1001"),
        "lurah of Sempur (Bogor)": (Role.AREA_HEAD, "32.71.03.1006"),
        "officer of Wenang Utara": (Role.OFFICER, "71.71.05.1001"),
        "city admin of Manado": (Role.CITY_ADMIN, MANADO),
        "city admin of Bogor": (Role.CITY_ADMIN, "32.71"),
        "admin": (Role.ADMIN, None),
    }
    may_acknowledge = {("lurah of Pisangan Baru", "jakarta"), ("officer of Wenang Utara", "manado"),
                       ("city admin of Manado", "manado"), ("admin", "jakarta"), ("admin", "manado")}
    may_hide = {("lurah of Pisangan Baru", "jakarta"), ("lurah of Sempur (Bogor)", "bogor"),
                ("city admin of Manado", "manado"), ("city admin of Bogor", "bogor"),
                ("admin", "jakarta"), ("admin", "manado"), ("admin", "bogor")}
    for who, (role, area) in officials.items():
        token, _ = await api.account(role, area_code=area)
        for where, report in reports.items():
            ack = await api.raw(ACK, {"id": report}, token)
            assert (not ack.get("errors")) == ((who, where) in may_acknowledge), (who, where, ack)
            if ack.get("errors"):
                assert [e["extensions"]["code"] for e in ack["errors"]] == ["FORBIDDEN"], (who, where)
            hide = await api.raw(HIDE, {"id": report}, token)
            assert (not hide.get("errors")) == ((who, where) in may_hide), (who, where, hide)
            if not hide.get("errors"):  # put back for the next official
                await Report.filter(id=pk_of(report, "Report")).update(hidden=False)
            await Report.filter(id=pk_of(report, "Report")).update(status="WAITING")


async def test_a_partnership_takes_on_the_waiting_reports_from_that_moment(api: Api) -> None:
    """Manado's waiting reports are nobody's until it signs on; then they get the agency and the SLA of its own
    catalog, counted from the start of the partnership; ending it leaves them so and makes new reports wait."""
    city = await manado()
    city_id = to_global_id("City", city.id)
    admin, _ = await api.account(Role.ADMIN)
    await api.gql(PARTNER, {"c": city_id, "p": False}, admin)
    city_admin, _ = await api.account(Role.CITY_ADMIN, area_code=MANADO)
    loaded = (await api.gql(IMPORT, {"c": city_id, "f": None}, city_admin,
                            files={"variables.f": orjson.dumps(MANADO_CATALOG)}))["importCityCatalog"]
    own = {c["code"]: c for c in loaded["categories"] if c["city"]}
    assert own == {
        "SAMPAH": {"code": "SAMPAH", "slaHours": 12, "city": {"code": MANADO}, "agency": {"code": "DLH_MDO"}},
        "BANJIR_ROB": {"code": "BANJIR_ROB", "slaHours": 6, "city": {"code": MANADO}, "agency": None}}
    assert loaded["timezone"] == "Asia/Makassar" and {"code": "DLH_MDO"} in loaded["agencies"]
    national = {c["code"] for c in (await api.gql("{ categories { code city { code } } }"))["categories"]}
    assert "BANJIR_ROB" not in national
    resident, _ = await api.account()
    posted = clock.now()
    waiting = (await post(api, resident, WENANG, category="SAMPAH"))["id"]
    assert (await read(api, waiting))["handled"] is False
    clock.advance(3 * 3600)  # the city signs on three hours later
    try:
        started = await api.gql(PARTNER, {"c": city_id, "p": True}, admin)
        since = datetime.fromisoformat(started["setCityPartner"]["partnerSince"])
        taken = await read(api, waiting)
        assert taken["handled"] and taken["agency"] == {"code": "DLH_MDO"}
        due = datetime.fromisoformat(taken["dueAt"])
        assert abs(due - (since + timedelta(hours=12))) < timedelta(seconds=1)  # Manado's SLA, from the start
        assert due - posted > timedelta(hours=14)
        ended = await api.gql(PARTNER, {"c": city_id, "p": False}, admin)
        assert ended["setCityPartner"]["partner"] is False
        assert (await read(api, waiting))["handled"] is True  # the history stays
        later = await read(api, (await post(api, resident, WENANG, category="BANJIR_ROB"))["id"])
        assert later["handled"] is False and later["dueAt"] is None
    finally:
        clock.reset()
        await api.gql(PARTNER, {"c": city_id, "p": True}, admin)


async def test_city_admins_keep_to_their_city(api: Api) -> None:
    city = await manado()
    bogor = await City.get(area__code="32.71")
    city_admin, _ = await api.account(Role.CITY_ADMIN, area_code="32.71")
    catalog = {"variables.f": orjson.dumps(MANADO_CATALOG)}
    assert await api.error_codes(IMPORT, {"c": to_global_id("City", city.id), "f": None}, city_admin,
                                 files=catalog) == ["FORBIDDEN"]
    bad = {"variables.f": b"{not json"}
    assert await api.error_codes(IMPORT, {"c": to_global_id("City", bogor.id), "f": None}, city_admin,
                                 files=bad) == ["BAD_USER_INPUT"]
    # Only ADMIN starts a partnership.
    assert await api.error_codes(PARTNER, {"c": to_global_id("City", bogor.id), "p": True}, city_admin) == [
        "FORBIDDEN"]
    create = """mutation($i: CreateAccountInput!) { createAccount(input: $i) { handle role area { code } } }"""

    async def account(area_code: str, role: str = "OFFICER") -> list[str]:
        area = to_global_id("Area", (await Area.get(code=area_code)).id)
        body = await api.raw(create, {"i": {"handle": unique("uji"), "displayName": "Uji",
                                            "password": "rahasia-sekali-2026", "role": role, "areaId": area}},
                             city_admin)
        return [e["extensions"]["code"] for e in body.get("errors") or []]

    assert await account("32.71.03.1006") == []
    assert await account("31.75.01.1001") == ["FORBIDDEN"]
    assert await account("32.71", "CITY_ADMIN") == ["FORBIDDEN"]  # only an ADMIN makes admins
    assert await account("32.71.03.1008", "ADMIN") == ["FORBIDDEN"]
