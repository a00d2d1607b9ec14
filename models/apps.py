"""Registered client apps that post through Open311 with an API key."""

from tortoise import fields
from tortoise.models import Model

from models.accounts import Account


class ApiKey(Model):
    """An app's key, stored as its SHA-256. The app posts as its own account."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    key_hash = fields.CharField(max_length=64, unique=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="api_keys", on_delete=fields.CASCADE
    )
    account_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_key"
