"""Photo intake: the media pipeline off the event loop, then the store."""

from __future__ import annotations

import asyncio
import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC
from zoneinfo import ZoneInfo

from core.errors import BadInput
from media.images import CleanImage, ImageRejected, clean
from media.storage import Storage
from models import Photo

# Pillow releases the GIL while decoding, so threads use both cores; two bound the memory.
_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pillow")
DECODE_SECONDS = 20.0


@dataclass(frozen=True)
class PhotoPolicy:
    """What photos may be, decided once (from the settings): each file's bytes and pixels, how many one
    report, follow-up or reopen carries, and the zone a camera's clock is in when its EXIF names none."""

    max_bytes: int
    max_pixels: int
    max_per_post: int
    camera_zone: ZoneInfo

    def check_size(self, data: bytes) -> None:
        if len(data) > self.max_bytes:
            raise BadInput(f"A photo may be at most {self.max_bytes // (1024 * 1024)} MB.")

    def check_count(self, count: int, what: str, at_least: int) -> None:
        if count > self.max_per_post:
            raise BadInput(f"{what} carries at most {self.max_per_post} photos.")
        if count < at_least:
            raise BadInput(f"{what} needs at least {at_least} photo{'s' if at_least > 1 else ''}.")


def display_name(digest: str) -> str:
    return f"{digest}.jpg"


def thumbnail_name(digest: str) -> str:
    return f"{digest}_t.jpg"


async def _clean(data: bytes, limits: PhotoPolicy) -> CleanImage:
    if not data:
        raise BadInput("A photo is empty.")
    limits.check_size(data)
    loop = asyncio.get_running_loop()
    try:
        image = await asyncio.wait_for(
            loop.run_in_executor(_pool, clean, data, limits.max_pixels), DECODE_SECONDS
        )
    except ImageRejected as exc:
        raise BadInput(str(exc)) from exc
    except TimeoutError as exc:
        raise BadInput("The photo took too long to process.") from exc
    if image.taken_at is not None and image.taken_at.tzinfo is None:
        taken_at = image.taken_at.replace(tzinfo=limits.camera_zone).astimezone(UTC)
        image = dataclasses.replace(image, taken_at=taken_at)
    return image


async def ingest(
    uploads: list[bytes], storage: Storage, limits: PhotoPolicy, what: str, at_least: int = 0
) -> list[CleanImage]:
    """Clean every upload, then store them all: one bad photo stores nothing (BAD_USER_INPUT). `what`
    carries them ("A report"), with at least `at_least` of them."""
    limits.check_count(len(uploads), what, at_least)
    images = [await _clean(data, limits) for data in uploads]
    for image in images:
        await storage.put(display_name(image.digest), image.display.data)
        await storage.put(thumbnail_name(image.digest), image.thumbnail.data)
    return images


async def record_photos(report_id: int, images: list[CleanImage], **owner: object) -> None:
    """One Photo row per stored image, in order; `owner` names the follow-up or event they prove."""
    if images:
        await Photo.bulk_create([
            Photo(
                report_id=report_id,
                digest=image.digest,
                width=image.display.width,
                height=image.display.height,
                gps_lat=image.gps[0] if image.gps else None,
                gps_lng=image.gps[1] if image.gps else None,
                taken_at=image.taken_at,
                position=position,
                **owner,
            )
            for position, image in enumerate(images)
        ])
