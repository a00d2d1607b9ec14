"""Tortoise models: the only module that knows the tables."""

from models.accounts import Account, Session
from models.apps import ApiKey
from models.areas import Agency, Area, Category, CategoryAgency, City
from models.assets import Asset, AssetReading
from models.opinion import Surge, TermUse
from models.outbox import OutboxEvent
from models.polls import Poll, PollOption, PollVote
from models.ratings import FixRating
from models.reports import (
    Comment,
    Flag,
    FollowUp,
    Mention,
    Photo,
    Report,
    ReportEvent,
    Support,
    Verification,
)
from models.social import Follow, IdempotencyKey, Notification

__all__ = [
    "Account",
    "Agency",
    "ApiKey",
    "Area",
    "Asset",
    "AssetReading",
    "Category",
    "CategoryAgency",
    "City",
    "Comment",
    "FixRating",
    "Flag",
    "Follow",
    "FollowUp",
    "IdempotencyKey",
    "Mention",
    "Notification",
    "OutboxEvent",
    "Photo",
    "Poll",
    "PollOption",
    "PollVote",
    "Report",
    "ReportEvent",
    "Session",
    "Support",
    "Surge",
    "TermUse",
    "Verification",
]
