"""Accounts over real HTTP: register, login, tokens, roles, privacy of contact details."""

from __future__ import annotations

from core import clock
from models.enums import Role
from resolvers.ids import to_global_id
from testkit.client import Api, unique

REGISTER = """mutation($h: String!, $p: String!, $e: String) {
  register(handle: $h, displayName: "Warga Baru", password: $p, email: $e) { token account { handle role email } }
}"""
LOGIN = "mutation($h: String!, $p: String!) { login(handle: $h, password: $p) { token account { handle } } }"
ME = "{ me { handle email phone role } }"
CREATE = """mutation($i: CreateAccountInput!) { createAccount(input: $i) { handle role area { code } email } }"""


async def test_register_login_me_logout(api: Api) -> None:
    handle = unique("Warga").lower()
    body = await api.gql(REGISTER, {"h": handle.upper(), "p": "rahasia-sekali", "e": "w@example.org"})
    assert body["register"]["account"] == {"handle": handle, "role": "CITIZEN", "email": "w@example.org"}
    token = (await api.gql(LOGIN, {"h": handle, "p": "rahasia-sekali"}))["login"]["token"]
    assert (await api.gql(ME, token=token))["me"]["handle"] == handle
    assert (await api.gql("mutation { logout }", token=token))["logout"] is True
    assert (await api.gql(ME, token=token))["me"] is None  # the token died at logout


async def test_wrong_password_and_unknown_handle_are_the_same_answer(api: Api) -> None:
    _, account = await api.account()
    assert await api.error_codes(LOGIN, {"h": account.handle, "p": "not-the-password"}) == ["UNAUTHENTICATED"]
    assert await api.error_codes(LOGIN, {"h": unique("nobody"), "p": "whatever-1"}) == ["UNAUTHENTICATED"]


async def test_duplicate_handle_is_a_conflict(api: Api) -> None:
    handle = unique("dup")
    await api.gql(REGISTER, {"h": handle, "p": "rahasia-sekali"})
    assert await api.error_codes(REGISTER, {"h": handle.upper(), "p": "rahasia-lain-1"}) == ["CONFLICT"]


async def test_bad_registration_input(api: Api) -> None:
    assert await api.error_codes(REGISTER, {"h": "a b", "p": "rahasia-sekali"}) == ["BAD_USER_INPUT"]
    assert await api.error_codes(REGISTER, {"h": unique("x"), "p": "short"}) == ["BAD_USER_INPUT"]
    assert await api.error_codes(REGISTER, {"h": unique("x"), "p": "rahasia-sekali", "e": "nope"}) == ["BAD_USER_INPUT"]


async def test_expired_token_signs_nobody_in(api: Api) -> None:
    token, _ = await api.account()
    assert (await api.gql(ME, token=token))["me"] is not None
    clock.advance(api.server.settings.token_ttl_hours * 3600 + 1)
    assert (await api.gql(ME, token=token))["me"] is None
    assert await api.error_codes("mutation { logout }", token=token) == ["UNAUTHENTICATED"]


async def test_create_account_is_admin_only(api: Api) -> None:
    citizen_token, _ = await api.account()
    officer_token, _ = await api.account(Role.OFFICER, area_code="31.75.01.1001")
    admin_token, _ = await api.account(Role.ADMIN)
    new = {"handle": unique("lurah"), "displayName": "Lurah", "password": "rahasia-sekali", "role": "AREA_HEAD",
           "email": "lurah@example.org"}
    from models import Area

    area = await Area.get(code="31.75.01.1001")
    new["areaId"] = to_global_id("Area", area.id)
    assert await api.error_codes(CREATE, {"i": new}) == ["UNAUTHENTICATED"]
    assert await api.error_codes(CREATE, {"i": new}, citizen_token) == ["FORBIDDEN"]
    assert await api.error_codes(CREATE, {"i": new}, officer_token) == ["FORBIDDEN"]
    created = (await api.gql(CREATE, {"i": new}, admin_token))["createAccount"]
    assert created == {"handle": new["handle"], "role": "AREA_HEAD", "area": {"code": "31.75.01.1001"},
                       "email": "lurah@example.org"}
    assert await api.error_codes(CREATE, {"i": new}, admin_token) == ["CONFLICT"]
    headless = {**new, "handle": unique("x"), "areaId": None}
    assert await api.error_codes(CREATE, {"i": headless}, admin_token) == ["BAD_USER_INPUT"]


async def test_contact_details_only_for_self_and_admin(api: Api) -> None:
    own_token, own = await api.account()
    other_token, _ = await api.account()
    admin_token, _ = await api.account(Role.ADMIN)
    query = "query($h: String!) { account(handle: $h) { handle email phone passwordHash: displayName } }"
    for token, visible in ((None, False), (other_token, False), (own_token, True), (admin_token, True)):
        found = (await api.gql(query, {"h": own.handle}, token))["account"]
        assert (found["email"] == "t@example.org") is visible
    assert (await api.gql(query, {"h": unique("ghost")}))["account"] is None


async def test_node_finds_accounts_and_rejects_foreign_ids(api: Api) -> None:
    _, account = await api.account()
    query = "query($id: ID!) { node(id: $id) { id ... on Account { handle } } }"
    found = (await api.gql(query, {"id": to_global_id("Account", account.id)}))["node"]
    assert found == {"id": to_global_id("Account", account.id), "handle": account.handle}
    assert (await api.gql(query, {"id": to_global_id("Account", 10**9)}))["node"] is None
    assert await api.error_codes(query, {"id": "not-an-id"}) == ["BAD_USER_INPUT"]


async def test_a_resident_sets_their_home_area(api: Api) -> None:
    set_home = "mutation($a: ID!) { setHomeArea(areaId: $a) { handle area { code } } }"
    areas = {a["code"]: a["id"] for a in (await api.gql("{ areas { id code } }"))["areas"]}
    token, account = await api.account()
    moved = await api.gql(set_home, {"a": areas["31.75.01.1001"]}, token)
    assert moved["setHomeArea"] == {"handle": account.handle, "area": {"code": "31.75.01.1001"}}
    assert (await api.gql("{ me { area { code } } }", token=token))["me"]["area"] == {"code": "31.75.01.1001"}
    assert await api.error_codes(set_home, {"a": areas["31.75.01"]}, token) == ["BAD_USER_INPUT"]  # a kecamatan
    assert await api.error_codes(set_home, {"a": areas["31.75.01.1001"]}) == ["UNAUTHENTICATED"]
    lurah, _ = await api.account(Role.AREA_HEAD, area_code="31.75.01.1001")
    assert await api.error_codes(set_home, {"a": areas["31.75.01.1002"]}, lurah) == ["FORBIDDEN"]
