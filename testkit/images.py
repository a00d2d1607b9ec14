"""Real files for the photo tests: what cameras, phones and attackers send."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime

from PIL import Image

from demo.photos import add_gps

HOME = (-6.2117, 106.8690)  # where the "camera" says the photo was taken


def jpeg(size: tuple[int, int] = (400, 200), **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", **save)
    return out.getvalue()


def phone_photo() -> bytes:
    """Rotated by EXIF (orientation 6), with GPS, a comment, XMP and an ICC profile: a phone's leftovers."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "S", 2: (6.0, 12.0, 42.12), 3: "E", 4: (106.0, 52.0, 8.4)})
    image = Image.new("RGB", (400, 200), (200, 30, 30))
    image.paste((20, 200, 20), (0, 0, 100, 200))  # a green band on the left, to check the rotation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"rumah saya di Jl. Mawar 7",
               xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'>GPS home</x:xmpmeta>", icc_profile=b"\0" * 128)
    return out.getvalue()


def camera_photo(
    gps: tuple[float, float] | None = HOME,
    taken: datetime | None = None,
    offset: str | None = "+07:00",
    gps_time: bool = False,
    exif_ifd: Mapping[int, object] | None = None,
    gps_ifd: Mapping[int, object] | None = None,
) -> bytes:
    """A JPEG as a phone camera writes it: GPS position and, when `taken` is given, the capture time.

    DateTimeOriginal is `taken` on the local clock at `offset`, written with OffsetTimeOriginal; with no
    offset (older cameras) it is `taken`'s own wall clock and nothing says which zone. A naive `taken` is
    already that local clock (UTC when offset is None). gps_time adds GPSDateStamp/GPSTimeStamp in UTC.
    exif_ifd and gps_ifd write raw tags last, over the others: a broken camera's clock or GPS.
    """
    exif = Image.Exif()
    if gps is not None:
        add_gps(exif, *gps)
    if taken is not None:
        zone = datetime.strptime(offset, "%z").tzinfo if offset is not None else None
        moment = taken if taken.tzinfo else taken.replace(tzinfo=zone or UTC)
        local = moment.astimezone(zone) if zone is not None else taken
        exif.get_ifd(0x8769)[0x9003] = local.strftime("%Y:%m:%d %H:%M:%S")
        if offset is not None:
            exif.get_ifd(0x8769)[0x9011] = offset
        if gps_time:
            utc = moment.astimezone(UTC)
            stamp = (float(utc.hour), float(utc.minute), utc.second + utc.microsecond / 1_000_000)
            exif.get_ifd(0x8825).update({7: stamp, 29: utc.strftime("%Y:%m:%d")})
    if exif_ifd:
        exif.get_ifd(0x8769).update(exif_ifd)
    if gps_ifd:
        exif.get_ifd(0x8825).update(gps_ifd)
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 160)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size: tuple[int, int] = (300, 300), mode: str = "RGBA") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (0, 0, 255, 0) if mode == "RGBA" else 0).save(out, "PNG")
    return out.getvalue()


def webp() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(out, "WEBP")
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (50, 50)).save(out, "GIF")
    return out.getvalue()


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A few hundred bytes that claim 900 megapixels of zeros."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def svg() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'


def zip_polyglot() -> bytes:
    """A valid JPEG with a ZIP archive glued to its end."""
    archive = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return jpeg() + archive.getvalue()


def html_after_png() -> bytes:
    return png() + b"<html><script>alert(1)</script></html>"


def fifty_megapixels() -> bytes:
    return jpeg((8660, 5774), quality=30)
