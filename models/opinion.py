"""Public opinion (CROP): the words people use, counted as they write, and the category surges already told."""

from tortoise import fields
from tortoise.models import Model

from models.areas import Area, Category


class TermUse(Model):
    """How many reports and comments of one day or week used a term (an Indonesian stem), in one area, under
    one form.

    A text adds 1 to one row per stem it uses (under the form it wrote most), and to the row of term "*" that
    counts every text, for its day and for its week, for its kelurahan and for every area above it: the use of a
    term in any area over any days is a sum over that area's own rows, whole weeks read as one row. Written in
    the transaction of the report or comment (services/trends.py)."""

    id = fields.BigIntField(primary_key=True)
    area: fields.ForeignKeyRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="term_uses", on_delete=fields.CASCADE
    )
    area_id: int
    # 1: the row counts the day `day` (in the city's time zone); 7: the week (Monday to Sunday) from `day`.
    days = fields.SmallIntField()
    day = fields.DateField()
    term = fields.CharField(max_length=40)
    form = fields.CharField(max_length=40)
    count = fields.IntField()

    class Meta:
        table = "term_use"
        # Also the index that a period's sum reads: one area, a range of days.
        unique_together = (("area", "days", "day", "term", "form"),)


class Surge(Model):
    """One surge of a category's reports in a kelurahan, from its detection until a whole window passes without
    it. The unique (area, category, episode) lets exactly one server record (and announce) each surge."""

    id = fields.IntField(primary_key=True)
    area: fields.ForeignKeyRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="surges", on_delete=fields.CASCADE
    )
    area_id: int
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="surges", on_delete=fields.CASCADE
    )
    category_id: int
    # 1 for the category's first surge in the kelurahan, then 2, 3, … for each later one.
    episode = fields.IntField()
    window_hours = fields.IntField()
    count = fields.IntField()
    usual = fields.FloatField()
    ratio = fields.FloatField()
    started_at = fields.DatetimeField()
    # The last detection that found it still running; it ends once a whole window passes without one.
    last_seen_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)

    class Meta:
        table = "surge"
        unique_together = (("area", "category", "episode"),)
