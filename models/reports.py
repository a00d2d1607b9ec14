"""Reports and everything that hangs off them."""

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model

from models.accounts import Account
from models.areas import Agency, Area, Category, City
from models.assets import Asset
from models.enums import EventKind, RejectReason, ReportKind, ReportStatus, Verdict


class Report(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(ReportKind, max_length=16, default=ReportKind.CITIZEN)
    body = fields.TextField()
    # The body's words reduced to Indonesian stems: what full-text search matches.
    search_text = fields.TextField(default="")
    category: fields.ForeignKeyRelation[Category] = fields.ForeignKeyField(
        "models.Category", related_name="reports", on_delete=fields.RESTRICT
    )
    category_id: int
    lat = fields.FloatField()
    lng = fields.FloatField()
    address = fields.CharField(max_length=300, null=True)
    # A link an Open311 client sent instead of a photo: shown to officials, never fetched.
    media_url = fields.CharField(max_length=2000, null=True)
    area: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    area_id: int | None
    # Copy of area.path, so that "inside this area" is a prefix match on the report row.
    area_path = fields.CharField(max_length=255, default="")
    # The city that contains the point (null: none Warga knows), and whether it was a partner city then or
    # became one since: only handled reports have an agency, a deadline and officials who answer.
    city: fields.ForeignKeyNullableRelation[City] = fields.ForeignKeyField(
        "models.City", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    city_id: int | None
    handled = fields.BooleanField(default=True, db_default=True)  # db_default: reports before cities were handled
    agency: fields.ForeignKeyNullableRelation[Agency] = fields.ForeignKeyField(
        "models.Agency", related_name="reports", null=True, on_delete=fields.RESTRICT
    )
    agency_id: int | None
    author: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="reports", on_delete=fields.RESTRICT
    )
    author_id: int
    anonymous = fields.BooleanField(default=False)
    status = fields.CharEnumField(ReportStatus, max_length=16, default=ReportStatus.WAITING)
    hidden = fields.BooleanField(default=False)
    duplicate_of: fields.ForeignKeyNullableRelation["Report"] = fields.ForeignKeyField(
        "models.Report", related_name="duplicates", null=True, on_delete=fields.SET_NULL
    )
    duplicate_of_id: int | None
    due_at = fields.DatetimeField(null=True)
    support_count = fields.IntField(default=0)
    comment_count = fields.IntField(default=0)
    # Kept by the workflow so that statistics are plain aggregates over report rows.
    first_response_at = fields.DatetimeField(null=True)
    first_follow_up_at = fields.DatetimeField(null=True)
    last_follow_up_at = fields.DatetimeField(null=True)
    reopen_count = fields.IntField(default=0)
    reject_reason = fields.CharEnumField(RejectReason, max_length=20, null=True)
    # Escalation (services/escalation.py): how many levels up it went, the head area answerable now, and when
    # the next step is due (null: none will come, so the duty's index holds only reports that may escalate).
    escalation_level = fields.IntField(default=0, db_default=0)  # db_default: existing rows get 0 on upgrade
    escalated_to: fields.ForeignKeyNullableRelation[Area] = fields.ForeignKeyField(
        "models.Area", related_name="escalated_reports", null=True, on_delete=fields.SET_NULL
    )
    escalated_to_id: int | None
    escalate_at = fields.DatetimeField(null=True)
    # The asset the reporter pointed at, and the river basin that contains the point (set at creation).
    asset: fields.ForeignKeyNullableRelation[Asset] = fields.ForeignKeyField(
        "models.Asset", related_name="reports", null=True, on_delete=fields.SET_NULL
    )
    asset_id: int | None
    river_basin: fields.ForeignKeyNullableRelation[Asset] = fields.ForeignKeyField(
        "models.Asset", related_name="basin_reports", null=True, on_delete=fields.SET_NULL
    )
    river_basin_id: int | None
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "report"
        indexes = (
            Index(fields=("created_at", "id"), name="report_feed_idx"),
            Index(fields=("area_path", "created_at"), name="report_area_idx"),
            Index(fields=("agency_id", "created_at"), name="report_agency_idx"),
            Index(fields=("author_id", "created_at"), name="report_author_idx"),
            Index(fields=("status", "created_at"), name="report_status_idx"),
            Index(fields=("lat", "lng"), name="report_location_idx"),
            Index(fields=("status", "last_follow_up_at"), name="report_autoclose_idx"),
            Index(fields=("escalate_at",), name="report_escalation_idx"),
            Index(fields=("city_id", "handled", "created_at"), name="report_city_idx"),
            Index(fields=("asset_id", "created_at"), name="report_asset_idx"),
        )  # and the work queue's partial indexes of open reports, which Tortoise cannot declare (migration 0012)


class FollowUp(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="follow_ups", on_delete=fields.CASCADE
    )
    report_id: int
    officer: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="follow_ups", on_delete=fields.RESTRICT
    )
    officer_id: int
    note = fields.TextField()
    # Whether the proof photos' GPS and capture times agree with the report (services/proofs.py); null when
    # the photos carry neither.
    proof_consistent = fields.BooleanField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "follow_up"
        indexes = (Index(fields=("report_id",), name="follow_up_report_idx"),)


