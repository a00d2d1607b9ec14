"""People and their sign-in sessions."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.areas import Agency, Area
from models.enums import Role


class Account(Model):
    id = fields.IntField(primary_key=True)
    handle = fields.CharField(max_length=32, unique=True)
    display_name = fields.CharField(max_length=100)
    role = fields.CharEnumField(Role, max_length=16, default=Role.CITIZEN)
    area: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    area_id: int | None
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="accounts", null=True, on_delete=fields.SET_NULL
    )
    agency_id: int | None
    email = fields.CharField(max_length=254, null=True)
    phone = fields.CharField(max_length=32, null=True)
    password_hash = fields.CharField(max_length=255)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "account"
        # Who answers for a place (services/mentions.py, escalation's heads); the handle and name prefixes that
        # mentions match are indexed on PostgreSQL only (migration 0012: an operator class Tortoise cannot declare).
        indexes = (Index(fields=("area_id", "role"), name="account_area_idx"),
                   Index(fields=("agency_id", "role"), name="account_agency_idx"))


class Session(Model):
    """A bearer token, stored as its SHA-256 so that a database leak signs nobody in."""

    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="sessions", on_delete=fields.CASCADE
    )
    account_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "session"
        indexes = (Index(fields=("account_id",), name="session_account_idx"),)
