"""png.py: palette PNGs whose recurring rows are compressed once and spliced in."""

from __future__ import annotations

import random
import struct
import zlib
from io import BytesIO

import pytest
from PIL import Image

from broadsheet import png
from broadsheet.png import Fresh, Kept

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


def card_like(width: int, seed: int) -> list[Fresh | Kept]:
    """A bar, paper between bands of 'text', a footer: like a card, of any shape."""
    rng = random.Random(seed)
    pieces: list[Fresh | Kept] = [Kept(bytes([9]) * width, 14)]
    for _ in range(rng.randrange(1, 6)):
        pieces.append(Kept(bytes([127]) * width, rng.randrange(1, 40)))
        pieces.append(Fresh(bytes(rng.randrange(256) for _ in range(width * rng.randrange(1, 30)))))
    pieces.append(Kept(bytes(rng.randrange(4) for _ in range(width * 5))))
    return pieces


def pixels(pieces) -> bytes:
    return b"".join(p.rows * p.times if isinstance(p, Kept) else p.rows for p in pieces)


@pytest.mark.parametrize("seed", range(6))
def test_the_png_decodes_to_the_same_pixels_and_palette(seed):
    pieces = card_like(97, seed)
    image = decoded(png.palette_png(97, PALETTE, pieces))
    assert image.mode == "P" and image.size == (97, len(pixels(pieces)) // 97)
    assert image.tobytes() == pixels(pieces)
    assert image.getpalette()[:768] == list(PALETTE)


def test_the_zlib_stream_is_valid_with_its_checksum():
    # zlib.decompress checks the Adler-32 at the end (put together from the pieces').
    pieces = card_like(50, 7)
    raw = zlib.decompress(idat(png.palette_png(50, PALETTE, pieces)))
    flat = pixels(pieces)
    assert raw == b"".join(b"\0" + flat[i:i + 50] for i in range(0, len(flat), 50))


def test_isal_compresses_when_installed():
    # Broadsheet depends on isal (three times zlib's speed on share cards): a missing or
    # broken install would silently slow every first build down.
    assert png._deflater.__name__ == "isal.isal_zlib"


@pytest.mark.parametrize("seed", range(3))
def test_zlib_where_isal_is_missing_gives_the_same_pixels(monkeypatch, seed):
    pieces = card_like(61, seed)
    with_isal = png.palette_png(61, PALETTE, pieces)
    png._kept.clear()  # kept pieces compressed by the other compressor
    monkeypatch.setattr(png, "_deflater", zlib)
    with_zlib = png.palette_png(61, PALETTE, pieces)
    png._kept.clear()
    assert with_zlib != with_isal  # each compressor's own stream…
    assert decoded(with_zlib).tobytes() == decoded(with_isal).tobytes() == pixels(pieces)
    assert zlib.decompress(idat(with_zlib)) == zlib.decompress(idat(with_isal))


@pytest.mark.parametrize("pieces, width", [
    ([Kept(bytes([127]) * 200, 50)], 200),          # one kept piece, nothing else
    ([Fresh(bytes(range(256)) * 3)], 256),          # fresh rows only
    ([Fresh(b"\x05" * 31)], 31),                     # a single row
    ([Fresh(bytes(range(40)) * 9), Kept(b"\x01" * 40, 20), Kept(b"\x01" * 40, 20)], 40),
])
def test_edge_shapes(pieces, width):
    data = png.palette_png(width, PALETTE, pieces)
    assert decoded(data).tobytes() == pixels(pieces)
    assert zlib.decompress(idat(data))


def test_kept_pieces_are_compressed_once_and_give_the_same_bytes(monkeypatch):
    pieces = card_like(120, 3)
    png._kept.clear()
    fresh = png.palette_png(120, PALETTE, pieces)
    deflated = []
    real = png._deflate
    monkeypatch.setattr(png, "_deflate", lambda data: deflated.append(len(data)) or real(data))
    again = png.palette_png(120, PALETTE, pieces)
    assert again == fresh
    # Only the fresh rows were compressed the second time.
    fresh_rows = sum(len(p.rows) // 120 for p in pieces if isinstance(p, Fresh))
    assert sum(deflated) == fresh_rows * 121 < len(pixels(pieces))


def test_kept_pieces_are_bounded(monkeypatch):
    monkeypatch.setattr(png, "KEPT_PIECES", 4)
    png._kept.clear()
    for level in range(10):
        png.palette_png(10, PALETTE, [Kept(bytes([level]) * 10, 3)])
        assert len(png._kept) <= 4


@pytest.mark.parametrize("split", [0, 1, 65520, 65521, 65522, 200_000])
def test_adler32_combine_equals_zlib_over_both(split):
    rng = random.Random(split)
    data = bytes(rng.randrange(256) for _ in range(200_001))
    first, second = data[:split], data[split:]
    combined = png._adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(data)


@pytest.mark.parametrize("width, palette, pieces", [
    (3, PALETTE, [Fresh(b"\0" * 10)]),       # not whole rows
    (0, PALETTE, [Fresh(b"\0" * 10)]),
    (10, b"", [Fresh(b"\0" * 10)]),
    (10, b"\0" * 4, [Fresh(b"\0" * 10)]),
    (10, b"\0" * 771, [Fresh(b"\0" * 10)]),
    (10, PALETTE, []),                       # no rows
    (10, PALETTE, [Fresh(b"")]),
    (10, PALETTE, [Kept(b"\0" * 10, 0)]),
])
def test_bad_shapes_are_refused(width, palette, pieces):
    with pytest.raises(ValueError):
        png.palette_png(width, palette, pieces)
