"""The app's resources, built once from the settings. The server, the command line, Open311 and both
GraphQL transports receive them from here; none of them builds its own."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from core.settings import Settings
from media.storage import LocalStorage, S3Storage, Storage
from plumbing.ratelimit import RateLimiter
from services import trends
from services.photos import PhotoPolicy
from services.stats import DutyRates


@dataclass(frozen=True)
class Resources:
    settings: Settings
    storage: Storage
    limiter: RateLimiter
    photo_policy: PhotoPolicy
    duty_rates: DutyRates

    @property
    def token_ttl(self) -> timedelta:
        return timedelta(hours=self.settings.token_ttl_hours)

    @contextlib.asynccontextmanager
    async def opened(self) -> AsyncIterator[Resources]:
        """Opens the object store's client (when photos go to S3) and closes the limiter's connection."""
        async with contextlib.AsyncExitStack() as stack:
            if isinstance(self.storage, S3Storage):
                await stack.enter_async_context(self.storage)
            stack.push_async_callback(self.limiter.close)
            yield self


def storage_for(settings: Settings) -> LocalStorage | S3Storage:
    """The local media folder, or an S3-compatible bucket when one is named."""
    if not settings.s3_bucket:
        settings.media_root.mkdir(parents=True, exist_ok=True)
        return LocalStorage(settings.media_root, settings.media_url)
    secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
    return S3Storage(
        settings.s3_bucket,
        settings.s3_public_url or _bucket_url(settings),
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        aws_access_key_id=settings.s3_access_key,
        aws_secret_access_key=secret,
    )


def _bucket_url(settings: Settings) -> str:
    if settings.s3_endpoint_url:
        return f"{settings.s3_endpoint_url.rstrip('/')}/{settings.s3_bucket}"
    return f"https://{settings.s3_bucket}.s3.{settings.s3_region}.amazonaws.com"  # AWS itself


def build_resources(settings: Settings) -> Resources:
    trends.use_time_zone(settings.city_timezone)  # the days term counts are kept by
    return Resources(
        settings=settings,
        storage=storage_for(settings),
        limiter=RateLimiter(settings.redis_url, settings.rate_limit_scale),
        photo_policy=PhotoPolicy(settings.max_upload_bytes, settings.max_image_pixels, settings.max_photos_per_report,
                                 ZoneInfo(settings.city_timezone)),
        duty_rates=DutyRates(settings.duty_rate_rt, settings.duty_rate_rw, settings.duty_monthly_cap),
    )
