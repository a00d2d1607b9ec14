"""mentionSuggestions over HTTP: the officials answerable for the point and category first (the kelurahan's area
heads, its officers, the agency's head, its officers), then the other accounts whose handle or display name starts
with the text; no account twice, at most `first` (and never more than 20); anyone may ask.

Other tests' accounts share the database, so each test gives its own accounts a prefix nobody else has.
"""

from __future__ import annotations

import uuid
from typing import Any

from models import Account, Agency, Area
from models.enums import Role
from testkit.client import Api
from testkit.reports import CEGER, PISANGAN_BARU

SUGGEST = """query($t: String!, $lat: Float, $lng: Float, $c: String, $n: Int) {
  mentionSuggestions(text: $t, lat: $lat, lng: $lng, categoryCode: $c, first: $n) {
    handle displayName role area { code } agency { code } email } }"""
KELURAHAN, CITY = "31.75.01.1001", "31.75"


async def person(handle: str, role: Role = Role.CITIZEN, area: str | None = None, agency: str | None = None,
                 display_name: str = "Warga") -> Account:
    return await Account.create(handle=handle, display_name=display_name, role=role, password_hash="-",
                                area=await Area.get(code=area) if area else None,
                                agency=await Agency.get(code=agency) if agency else None)


async def suggest(api: Api, text: str, where: tuple[float, float] | None = PISANGAN_BARU,
                  category: str | None = "PJU_PADAM", first: int | None = 20, token: str | None = None) -> list[str]:
    return [a["handle"] for a in await accounts(api, text, where, category, first, token)]


async def accounts(api: Api, text: str, where: tuple[float, float] | None, category: str | None,
                   first: int | None, token: str | None = None) -> list[dict[str, Any]]:
    lat, lng = where if where else (None, None)
    variables = {"t": text, "lat": lat, "lng": lng, "c": category, "n": first}
    if first is None:
        del variables["n"]  # the default
    return list((await api.gql(SUGGEST, variables, token))["mentionSuggestions"])


async def test_answerable_officials_first_then_the_others(api: Api) -> None:
    p = f"m{uuid.uuid4().hex[:8]}"
    lurah = await person(f"{p}_lurah", Role.AREA_HEAD, KELURAHAN)
    ppsu = await person(f"{p}_ppsu", Role.OFFICER, KELURAHAN)
    both = await person(f"{p}_both", Role.OFFICER, KELURAHAN, "SUDIN_PE_JT")  # the kelurahan's and the agency's
    head = await person(f"{p}_kasudin", Role.AGENCY_HEAD, agency="SUDIN_PE_JT")
    crew = await person(f"{p}_pju", Role.OFFICER, agency="SUDIN_PE_JT")
    city_crew = await person(f"{p}_pju_kota", Role.OFFICER, CITY, "SUDIN_PE_JT")  # posted to the whole city
    others = [
        await person(f"{p}_pju_ceger", Role.OFFICER, "31.75.10.1008", "SUDIN_PE_JT"),  # the agency's, elsewhere
        await person(f"{p}_lurah_ceger", Role.AREA_HEAD, "31.75.10.1008"),
        await person(f"{p}_dlh", Role.OFFICER, agency="DLH"),  # not the category's agency
        await person(f"{p}_budi"),
        await person(f"{p}_ani"),
        await person(f"w{uuid.uuid4().hex[:8]}", display_name=f"{p.upper()} Siti"),  # by display name
    ]
    answerable = [lurah, ppsu, both, head, crew, city_crew]
    rest = sorted(a.handle for a in others)
    order = [lurah.handle, both.handle, ppsu.handle, head.handle, crew.handle, city_crew.handle, *rest]
    assert len(answerable) + len(rest) == len(order)
    assert await suggest(api, p) == order
    # Case does not matter, nor a leading @; a resident and the public ask alike.
    resident, _ = await api.account()
    assert await suggest(api, f"@{p.upper()}", token=resident) == order
    # The prefix filters the officials too.
    assert await suggest(api, f"{p}_p") == [ppsu.handle, crew.handle, city_crew.handle, f"{p}_pju_ceger"]
    assert await suggest(api, f"{p}_pju") == [crew.handle, city_crew.handle, f"{p}_pju_ceger"]
    # Without a category the agency answers for nothing here; without a point nobody does.
    assert await suggest(api, p, category=None) == [lurah.handle, both.handle, ppsu.handle,
                                                    *sorted([head.handle, crew.handle, city_crew.handle, *rest])]
    by_handle = sorted(order)
    assert await suggest(api, p, where=None) == by_handle
    # Elsewhere the officials are another kelurahan's.
    assert (await suggest(api, p, where=CEGER))[:2] == [f"{p}_lurah_ceger", f"{p}_pju_ceger"]
    # The limit, and only public fields.
    assert await suggest(api, p, first=3) == order[:3]
    assert await suggest(api, p, first=None) == order[:8]
    assert await suggest(api, p, first=0) == []
    assert all(a["email"] is None for a in await accounts(api, p, PISANGAN_BARU, "PJU_PADAM", 20))


