"""Events written in the transaction that caused them, relayed to the broker after commit."""

from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class OutboxEvent(Model):
    id = fields.BigIntField(primary_key=True)
    topic = fields.CharField(max_length=32)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField()
    created_at = fields.DatetimeField()
    # Set once the broker accepted the event; rows without it are retried until it does.
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_event"
        indexes = (Index(fields=("published_at", "id"), name="outbox_pending_idx"),)
