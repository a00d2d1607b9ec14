"""Decisions made in one place: the photo policy from the settings reaches every layer, and the sign-in limit
counts every spelling of a handle as that handle."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import orjson

from demo.photos import sample_photo
from testkit.client import Api
from testkit.processes import CREATE, ServerProcess, base_env, login, run
from testkit.servers import free_port


async def test_the_configured_photo_limit_holds_in_every_layer(tmp_path: Path) -> None:
    env = base_env(f"sqlite://{tmp_path / 'photos.sqlite3'}", "", tmp_path / "media")
    del env["WARGA_REDIS_URL"]
    env["WARGA_MAX_PHOTOS_PER_REPORT"] = "6"
    await run("migrate", env=env)
    await run("seed-demo", env=env)
    server = await ServerProcess(free_port(), env).start()
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            token = await login(http, server.url)

            async def post(count: int) -> dict[str, Any]:
                variables = {"input": {"body": f"{count} foto", "categoryCode": "SAMPAH", "lat": -6.2117,
                                       "lng": 106.869, "photos": [None] * count}}
                response = await http.post(
                    server.url + "/graphql",
                    headers={"authorization": f"Bearer {token}", "x-apollo-operation-name": "create"},
                    data={"operations": orjson.dumps({"query": CREATE, "variables": variables}).decode(),
                          "map": orjson.dumps({str(i): [f"variables.input.photos.{i}"]
                                               for i in range(count)}).decode()},
                    files={str(i): (f"{i}.jpg", sample_photo(i), "image/jpeg") for i in range(count)},
                )
                return dict(response.json())

            assert "errors" not in await post(6)
            [refused] = (await post(7))["errors"]
            assert refused["extensions"]["code"] == "BAD_USER_INPUT" and "6" in refused["message"]
    finally:
        await server.stop()


async def test_the_sign_in_limit_counts_every_spelling_of_a_handle(api: Api) -> None:
    limiter = api.server.app.state.resources.limiter
    _, account = await api.account()
    login_mutation = "mutation($h: String!) { login(handle: $h, password: \"wrong-password\") { token } }"
    spellings = [account.handle, f"@{account.handle}", f"@@{account.handle}", f" {account.handle.upper()} "]
    limiter.scale = 1
    try:
        attempts = [await api.error_codes(login_mutation, {"h": spellings[i % 4]}) for i in range(11)]
    finally:
        limiter.scale = 0
        limiter.memory.hits.clear()
    # Ten tries a handle in five minutes, however it is written.
    assert attempts[:10] == [["UNAUTHENTICATED"]] * 10 and attempts[10] == ["RATE_LIMITED"]
