"""The contract's enumerations, defined once: the ORM stores them, the schema exposes them."""

from enum import StrEnum


class Role(StrEnum):
    CITIZEN = "CITIZEN"
    RT_RW = "RT_RW"
    OFFICER = "OFFICER"
    AREA_HEAD = "AREA_HEAD"
    AGENCY_HEAD = "AGENCY_HEAD"
    VERIFIER = "VERIFIER"
    ADMIN = "ADMIN"
    CITY_ADMIN = "CITY_ADMIN"


class AreaLevel(StrEnum):
    PROVINCE = "PROVINCE"
    CITY = "CITY"
    DISTRICT = "DISTRICT"
    VILLAGE = "VILLAGE"
    RW = "RW"
    RT = "RT"


class ReportKind(StrEnum):
    CITIZEN = "CITIZEN"
    DUTY = "DUTY"


class ReportStatus(StrEnum):
    WAITING = "WAITING"
    IN_PROGRESS = "IN_PROGRESS"
    FOLLOWED_UP = "FOLLOWED_UP"
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"
    REJECTED = "REJECTED"


class Badge(StrEnum):
    RED = "RED"
    YELLOW = "YELLOW"
    GREEN = "GREEN"
    GREY = "GREY"


BADGE_OF_STATUS = {
    ReportStatus.WAITING: Badge.RED,
    ReportStatus.REOPENED: Badge.RED,
    ReportStatus.IN_PROGRESS: Badge.YELLOW,
    ReportStatus.FOLLOWED_UP: Badge.GREEN,
    ReportStatus.CLOSED: Badge.GREEN,
    ReportStatus.REJECTED: Badge.GREY,
}

OPEN_STATUSES = (ReportStatus.WAITING, ReportStatus.IN_PROGRESS, ReportStatus.REOPENED)


class EventKind(StrEnum):
    CREATED = "CREATED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    FORWARDED = "FORWARDED"
    FOLLOWED_UP = "FOLLOWED_UP"
    REOPENED = "REOPENED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
    VERIFIED = "VERIFIED"
    HIDDEN = "HIDDEN"
    UNHIDDEN = "UNHIDDEN"
    # Past its deadline without a follow-up, the report went one level up (services/escalation.py).
    ESCALATED = "ESCALATED"
    RATED = "RATED"
    # A moderator kept a flagged report shown, deciding its open flags (services/moderation.py).
    KEPT = "KEPT"


class Verdict(StrEnum):
    VALID = "VALID"
    INVALID = "INVALID"


class NotificationKind(StrEnum):
    MENTIONED = "MENTIONED"
    COMMENTED = "COMMENTED"
    STATUS_CHANGED = "STATUS_CHANGED"
    ASSIGNED = "ASSIGNED"
    POLL_OPENED = "POLL_OPENED"
    # A category of reports surged in the area head's kelurahan (services/surges.py).
    CATEGORY_SURGE = "CATEGORY_SURGE"
    ESCALATED = "ESCALATED"
    # A gauge of the official's area reached SIAGA_2 or SIAGA_1, or a pump station went FAULT or OFFLINE.
    ASSET_ALERT = "ASSET_ALERT"


class RejectReason(StrEnum):
    DUPLICATE = "DUPLICATE"
    NOT_OUR_AUTHORITY = "NOT_OUR_AUTHORITY"
    NO_ACTION_NEEDED = "NO_ACTION_NEEDED"
    SPAM = "SPAM"
    OTHER = "OTHER"


# Rejections that are no fault of the unit: they leave the report out of its record (services/performance.py).
EXCUSED_REJECTIONS = (RejectReason.NOT_OUR_AUTHORITY, RejectReason.SPAM)


class PollStatus(StrEnum):
    """Derived from the poll's times and a manual close, never stored."""

    SCHEDULED = "SCHEDULED"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class FollowTarget(StrEnum):
    AREA = "AREA"
    ACCOUNT = "ACCOUNT"
    REPORT = "REPORT"


class PerformanceUnit(StrEnum):
    VILLAGE = "VILLAGE"
    DISTRICT = "DISTRICT"
    CITY = "CITY"
    AGENCY = "AGENCY"


class AssetKind(StrEnum):
    PUMP_STATION = "PUMP_STATION"
    FLOODGATE = "FLOODGATE"
    WATER_LEVEL_POST = "WATER_LEVEL_POST"
    STREET_LIGHT = "STREET_LIGHT"
    DRAIN = "DRAIN"
    RIVER_BASIN = "RIVER_BASIN"


GAUGES = (AssetKind.FLOODGATE, AssetKind.WATER_LEVEL_POST)


class AlertLevel(StrEnum):
    """Jakarta's flood alert levels at a gauge: SIAGA_4 is normal, SIAGA_1 the most dangerous."""

    SIAGA_4 = "SIAGA_4"
    SIAGA_3 = "SIAGA_3"
    SIAGA_2 = "SIAGA_2"
    SIAGA_1 = "SIAGA_1"


class AssetStatus(StrEnum):
    OK = "OK"
    ALERT = "ALERT"
    FAULT = "FAULT"
    OFFLINE = "OFFLINE"
