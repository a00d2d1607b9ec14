"""The photo pipeline with real files: cleaned when they are photos, refused with a reason when not."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from core.errors import BadInput
from demo.photos import sample_photo
from media.images import clean, display_size
from media.storage import LocalStorage
from services.geo import distance_m
from services.photos import PhotoPolicy, ingest
from testkit import images

LIMITS = PhotoPolicy(max_bytes=10 * 1024 * 1024, max_pixels=40_000_000, max_per_post=4,
                     camera_zone=ZoneInfo("Asia/Jakarta"))
METADATA_MARKS = (b"Exif", b"xmpmeta", b"http://ns.adobe.com", b"Jl. Mawar", b"ICC_PROFILE", b"GPS home")


def assert_clean(path: Path) -> None:
    assert_clean_jpeg(path.read_bytes(), path)


def assert_clean_jpeg(data: bytes, name: object = None) -> None:
    assert not any(mark in data for mark in METADATA_MARKS), name
    assert b"\xff\xfe" not in data[: data.find(b"\xff\xda")]  # no COM segment before the scan
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and not image.getexif() and "icc_profile" not in image.info


async def test_phone_photo_is_oriented_stripped_and_keeps_its_gps_privately(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, "/media/")
    [image] = await ingest([images.phone_photo()], storage, LIMITS, "A report")
    assert (image.display.width, image.display.height) == (200, 400)  # orientation 6 applied
    assert image.gps is not None and distance_m(*image.gps, *images.HOME) < 1
    with Image.open(tmp_path / f"{image.digest}.jpg") as shown:
        top_left = shown.convert("RGB").getpixel((10, 10))
        assert isinstance(top_left, tuple) and top_left[1] > 150  # the green band, turned to the top
    for stored in tmp_path.iterdir():
        assert_clean(stored)


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("PNG decompression bomb", images.png_bomb, "too large"),
        ("bomb between 1x and 2x the limit", lambda: images.png_bomb(7000, 7000), "megapixels"),
        ("50-megapixel photo", images.fifty_megapixels, "megapixels"),
        ("truncated JPEG", lambda: images.jpeg((800, 600))[:1500], "damaged"),
        ("corrupt JPEG", lambda: images.jpeg()[:200] + b"\x00" * 500, "damaged"),
        ("SVG", images.svg, "not a JPEG"),
        ("GIF", images.gif, "not a JPEG"),
        ("text file named .jpg", lambda: b"just some text, honestly a photo", "not a JPEG"),
        ("JPEG with a ZIP glued on", images.zip_polyglot, "more than one"),
        ("PNG with HTML glued on", images.html_after_png, "more than one"),
        ("empty file", lambda: b"", "empty"),
        ("over 10 MB", lambda: b"\xff\xd8" + b"\0" * (10 * 1024 * 1024), "at most 10 MB"),
    ],
)
async def test_refused_with_a_reason_and_nothing_stored(tmp_path: Path, name: str, make, reason: str) -> None:
    storage = LocalStorage(tmp_path, "/media/")
    with pytest.raises(BadInput) as refused:
        await ingest([sample_photo(1), make()], storage, LIMITS, "A report")
    assert reason in refused.value.message, (name, refused.value.message)
    assert list(tmp_path.iterdir()) == []  # the good photo before it was not stored either


async def test_png_webp_and_transparency(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, "/media/")
    clear, web = await ingest([images.png(), images.webp()], storage, LIMITS, "A report")
    with Image.open(io.BytesIO(clear.display.data)) as image:
        assert image.convert("RGB").getpixel((5, 5)) == (255, 255, 255)  # transparent turned white, not black
    assert (web.display.width, web.display.height) == (320, 240)
    for stored in tmp_path.iterdir():
        assert_clean(stored)


async def test_renditions_and_content_addressed_names(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, "/media/")
    big = images.jpeg((4000, 3000), quality=70)
    first, again = await ingest([big, big], storage, LIMITS, "A report")
    assert first.digest == again.digest
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{first.digest}.jpg", f"{first.digest}_t.jpg"]
    assert (first.display.width, first.display.height) == (2000, 1500)  # decoded at 1/2 by the JPEG draft
    assert max(first.thumbnail.width, first.thumbnail.height) == 400


def test_display_size_halves_until_it_fits() -> None:
    assert display_size(4000, 3000) == (2000, 1500)
    assert display_size(2048, 1000) == (2048, 1000)
    assert display_size(9000, 100) == (1125, 12)


async def test_progressive_jpeg_with_padding_is_a_photo_not_a_polyglot(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path, "/media/")
    progressive = images.jpeg((1200, 900), progressive=True, quality=90) + b"\x00" * 32
    [image] = await ingest([progressive], storage, LIMITS, "A report")
    assert (image.display.width, image.display.height) == (1200, 900)


TAKEN = datetime(2024, 5, 1, 23, 30, 15, tzinfo=UTC)  # 06:30 the next morning in Jakarta


def taken_at(data: bytes) -> datetime | None:
    return clean(data, LIMITS.max_pixels).taken_at


@pytest.mark.parametrize("offset", ["+07:00", "-03:30", "+05:45", "+00:00"])
def test_capture_time_with_its_offset_is_moved_to_utc(offset: str) -> None:
    moment = taken_at(images.camera_photo(taken=TAKEN, offset=offset))
    assert moment == TAKEN and moment.utcoffset() == timedelta(0)


def test_capture_time_from_gps_stamps_is_utc() -> None:
    moment = taken_at(images.camera_photo(taken=TAKEN, offset=None, gps_time=True))
    assert moment == TAKEN and moment.utcoffset() == timedelta(0)  # preferred to the clock without an offset
    fractional = taken_at(images.camera_photo(taken=TAKEN.replace(microsecond=500_000), offset=None, gps_time=True))
    assert fractional == TAKEN.replace(microsecond=500_000)


def test_clock_with_offset_is_preferred_to_gps_stamps() -> None:
    # The camera says 06:30:15 at +08:00 (22:30:15 UTC); its GPS says 23:30:15 UTC.
    data = images.camera_photo(taken=TAKEN, gps_time=True, exif_ifd={0x9011: "+08:00"})
    assert taken_at(data) == TAKEN - timedelta(hours=1)


def test_capture_time_without_offset_is_naive_local() -> None:
    local = datetime(2024, 5, 2, 6, 30, 15)
    moment = taken_at(images.camera_photo(taken=local, offset=None))
    assert moment == local and moment.tzinfo is None  # the caller localises it in the city's zone


@pytest.mark.parametrize(
    "make",
    [images.jpeg, images.png, images.webp, images.phone_photo, images.camera_photo, lambda: images.camera_photo(None)],
)
def test_no_capture_time_when_the_photo_has_none(make) -> None:
    assert taken_at(make()) is None


@pytest.mark.parametrize(
    "broken",
    [
        {0x9003: "0000:00:00 00:00:00"},
        {0x9003: "2024:13:01 10:00:00"},
        {0x9003: "2024:02:30 10:00:00"},
        {0x9003: "2024:05:01 25:00:00"},
        {0x9003: "    :  :     :  :  "},
        {0x9003: "yesterday"},
        {0x9003: "2024:05:01"},
        {0x9003: 20240501},
        {0x9003: "0001:01:01 00:00:00", 0x9011: "+07:00"},  # before year 1 in UTC, and no use as a clock
        {0x9003: "9999:12:31 23:59:59", 0x9011: "-07:00"},  # after year 9999 in UTC, likewise
        {0x9003: "0000:00:00 00:00:00", 0x9011: "+99:00"},
    ],
)
def test_malformed_capture_time_is_none_and_the_photo_still_accepted(broken: dict[int, object]) -> None:
    image = clean(images.camera_photo(taken=TAKEN, offset=None, exif_ifd=broken), LIMITS.max_pixels)
    assert image.taken_at is None and image.gps is not None and image.display.width == 400


@pytest.mark.parametrize(
    "broken",
    [
        {7: (25.0, 0.0, 0.0)},
        {7: (10.0, 61.0, 0.0)},
        {7: (10.0, 0.0)},
        {7: (10.0, 0.0, 0.0, 0.0)},
        {29: "0000:00:00"},
        {29: "2024:02:30"},
        {29: "  :  :  "},
        {29: 20240501},
        {29: "9999:12:31", 7: (23.0, 59.0, 60.5)},  # past year 9999
    ],
)
def test_malformed_gps_time_is_none(broken: dict[int, object]) -> None:
    fallback = taken_at(images.camera_photo(taken=TAKEN, offset=None, gps_time=True, gps_ifd=broken))
    assert fallback == TAKEN.replace(tzinfo=None) and fallback.tzinfo is None  # the camera's clock instead
    only_gps = images.camera_photo(gps_ifd={7: (10.0, 0.0, 0.0), 29: "2024:05:01"} | broken)
    image = clean(only_gps, LIMITS.max_pixels)
    assert image.taken_at is None and image.display.width == 400


def test_unreadable_offset_falls_back_to_gps_then_to_the_naive_clock() -> None:
    blank = {0x9011: "   :  "}
    assert taken_at(images.camera_photo(taken=TAKEN, gps_time=True, exif_ifd=blank)) == TAKEN
    assert taken_at(images.camera_photo(taken=TAKEN, exif_ifd=blank)) == datetime(2024, 5, 2, 6, 30, 15)


def test_capture_time_is_read_but_not_kept_in_the_files() -> None:
    image = clean(images.camera_photo(taken=TAKEN, gps_time=True), LIMITS.max_pixels)
    assert image.taken_at == TAKEN and image.gps is not None
    for rendition in (image.display, image.thumbnail):
        assert_clean_jpeg(rendition.data)
        assert b"2024:05" not in rendition.data and b"+07:00" not in rendition.data
