"""Palette PNGs encoded for images that are mostly the same from one to the next.

A share card is 756,000 pixels of which most rows are plain paper or a fixed top bar, and
compressing every row of every card was half the cost of drawing it. PNG compresses the rows
as one zlib stream, but a deflate stream may be cut into byte-aligned pieces that each refer
only to their own bytes (a "full flush"): a run of identical rows is compressed once, kept,
and spliced into every later image that has the same run. Only rows that differ (the lines of
text) are compressed each time. The checksum of the whole stream is put together from the
pieces' checksums, so no row is read twice.

The result is an ordinary 8-bit palette PNG: no filtering, one IDAT chunk.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections.abc import Iterator

SIGNATURE = b"\x89PNG\r\n\x1a\n"
COMPRESS_LEVEL = 1
"""zlib's fastest level: for text rows, 2 or 6 are barely smaller and slower."""
MIN_RUN = 8
"""Identical rows kept as one piece from this many on (a shorter run is compressed with its
neighbours, where it costs next to nothing)."""
KEPT_RUNS = 256
"""Pieces kept per process; an image made of new runs only is as fast as without them."""
_FINAL_BLOCK = b"\x03\x00"
"""An empty last deflate block: the pieces are all flushed, none marked last."""
_ZLIB_HEADER = b"\x78\x01"
"""32 KB window, deflate, "fastest" (a hint only; any level decodes alike)."""
_ADLER_BASE = 65521

_kept: dict[tuple[bytes, int], tuple[bytes, int]] = {}
_kept_lock = threading.Lock()


def palette_png(pixels: bytes, width: int, palette: bytes) -> bytes:
    """An 8-bit palette PNG of `pixels` (one palette index per byte, rows of `width`)."""
    if width <= 0 or len(pixels) % width:
        raise ValueError(f"{len(pixels)} pixels do not make rows of {width}")
    if not palette or len(palette) % 3 or len(palette) > 768:
        raise ValueError("a palette is 1 to 256 RGB triples")
    height = len(pixels) // width
    pieces: list[bytes] = [_ZLIB_HEADER]
    adler = 1  # zlib's checksum of no bytes
    for row, count, data in _runs(pixels, width):
        if data is None:
            deflated, checksum = _identical_rows(row, count)
        else:
            deflated, checksum = _deflate(data), zlib.adler32(data)
        pieces.append(deflated)
        adler = _adler32_combine(adler, checksum, count * (width + 1))
    pieces.append(_FINAL_BLOCK)
    pieces.append(struct.pack(">I", adler))
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)  # 8 bits, palette
    return b"".join((SIGNATURE, _chunk(b"IHDR", header), _chunk(b"PLTE", palette),
                     _chunk(b"IDAT", b"".join(pieces)), _chunk(b"IEND", b"")))


def _runs(pixels: bytes, width: int) -> Iterator[tuple[bytes, int, bytes | None]]:
    """(row, count, None) for a run of at least MIN_RUN identical rows, else (first row,
    count, the rows with their filter bytes) for rows to compress as they are."""
    rows = [pixels[start:start + width] for start in range(0, len(pixels), width)]
    start = 0
    pending = 0  # rows from `pending` to `start` go out as they are
    while start < len(rows):
        end = start + 1
        while end < len(rows) and rows[end] == rows[start]:
            end += 1
        if end - start >= MIN_RUN:
            if pending < start:
                yield rows[pending], start - pending, _filtered(rows[pending:start])
            yield rows[start], end - start, None
            pending = end
        start = end
    if pending < len(rows):
        yield rows[pending], len(rows) - pending, _filtered(rows[pending:])


def _filtered(rows: list[bytes]) -> bytes:
    # Filter type 0 (none) before every row: palette indices gain nothing from prediction.
    return b"\0" + b"\0".join(rows)


def _identical_rows(row: bytes, count: int) -> tuple[bytes, int]:
    key = (row, count)
    kept = _kept.get(key)
    if kept is None:
        data = (b"\0" + row) * count
        kept = (_deflate(data), zlib.adler32(data))
        with _kept_lock:
            if len(_kept) >= KEPT_RUNS:
                _kept.clear()
            _kept[key] = kept
    return kept


def _deflate(data: bytes) -> bytes:
    """Raw deflate of `data` alone, ended byte-aligned and not marked last: any number of
    such pieces, then _FINAL_BLOCK, make one valid stream."""
    compressor = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings one after the other, from their own checksums and
    the second's length (zlib's adler32_combine, which Python does not expose)."""
    low = ((first & 0xFFFF) + (second & 0xFFFF) - 1) % _ADLER_BASE
    high = ((first >> 16) + (second >> 16)
            + second_length * (first & 0xFFFF) - second_length) % _ADLER_BASE
    return (high << 16) | low


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(data, zlib.crc32(kind))))
