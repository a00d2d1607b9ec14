"""Where things happen and who owns them: areas, agencies, categories."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.enums import AreaLevel


def path_ids(path: str) -> list[int]:
    """The ids in a materialised path, top first: the area and every area above it ("/1/4/27/" -> 1, 4, 27)."""
    return [int(part) for part in path.strip("/").split("/") if part]


class Area(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    level = fields.CharEnumField(AreaLevel, max_length=16, db_index=True)
    parent: fields.ForeignKeyNullableRelation["Area"] = fields.ForeignKeyField(
        "models.Area", related_name="children", null=True, on_delete=fields.RESTRICT
    )
    parent_id: int | None
    # Materialised path of ids ("/1/4/27/"): a subtree is one indexed prefix match.
    path = fields.CharField(max_length=255, db_index=True)
    centroid_lat = fields.FloatField(null=True)
    centroid_lng = fields.FloatField(null=True)
    # GeoJSON geometry (Polygon or MultiPolygon), present where a boundary was imported.
    boundary: fields.JSONField[dict[str, Any] | None] = fields.JSONField(null=True)

    class Meta:
        table = "area"


class City(Model):
    """A city government (kota or kabupaten): its CITY area, time zone, partnership and duty-payment rates."""

    id = fields.IntField(primary_key=True)
    area: fields.OneToOneRelation[Area] = fields.OneToOneField(
        "models.Area", related_name="city_record", on_delete=fields.CASCADE
    )
    area_id: int
    timezone = fields.CharField(max_length=64)
    # When the current partnership began; null: not a partner (reports are public but nobody answers them).
    partner_since = fields.DatetimeField(null=True)
    # Rupiah per valid duty report and the monthly cap; null: the deployment's defaults (settings).
    duty_rate_rt = fields.IntField(null=True)
    duty_rate_rw = fields.IntField(null=True)
    duty_monthly_cap = fields.IntField(null=True)

    class Meta:
        table = "city"


class Agency(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    area: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="agencies", null=True, on_delete=fields.SET_NULL
    )
    area_id: int | None

    class Meta:
        table = "agency"


class Category(Model):
    """A kind of problem. City null: a national default, and a city's category with the same code overrides it there."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32)
    name = fields.CharField(max_length=200)
    city: fields.ForeignKeyNullableRelation[City] = fields.ForeignKeyField(
        "models.City", related_name="categories", null=True, on_delete=fields.CASCADE
    )
    city_id: int | None
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="categories", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    sla_hours = fields.IntField()
    # Hours between escalation steps once the deadline passed; null: reports of this category never escalate.
    escalate_every_hours = fields.IntField(null=True)
    # The asset kinds its reports are usually about (AssetKind values): the app offers those nearby.
    asset_kinds: fields.JSONField[list[str]] = fields.JSONField(default=list, db_default="[]")  # rows before assets

    class Meta:
        table = "category"
        unique_together = (("city", "code"),)


class CategoryAgency(Model):
    """A further agency for a category: a suku dinas serving one city takes that city's reports."""

    id = fields.IntField(primary_key=True)
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="city_agencies", on_delete=fields.CASCADE
    )
    category_id: int
    agency: fields.ForeignKeyRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="category_links", on_delete=fields.CASCADE
    )
    agency_id: int

    class Meta:
        table = "category_agency"
        unique_together = (("category", "agency"),)
