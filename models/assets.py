"""The city's assets (pumps, gates, gauges, street lights, drains, river basins) and their readings."""

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.accounts import Account
from models.areas import Agency, Area
from models.enums import AlertLevel, AssetKind, AssetStatus


class Asset(Model):
    """One asset with its current state (the latest reading's), kept on the row so that maps read one table."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    kind = fields.CharEnumField(AssetKind, max_length=20)
    # A representative point (the asset itself for points), and the shape's bounding box.
    lat = fields.FloatField()
    lng = fields.FloatField()
    south = fields.FloatField()
    west = fields.FloatField()
    north = fields.FloatField()
    east = fields.FloatField()
    # The point's cell in a grid of 0.001 degrees (about 110 m): nearbyAssets reads the few cells around a
    # point through one index instead of a band of latitude (services/assets.py).
    cell = fields.BigIntField()
    geometry: fields.JSONField[dict[str, Any]] = fields.JSONField()
    area: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="assets", null=True, on_delete=fields.SET_NULL
    )
    area_id: int | None
    area_path = fields.CharField(max_length=255, default="")
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="assets", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    # Gauges: alert thresholds in centimetres. Pump stations: pumps installed.
    siaga3_cm = fields.IntField(null=True)
    siaga2_cm = fields.IntField(null=True)
    siaga1_cm = fields.IntField(null=True)
    pumps_total = fields.IntField(null=True)
    # Silent longer than this, the asset is OFFLINE (null: never expected to report).
    expected_reading_minutes = fields.IntField(null=True)
    status = fields.CharEnumField(AssetStatus, max_length=16, default=AssetStatus.OK)
    water_level_cm = fields.IntField(null=True)
    alert_level = fields.CharEnumField(AlertLevel, max_length=16, null=True)
    pumps_running = fields.IntField(null=True)
    last_reading_at = fields.DatetimeField(null=True)
    # When the asset goes OFFLINE if no reading comes: the duty's index holds only assets that report.
    silent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "asset"
        indexes = (
            Index(fields=("cell", "kind"), name="asset_cell_idx"),
            Index(fields=("lat", "lng"), name="asset_location_idx"),
            Index(fields=("kind", "south", "north"), name="asset_kind_box_idx"),
            Index(fields=("area_path",), name="asset_area_idx"),
            Index(fields=("silent_at",), name="asset_silent_idx"),
        )


class AssetReading(Model):
    """One measurement, kept as history (the asset's row holds the newest one's values)."""

    id = fields.IntField(primary_key=True)
    asset: fields.ForeignKeyRelation[Asset] = fields.ForeignKeyField(
        "models.Asset", related_name="readings", on_delete=fields.CASCADE
    )
    asset_id: int
    status = fields.CharEnumField(AssetStatus, max_length=16)
    water_level_cm = fields.IntField(null=True)
    alert_level = fields.CharEnumField(AlertLevel, max_length=16, null=True)
    pumps_running = fields.IntField(null=True)
    note = fields.CharField(max_length=500, null=True)
    recorded_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="asset_readings", null=True, on_delete=fields.SET_NULL
    )
    recorded_by_id: int | None
    measured_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "asset_reading"
        indexes = (
            Index(fields=("asset_id", "measured_at", "id"), name="asset_reading_history_idx"),
            Index(fields=("measured_at",), name="asset_reading_age_idx"),  # what the hourly thinning reads
        )
