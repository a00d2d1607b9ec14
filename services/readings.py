"""An asset's readings and live state: recording them (officials, or a telemetry gateway's OFFICER account), the
alert level a gauge's own thresholds give, the duty that marks silent assets OFFLINE, and the alerts.

The asset's row holds the newest reading's state. A reading measured before the newest one goes to the history
only. A change of state (status, alert level, pumps running) is an outbox event (assetChanged, the map); a gauge
reaching SIAGA_2 or SIAGA_1 and a pump station going FAULT or OFFLINE tell the officials of the area. Each
change is a conditional update on the state it replaces, so concurrent readings and several servers' duties
take each change once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from core import clock
from core.errors import BadInput, Forbidden, Unauthenticated
from models import Account, Asset, AssetReading
from models.areas import path_ids
from models.enums import GAUGES, AlertLevel, AssetKind, AssetStatus, NotificationKind, Role
from plumbing import outbox
from plumbing.columns import column
from plumbing.dialect import is_postgres, moment_param, sql_rows
from services import permissions
from services.assets import get
from services.notifications import notify
from services.text import optional_text

MAX_LEVEL_CM = 10_000
MAX_NOTE = 500
FUTURE_SLACK = timedelta(minutes=5)  # a gateway's clock may run a little ahead
ALARMING = {AlertLevel.SIAGA_2, AlertLevel.SIAGA_1}
DOWN = {AssetStatus.FAULT, AssetStatus.OFFLINE}
BATCH = 200


@dataclass(frozen=True)
class NewReading:
    status: AssetStatus | None = None
    water_level_cm: int | None = None
    pumps_running: int | None = None
    note: str | None = None
    measured_at: datetime | None = None


def alert_level(asset: Asset, level_cm: int) -> AlertLevel:
    """By the gauge's own thresholds: at or above siaga1_cm is SIAGA_1, and so on down to SIAGA_4."""
    for threshold, alert in ((asset.siaga1_cm, AlertLevel.SIAGA_1), (asset.siaga2_cm, AlertLevel.SIAGA_2),
                             (asset.siaga3_cm, AlertLevel.SIAGA_3)):
        if threshold is not None and level_cm >= threshold:
            return alert
    return AlertLevel.SIAGA_4


def _checked(asset: Asset, new: NewReading) -> AssetReading:
    """The reading as it will be stored, its alert level and status worked out."""
    gauge = asset.kind in GAUGES
    if gauge and new.status not in (AssetStatus.FAULT, AssetStatus.OFFLINE) and new.water_level_cm is None:
        raise BadInput("A gauge's reading has waterLevelCm (or the status FAULT).")
    if new.water_level_cm is not None and (not gauge or not 0 <= new.water_level_cm <= MAX_LEVEL_CM):
        raise BadInput(f"waterLevelCm is for gauges, 0 to {MAX_LEVEL_CM}.")
    if new.pumps_running is not None and (
            asset.kind != AssetKind.PUMP_STATION or not 0 <= new.pumps_running <= (asset.pumps_total or 0)):
        raise BadInput(f"pumpsRunning is for pump stations, 0 to the {asset.pumps_total or 0} pumps installed.")
    measured_at = new.measured_at or clock.now()
    if measured_at.tzinfo is None or measured_at > clock.now() + FUTURE_SLACK:
        raise BadInput("measuredAt is a time with its zone, not in the future.")
    level = alert_level(asset, new.water_level_cm) if gauge and new.water_level_cm is not None else None
    status = new.status or (AssetStatus.ALERT if level not in (None, AlertLevel.SIAGA_4) else AssetStatus.OK)
    return AssetReading(asset_id=asset.id, status=status, water_level_cm=new.water_level_cm, alert_level=level,
                        pumps_running=new.pumps_running, note=optional_text(new.note, "A note", MAX_NOTE),
                        measured_at=measured_at, created_at=clock.now())


def may_record(actor: Account, asset: Asset) -> bool:
    """The admins in their reach; an officer or head of the asset's agency or of an area that holds it."""
    if permissions.administers(actor, asset.area_path):
        return True
    if actor.role not in (Role.OFFICER, Role.AREA_HEAD, Role.AGENCY_HEAD):
        return False
    in_area = actor.area is not None and asset.area_path.startswith(actor.area.path) if actor.area_id else False
    return in_area or (actor.agency_id is not None and actor.agency_id == asset.agency_id)


