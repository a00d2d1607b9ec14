"""The flood picture of an area: its gauges by alert level, its pump stations, and the last day's flood reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from tortoise.expressions import Q

from core import clock
from models import Asset, Category, Report
from models.enums import GAUGES, AlertLevel, AssetKind, AssetStatus, ReportKind
from services.assets import area_of

# The categories whose reports count as flood reports: those about pump stations (flood, blocked drain).
FLOOD_KIND = AssetKind.PUMP_STATION


@dataclass(frozen=True)
class FloodStatus:
    highest_alert: AlertLevel
    gauges: list[Asset]
    pump_stations: int
    pumps_running: int
    pumps_total: int
    pump_stations_down: int
    flood_reports_last_24h: int


SEVERITY = {AlertLevel.SIAGA_1: 0, AlertLevel.SIAGA_2: 1, AlertLevel.SIAGA_3: 2, AlertLevel.SIAGA_4: 3, None: 4}


async def flood_status(area_id: int | None) -> FloodStatus:
    """The flood picture of the area's assets (every asset without one), and its flood reports of the last day."""
    path = (await area_of(area_id)).path if area_id is not None else "/"
    inside = Q(area_path__startswith=path) if area_id is not None else Q()
    gauges = sorted(await Asset.filter(inside, kind__in=list(GAUGES)),
                    key=lambda g: (SEVERITY[g.alert_level], g.code))
    stations = await Asset.filter(inside, kind=AssetKind.PUMP_STATION)
    flood = [c.id for c in await Category.all() if FLOOD_KIND in c.asset_kinds]
    reports = Report.filter(kind=ReportKind.CITIZEN, category_id__in=flood, hidden=False,
                            created_at__gte=clock.now() - timedelta(hours=24))
    if area_id is not None:
        reports = reports.filter(area_path__startswith=path)
    return FloodStatus(
        highest_alert=min((g.alert_level or AlertLevel.SIAGA_4 for g in gauges), key=SEVERITY.__getitem__,
                          default=AlertLevel.SIAGA_4),
        gauges=gauges,
        pump_stations=len(stations),
        # An OFFLINE station's last count is stale: none of its pumps is known to run.
        pumps_running=sum(s.pumps_running or 0 for s in stations if s.status != AssetStatus.OFFLINE),
        pumps_total=sum(s.pumps_total or 0 for s in stations),
        pump_stations_down=sum(1 for s in stations if s.status in (AssetStatus.FAULT, AssetStatus.OFFLINE)),
        flood_reports_last_24h=await reports.count(),
    )
