"""The reporter's verdict on a fix."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.reports import FollowUp, Report


class FixRating(Model):
    """One per follow-up (rating again replaces it, a new follow-up starts unrated). The report's rating is
    the one of its latest follow-up. No semicolons here: the table's comment is SQL, split at them."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="ratings", on_delete=fields.CASCADE
    )
    report_id: int
    follow_up: fields.OneToOneRelation[FollowUp] = fields.OneToOneField(
        "models.FollowUp", related_name="rating", on_delete=fields.CASCADE
    )
    follow_up_id: int
    stars = fields.SmallIntField()
    comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "fix_rating"
        indexes = (Index(fields=("report_id",), name="fix_rating_report_idx"),)
