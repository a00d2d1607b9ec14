"""Who follows what, who was told what, and which submissions were already taken."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.accounts import Account
from models.assets import Asset
from models.enums import FollowTarget, NotificationKind
from models.polls import Poll
from models.reports import Comment, Report


class Follow(Model):
    id = fields.IntField(primary_key=True)
    follower: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="following", on_delete=fields.CASCADE
    )
    follower_id: int
    target_type = fields.CharEnumField(FollowTarget, max_length=16)
    target_id = fields.IntField()

    class Meta:
        table = "follow"
        unique_together = (("follower", "target_type", "target_id"),)
        indexes = (Index(fields=("target_type", "target_id"), name="follow_target_idx"),)


class Notification(Model):
    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="notifications", on_delete=fields.CASCADE
    )
    account_id: int
    kind = fields.CharEnumField(NotificationKind, max_length=16)
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    report_id: int | None
    comment: fields.ForeignKeyNullableRelation[Comment] = fields.ForeignKeyField(
        "models.Comment", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    comment_id: int | None
    poll: fields.ForeignKeyNullableRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    poll_id: int | None
    asset: fields.ForeignKeyNullableRelation[Asset] = fields.ForeignKeyField(
        "models.Asset", related_name="notifications", null=True, on_delete=fields.CASCADE
    )
    asset_id: int | None
    read = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "notification"
        indexes = (
            Index(fields=("account_id", "created_at", "id"), name="notification_inbox_idx"),
            Index(fields=("report_id",), name="notification_report_idx"),
            Index(fields=("poll_id",), name="notification_poll_idx"),
            Index(fields=("asset_id",), name="notification_asset_idx"),
        )


class IdempotencyKey(Model):
    """A client's clientMutationId: the first request with it wins, retries get its answer."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="idempotency_keys", on_delete=fields.CASCADE
    )
    account_id: int
    client_key = fields.CharField(max_length=100)
    payload_hash = fields.CharField(max_length=64)
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="idempotency_keys", null=True, on_delete=fields.CASCADE
    )
    report_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "idempotency_key"
        unique_together = (("account", "client_key"),)
        indexes = (Index(fields=("report_id",), name="idempotency_report_idx"),)
