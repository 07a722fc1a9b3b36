"""scripts/bench.py runs end to end on a tiny corpus (the numbers themselves are measured
with `make bench`, never asserted in tests)."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

from conftest import REPO
from sitekit import env

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bench")]


def test_the_benchmark_builds_every_variant_and_measures_the_editor_s_loop(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "bench.py"), "--articles", "12", "--runs", "1",
         "--words", "80", "--hugo", "--serve", "--workdir", str(tmp_path / "bench")],
        env=env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    for row in ("floor", "broadsheet", "hugo", "broadsheet (warm cards)"):
        assert re.search(rf"^\| {re.escape(row)} \| [\d.]+ s \| [\d.]+× \| [\d.]+ ms \| "
                         r"\d+ MB \| [\d.]+× \| [1-9]\d* MB \| [\d.]+× \|$", out, re.M), out
    assert re.search(r"`broadsheet check`: [\d.]+ s", out)
    assert re.search(r"from nothing: [\d.]+ s; again after editing one article "
                     r"\(warm, median of 3\): [\d.]+ s", out)
    assert re.search(r"dirty rebuilds kept correct\) [\d.]+ s", out)
    assert re.search(r"`hugo server` [\d.]+ s", out)
    assert re.search(r"Hugo builds all of it from nothing in [\d.]+ s", out)
    # Hugo's site holds the article pages (articles/<year>/…), not only its lists.
    hugo_articles = tmp_path / "bench" / "hugo" / "public" / "articles"
    pages = [p for p in hugo_articles.glob("20*/**/index.html") if "/page/" not in p.as_posix()]
    assert pages and all("<article><h1>" in p.read_text(encoding="utf-8") for p in pages)
    assert re.search(r"every listing updated \(median of 3\): [\d.]+ s", out)
    # The articles the loops added were removed again: the corpus is as generated.
    docs = tmp_path / "bench" / "broadsheet" / "docs" / "articles"
    assert not list(docs.rglob("bench-new-article-*.md"))


def test_memory_of_processes_side_by_side_is_added_up():
    """A process holding 100 MB that runs another holding 100 MB (as a build runs Pagefind):
    all processes at once count both blocks, the largest process only one."""
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    hold = "import time\nblock = bytearray(100 * 2**20)\ntime.sleep(1.5)\n"
    program = (hold + "import subprocess, sys\n"
               f"subprocess.run([sys.executable, '-c', {hold!r}], check=True)\n")
    process = subprocess.Popen([sys.executable, "-c", program])
    memory = bench.TreeMemory(process.pid)
    _, status, usage = os.wait4(process.pid, 0)
    together, largest = memory.stop(), usage.ru_maxrss / 1024
    assert status == 0
    # Each holds its block (100 MB) and an interpreter (tens of MB, less counted in PSS).
    assert 100 < largest < 180 and 190 < together < largest + 150, (largest, together)
