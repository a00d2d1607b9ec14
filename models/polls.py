"""Polls (CROP's "polls and public opinion"): a question, its options and one ballot per account."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.accounts import Account
from models.areas import Area


class Poll(Model):
    id = fields.IntField(primary_key=True)
    question = fields.CharField(max_length=500)
    # Who may vote: accounts whose home area lies inside; null: any signed-in resident.
    area: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="polls", null=True, on_delete=fields.RESTRICT
    )
    area_id: int | None
    author: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="polls", on_delete=fields.CASCADE
    )
    author_id: int
    opens_at = fields.DatetimeField()
    closes_at = fields.DatetimeField()
    results_before_close = fields.BooleanField(default=False)
    # Set when the author or an admin closed the poll before closes_at.
    closed_at = fields.DatetimeField(null=True)
    # Claims, each taken by one conditional UPDATE so that several servers act exactly once:
    # the POLL_OPENED notifications were written, the closing was announced live.
    opening_notified_at = fields.DatetimeField(null=True)
    closing_announced_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "poll"
        indexes = (
            Index(fields=("created_at", "id"), name="poll_list_idx"),
            Index(fields=("area_id", "created_at"), name="poll_area_idx"),
            Index(fields=("opening_notified_at", "opens_at"), name="poll_opening_idx"),
            Index(fields=("closing_announced_at", "closes_at"), name="poll_closing_idx"),
        )


class PollOption(Model):
    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="options", on_delete=fields.CASCADE
    )
    poll_id: int
    position = fields.IntField()
    label = fields.CharField(max_length=200)
    # Kept by services/polls.py in the ballot's transaction; always equals the ballots for this option.
    votes = fields.IntField(default=0)

    class Meta:
        table = "poll_option"
        unique_together = (("poll", "position"),)


class PollVote(Model):
    # One ballot per poll and account: voting again while the poll is open changes its option.
    # (A comment, not a docstring: Tortoise turns docstrings into table comments, and SQLite's schema
    # editor splits its statements on semicolons.)
    id = fields.IntField(primary_key=True)
    poll: fields.ForeignKeyRelation[Poll] = fields.ForeignKeyField(
        "models.Poll", related_name="votes", on_delete=fields.CASCADE
    )
    poll_id: int
    option: fields.ForeignKeyRelation[PollOption] = fields.ForeignKeyField(
        "models.PollOption", related_name="ballots", on_delete=fields.CASCADE
    )
    option_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="poll_votes", on_delete=fields.CASCADE
    )
    account_id: int
    # The voter's kelurahan when they first voted (null: their home area is above one): the author's turnout.
    village: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="poll_votes", null=True, on_delete=fields.SET_NULL
    )
    village_id: int | None
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "poll_vote"
        unique_together = (("poll", "account"),)
        indexes = (
            Index(fields=("poll_id", "village_id"), name="poll_vote_turnout_idx"),
            Index(fields=("option_id",), name="poll_vote_option_idx"),
            Index(fields=("account_id",), name="poll_vote_account_idx"),
        )
