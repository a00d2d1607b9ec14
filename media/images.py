"""The Pillow pipeline: refuse what is not a photo, strip what a photo must not carry.

Synchronous and CPU-bound by design: callers run it in a worker thread.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ["JPEG", "PNG", "WEBP"]
DISPLAY_PX = 2048
THUMB_PX = 400
GPS_IFD = 0x8825


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


def _gps(exif: Image.Exif) -> tuple[float, float] | None:
    """Latitude and longitude from EXIF GPS, or None when absent or unreadable."""
    try:
        info = exif.get_ifd(GPS_IFD)
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


def _encode(image: Image.Image, long_side: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    # No exif, icc_profile or comment arguments: the stored bytes carry no metadata at all.
    copy.save(out, "JPEG", quality=85, optimize=True, progressive=True)
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
                gps = _gps(image.getexif())
                if image.format == "JPEG":
                    # Let the decoder scale by 1/2..1/8 when the photo is far larger than we keep.
                    image.draft("RGB", (DISPLAY_PX, DISPLAY_PX))
                image.load()
                oriented = ImageOps.exif_transpose(image)
                rgb = _flatten(oriented)
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
    return CleanImage(hashlib.sha256(display.data).hexdigest(), display, thumbnail, gps)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and a transparent PNG should not turn black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
