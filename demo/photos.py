"""Generated stand-in photos for demo data and tests: real JPEGs, no real people in them."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def _dms(value: float) -> tuple[float, float, float]:
    """Decimal degrees as EXIF's degrees, minutes and seconds (the sign goes in the N/S/E/W ref)."""
    value = abs(value)
    minutes = (value - int(value)) * 60
    return (float(int(value)), float(int(minutes)), round((minutes - int(minutes)) * 60, 4))


def add_gps(exif: Image.Exif, lat: float, lng: float) -> None:
    """Where a phone says the photo was taken, as its camera writes it (the GPS block)."""
    exif.get_ifd(0x8825).update({1: "S" if lat < 0 else "N", 2: _dms(lat), 3: "W" if lng < 0 else "E", 4: _dms(lng)})


def sample_photo(seed: int, label: str = "", size: tuple[int, int] = (800, 600),
                 gps: tuple[float, float] | None = None) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(20, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    if label:
        draw.text((20, size[1] - 40), label, fill=(255, 255, 255))
    exif = Image.Exif()
    if gps is not None:
        add_gps(exif, *gps)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif.tobytes() if gps is not None else b"")
    return out.getvalue()
