"""The Mutation root: each field hands its arguments to a resolver."""

from __future__ import annotations

import strawberry

from resolvers import accounts, social
from resolvers.context import Info
from schema.accounts import Account, AuthPayload
from schema.inputs import CreateAccountInput, CreateReportInput, as_dict
from schema.reports import Comment, Report


def _payload(pair: tuple[str, object]) -> AuthPayload:
    token, account = pair
    return AuthPayload(token=token, account=account)  # type: ignore[arg-type]


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def register(
        self,
        info: Info,
        handle: str,
        display_name: str,
        password: str,
        email: str | None = None,
        phone: str | None = None,
    ) -> AuthPayload:
        return _payload(await accounts.register(info, handle, display_name, password, email, phone))

    @strawberry.mutation
    async def login(self, info: Info, handle: str, password: str) -> AuthPayload:
        return _payload(await accounts.login(info, handle, password))

    @strawberry.mutation
    async def logout(self, info: Info) -> bool:
        return await accounts.logout(info)

    @strawberry.mutation(description="ADMIN only.")
    async def create_account(self, info: Info, input: CreateAccountInput) -> Account:
        return await accounts.create_account(info, as_dict(input))  # type: ignore[return-value]

    @strawberry.mutation
    async def create_report(self, info: Info, input: CreateReportInput) -> Report:
        return await social.create_report(info, as_dict(input))  # type: ignore[return-value]

    @strawberry.mutation
    async def add_comment(self, info: Info, report_id: strawberry.ID, body: str) -> Comment:
        return await social.add_comment(info, report_id, body)  # type: ignore[return-value]

    @strawberry.mutation
    async def support(self, info: Info, report_id: strawberry.ID) -> Report:
        return await social.support(info, report_id, on=True)  # type: ignore[return-value]

    @strawberry.mutation
    async def unsupport(self, info: Info, report_id: strawberry.ID) -> Report:
        return await social.support(info, report_id, on=False)  # type: ignore[return-value]

    @strawberry.mutation(description="Follow an Area, an Account or a Report by its global ID; idempotent.")
    async def follow(self, info: Info, id: strawberry.ID) -> bool:
        return await social.follow(info, id, on=True)

    @strawberry.mutation
    async def unfollow(self, info: Info, id: strawberry.ID) -> bool:
        return await social.follow(info, id, on=False)

    @strawberry.mutation(
        description="Marks the given notifications read, or all when ids is null; returns how many changed."
    )
    async def mark_notifications_read(self, info: Info, ids: list[strawberry.ID] | None = None) -> int:
        return await social.mark_read(info, ids)  # type: ignore[arg-type]
