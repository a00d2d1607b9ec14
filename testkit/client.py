"""A small GraphQL client for the tests: JSON and multipart requests over real HTTP."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import httpx
import orjson

from demo.loader import DEMO_PASSWORD
from models import Account, Agency, Area
from models.enums import Role
from services import auth

if TYPE_CHECKING:
    from testkit.servers import RunningServer


class GraphQLErrors(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors
        self.codes = [e.get("extensions", {}).get("code") for e in errors]


def unique(prefix: str = "u") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


class Api:
    def __init__(self, http: httpx.AsyncClient, server: RunningServer) -> None:
        self.http = http
        self.server = server

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        files: dict[str, bytes] | None = None,
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        if files:
            # The GraphQL multipart request spec: operations, map, then one part per file.
            file_map = {f"f{i}": [path] for i, path in enumerate(files)}
            parts = {f"f{i}": (f"photo{i}.jpg", data, "image/jpeg") for i, data in enumerate(files.values())}
            response = await self.http.post(
                "/graphql",
                headers={**headers, "x-apollo-operation-name": "upload"},
                data={"operations": orjson.dumps({"query": query, "variables": variables or {}}).decode(),
                      "map": orjson.dumps(file_map).decode()},
                files=parts,
            )
        else:
            response = await self.http.post("/graphql", headers=headers, json={"query": query, "variables": variables})
        return dict(response.json())

    async def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                  files: dict[str, bytes] | None = None) -> dict[str, Any]:
        body = await self.raw(query, variables, token, files)
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        return dict(body["data"])

    async def error_codes(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                          files: dict[str, bytes] | None = None) -> list[str]:
        body = await self.raw(query, variables, token, files)
        assert body.get("errors"), f"expected an error, got {body}"
        return [e["extensions"]["code"] for e in body["errors"]]

    async def account(self, role: Role = Role.CITIZEN, area_code: str | None = None,
                      agency_id: int | None = None, handle: str | None = None) -> tuple[str, Account]:
        """A fresh account and a token for it, made through the services (as an admin would)."""
        area = await Area.get(code=area_code) if area_code else None
        agency = await Agency.get(id=agency_id) if agency_id else None
        account = await auth.create_account(
            None, handle=handle or unique(role.value.lower()), display_name="Test", password=DEMO_PASSWORD,
            role=role, area=area, agency=agency, email="t@example.org",
        )
        body = await self.gql(
            "mutation($h: String!, $p: String!) { login(handle: $h, password: $p) { token } }",
            {"h": account.handle, "p": DEMO_PASSWORD},
        )
        return body["login"]["token"], account
