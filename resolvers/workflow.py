"""Resolvers for the follow-up workflow and moderation."""

from __future__ import annotations

from collections.abc import Sequence

from models import Report
from models.enums import RejectReason, Verdict
from resolvers.context import Info
from resolvers.ids import optional_pk, pk_of
from resolvers.uploads import read_uploads
from services import moderation, workflow
from services import reports as report_service


def _report_pk(report_id: str) -> int:
    return pk_of(report_id, "Report")


async def acknowledge(info: Info, report_id: str, note: str | None) -> Report:
    return await workflow.acknowledge(info.context.viewer, _report_pk(report_id), note)


async def forward(info: Info, report_id: str, agency_id: str | None, area_id: str | None, note: str) -> Report:
    return await workflow.forward(
        info.context.viewer, _report_pk(report_id), optional_pk(agency_id, "Agency"), optional_pk(area_id, "Area"), note
    )


async def follow_up(info: Info, report_id: str, note: str, photos: Sequence[object]) -> Report:
    resources = info.context.resources
    pk = _report_pk(report_id)
    return await workflow.follow_up(
        info.context.viewer, pk, note, await read_uploads(info, photos), resources.storage, resources.photo_policy
    )


async def reopen(info: Info, report_id: str, reason: str, photos: Sequence[object] | None) -> Report:
    resources = info.context.resources
    uploads = await read_uploads(info, photos or [])
    return await workflow.reopen(info.context.viewer, _report_pk(report_id), reason, uploads, resources.storage,
                                 resources.photo_policy)


async def close(info: Info, report_id: str, note: str | None) -> Report:
    return await workflow.close(info.context.viewer, _report_pk(report_id), note)


async def reject(
    info: Info, report_id: str, reason: str, duplicate_of_id: str | None, code: RejectReason | None
) -> Report:
    return await workflow.reject(
        info.context.viewer, _report_pk(report_id), reason, optional_pk(duplicate_of_id, "Report"),
        RejectReason(code) if code is not None else None,
    )


async def rate_fix(info: Info, report_id: str, stars: int, comment: str | None) -> Report:
    return await workflow.rate_fix(info.context.viewer, _report_pk(report_id), stars, comment)


async def verify(info: Info, report_id: str, verdict: Verdict, note: str | None) -> Report:
    return await workflow.verify(info.context.viewer, _report_pk(report_id), Verdict(verdict), note)


async def flag(info: Info, report_id: str, reason: str) -> bool:
    report = await report_service.visible_report(info.context.viewer, _report_pk(report_id))
    return await moderation.flag(info.context.viewer, report, reason)


async def set_hidden(info: Info, report_id: str, hidden: bool, reason: str | None) -> Report:
    return await moderation.set_hidden(info.context.viewer, _report_pk(report_id), hidden, reason)


async def keep(info: Info, report_id: str, reason: str) -> Report:
    return await moderation.keep(info.context.viewer, _report_pk(report_id), reason)