async def record(actor: Account | None, asset_id: int, new: NewReading) -> Asset:
    if actor is None:
        raise Unauthenticated()
    asset = await get(asset_id)
    if not may_record(actor, asset):
        raise Forbidden("Only the officials of the asset's agency or area record its readings.")
    reading = _checked(asset, new)
    reading.recorded_by_id = actor.id
    async with outbox.transaction():
        # The state this reading replaces, read under the row's lock (before the insert, whose foreign key would
        # share-lock it first): concurrent readings and the OFFLINE duty take turns, each change told once.
        current = await Asset.filter(id=asset.id).select_for_update().get()
        await reading.save()
        # The newest reading wins: a late one (measured before the current state) is history only.
        if current.last_reading_at is None or current.last_reading_at <= reading.measured_at:
            silent = reading.measured_at + timedelta(minutes=current.expected_reading_minutes) \
                if current.expected_reading_minutes is not None else None
            await Asset.filter(id=asset.id).update(
                status=reading.status, water_level_cm=reading.water_level_cm, alert_level=reading.alert_level,
                pumps_running=reading.pumps_running, last_reading_at=reading.measured_at, silent_at=silent)
            await _changed(current, reading.status, reading.alert_level, reading.pumps_running, actor.id)
    return await get(asset_id)


async def _changed(before: Asset, status: AssetStatus, level: AlertLevel | None, running: int | None,
                   actor_id: int | None) -> None:
    """In the transaction of the change: the event when the state changed, the alert when it became alarming."""
    if (before.status, before.alert_level, before.pumps_running) == (status, level, running):
        return
    await outbox.asset_changed(before.id)
    alarming = (level in ALARMING and before.alert_level not in ALARMING) or \
        (status in DOWN and before.status not in DOWN and before.kind == AssetKind.PUMP_STATION)
    if alarming:
        officials = Account.filter(role__in=[Role.OFFICER, Role.AREA_HEAD], area_id__in=path_ids(before.area_path))
        await notify(await column(officials, "id", int), NotificationKind.ASSET_ALERT, actor_id=actor_id,
                     asset=before)


async def run(now: datetime | None = None) -> int:
    """The duty: assets silent past their expected interval go OFFLINE; returns how many this process took."""
    now = now or clock.now()
    silent = await Asset.filter(silent_at__lte=now).exclude(status=AssetStatus.OFFLINE).limit(BATCH)
    taken = 0
    for asset in silent:
        async with outbox.transaction():
            claimed = await Asset.filter(id=asset.id, silent_at=asset.silent_at, status=asset.status).update(
                status=AssetStatus.OFFLINE)
            if claimed:
                await _changed(asset, AssetStatus.OFFLINE, asset.alert_level, asset.pumps_running, None)
                taken += 1
    return taken


COMPACT_SECONDS = 3600.0
KEEP_EVERY = timedelta(days=7)  # every reading of the last week; before it, the last of each hour per asset
THIN_WINDOW = timedelta(days=1)


async def compact(now: datetime | None = None) -> int:
    """The history stays compact: 1,000 gauges reporting each minute write 1.4 million readings a day, of which
    a week is kept whole (10 million rows) and older ones thin to one an hour (8.8 million a year)."""
    cutoff = (now or clock.now()) - KEEP_EVERY
    hour = "date_trunc('hour', measured_at)" if is_postgres() else "strftime('%Y-%m-%d %H', measured_at)"
    # Only the day before the cutoff: what is older was thinned by earlier runs (re-sorting a year of history each
    # hour took 4.7 s at 1,000 gauges; bench/ingest.py). A server stopped for longer leaves older hours unthinned.
    await sql_rows(  # in each asset's hour, all but the reading measured last
        f"DELETE FROM asset_reading WHERE id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY "
        f"asset_id, {hour} ORDER BY measured_at DESC, id DESC) AS newest FROM asset_reading "
        f"WHERE measured_at >= ? AND measured_at < ?) AS ranked WHERE newest > 1)",
        [moment_param(cutoff - THIN_WINDOW), moment_param(cutoff)])
    return 0  # nothing worth a line in the log
