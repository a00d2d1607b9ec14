"""Generated stand-in photos for demo data and tests: real JPEGs, no real people in them."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw


def sample_photo(seed: int, label: str = "", size: tuple[int, int] = (800, 600)) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", size, tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(20, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    if label:
        draw.text((20, size[1] - 40), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()
