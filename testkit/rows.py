"""Rows written straight through the models, for the tests of the rules (no server, no HTTP).

Every account gets a handle of its own, so that tests sharing the session's database do not see each
other's rows; a test that needs to find its reports again filters on its own author.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core import clock
from models import Account, Agency, Area, Category, Report
from models.enums import ReportKind, ReportStatus, Role
from services import cities
from testkit.client import unique

PISANGAN_BARU = "31.75.01.1001"  # a kelurahan of Matraman (31.75.01)
KAYU_MANIS = "31.75.01.1003"  # another kelurahan of Matraman
CEGER = "31.75.10.1008"  # a kelurahan of Cipayung (31.75.10)
MATRAMAN = "31.75.01"
RT001 = "31.75.01.1001.RW01.RT001"  # an RT inside Pisangan Baru


async def area(code: str) -> Area:
    return await Area.get(code=code)


async def agency(code: str) -> Agency:
    return await Agency.get(code=code)


async def account(role: Role = Role.CITIZEN, area: Area | None = None, agency: Agency | None = None) -> Account:
    """Saved, with its area loaded (the permission rules compare area paths, as the server's viewer does)."""
    made = await Account.create(handle=unique(role.value.lower()), display_name="Uji aturan", role=role, area=area,
                                agency=agency, password_hash="-")
    if area is not None:
        made.area = area
    return made


async def report(author: Account, area: Area, agency: Agency | None = None, category: str = "SAMPAH",
                 status: ReportStatus = ReportStatus.WAITING, kind: ReportKind = ReportKind.CITIZEN,
                 created_at: datetime | None = None, **fields: Any) -> Report:
    """A saved report in the area (its path and city copied, as routing does), by the author."""
    moment = created_at or clock.now()
    national = await Category.get(code=category, city_id=None)
    fields.setdefault("city", await cities.city_of_path(area.path))
    return await Report.create(
        kind=kind, body="Uji aturan", category=national, lat=-6.2, lng=106.87, area=area,
        area_path=area.path, agency=agency, author=author, status=status, created_at=moment, updated_at=moment,
        **fields,
    )