class ReportEvent(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="events", on_delete=fields.CASCADE
    )
    report_id: int
    kind = fields.CharEnumField(EventKind, max_length=16)
    actor: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    status = fields.CharEnumField(ReportStatus, max_length=16)
    note = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "report_event"
        indexes = (Index(fields=("report_id", "created_at"), name="event_report_idx"),)


class Photo(Model):
    """One stored image, named by digest (its content hash), so identical uploads share the files."""

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="all_photos", on_delete=fields.CASCADE
    )
    report_id: int
    # Set for proof photos of a follow-up and photos that came with a reopen.
    follow_up: fields.ForeignKeyNullableRelation[FollowUp] = fields.ForeignKeyField(
        "models.FollowUp", related_name="photos", null=True, on_delete=fields.CASCADE
    )
    follow_up_id: int | None
    event: fields.ForeignKeyNullableRelation[ReportEvent] = fields.ForeignKeyField(
        "models.ReportEvent", related_name="photos", null=True, on_delete=fields.CASCADE
    )
    event_id: int | None
    digest = fields.CharField(max_length=64)
    width = fields.IntField()
    height = fields.IntField()
    # Where the camera said it was; private to officials (never served with the image).
    gps_lat = fields.FloatField(null=True)
    gps_lng = fields.FloatField(null=True)
    # When the camera says it was taken (EXIF); private like the GPS.
    taken_at = fields.DatetimeField(null=True)
    position = fields.SmallIntField(default=0)

    class Meta:
        table = "photo"
        # Foreign keys are not indexed by the migrations: the reads (and cascades) that need one.
        indexes = (Index(fields=("report_id", "position"), name="photo_report_idx"),
                   Index(fields=("follow_up_id",), name="photo_follow_up_idx"),
                   Index(fields=("event_id",), name="photo_event_idx"),)


class Mention(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyNullableRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="mentions", null=True, on_delete=fields.CASCADE
    )
    report_id: int | None
    comment: fields.ForeignKeyNullableRelation["Comment"] = fields.ForeignKeyField(
        "models.Comment", related_name="mentions", null=True, on_delete=fields.CASCADE
    )
    comment_id: int | None
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="mentioned_in", on_delete=fields.CASCADE
    )
    account_id: int

    class Meta:
        table = "mention"
        indexes = (Index(fields=("report_id",), name="mention_report_idx"),
                   Index(fields=("comment_id",), name="mention_comment_idx"),)


class Comment(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="comments", on_delete=fields.CASCADE
    )
    report_id: int
    author: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="comments", on_delete=fields.RESTRICT
    )
    author_id: int
    body = fields.TextField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "comment"
        indexes = (Index(fields=("report_id", "created_at"), name="comment_report_idx"),)


class Support(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="supports", on_delete=fields.CASCADE
    )
    report_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="supports", on_delete=fields.CASCADE
    )
    account_id: int

    class Meta:
        table = "support"
        unique_together = (("report", "account"),)


class Verification(Model):
    id = fields.IntField(primary_key=True)
    report: fields.OneToOneRelation[Report] = fields.OneToOneField(
        "models.Report", related_name="verification", on_delete=fields.CASCADE
    )
    report_id: int
    verdict = fields.CharEnumField(Verdict, max_length=16)
    verifier: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="verifications", on_delete=fields.RESTRICT
    )
    verifier_id: int
    note = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "verification"


class Flag(Model):
    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[Report] = fields.ForeignKeyField(
        "models.Report", related_name="flags", on_delete=fields.CASCADE
    )
    report_id: int
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="flags", on_delete=fields.CASCADE
    )
    account_id: int
    reason = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    # Set when a moderator decides the report (keeps it shown or hides it): null while the flag is open.
    decided_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[Account] = fields.ForeignKeyField(
        "models.Account", related_name="decided_flags", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None

    class Meta:
        table = "flag"
        indexes = (Index(fields=("report_id",), name="flag_report_idx"),)
        # and the partial index of open flags that flaggedReports walks, which Tortoise cannot declare (0013)