async def test_no_account_twice_and_at_most_twenty(api: Api) -> None:
    p = f"m{uuid.uuid4().hex[:8]}"
    lurah = await person(f"{p}_lurah", Role.AREA_HEAD, KELURAHAN, display_name=f"{p} Lurah")  # handle and name match
    for n in range(25):
        await person(f"{p}_{n:02d}", display_name=f"{p} {n}")
    found = await suggest(api, p, first=100)
    assert len(found) == 20 and len(set(found)) == 20
    assert found == [lurah.handle, *[f"{p}_{n:02d}" for n in range(19)]]


async def test_a_prefix_is_a_prefix(api: Api) -> None:
    """`_` and `%` are characters here, not LIKE's wildcards."""
    p = f"m{uuid.uuid4().hex[:8]}"
    await person(f"{p}_ab")
    await person(f"{p}xab")
    await person(f"{p}abc", display_name=f"%{p}")  # no other account's name starts with %
    assert await suggest(api, f"{p}_a", where=None) == [f"{p}_ab"]
    assert await suggest(api, "%", where=None) == [f"{p}abc"]


async def test_empty_text_offers_only_the_answerable(api: Api) -> None:
    await person(f"m{uuid.uuid4().hex[:8]}", Role.OFFICER, agency="SUDIN_PE_JT")  # at least one of each kind
    found = await accounts(api, "", PISANGAN_BARU, "PJU_PADAM", 20)
    assert found

    def rank(account: dict[str, Any]) -> int:
        area, agency = (account["area"] or {}).get("code"), (account["agency"] or {}).get("code")
        for n, role in enumerate((Role.AREA_HEAD, Role.OFFICER)):  # the kelurahan's
            if account["role"] == role and area == KELURAHAN:
                return n
        assert agency == "SUDIN_PE_JT" and area in (None, KELURAHAN, "31.75.01", CITY, "31"), account
        return 2 if account["role"] == Role.AGENCY_HEAD else 3

    ranks = [rank(a) for a in found]
    assert ranks == sorted(ranks)
    assert await suggest(api, "", where=None) == []
    assert await suggest(api, "@") == await suggest(api, "")


async def test_outside_partner_cities_nobody_is_answerable(api: Api) -> None:
    p = f"m{uuid.uuid4().hex[:8]}"
    sempur = await Area.get(code="32.71.03.1006")  # Kota Bogor: known, not a partner
    await person(f"{p}_lurah", Role.AREA_HEAD, sempur.code)
    await person(f"{p}_ani")
    where = (sempur.centroid_lat, sempur.centroid_lng)
    assert where[0] is not None and where[1] is not None
    assert await suggest(api, p, where=(where[0], where[1])) == [f"{p}_ani", f"{p}_lurah"]
    assert await suggest(api, "", where=(where[0], where[1])) == []


async def test_bad_input(api: Api) -> None:
    query = "query($lat: Float, $lng: Float, $c: String, $n: Int) { mentionSuggestions(text: \"bu\", lat: $lat, " \
            "lng: $lng, categoryCode: $c, first: $n) { handle } }"
    for variables in ({"lat": PISANGAN_BARU[0]}, {"lng": PISANGAN_BARU[1]}, {"n": -1}, {"lat": 91.0, "lng": 0.0},
                      {"lat": PISANGAN_BARU[0], "lng": PISANGAN_BARU[1], "c": "NO_SUCH_CATEGORY"}):
        assert await api.error_codes(query, variables) == ["BAD_USER_INPUT"], variables
