"""Photo ingest of a 12-megapixel JPEG against the plain way, measured in the same run.

    .venv/bin/python bench/photos.py [--rounds 7]

The plain way decodes every pixel, resizes to the display and thumbnail sizes and encodes both,
as a pipeline without JPEG draft mode would. Ours is media.images.clean, which asks the JPEG
decoder for a 1/2-scale image and derives the thumbnail from that. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from media.images import DISPLAY_PX, THUMB_PX, clean


def camera_like_jpeg(size: tuple[int, int] = (4000, 3000)) -> bytes:
    """Noise over gradients, blurred a little: compresses like a phone photo (a few MB at q90)."""
    noise = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1.2))
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (noise, gradient, ImageOps.invert(noise)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def plain(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        rgb = ImageOps.exif_transpose(image).convert("RGB")
    for side in (DISPLAY_PX, THUMB_PX):
        copy = rgb.copy()
        copy.thumbnail((side, side), Image.Resampling.LANCZOS)
        copy.save(io.BytesIO(), "JPEG", quality=85, progressive=True)


def timed(function, data: bytes) -> float:
    start = time.perf_counter()
    function(data)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    data = camera_like_jpeg()
    plain_times, ours_times = [], []
    for _ in range(args.rounds):  # alternate, so that noise on the shared machine hits both alike
        plain_times.append(timed(plain, data))
        ours_times.append(timed(lambda d: clean(d, 40_000_000), data))
    p, o = statistics.median(plain_times), statistics.median(ours_times)
    print(f"12 MP JPEG ({len(data) / 1e6:.1f} MB), {args.rounds} rounds, medians:")
    print(f"  plain decode + resize + encode: {p * 1000:7.1f} ms")
    print(f"  Warga ingest (draft mode):      {o * 1000:7.1f} ms")
    print(f"  ratio plain / ours:             {p / o:7.2f}x  (target: at least 3x)")


if __name__ == "__main__":
    main()
