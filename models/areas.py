"""Where things happen and who owns them: areas, agencies, categories."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.enums import AreaLevel


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
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=200)
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="categories", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    sla_hours = fields.IntField()
    # Hours between escalation steps once the deadline passed; null: reports of this category never escalate.
    escalate_every_hours = fields.IntField(null=True)

    class Meta:
        table = "category"


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
