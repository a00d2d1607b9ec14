"""The whole matrix: role x mutation x (own / other report, inside / outside the area, own / other agency).

The expected answer comes from the rules of PRODUCT.md written out again here, independently of
services/permissions.py; every cell is sent over HTTP and must come back allowed or FORBIDDEN.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from core import clock
from demo.photos import sample_photo
from models import Account, Agency, Area, Category, Flag, Report
from models.enums import ReportKind, ReportStatus, Role
from resolvers.ids import to_global_id
from testkit.client import Api, GraphQLErrors

ROLES = list(Role)
OFFICIALS = {Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD}
PHOTO = sample_photo(3, size=(64, 48))


@dataclass(frozen=True)
class Mutation:
    name: str
    document: str
    status: ReportStatus = ReportStatus.WAITING
    kind: ReportKind = ReportKind.CITIZEN
    hidden: bool = False
    upload: bool = False
    flagged: bool = False  # a resident's flag waits for a decision


MUTATIONS = [
    Mutation("acknowledge", "mutation($id: ID!) { acknowledge(reportId: $id) { status } }"),
    Mutation("forward", "mutation($id: ID!, $to: ID) { forward(reportId: $id, agencyId: $to, note: \"Disposisi\") "
                        "{ status } }"),
    Mutation("followUp", "mutation($id: ID!, $p: [Upload!]!) { followUp(reportId: $id, note: \"Beres\", photos: $p) "
                         "{ status } }", ReportStatus.IN_PROGRESS, upload=True),
    Mutation("reopen", "mutation($id: ID!) { reopen(reportId: $id, reason: \"Belum beres\") { status } }",
             ReportStatus.FOLLOWED_UP),
    Mutation("closeReport", "mutation($id: ID!) { closeReport(reportId: $id) { status } }", ReportStatus.FOLLOWED_UP),
    Mutation("reject", "mutation($id: ID!) { reject(reportId: $id, reason: \"Bukan wewenang\") { status } }"),
    Mutation("verify", "mutation($id: ID!) { verify(reportId: $id, verdict: VALID) { status } }",
             kind=ReportKind.DUTY),
    Mutation("hideReport", "mutation($id: ID!) { hideReport(reportId: $id, reason: \"Data pribadi\") { hidden } }"),
    Mutation("unhideReport", "mutation($id: ID!) { unhideReport(reportId: $id) { hidden } }", hidden=True),
    Mutation("keepReport", "mutation($id: ID!) { keepReport(reportId: $id, reason: \"Foto sesuai\") { hidden } }",
             flagged=True),
]


def expected(role: Role, mutation: str, own: bool, inside: bool, own_agency: bool) -> bool:
    """PRODUCT.md's rules, written out again for the test."""
    admins = role in (Role.ADMIN, Role.CITY_ADMIN)  # the CITY_ADMIN's city holds every report here
    authorised = admins or (role in OFFICIALS and (inside or own_agency))
    return {
        "acknowledge": authorised,
        "followUp": authorised,
        "reject": authorised,
        "forward": authorised and role in {Role.ADMIN, Role.CITY_ADMIN, Role.AREA_HEAD, Role.AGENCY_HEAD},
        "reopen": own,
        "closeReport": own or authorised,
        "verify": role == Role.VERIFIER and inside,
        "hideReport": admins or (role == Role.AREA_HEAD and inside),
        "unhideReport": admins or (role == Role.AREA_HEAD and inside),
        "keepReport": admins or (role == Role.AREA_HEAD and inside),
    }[mutation]


CELLS = [
    (role, mutation, own, inside, own_agency)
    for role, mutation, own, inside, own_agency in itertools.product(
        ROLES, MUTATIONS, (True, False), (True, False), (True, False)
    )
    # Only RT/RW heads post DUTY reports, so only they can own the report a verifier judges.
    if not (mutation.kind == ReportKind.DUTY and own and role != Role.RT_RW)
]


async def test_matrix_of_every_role_and_mutation(api: Api) -> None:
    inside_area = await Area.get(code="31.75.01.1001")  # Pisangan Baru
    outside_area = await Area.get(code="31.75.10.1008")  # Ceger
    rt = await Area.get(code="31.75.01.1001.RW01.RT001")
    city = await Area.get(code="31.75")
    mine, other = await Agency.get(code="SUDIN_PE_JT"), await Agency.get(code="DLH")
    category = await Category.get(code="PJU_PADAM", city_id=None)
    stranger = (await api.account(Role.RT_RW, area_code=rt.code))[1]
    actors: dict[Role, tuple[str, Account]] = {}
    for role in ROLES:
        # Every actor has both an area and an agency, so that only the rules can refuse them.
        area = {Role.RT_RW: rt, Role.CITY_ADMIN: city}.get(role, inside_area)
        actors[role] = await api.account(role, area_code=area.code, agency_id=mine.id)
    counts = {"allowed": 0, "forbidden": 0}
    for role, mutation, own, inside, own_agency in CELLS:
        token, actor = actors[role]
        area = inside_area if inside else outside_area
        now = clock.now()
        report = await Report.create(
            kind=mutation.kind, body="Sel matriks", category=category, lat=-6.2, lng=106.9, area=area,
            area_path=area.path, agency=mine if own_agency else other, author=actor if own else stranger,
            status=mutation.status, hidden=mutation.hidden, created_at=now, updated_at=now,
        )
        if mutation.flagged:
            await Flag.create(report=report, account=stranger, reason="Menyesatkan", created_at=now)
        variables: dict[str, Any] = {"id": to_global_id("Report", report.id), "to": to_global_id("Agency", other.id)}
        files = None
        if mutation.upload:
            variables["p"] = [None]
            files = {"variables.p.0": PHOTO}
        cell = f"{role.value} {mutation.name} own={own} inside={inside} own_agency={own_agency}"
        try:
            await api.gql(mutation.document, variables, token, files)
            allowed = True
        except GraphQLErrors as error:
            assert error.codes == ["FORBIDDEN"], f"{cell}: {error.errors}"
            allowed = False
        assert allowed == expected(role, mutation.name, own, inside, own_agency), cell
        counts["allowed" if allowed else "forbidden"] += 1
    print(f"\npermission matrix: {len(CELLS)} cells, {counts['allowed']} allowed, {counts['forbidden']} FORBIDDEN")
    assert sum(counts.values()) == len(CELLS) == 8 * 10 * 8 - 7 * 4  # less verify of an impossible own DUTY report


@pytest.mark.parametrize("mutation", [m.name for m in MUTATIONS])
async def test_signed_out_is_unauthenticated(api: Api, mutation: str) -> None:
    document = next(m for m in MUTATIONS if m.name == mutation).document
    report = await Report.first()
    assert report is not None
    variables: dict[str, Any] = {"id": to_global_id("Report", report.id), "to": None, "p": []}
    assert await api.error_codes(document, variables) == ["UNAUTHENTICATED"]
