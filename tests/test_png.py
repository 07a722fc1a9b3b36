"""png.py: palette PNGs whose runs of identical rows are compressed once and spliced in."""

from __future__ import annotations

import random
import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from broadsheet import png

PALETTE = bytes(range(256)) * 3


def decoded(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def idat(data: bytes) -> bytes:
    """The zlib stream of the PNG's IDAT chunks, checking each chunk's CRC on the way."""
    assert data.startswith(png.SIGNATURE)
    position, stream = len(png.SIGNATURE), b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        body = data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body), kind
        if kind == b"IDAT":
            stream += body
        position += 12 + length
    return stream


def card_like(width: int, seed: int) -> bytes:
    """Runs of paper, a bar, rows of 'text' of every length either side of MIN_RUN."""
    rng = random.Random(seed)
    rows = [bytes([9]) * width] * 14 + [bytes([127]) * width] * 40
    for _ in range(12):
        text = bytes(rng.randrange(256) for _ in range(width))
        rows += [text] * rng.choice([1, 2, png.MIN_RUN - 1, png.MIN_RUN, 30])
        rows += [bytes([127]) * width] * rng.choice([1, png.MIN_RUN - 1, png.MIN_RUN, 25])
    return b"".join(rows)


@pytest.mark.parametrize("seed", range(6))
def test_the_png_decodes_to_the_same_pixels_and_palette(seed):
    pixels = card_like(97, seed)
    image = decoded(png.palette_png(pixels, 97, PALETTE))
    assert image.mode == "P" and image.size == (97, len(pixels) // 97)
    assert image.tobytes() == pixels
    assert image.getpalette()[:768] == list(PALETTE)


def test_the_zlib_stream_is_valid_with_its_checksum():
    # zlib.decompress checks the Adler-32 at the end (put together from the pieces').
    pixels = card_like(50, 7)
    raw = zlib.decompress(idat(png.palette_png(pixels, 50, PALETTE)))
    assert raw == b"".join(b"\0" + pixels[i:i + 50] for i in range(0, len(pixels), 50))


@pytest.mark.parametrize("pixels, width", [
    (bytes([127]) * 200 * 50, 200),    # one run, nothing else
    (bytes(range(256)) * 3, 256),      # three identical rows: too few for a run
    (b"\x05" * 31, 31),                # a single row
    (bytes(range(40)) * 9 + b"\x01" * 40 * 20, 40),  # ends in a run
])
def test_edge_shapes(pixels, width):
    assert decoded(png.palette_png(pixels, width, PALETTE)).tobytes() == pixels
    assert zlib.decompress(idat(png.palette_png(pixels, width, PALETTE)))


def test_kept_runs_give_the_same_bytes_as_fresh_ones(monkeypatch):
    pixels = card_like(120, 3)
    png._kept.clear()
    fresh = png.palette_png(pixels, 120, PALETTE)
    deflated = []
    real = png._deflate
    monkeypatch.setattr(png, "_deflate", lambda data: deflated.append(len(data)) or real(data))
    again = png.palette_png(pixels, 120, PALETTE)
    assert again == fresh
    # Only the rows outside runs were compressed the second time.
    rows_outside_runs = sum(count for _, count, data in png._runs(pixels, 120) if data)
    assert sum(deflated) == rows_outside_runs * 121 < len(pixels)


def test_kept_runs_are_bounded(monkeypatch):
    monkeypatch.setattr(png, "KEPT_RUNS", 4)
    png._kept.clear()
    for level in range(10):
        png.palette_png(bytes([level]) * 10 * png.MIN_RUN, 10, PALETTE)
        assert len(png._kept) <= 4


@pytest.mark.parametrize("split", [0, 1, 65520, 65521, 65522, 200_000])
def test_adler32_combine_equals_zlib_over_both(split):
    rng = random.Random(split)
    data = bytes(rng.randrange(256) for _ in range(200_001))
    first, second = data[:split], data[split:]
    combined = png._adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(data)


@pytest.mark.parametrize("pixels, width, palette", [
    (b"\0" * 10, 3, PALETTE),
    (b"\0" * 10, 0, PALETTE),
    (b"\0" * 10, 10, b""),
    (b"\0" * 10, 10, b"\0" * 4),
    (b"\0" * 10, 10, b"\0" * 771),
])
def test_bad_shapes_are_refused(pixels, width, palette):
    with pytest.raises(ValueError):
        png.palette_png(pixels, width, palette)
