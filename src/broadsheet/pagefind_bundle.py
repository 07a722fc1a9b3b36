"""Make Pagefind's search bundle byte-identical from one build of the same site to the next.

Pagefind 1.5 writes the pages, words and excerpts of a site reproducibly, but not its filter
indexes: the values of a filter (tag, author, source) come out in a random order on every
run (a Rust hash map; upstream issue Pagefind#638), so the filter files, the metadata file
that names them and the entry file that names that one change name and bytes each build.

`normalize_bundle` puts the filter values and the filter list in sorted order and renames the
files after their new content. It only rewrites a file it fully understands: each file is
decoded and re-encoded first, and unless that gives back the exact bytes Pagefind wrote (the
format changed in a new Pagefind, say) the bundle is left as Pagefind made it — still a
working index, just not a reproducible one.

The files are gzip-compressed CBOR after a "pagefind_dcd" signature; only the CBOR that
Pagefind writes (integers, strings, arrays, maps, booleans and null, definite lengths) is
handled here.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path

SIGNATURE = b"pagefind_dcd"


class UnknownFormat(ValueError):
    """The bundle is not in the format this module knows; it is left alone."""


# -- a small CBOR codec (RFC 8949), shortest-form like Pagefind's serializer ---------------

def _decode(data: bytes, pos: int):
    if pos >= len(data):
        raise UnknownFormat("truncated CBOR")
    initial = data[pos]
    major, info = initial >> 5, initial & 31
    pos += 1
    if major == 7:
        simple = {20: False, 21: True, 22: None}
        if info in simple:
            return simple[info], pos
        raise UnknownFormat(f"CBOR simple/float value {info} not supported")
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        if pos + size > len(data):
            raise UnknownFormat("truncated CBOR")
        arg = int.from_bytes(data[pos:pos + size], "big")
        pos += size
    else:
        raise UnknownFormat("indefinite-length CBOR not supported")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        chunk = data[pos:pos + arg]
        if len(chunk) != arg:
            raise UnknownFormat("truncated CBOR")
        return (bytes(chunk) if major == 2 else chunk.decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        mapping = {}
        for _ in range(arg):
            key, pos = _decode(data, pos)
            mapping[key], pos = _decode(data, pos)
        return mapping, pos
    raise UnknownFormat(f"CBOR major type {major} not supported")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if arg < 1 << (8 * struct.calcsize(fmt)):
            return bytes([major << 5 | info]) + struct.pack(fmt, arg)
    raise UnknownFormat("integer too large for CBOR")


def _encode(value) -> bytes:
    if value is False or value is True or value is None:
        return bytes([0xF4 if value is False else 0xF5 if value is True else 0xF6])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise UnknownFormat(f"cannot encode {type(value).__name__}")


def read_file(path: Path):
    """Decode one of Pagefind's .pf_* files; raise UnknownFormat unless it round-trips."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise UnknownFormat(f"{path.name}: no Pagefind signature")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw) or SIGNATURE + _encode(value) != raw:
        raise UnknownFormat(f"{path.name}: does not round-trip")
    return value


def _write_file(folder: Path, prefix: str, suffix: str, value, digits: int) -> str:
    """Write `value` as a .pf_* file named after its content; return its hash name."""
    payload = SIGNATURE + _encode(value)
    name = f"{prefix}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    path = folder / f"{name}{suffix}"
    # mtime=0: a gzip header otherwise records when it was written.
    path.write_bytes(gzip.compress(payload, compresslevel=9, mtime=0))
    return name


# -- the bundle --------------------------------------------------------------------------

def _split_hash(name: str) -> tuple[str, str]:
    language, sep, digest = name.rpartition("_")
    if not sep or not language or not digest:
        raise UnknownFormat(f"unexpected file hash {name!r}")
    return language, digest


def _sorted_filter(value) -> list:
    # A filter file: [filter name, [[value, [page numbers…]], …]].
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and isinstance(value[1], list)
            and all(isinstance(v, list) and len(v) == 2 and isinstance(v[0], str)
                    for v in value[1])):
        raise UnknownFormat("unexpected filter file layout")
    return [value[0], sorted(value[1], key=lambda entry: entry[0])]


def _filter_list(meta) -> list:
    # The metadata file: [version, pages, index chunks, filters, sorts, meta fields], where
    # filters is [[filter name, file hash], …].
    if not (isinstance(meta, list) and len(meta) >= 5 and isinstance(meta[3], list)
            and all(isinstance(f, list) and len(f) == 2 and all(isinstance(s, str) for s in f)
                    for f in meta[3])):
        raise UnknownFormat("unexpected metadata file layout")
    return meta[3]


def _plan_language(bundle: Path, language: str, meta_hash: str):
    """Read and check everything for one language before anything is written."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = read_file(meta_path)
    filters = []
    for name, file_hash in _filter_list(meta):
        if _split_hash(file_hash)[0] != language:
            raise UnknownFormat(f"filter {name!r} belongs to another language")
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        filters.append((name, path, _sorted_filter(read_file(path))))
    return meta, meta_path, filters


def normalize_bundle(bundle: str | Path) -> None:
    """Rewrite the filter and metadata files of a Pagefind bundle in a reproducible order.

    Raises UnknownFormat, having changed nothing, when any file is not as expected."""
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        languages = entry["languages"]
        plans = {lang: _plan_language(bundle, lang, info["hash"])
                 for lang, info in sorted(languages.items())}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        if isinstance(err, UnknownFormat):
            raise
        raise UnknownFormat(f"unreadable bundle: {err}") from err

    for language, (meta, meta_path, filters) in plans.items():
        listed = []
        for name, path, value in filters:
            path.unlink()
            listed.append([name, _write_file(bundle / "filter", language, ".pf_filter", value, 7)])
        meta[3] = sorted(listed)
        meta_path.unlink()
        meta_name = _write_file(bundle, f"pagefind.{language}", ".pf_meta", meta, 10)
        languages[language]["hash"] = meta_name.removeprefix("pagefind.")
    entry["languages"] = dict(sorted(languages.items()))
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
