"""The Mutation root: each field hands its arguments to a resolver.

A field that answers with a database row declares the row as its Python return type and the Strawberry
type that reads it as `graphql_type`."""

from __future__ import annotations

import strawberry
from strawberry.file_uploads import Upload

from models import Account as AccountRow
from models import Asset as AssetRow
from models import City as CityRow
from models import Comment as CommentRow
from models import Poll as PollRow
from models import Report as ReportRow
from resolvers import accounts, polls, social, workflow
from resolvers import assets as asset_resolvers
from resolvers import catalog as catalog_resolvers
from resolvers import reports as report_resolvers
from resolvers.context import Info
from schema.accounts import Account, AuthPayload
from schema.assets import Asset, AssetReadingInput
from schema.comments import Comment
from schema.enums import RejectReason, Verdict
from schema.inputs import CreateAccountInput, CreateReportInput
from schema.places import City
from schema.polls import CreatePollInput, Poll
from schema.reports import Report


def _payload(pair: tuple[str, AccountRow]) -> AuthPayload:
    token, account = pair
    return AuthPayload(token=token, account=account)


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

    @strawberry.mutation(
        description="CITIZEN only: the kelurahan (or an RW or RT inside it) where the resident lives; the polls of "
        "the areas around it are theirs to answer.",
        graphql_type=Account,
    )
    async def set_home_area(self, info: Info, area_id: strawberry.ID) -> AccountRow:
        return await accounts.set_home_area(info, area_id)

    @strawberry.mutation(description="ADMIN only.", graphql_type=Account)
    async def create_account(self, info: Info, input: CreateAccountInput) -> AccountRow:
        return await accounts.create_account(
            info,
            handle=input.handle,
            display_name=input.display_name,
            password=input.password,
            role=input.role,
            area_id=input.area_id,
            agency_id=input.agency_id,
            email=input.email,
            phone=input.phone,
        )

    @strawberry.mutation(
        description="ADMIN only: start or end a partnership. Starting it makes the city's waiting reports actionable "
        "and starts their SLAs.",
        graphql_type=City,
    )
    async def set_city_partner(self, info: Info, city_id: strawberry.ID, partner: bool) -> CityRow:
        return await catalog_resolvers.set_city_partner(info, city_id, partner)

    @strawberry.mutation(
        description="The city's CITY_ADMIN, or ADMIN: load the city's agencies, categories, time zone and duty rates "
        "from a JSON file (README, \"A city's catalog\"); entries update by code.",
        graphql_type=City,
    )
    async def import_city_catalog(self, info: Info, city_id: strawberry.ID, catalog: Upload) -> CityRow:
        return await catalog_resolvers.import_city_catalog(info, city_id, catalog)

    @strawberry.mutation(
        description="Officials of the asset's agency or area (including a telemetry gateway's OFFICER account) and "
        "admins.",
        graphql_type=Asset,
    )
    async def record_asset_reading(self, info: Info, asset_id: strawberry.ID, input: AssetReadingInput) -> AssetRow:
        return await asset_resolvers.record_reading(info, asset_id, input.reading())

    @strawberry.mutation(graphql_type=Report)
    async def create_report(self, info: Info, input: CreateReportInput) -> ReportRow:
        photos = await report_resolvers.new_report_photos(info, input.photos)
        return await report_resolvers.create_report(info, input.new_report(photos))

    @strawberry.mutation(graphql_type=Comment)
    async def add_comment(self, info: Info, report_id: strawberry.ID, body: str) -> CommentRow:
        return await social.add_comment(info, report_id, body)

    @strawberry.mutation(graphql_type=Report)
    async def support(self, info: Info, report_id: strawberry.ID) -> ReportRow:
        return await social.support(info, report_id, on=True)

    @strawberry.mutation(graphql_type=Report)
    async def unsupport(self, info: Info, report_id: strawberry.ID) -> ReportRow:
        return await social.support(info, report_id, on=False)

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
        return await social.mark_read(info, ids)

    @strawberry.mutation(
        description="Any signed-in account: reports abuse, spam or exposed personal data to the moderators."
    )
    async def flag_report(self, info: Info, report_id: strawberry.ID, reason: str) -> bool:
        return await workflow.flag(info, report_id, reason)

    @strawberry.mutation(
        description="ADMIN, or an AREA_HEAD inside their area: hides a report from the public, "
        "with a reason in its timeline; its open flags are decided.",
        graphql_type=Report,
    )
    async def hide_report(self, info: Info, report_id: strawberry.ID, reason: str) -> ReportRow:
        return await workflow.set_hidden(info, report_id, True, reason)

    @strawberry.mutation(
        description="ADMIN, a CITY_ADMIN in their city, or an AREA_HEAD inside their area: keeps a flagged report "
        "shown, deciding its open flags, with a reason in its timeline (a KEPT event, for officials). BAD_USER_INPUT "
        "when no flag waits for a decision or the report is hidden.",
        graphql_type=Report,
    )
    async def keep_report(self, info: Info, report_id: strawberry.ID, reason: str) -> ReportRow:
        return await workflow.keep(info, report_id, reason)

    @strawberry.mutation(graphql_type=Report)
    async def unhide_report(self, info: Info, report_id: strawberry.ID) -> ReportRow:
        return await workflow.set_hidden(info, report_id, False, None)

    @strawberry.mutation(description="WAITING or REOPENED -> IN_PROGRESS.", graphql_type=Report)
    async def acknowledge(self, info: Info, report_id: strawberry.ID, note: str | None = None) -> ReportRow:
        return await workflow.acknowledge(info, report_id, note)

    @strawberry.mutation(graphql_type=Report)
    async def forward(
        self,
        info: Info,
        report_id: strawberry.ID,
        note: str,
        agency_id: strawberry.ID | None = None,
        area_id: strawberry.ID | None = None,
    ) -> ReportRow:
        return await workflow.forward(info, report_id, agency_id, area_id, note)

    @strawberry.mutation(description="-> FOLLOWED_UP, the green badge. At least one proof photo.", graphql_type=Report)
    async def follow_up(self, info: Info, report_id: strawberry.ID, note: str, photos: list[Upload]) -> ReportRow:
        return await workflow.follow_up(info, report_id, note, photos)

    @strawberry.mutation(
        description="The reporter only, after a follow-up: FOLLOWED_UP or CLOSED -> REOPENED.",
        graphql_type=Report,
    )
    async def reopen(
        self, info: Info, report_id: strawberry.ID, reason: str, photos: list[Upload] | None = None
    ) -> ReportRow:
        return await workflow.reopen(info, report_id, reason, photos)

    @strawberry.mutation(
        description="The reporter accepts the fix, or an authorised official closes a followed-up report.",
        graphql_type=Report,
    )
    async def close_report(self, info: Info, report_id: strawberry.ID, note: str | None = None) -> ReportRow:
        return await workflow.close(info, report_id, note)

    @strawberry.mutation(
        description="An authorised official: WAITING, IN_PROGRESS or REOPENED -> REJECTED. reasonCode defaults to "
        "DUPLICATE when duplicateOfId names the report this one duplicates (only DUPLICATE does), else OTHER.",
        graphql_type=Report,
    )
    async def reject(
        self,
        info: Info,
        report_id: strawberry.ID,
        reason: str,
        duplicate_of_id: strawberry.ID | None = None,
        reason_code: RejectReason | None = None,
    ) -> ReportRow:
        return await workflow.reject(info, report_id, reason, duplicate_of_id, reason_code)

    @strawberry.mutation(
        description="The reporter only, once the report is FOLLOWED_UP or CLOSED; rating again replaces the "
        "rating. 1 or 2 stars with a reason also reopens a FOLLOWED_UP report.",
        graphql_type=Report,
    )
    async def rate_fix(self, info: Info, report_id: strawberry.ID, stars: int, comment: str | None = None) -> ReportRow:
        return await workflow.rate_fix(info, report_id, stars, comment)

    @strawberry.mutation(description="VERIFIER of the report's kelurahan, DUTY reports only.", graphql_type=Report)
    async def verify(
        self, info: Info, report_id: strawberry.ID, verdict: Verdict, note: str | None = None
    ) -> ReportRow:
        return await workflow.verify(info, report_id, verdict, note)

    @strawberry.mutation(
        description="AREA_HEAD, AGENCY_HEAD and ADMIN (CITY_ADMIN is not a role yet).", graphql_type=Poll
    )
    async def create_poll(self, info: Info, input: CreatePollInput) -> PollRow:
        return await polls.create_poll(info, input.new_poll())

    @strawberry.mutation(
        description="One vote per account; voting again while the poll is open changes the vote.", graphql_type=Poll
    )
    async def vote(self, info: Info, poll_id: strawberry.ID, option_id: strawberry.ID) -> PollRow:
        return await polls.vote(info, poll_id, option_id)

    @strawberry.mutation(description="The author or an admin; closes it now.", graphql_type=Poll)
    async def close_poll(self, info: Info, poll_id: strawberry.ID) -> PollRow:
        return await polls.close_poll(info, poll_id)
