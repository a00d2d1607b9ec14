"""The photo pipeline with real files: cleaned when they are photos, refused with a reason when not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from core.errors import BadInput
from demo.photos import sample_photo
from media.images import display_size
from media.storage import LocalStorage
from services.geo import distance_m
from services.photos import PhotoPolicy, ingest
from testkit import images

LIMITS = PhotoPolicy(max_bytes=10 * 1024 * 1024, max_pixels=40_000_000, max_per_post=4)
METADATA_MARKS = (b"Exif", b"xmpmeta", b"http://ns.adobe.com", b"Jl. Mawar", b"ICC_PROFILE", b"GPS home")


def assert_clean(path: Path) -> None:
    data = path.read_bytes()
    assert not any(mark in data for mark in METADATA_MARKS), path
    assert b"\xff\xfe" not in data[: data.find(b"\xff\xda")]  # no COM segment before the scan
    with Image.open(path) as image:
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
