"""Site search with Pagefind: index a built site folder so readers can search it.

Material's own search makes every reader download the whole index on their first page view
(megabytes at a few thousand articles). Pagefind splits the index into small chunks: the
reader's browser fetches nothing until they search, then only the chunks their words need.

What gets indexed is decided by the templates: the article partial marks its title, byline,
tags and text with `data-pagefind-body`. Once any page of a site carries that attribute,
Pagefind skips every page that does not, so home, tag, author and archive listings never
flood the results. A site with no article at all would have no such page and Pagefind would
then index everything, so the caller skips indexing when no article was published.

Pagefind runs as its own program (the `pagefind_bin` wheel ships it); this module only
builds its command line and turns its failures into plain messages. No MkDocs here.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .pagefind_bundle import UnknownFormat, normalize_bundle

BUNDLE_DIR = "pagefind"
"""Where the search bundle (index, Pagefind's JS and CSS) goes inside the site folder."""

SEARCH_PAGE_SOURCE = "search.md"
"""The search page, as a source path: published at /search/ (or search.html)."""

TIMEOUT_SECONDS = 600
"""Pagefind indexes thousands of pages in seconds; this only stops a hung process."""

PART_SIZE = 400
"""Articles Pagefind indexes at once, at least (the `search_part_size` option)."""
MAX_PARTS = 4
"""Parts of the index at most, whatever the site's size."""
PARTS_FILE = "parts.json"
"""In the bundle: the folders of the index's other parts, for the search page to merge."""


# The index in parts: Pagefind holds every page it indexes in memory until it writes the
# bundle, about 150 KB per 700-word article (4,250 articles: 643 MB, four times what MkDocs
# itself needs to build them). Indexed in parts of at least `part_size` articles, at most
# MAX_PARTS of them, its memory stays about the build's own; the search page merges the
# parts (Pagefind's multisite search: one result list ranked by score, filter counts
# added up, its search program fetched once), at the price of a few more small requests
# per part (its entry, metadata and filter files). Parts are counted from the oldest
# article, as listing pages are: an edit or a new article changes one part, and a warm
# build indexes only that one.
def plan_parts(pages: list, part_size: int = PART_SIZE) -> list[list]:
    """`pages` (oldest first) in the parts Pagefind indexes one at a time: runs of a size
    that is a multiple of a quarter of `part_size` (so that it changes seldom as articles
    are added) and at least `part_size`."""
    step = max(1, part_size // 4)
    size = max(part_size, step * math.ceil(len(pages) / (MAX_PARTS * step)))
    return [pages[start:start + size] for start in range(0, len(pages), size)]


def part_folder(number: int) -> str:
    """Where part `number` (from 1) goes inside the bundle: the first is the bundle itself
    (the search page loads Pagefind's UI from it), the others are folders inside it."""
    return "" if number == 1 else f"part-{number}"


def is_part_folder(name: str) -> bool:
    return re.fullmatch(r"part-[0-9]+", name) is not None


def write_parts_file(bundle: str | os.PathLike, parts: int) -> None:
    """Name the other parts' folders (relative to the bundle) for the search page."""
    merged = [part_folder(number) + "/" for number in range(2, parts + 1)]
    Path(bundle, PARTS_FILE).write_text(json.dumps({"merge": merged}), encoding="utf-8")


def search_view(page_url: str, strings: dict) -> dict:
    """What the header button and the search page show (raw text: templates escape it)."""
    return {
        "page": page_url,
        "bundle": BUNDLE_DIR + "/",
        "label": strings["search"],
        "needs_js": strings["search_needs_js"],
        "not_ready": strings["search_not_ready"],
    }


class SearchIndexError(RuntimeError):
    """Indexing failed; the message says why and what to do."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    """How many pages are in the index (all languages)."""
    warnings: str
    """Whatever Pagefind printed as warnings (empty when all went well)."""
    not_reproducible: str = ""
    """Why the bundle could not be made byte-identical across builds (empty: it was)."""
    parts: int = 1
    """Parts of the index (see plan_parts)."""
    parts_kept: int = 0
    """Parts kept from the previous build: they were made from the same pages."""

    @property
    def kept(self) -> bool:
        """The previous build's bundle was kept whole."""
        return self.parts_kept == self.parts


def pagefind_executable() -> Path:
    """The Pagefind program: PAGEFIND_BINARY_PATH if set, else the one the wheel ships."""
    explicit = os.environ.get("PAGEFIND_BINARY_PATH")
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise SearchIndexError(f"PAGEFIND_BINARY_PATH={explicit}: no such file — "
                                   "unset it to use the Pagefind that Broadsheet installs")
        return path
    try:
        from pagefind_bin import get_executable
        return Path(get_executable())
    except (ImportError, FileNotFoundError):
        found = shutil.which("pagefind")
        if found:
            return Path(found)
    raise SearchIndexError("the search indexer (Pagefind) is not installed — run `make setup`, "
                           "or `pip install 'pagefind[bin]'` in Broadsheet's environment")


def indexer_identity() -> str:
    """Which Pagefind indexes: its path, size and time (a new version is another file)."""
    path = pagefind_executable()
    status = path.stat()
    return f"{path}:{status.st_size}:{status.st_mtime_ns}"


def pagefind_command(site_dir: Path, output_dir: Path) -> list[str]:
    return [str(pagefind_executable()), "--site", str(site_dir),
            "--output-path", str(output_dir), "--quiet"]


_GLOB_SPECIAL = re.compile(r"[?*$:<>()\[\]{},]")


def pages_glob(pages: list[str]) -> str:
    """A Pagefind glob matching these site paths and no other file. Pagefind's globs have
    no escape for a backslash (settings.check_url_format keeps it out of article paths)."""
    if not pages:
        raise SearchIndexError("no page to index in this part of the index")
    unmatchable = next((page for page in pages if "\\" in page), None)
    if unmatchable is not None:
        raise SearchIndexError(f"{unmatchable}: Pagefind cannot select a page whose path "
                               "holds '\\' — use '/' between the parts of its address")
    escaped = (_GLOB_SPECIAL.sub(lambda special: "\\" + special.group(0), page)
               for page in pages)
    return "{" + ",".join(escaped) + "}"


def index_site(site_dir: str | os.PathLike, output_dir: str | os.PathLike | None = None,
               background: bool = False, pages: list[str] | None = None) -> IndexReport:
    """Index the built site in `site_dir`; the bundle goes to `site_dir/pagefind` unless
    `output_dir` says otherwise. Raises SearchIndexError with Pagefind's own explanation.
    `background`: on one core, at low priority (a preview's re-index must not slow down the
    rebuild after the next save). `pages`: only these pages of the site (site paths), for
    one part of an index (plan_parts)."""
    site_dir = Path(site_dir).resolve()
    output = Path(output_dir).resolve() if output_dir else site_dir / BUNDLE_DIR
    if not site_dir.is_dir():
        raise SearchIndexError(f"{site_dir}: no such folder to index")
    # Pagefind reads its settings from a config file in its working folder: a private one,
    # so that a pagefind.yml published with the site changes nothing. A part's pages go in
    # that file as a glob (one alternative per page): a part of 1,250 pages makes a glob of
    # up to 125 KB, too long for one command-line argument, and a folder of links to them,
    # made afresh, took 0.3 s of a 5 s build at 1,000 articles.
    with tempfile.TemporaryDirectory(prefix="broadsheet-pagefind-") as working_dir:
        if pages is not None:
            Path(working_dir, "pagefind.json").write_text(
                json.dumps({"glob": pages_glob(pages)}), encoding="utf-8")
        return _run_pagefind(site_dir, output, background, cwd=Path(working_dir))


def _run_pagefind(site_dir: Path, output: Path, background: bool, cwd: Path) -> IndexReport:
    command = pagefind_command(site_dir, output)
    extra = {}
    if background:
        extra = {"env": dict(os.environ, RAYON_NUM_THREADS="1")}
        # `nice` rather than a preexec_fn, which is unsafe in the threaded preview server.
        nice = shutil.which("nice")
        if nice:
            command = [nice, "-n", "10", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                                timeout=TIMEOUT_SECONDS, cwd=cwd, **extra)
    except subprocess.TimeoutExpired as err:
        raise SearchIndexError(f"Pagefind did not finish within {TIMEOUT_SECONDS} s") from err
    except OSError as err:
        raise SearchIndexError(f"could not run Pagefind ({command[0]}): {err.strerror} — "
                               "reinstall it with `make setup`") from err
    messages = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind failed (exit {result.returncode}): "
                               f"{messages or 'no message'}")
    pages = indexed_pages(output)
    try:
        normalize_bundle(output)
        not_reproducible = ""
    except UnknownFormat as err:
        not_reproducible = str(err)
    return IndexReport(pages=pages, warnings=messages, not_reproducible=not_reproducible)


def link_or_copy(source: str | os.PathLike, target: str | os.PathLike) -> None:
    """A hard link to `source` at `target`; a copy where links cannot be made (another file
    system, say)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def link_pages(folder: str | os.PathLike, pages) -> None:
    """Put `pages`, (site path, file) pairs, in `folder` at their site paths, as hard links
    (copies where links cannot be made): a folder shaped like the site for Pagefind, which
    makes each page's address from its path."""
    for dest_uri, source in pages:
        target = os.path.join(folder, dest_uri)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        link_or_copy(source, target)


def index_whole_site(site_dir: str | os.PathLike, output_dir: str | os.PathLike | None = None,
                     background: bool = False) -> IndexReport:
    """index_site() into a bundle of one part (what a build writes when it could not index
    its article pages by themselves, and what a preview writes)."""
    output = Path(output_dir) if output_dir else Path(site_dir) / BUNDLE_DIR
    shutil.rmtree(output, ignore_errors=True)  # Pagefind would keep the old files
    report = index_site(site_dir, output, background=background)
    write_parts_file(output, 1)
    return report


def indexed_pages(bundle_dir: Path) -> int:
    """Pages in a written bundle, read from Pagefind's entry file."""
    try:
        entry = json.loads((bundle_dir / "pagefind-entry.json").read_text(encoding="utf-8"))
        return sum(int(lang.get("page_count", 0)) for lang in entry["languages"].values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise SearchIndexError(f"{bundle_dir}: Pagefind wrote no readable index ({err})") from err


def replace_bundle(site_dir: Path, staged: Path) -> None:
    """Move a bundle built in `staged` (a folder inside a private temporary folder on the
    same disk) to `site_dir/pagefind`, swapping whole folders so that a reader never sees
    half an index. The previous bundle is left beside `staged` for the caller to delete."""
    target = site_dir / BUNDLE_DIR
    if target.exists():
        target.rename(staged.parent / "previous")
    staged.rename(target)


class DebouncedIndexer:
    """Re-indexes the preview site in the background, a moment after the last rebuild.

    `mkdocs serve` rebuilds the site on every save; indexing inside the build would add
    Pagefind's time (about a second per thousand articles) to every save→reload. Instead a
    finished rebuild (re)starts a short timer; when it fires, Pagefind indexes into a folder
    beside the site and the bundle is swapped in whole. A rebuild that starts meanwhile wins:
    the result is dropped (the folder was being emptied under Pagefind) and that rebuild
    schedules a fresh run. Failures are reported, never raised: the preview goes on.
    """

    def __init__(self, site_dir: str | os.PathLike, report, delay: float = 1.0):
        self.site_dir = Path(site_dir)
        self.report = report  # report(message: str, ok: bool)
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._building = False
        self._running = False
        self._again = False
        self._stopped = False
        self._parts: list[list[str]] | None = None

    def serves(self, site_dir: str | os.PathLike) -> bool:
        return self.site_dir == Path(site_dir)

    def build_started(self) -> None:
        """Call before the site folder is cleaned: no bundle is swapped in until the build
        has finished and called schedule()."""
        with self._lock:
            self._building = True
            if self._timer is not None:
                self._timer.cancel()

    def schedule(self, parts: list[list[str]] | None = None) -> None:
        """Call when a build has finished writing the site. `parts`: the article pages to
        index (site paths) in the parts a build would make (see plan_parts), so that Pagefind
        needs no more memory in a preview than in a build; None, or one part: whatever page
        of the site is marked for Pagefind, in one run."""
        with self._lock:
            self._parts = parts
            self._building = False
            if self._stopped:
                return
            if self._running:
                self._again = True
                return
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.delay, self._run)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._timer is not None:
                self._timer.cancel()

    def _run(self) -> None:
        with self._lock:
            if self._stopped or self._building:
                return
            self._running, self._again = True, False
        try:
            self._index_once()
        finally:
            with self._lock:
                self._running = False
                again = self._again and not self._stopped and not self._building
        if again:
            self.schedule(self._parts)  # the parts the save during this run asked for

    def _index_once(self) -> None:
        staging = Path(tempfile.mkdtemp(prefix=".broadsheet-pagefind-", dir=self.site_dir.parent))
        message = None
        with self._lock:
            parts = self._parts
        try:
            report = self._index_into(staging, parts)
            with self._lock:
                if self._building or self._stopped:
                    return  # the site changed under Pagefind; the new build re-schedules
                replace_bundle(self.site_dir, staging / BUNDLE_DIR)
            in_parts = f" in {report.parts} parts" if report.parts > 1 else ""
            message = (f"search index updated ({report.pages} page(s){in_parts})", True)
        except (SearchIndexError, OSError) as err:
            if not self._building:  # else a rebuild emptied the folder: a new run follows
                message = (f"search index not updated: {err}", False)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if message:
            self.report(*message)

    def _index_into(self, staging: Path, parts: list[list[str]] | None) -> IndexReport:
        """The bundle in staging/pagefind: one run over the site, or one per part over a
        folder of links to the article pages (a rebuild that replaces a page meanwhile does
        not change what Pagefind reads; it drops the result anyway)."""
        bundle = staging / BUNDLE_DIR
        if not parts or len(parts) < 2:
            return index_whole_site(self.site_dir, bundle, background=True)
        pages = staging / "pages"
        link_pages(pages, ((uri, self.site_dir / uri) for part in parts for uri in part))
        reports = [index_site(pages, bundle / part_folder(number), background=True, pages=uris)
                   for number, uris in enumerate(parts, 1)]
        write_parts_file(bundle, len(parts))
        return IndexReport(pages=sum(r.pages for r in reports),
                           warnings="\n".join(r.warnings for r in reports if r.warnings),
                           parts=len(parts))
