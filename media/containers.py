"""Where an image file really ends, so that a second file glued to it (a polyglot) is caught."""

from __future__ import annotations

import struct

# JPEG markers without a length: TEM, RST0-7, SOI, EOI.
_STANDALONE = {0x01, *range(0xD0, 0xD8), 0xD8, 0xD9}


def _jpeg_end(data: bytes) -> int:
    """The offset just past the EOI that closes the image, walking segments and entropy-coded data."""
    pos = 2  # after SOI
    size = len(data)
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            raise ValueError("JPEG segment expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:
            return pos + 2
        if marker in _STANDALONE:
            pos += 2
            continue
        length: int = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        pos += 2 + length
        if marker == 0xDA:  # start of scan: skip entropy-coded data up to the next real marker
            while True:
                pos = data.find(b"\xff", pos)  # jumping between 0xFF bytes keeps this fast on megabytes
                if pos == -1 or pos + 1 >= size:
                    return size
                following = data[pos + 1]
                if following != 0x00 and not 0xD0 <= following <= 0xD7:
                    break
                pos += 2
    return size


def _png_end(data: bytes) -> int:
    pos = 8  # after the signature
    while pos + 8 <= len(data):
        length: int
        kind: bytes
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        pos += 12 + length
        if kind == b"IEND":
            return pos
    return len(data)


def _webp_end(data: bytes) -> int:
    size: int = struct.unpack("<I", data[4:8])[0]
    return 8 + size


def foreign_trailer(data: bytes, image_format: str | None) -> bool:
    """True when something other than padding follows the end of the image: a second file glued on.

    ValueError when the file's structure is broken.
    """
    end = {"JPEG": _jpeg_end, "PNG": _png_end, "WEBP": _webp_end}.get(image_format or "")
    if end is None:
        return False
    try:
        trailer = data[end(data) :]
    except struct.error as exc:
        raise ValueError("broken image structure") from exc
    # Some encoders pad the file with zero or 0xFF bytes; anything else is content.
    return len(trailer.strip(b"\x00\xff")) > 0
