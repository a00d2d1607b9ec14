"""The one place that reads the time, so that tests can control it."""

from datetime import UTC, datetime, timedelta

_offset = timedelta()


def now() -> datetime:
    return datetime.now(UTC) + _offset


def advance(seconds: float) -> None:
    """Move the clock forward (tests of deadlines and expiry)."""
    global _offset
    _offset += timedelta(seconds=seconds)


def reset() -> None:
    global _offset
    _offset = timedelta()


def offset() -> timedelta:
    """How far tests moved the clock (zero in production)."""
    return _offset
