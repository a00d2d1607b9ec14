"""Signed-in tokens remembered a few seconds (app/sessions.py): what ends or changes a session shows at once on
the server that made the change, a session's expiry is honoured, and what no event announces lives the TTL at most.
Across server processes: tests/test_session_cache_scale_out.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import orjson
import pytest

from app import sessions
from app.sessions import SessionCache
from core import clock
from core.settings import Settings
from models import Account, Area, Session
from models.enums import Role
from services import auth
from testkit import rows
from testkit.client import Api

ME = "{ me { handle role area { code } } }"


async def test_logout_refuses_the_token_at_once(api: Api) -> None:
    token, account = await api.account()
    hits = sessions.cache.hits
    for _ in range(2):
        assert (await api.gql(ME, token=token))["me"]["handle"] == account.handle
    assert sessions.cache.hits > hits  # the second request was answered from memory
    assert (await api.gql("mutation { logout }", token=token))["logout"] is True
    assert (await api.gql(ME, token=token))["me"] is None
    assert await api.error_codes("mutation { logout }", token=token) == ["UNAUTHENTICATED"]


async def test_a_new_home_area_shows_at_once(api: Api) -> None:
    areas = {a["code"]: a["id"] for a in (await api.gql("{ areas(level: VILLAGE) { id code } }"))["areas"]}
    token, _ = await api.account()
    assert (await api.gql(ME, token=token))["me"]["area"] is None
    await api.gql("mutation($a: ID!) { setHomeArea(areaId: $a) { handle } }", {"a": areas[rows.KAYU_MANIS]}, token)
    assert (await api.gql(ME, token=token))["me"]["area"] == {"code": rows.KAYU_MANIS}


async def test_role_and_session_changes_made_through_the_service_show_at_once(api: Api) -> None:
    """How a role change or a password change (which ends the other sessions) must be made: in
    auth.changing_account, whose listener and outbox event make every server look the tokens up again."""
    token, account = await api.account()
    other, _ = await api.account()
    assert (await api.gql(ME, token=token))["me"]["role"] == "CITIZEN"
    async with auth.changing_account(account.id):
        await Account.filter(id=account.id).update(role=Role.VERIFIER)
    assert (await api.gql(ME, token=token))["me"]["role"] == "VERIFIER"
    assert (await api.gql(ME, token=other))["me"] is not None
    async with auth.changing_account(account.id):
        await Session.filter(account_id=account.id).delete()
    assert (await api.gql(ME, token=token))["me"] is None


async def test_an_expired_session_is_refused_though_remembered(database: Settings) -> None:
    cache = SessionCache(ttl_seconds=3600)
    account = await rows.account()
    token = await auth.open_session(account, timedelta(minutes=5))
    assert (found := await cache.viewer(token)) is not None and found.id == account.id
    try:
        clock.advance(5 * 60 + 1)
        assert await cache.viewer(token) is None
    finally:
        clock.reset()
    assert not await Session.filter(account_id=account.id).exists()  # removed on the way, as before


async def test_what_no_event_announces_lives_the_ttl_at_most(database: Settings) -> None:
    cache = SessionCache(ttl_seconds=0.3)
    account = await rows.account(area=await Area.get(code=rows.PISANGAN_BARU))
    token = await auth.open_session(account, timedelta(hours=1))
    remembered = await cache.viewer(token)
    assert remembered is not None and remembered.area is not None  # loaded with the account
    assert remembered.area.code == rows.PISANGAN_BARU
    await Account.filter(id=account.id).update(role=Role.OFFICER)  # a hand edit: no event
    assert (await cache.viewer(token)) is remembered
    await asyncio.sleep(0.35)
    assert (fresh := await cache.viewer(token)) is not None and fresh.role == Role.OFFICER


async def test_unknown_tokens_are_remembered_too(database: Settings) -> None:
    cache = SessionCache()
    for _ in range(3):
        assert await cache.viewer("not-a-token") is None
    assert (cache.hits, cache.misses) == (2, 1)


async def test_a_lookup_overtaken_by_a_change_is_not_kept(database: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read before a logout committed, stored after its event arrived: the stale answer must not be kept."""
    cache = SessionCache()
    account = await rows.account()
    token = await auth.open_session(account, timedelta(hours=1))
    lookup = auth.signed_in

    async def overtaken(hashed: str) -> auth.SignedIn | None:
        found = await lookup(hashed)
        cache.forget_account(account.id)  # the event arrives while this request is still reading
        return found

    monkeypatch.setattr(auth, "signed_in", overtaken)
    assert await cache.viewer(token) is not None  # this request began before the change: it may pass
    assert len(cache) == 0
    monkeypatch.setattr(auth, "signed_in", lookup)
    assert await cache.viewer(token) is not None
    assert len(cache) == 1


async def test_the_cache_is_bounded_and_forgets_by_account(database: Settings) -> None:
    cache = SessionCache(maxsize=3)
    first, second = await rows.account(), await rows.account()
    tokens = [await auth.open_session(first, timedelta(hours=1)) for _ in range(2)]
    tokens += [await auth.open_session(second, timedelta(hours=1)) for _ in range(2)]
    for token in [*tokens, "unknown"]:
        await cache.viewer(token)
    assert len(cache) == 3  # the oldest two (of the first account) went
    cache.forget_account(first.id)
    assert len(cache) == 3
    cache.forget_account(second.id)
    assert len(cache) == 1  # the unknown token's entry


async def test_broker_messages_name_the_account_to_forget(database: Settings) -> None:
    cache = SessionCache()
    first, second = await rows.account(), await rows.account()
    tokens = [await auth.open_session(a, timedelta(hours=1)) for a in (first, second)]
    for token in tokens:
        await cache.viewer(token)

    def message(topic: str, **payload: object) -> bytes:
        return orjson.dumps({"id": 1, "topic": topic, "payload": payload, "at": 0})

    cache.receive(message("report", report_id=first.id, created=True, event_id=None))
    assert len(cache) == 2
    cache.receive(message(auth.ACCOUNT_CHANGED, account_id=first.id))
    assert len(cache) == 1
    cache.receive(b"not json")  # whatever it meant, forgetting everything is safe
    assert len(cache) == 0
