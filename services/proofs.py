"""Whether a follow-up's proof photos agree with the report: "TL asal hijau" (a fix posted only to turn the
badge green) often carries a photo from elsewhere or from before the report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from media.images import CleanImage
from models import Report
from services.geo import distance_m

PROOF_RADIUS_M = 200.0
# A phone's clock may run a little fast: "in the future" means beyond this.
CLOCK_SKEW = timedelta(minutes=5)


def consistent(report: Report, images: Sequence[CleanImage], now: datetime) -> bool | None:
    """False when a photo was taken more than 200 m from the report, or before it was posted, or after now;
    True when the photos carry GPS or a capture time and none contradicts; None when they carry neither."""
    evidence = False
    for image in images:
        if image.gps is not None:
            evidence = True
            if distance_m(image.gps[0], image.gps[1], report.lat, report.lng) > PROOF_RADIUS_M:
                return False
        if image.taken_at is not None:
            evidence = True
            if not report.created_at < image.taken_at <= now + CLOCK_SKEW:
                return False
    return True if evidence else None
