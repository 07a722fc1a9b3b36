#!/usr/bin/env python3
"""How many bytes a reader's browser fetches to search, at N articles.

    .venv/bin/python scripts/search_bytes.py [--articles 1000 5000] [--query WORDS ...]
        [--material] [--keep DIR]

For each N: writes a corpus (scripts/generate_corpus.py), builds it with the repo's
mkdocs.yml and templates, serves the site on 127.0.0.1, opens the search page in headless
Chromium (Debian's /usr/bin/chromium), types each query as a reader would, and adds up the
responses: the bytes the local server sends (status line, headers and body, counted at the
server so that requests from Pagefind's web worker count too; no HTTP compression, so JS and
CSS count at full size while Pagefind's index files are gzip-compressed by Pagefind itself). It reports:

- an article page: what every reader pays for search on every page view (nothing);
- the search page before typing (Pagefind's UI script and styles, no index);
- each query: everything fetched from the first keystroke until the results are shown
  (the first query also loads Pagefind's engine; later ones only index chunks and excerpts);
- the whole bundle on disk, which no reader downloads;
- with --material, the size of the search_index.json that Material's own search plugin would
  make every reader download on their first page view, for comparison.

Numbers, not a test: nothing here asserts a size.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from broadsheet.quality.serve import running

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
NOW = "2026-11-27"
DEFAULT_QUERIES = ["harbour", "central banks", "arctic shipping"]


def load_corpus_generator():
    spec = importlib.util.spec_from_file_location("generate_corpus",
                                                  REPO / "scripts" / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate_corpus


def write_project(root: Path, articles: int, material_search: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if material_search:
        config = config.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "templates", root / "templates")
    load_corpus_generator()(root / "docs", articles, now=NOW)
    return root


def build(project: Path, site: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=NOW)
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file",
                             str(project / "mkdocs.yml"), "--site-dir", str(site)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - start


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class Meter:
    """Counts what the local server sends, per request, in the order the requests end."""

    def __init__(self):
        self.log: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    def record(self, path: str, size: int) -> None:
        with self.lock:
            self.log.append((path.lstrip("/"), size))

    def mark(self) -> int:
        with self.lock:
            return len(self.log)

    def since(self, mark: int) -> tuple[int, list[tuple[str, int]]]:
        with self.lock:
            entries = self.log[mark:]
        return sum(size for _, size in entries), entries


class _CountingWriter:
    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def write(self, data):
        self.count += len(data)
        return self.raw.write(data)

    def __getattr__(self, name):
        return getattr(self.raw, name)


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.0 (the default): one request per connection, so a connection's bytes are one
    # response's.
    meter: Meter

    def setup(self):
        super().setup()
        self.wfile = _CountingWriter(self.wfile)

    def finish(self):
        super().finish()
        if getattr(self, "path", None):
            self.meter.record(self.path, self.wfile.count)

    def log_message(self, *args):
        pass


def serve(site: Path, meter: Meter):
    """A context manager: the site served uncompressed, every response counted by `meter`."""
    handler = type("Handler", (_CountingHandler,), {"meter": meter})
    return running(functools.partial(handler, directory=str(site)))


def settle(page) -> None:
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)  # let the UI render, and the server log, the last response


def measure(site: Path, queries: list[str], verbose: bool = False, browser=None) -> dict:
    """The numbers for one built site; `browser` is a Playwright browser to use (tests pass
    theirs), else Chromium is started here."""
    if browser is None:
        from playwright.sync_api import sync_playwright
        with sync_playwright() as playwright:
            own = playwright.chromium.launch(executable_path=CHROMIUM,
                                             args=["--headless=new", "--no-sandbox"])
            try:
                return measure(site, queries, verbose, own)
            finally:
                own.close()

    meter = Meter()
    server = contextlib.ExitStack()
    base = server.enter_context(serve(site, meter))
    report: dict = {}
    context = browser.new_context()
    try:
        page = context.new_page()

        article = next(p for p in sorted(site.glob("[0-9]*/**/index.html")))
        mark = meter.mark()
        page.goto(base + article.parent.relative_to(site).as_posix() + "/")
        settle(page)
        _, entries = meter.since(mark)
        report["article page: search bytes"] = sum(
            size for url, size in entries if "pagefind" in url or "search" in url)

        mark = meter.mark()
        page.goto(base + "search/")
        page.wait_for_selector(".pagefind-ui__search-input")
        settle(page)
        total, entries = meter.since(mark)
        report["search page, before typing: pagefind files"] = sum(
            size for url, size in entries if url.startswith("pagefind/"))
        report["search page, before typing: index chunks"] = sum(
            size for url, size in entries if url.startswith(("pagefind/index/",
                                                             "pagefind/fragment/")))
        report["search page, before typing: whole page"] = total

        box = page.locator(".pagefind-ui__search-input")
        for number, query in enumerate(queries, 1):
            box.fill("")
            mark = meter.mark()
            box.press_sequentially(query, delay=60)
            page.wait_for_function(
                "q => (document.querySelector('.pagefind-ui__message') || {}).textContent"
                "?.includes(q)", arg=query)
            settle(page)
            total, entries = meter.since(mark)
            shown = page.locator(".pagefind-ui__message").inner_text()
            report[f"query {number} {query!r} ({shown})"] = total
            if verbose:
                for url, size in entries:
                    print(f"      {size:>9,}  {url}")
    finally:
        context.close()
        server.close()
    report["pagefind bundle on disk (never downloaded whole)"] = folder_bytes(site / "pagefind")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--query", nargs="+", default=DEFAULT_QUERIES)
    parser.add_argument("--material", action="store_true",
                        help="also build with Material's search plugin to compare")
    parser.add_argument("--keep", type=Path, help="build into this folder and leave it")
    parser.add_argument("--verbose", action="store_true", help="list every response")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        sys.exit(f"Chromium not found at {CHROMIUM} (make system-deps)")

    work = args.keep or Path(tempfile.mkdtemp(prefix="broadsheet-search-bytes-"))
    try:
        for count in args.articles:
            project = write_project(work / f"n{count}", count)
            seconds = build(project, project / "site")
            print(f"\n{count} articles (build {seconds:.0f} s)")
            for label, size in measure(project / "site", args.query, args.verbose).items():
                print(f"  {size:>12,} B  {label}")
            if args.material:
                other = write_project(work / f"n{count}-material", count, material_search=True)
                build(other, other / "site")
                index = other / "site" / "search" / "search_index.json"
                print(f"  {index.stat().st_size:>12,} B  Material's search_index.json, for "
                      "comparison (every reader, first page view)")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
