"""Reproducible builds: the same input gives byte-identical output, whenever and wherever
it is built.

The sample site is built twice, from two copies of the project in different folders, with
the build clock MkDocs reads (SOURCE_DATE_EPOCH) set to different days and the wall clock
in a different second: any date, time, path or random id that leaks into the output shows
up as a file that differs.
"""

from __future__ import annotations

import difflib
import shutil
import time
from pathlib import Path

import pytest

from conftest import build_site, copy_sample_project

pytestmark = pytest.mark.slow

# Files allowed to differ for now, each with the reason and who is fixing it. Keep it empty.
KNOWN_DIFFERENCES: dict[str, str] = {}


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def describe(path: str, a: bytes, b: bytes) -> str:
    """The first differing lines of a text file, or the first differing byte offset."""
    try:
        lines_a, lines_b = a.decode().splitlines(), b.decode().splitlines()
    except UnicodeDecodeError:
        offset = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        return f"{path}: bytes differ from offset {offset}"
    diff = [line for line in difflib.unified_diff(lines_a, lines_b, lineterm="", n=0)
            if not line.startswith(("---", "+++"))]
    return f"{path}:\n    " + "\n    ".join(line[:200] for line in diff[:6])


def differences(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    found = [f"{path}: only in the first build" for path in sorted(first.keys() - second.keys())]
    found += [f"{path}: only in the second build" for path in sorted(second.keys() - first.keys())]
    found += [describe(path, first[path], second[path])
              for path in sorted(first.keys() & second.keys())
              if first[path] != second[path] and path not in KNOWN_DIFFERENCES]
    return found


def wait_for_next_second() -> None:
    # So that anything stamped with the time in seconds (gzip headers, say) differs.
    start = int(time.time())
    while int(time.time()) == start:
        time.sleep(0.05)


def test_two_builds_of_the_same_input_are_byte_identical(tmp_path, monkeypatch):
    project_a = copy_sample_project(tmp_path / "a" / "project")
    project_b = tmp_path / "elsewhere" / "b" / "project"
    shutil.copytree(project_a, project_b)  # from the copy: the very same input
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    build_site(project_a, tmp_path / "a" / "site")
    wait_for_next_second()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # 2027-01-15
    build_site(project_b, tmp_path / "b-site")

    first, second = tree(tmp_path / "a" / "site"), tree(tmp_path / "b-site")
    assert "index.html" in first and len(first) > 10  # a real site, not two empty folders
    found = differences(first, second)
    assert not found, "the two builds differ:\n" + "\n".join(found)


def test_the_comparison_reports_a_differing_file_by_path():
    # The test above can fail: a single changed byte is named with its path.
    first = {"index.html": b"<p>built 10:00</p>\n", "a.gz": b"\x1f\x8b\x00"}
    second = {"index.html": b"<p>built 10:01</p>\n", "a.gz": b"\x1f\x8b\x01", "new": b""}
    found = differences(first, second)
    assert found[0] == "new: only in the second build"
    assert found[1] == "a.gz: bytes differ from offset 2"
    assert found[2].startswith("index.html:") and "built 10:01" in found[2]
