"""The Pillow pipeline: refuse what is not a photo, strip what a photo must not carry.

Synchronous and CPU-bound by design: callers run it in a worker thread.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

from media.containers import foreign_trailer

FORMATS = ["JPEG", "PNG", "WEBP"]
DISPLAY_PX = 2048
THUMB_PX = 400
GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011  # in the EXIF IFD
GPS_TIME_STAMP, GPS_DATE_STAMP = 7, 29  # in the GPS IFD
STAMP = "%Y:%m:%d %H:%M:%S"  # EXIF's date and time


class ImageRejected(ValueError):
    """The upload is not an image we accept; the message is meant for the person who sent it."""


@dataclass(frozen=True)
class Rendition:
    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class CleanImage:
    digest: str  # of the display rendition: the same photo is stored once
    display: Rendition
    thumbnail: Rendition
    gps: tuple[float, float] | None
    # When the photo was taken. Aware (UTC) when the camera recorded its UTC offset or a GPS time; naive
    # when it only gave its clock's local time, which the caller localises in the city's time zone.
    taken_at: datetime | None


def _gps(exif: Image.Exif) -> tuple[float, float] | None:
    """Latitude and longitude from EXIF GPS, or None when absent or unreadable."""
    try:
        info = _ifd(exif, GPS_IFD)
        if not info:
            return None

        def degrees(values: tuple[float, float, float], ref: str, negative: str) -> float:
            d, m, s = (float(v) for v in values)
            value = d + m / 60 + s / 3600
            return -value if ref.upper().startswith(negative) else value

        lat = degrees(info[2], info.get(1, "N"), "S")
        lng = degrees(info[4], info.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError, IndexError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or (lat == 0 and lng == 0):
        return None
    return (lat, lng)


def _text(value: object) -> str:
    """An EXIF ASCII value without its NUL padding; TypeError when the tag came with another type."""
    if not isinstance(value, str):
        raise TypeError(value)
    return value.strip("\0 ")


def _exif_time(value: object, offset: object = None) -> datetime | None:
    """An EXIF "YYYY:MM:DD HH:MM:SS", moved to UTC when a "+07:00" offset is given; None when unreadable."""
    try:
        if offset is None:
            clock = datetime.strptime(_text(value), STAMP)
            # Years 1 and 9999 would overflow when the caller puts this clock in the city's time zone.
            return clock if 1 < clock.year < 9999 else None
        return datetime.strptime(f"{_text(value)} {_text(offset)}", f"{STAMP} %z").astimezone(UTC)
    except (TypeError, ValueError, OverflowError):  # "0000:00:00 00:00:00", blanks, UTC before year 1
        return None


def _gps_time(info: dict[int, Any]) -> datetime | None:
    """GPSDateStamp and GPSTimeStamp, which the EXIF spec makes UTC; None when either is missing or unreadable."""
    try:
        h, m, s = (float(v) for v in info[GPS_TIME_STAMP])
        if not (0 <= h < 24 and 0 <= m < 60 and 0 <= s < 61):  # NaN (a zero denominator) fails this too
            return None
        midnight = datetime.strptime(_text(info[GPS_DATE_STAMP]), "%Y:%m:%d").replace(tzinfo=UTC)
        return midnight + timedelta(hours=h, minutes=m, seconds=s)
    except (KeyError, TypeError, ValueError, OverflowError, ZeroDivisionError):
        return None


def _taken_at(exif: Image.Exif) -> datetime | None:
    """The capture time: the camera's clock with its offset, else GPS time, else the clock alone (naive)."""
    original = _ifd(exif, EXIF_IFD)
    local, offset = original.get(DATE_TIME_ORIGINAL), original.get(OFFSET_TIME_ORIGINAL)
    # A datetime is never falsy, so each `or` only moves on when the source before it gave None.
    return (
        (_exif_time(local, offset) if offset is not None else None)
        or _gps_time(_ifd(exif, GPS_IFD))
        or _exif_time(local)
    )


def _ifd(exif: Image.Exif, tag: int) -> dict[int, Any]:
    """One sub-IFD, empty when its pointer is corrupt: a broken EXIF IFD should not hide the GPS one."""
    try:
        return exif.get_ifd(tag)
    except (KeyError, TypeError, ValueError, IndexError):
        return {}


def display_size(width: int, height: int) -> tuple[int, int]:
    """The display rendition's size: the source halved (a JPEG decoder's cheap step) until it fits 2048."""
    scale = 1
    while max(width, height) / scale > DISPLAY_PX:
        scale *= 2
    return max(1, width // scale), max(1, height // scale)


def _encode(image: Image.Image, long_side: int) -> Rendition:
    copy = image if max(image.size) <= long_side else image.copy()
    if copy is not image:
        copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    # A fresh info dict: Pillow would otherwise carry XMP, comments and ICC data into the file.
    copy.info = {}
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, progressive=True)
    return Rendition(out.getvalue(), copy.width, copy.height)


def clean(data: bytes, max_pixels: int) -> CleanImage:
    """Decode, orient, strip and re-encode an upload; ImageRejected when it is not acceptable."""
    with warnings.catch_warnings():
        # Pillow only warns between 1x and 2x MAX_IMAGE_PIXELS: make every bomb an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=FORMATS) as image:
                if image.width * image.height > max_pixels:
                    raise ImageRejected(
                        f"The image is {image.width}x{image.height} pixels; at most "
                        f"{max_pixels // 1_000_000} megapixels are accepted."
                    )
                if foreign_trailer(data, image.format):
                    raise ImageRejected("The file holds more than one image: send the photo on its own.")
                exif = image.getexif()
                gps, taken_at = _gps(exif), _taken_at(exif)
                if image.format == "JPEG":
                    # Decode at 1/2, 1/4 or 1/8 straight away when the photo is far larger than we keep.
                    image.draft("RGB", display_size(image.width, image.height))
                image.load()
                rgb = _flatten(ImageOps.exif_transpose(image))
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ImageRejected("The image is too large to open safely.") from exc
        except UnidentifiedImageError as exc:
            raise ImageRejected("The file is not a JPEG, PNG or WebP image.") from exc
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageRejected("The image is damaged or incomplete.") from exc
    display = _encode(rgb, DISPLAY_PX)
    thumbnail = _encode(rgb, THUMB_PX)
    return CleanImage(hashlib.sha256(display.data).hexdigest(), display, thumbnail, gps, taken_at)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and a transparent PNG should not turn black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")
