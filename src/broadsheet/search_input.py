"""What Pagefind reads in a build: each article page cut down to the part it indexes.

An article page is about 40 KB, three quarters of it Material's header, navigation, table of
contents, footer and the share widget's icons. Pagefind parses all of it to find what it
uses: the `data-pagefind-*` attributes (the article's text, its filters), the page's
language, the first `<h1>` (a result's title) and the first `<img>` after it (its image).
Fed pages cut down to that, Pagefind writes the same bundle byte for byte
(tests/test_search_input.py indexes the sample site both ways) in three quarters of the time
(5,000 articles: 6.3 s → 4.6 s here).

The article template marks the part with INDEX_START and INDEX_END. A page is cut only when
everything Pagefind reads is between the marks, or is the one image after them; otherwise
(a template without the marks, a filter in the page's head…) Pagefind reads the page whole.

The cut-down pages are kept across builds in a folder shaped like the site (Pagefind makes a
page's address from its path), with a manifest naming the site page (inode, size, mtime)
each one was cut from and a digest of it: a warm build, which renders a few article pages
again, writes only those, and creating the 4,000 folders of a snapshot per build (half a
second on this disk) is gone. One build at a time owns the folder (a lock); another build
of the same project meanwhile gives Pagefind a snapshot of whole pages, as before. While a
build owns it the manifest is removed, so a build that stops half-way leaves a folder that
the next one does not trust.

index_articles() runs Pagefind on a snapshot, part by part when the site is indexed in parts
(search.plan_parts; each part reads its own pages of the snapshot, named by a glob), and
keeps each part the last build left when it was made from the same cut pages, the same
Pagefind and the same Broadsheet.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from . import atomic, search

try:
    import fcntl
except ImportError:  # not on POSIX: every build reads a snapshot of whole pages
    fcntl = None

INDEX_START = "<!-- search-index:start -->"
INDEX_END = "<!-- search-index:end -->"
"""The marks around an article page's indexed part (templates/partials/article.html)."""

CUT_FORMAT = 2
"""Changes whenever what cut_down returns changes: older cut-down pages are not trusted."""

MANIFEST = "manifest.json"
TREE = "pages"
LOCK = "lock"
OLD_PARTS = "parts"
"""Folders of links to each part's pages, which earlier versions kept here."""

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_TITLE = re.compile(r"<title>.*?</title>", re.IGNORECASE | re.DOTALL)
_IMG_TAG = re.compile(r"""<img(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""",
                      re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_READ_ANYWHERE = ("data-pagefind", "<h1")
"""What Pagefind reads wherever it is on a page: outside the marks, the page is not cut."""
_RAW_TEXT = re.compile(r"<(script|style|textarea|title)\b.*?</\1\s*>",
                       re.IGNORECASE | re.DOTALL)
_IMG_START = re.compile(r"<img[\s/>]", re.IGNORECASE)
_HIDES_IMAGES = re.compile(r"<(?:!--|script|style|template|noscript|textarea|title|xmp|iframe"
                           r"|noembed|noframes|plaintext)", re.IGNORECASE)
"""Left in markup once comments and raw text are gone: where an "<img" may not be an image,
or an image not look like "<img" (an unclosed comment, a noscript, a template…)."""


def cut_down(page_html: str) -> str | None:
    """The page reduced to what Pagefind reads (a document of its own), or None when it
    cannot be reduced without changing what Pagefind would index."""
    start = page_html.find(INDEX_START)
    end = page_html.find(INDEX_END)
    if (start < 0 or end < start or page_html.find(INDEX_START, start + 1) >= 0
            or page_html.find(INDEX_END, end + 1) >= 0):
        return None
    before, part, after = (page_html[:start], page_html[start + len(INDEX_START):end],
                           page_html[end + len(INDEX_END):])
    html_tag = _HTML_TAG.search(before)
    if html_tag is None:
        return None
    outside = (before[:html_tag.start()] + before[html_tag.end():]).lower()
    lowered_after = after.lower()
    if any(mark in outside or mark in lowered_after for mark in _READ_ANYWHERE):
        return None
    markup = _markup_only(part)
    heading = markup.lower().find("<h1")
    if heading < 0:
        return None  # the result's title is the page's first h1: it must be in the part
    image = _first_image(markup[heading:])
    if image is None:
        return None
    if image:
        image = ""  # the result's image is the first img after the h1: this one, in the part
    else:
        # None in the part after the h1: the first one after the part (the author's avatar,
        # say), which goes in as it is.
        image = _first_image(_markup_only(after))
        if image is None:
            return None
    title = _TITLE.search(before)
    return (f'<!doctype html>{html_tag.group(0)}<head><meta charset="utf-8">'
            f'{title.group(0) if title else ""}</head><body>{part}{image}</body></html>')


def _first_image(markup: str) -> str | None:
    """The first img tag of `markup` (see _markup_only; "" if it has none), or None when
    that cannot be told without parsing it."""
    found = _IMG_START.search(markup)
    if _HIDES_IMAGES.search(markup, 0, found.start() if found else len(markup)):
        return None
    if found is None:
        return ""
    tag = _IMG_TAG.match(markup, found.start())
    return tag.group(0) if tag else None  # an img whose end cannot be told


def _markup_only(html: str) -> str:
    """`html` without comments, scripts, styles, text areas and titles: what they hold is
    not markup."""
    return _RAW_TEXT.sub(" ", _COMMENT.sub(" ", html))


class IndexInput:
    """The folder Pagefind reads in a build. A build calls start_build(), page_written() for
    each article page it renders (with its final HTML; or cut() in a process forked from
    the build and page_cut() in the build), snapshot() once every article page is on disk,
    and finish() when Pagefind is done or the build failed."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = os.fspath(folder)
        self.tree = os.path.join(self.folder, TREE)
        self._lock: int | None = None
        self._known: dict[str, list] = {}
        self._written: dict[str, str | None] = {}
        """dest_uri -> digest of the cut-down page written this build (None: not cut)."""
        self._temporary: list[str] = []
        """Folders of whole pages made while another build owns the folder (finish() goes)."""
        self.uncut = 0
        """Article pages the last snapshot() gave whole because they could not be cut."""
        self.digests: dict[str, str | None] = {}
        """dest_uri -> digest of the cut-down page the last snapshot holds (None: not known,
        the page is whole): the same digests, the same input for Pagefind."""

    @property
    def owned(self) -> bool:
        return self._lock is not None

    def start_build(self) -> None:
        self.finish()
        self._written = {}
        self._known = {}
        if fcntl is None:
            return
        try:
            os.makedirs(self.folder, exist_ok=True)
            lock = os.open(os.path.join(self.folder, LOCK), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError:
            return
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)  # another build owns the folder
            return
        self._lock = lock
        self._known = self._load_manifest()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(self.folder, MANIFEST))  # in flux until snapshot() ends
        if not self._known:
            shutil.rmtree(self.tree, ignore_errors=True)  # left by a build that stopped
        # Links to pages a later build replaces would keep their old files on disk.
        shutil.rmtree(os.path.join(self.folder, OLD_PARTS), ignore_errors=True)

    def page_written(self, dest_uri: str, page_html: str) -> None:
        """Note the final HTML of an article page this build renders."""
        if self.owned:
            self.page_cut(dest_uri, self.cut(dest_uri, page_html))

    def cut(self, dest_uri: str, page_html: str) -> str | None:
        """Write the cut-down page of an article page this build renders; its digest (None:
        the page cannot be cut). For a process forked from the build's, which renders some
        of its pages: the build notes the result with page_cut(). Writes nothing unless this
        build owns the folder."""
        if not self.owned:
            return None
        part = cut_down(page_html)
        if part is None:
            return None  # snapshot() links the page itself
        known = self._known.get(dest_uri)
        return _store(part, os.path.join(self.tree, dest_uri), known[3] if known else None)

    def page_cut(self, dest_uri: str, digest: str | None) -> None:
        """Note what cut() gave for an article page this build renders."""
        if self.owned:
            self._written[dest_uri] = digest

    def snapshot(self, pages: list[tuple[str, str]]) -> str:
        """The folder for Pagefind: for each (site-relative path, absolute path) of an
        article page on disk, its cut-down page, or the page itself when it cannot be cut.
        Only these pages: those of articles gone since the last build are removed."""
        self.uncut, self.digests = 0, {}
        if not self.owned:
            self.digests = dict.fromkeys((dest_uri for dest_uri, _ in pages), None)
            return self._temporary_folder(pages)
        manifest: dict[str, list] = {}
        for dest_uri, page_path in pages:
            status = os.stat(page_path)
            identity = [status.st_ino, status.st_size, status.st_mtime_ns]
            target = os.path.join(self.tree, dest_uri)
            known = self._known.get(dest_uri)
            if dest_uri in self._written:
                digest = self._written[dest_uri]
                if digest is None:
                    _replace_with_link(page_path, target)
            elif (known is not None and known[:3] == identity
                  and _in_place(target, known[3], status)):
                digest = known[3]
            else:
                digest = self._cut_from(page_path, target)
                if digest is None:
                    _replace_with_link(page_path, target)
            manifest[dest_uri] = [*identity, digest]
            self.uncut += digest is None
        for dest_uri in self._known.keys() - manifest.keys():
            _remove(self.tree, dest_uri)
        self._written, self._known = {}, {}
        self.digests = {uri: entry[3] for uri, entry in manifest.items()}
        atomic.write_bytes(os.path.join(self.folder, MANIFEST), json.dumps(
            {"format": CUT_FORMAT, "pages": manifest}, separators=(",", ":")).encode("utf-8"))
        return self.tree

    def finish(self) -> None:
        """Let go of the folder (Pagefind is done with it, or the build failed)."""
        for folder in self._temporary:
            shutil.rmtree(folder, ignore_errors=True)
        self._temporary = []
        if self._lock is not None:
            os.close(self._lock)  # and with it the lock
            self._lock = None

    def _temporary_folder(self, pages) -> str:
        """A temporary folder shaped like the site holding `pages` (site path, file)."""
        folder = tempfile.mkdtemp(prefix="broadsheet-index-")
        self._temporary.append(folder)
        search.link_pages(folder, pages)
        return folder

    def _cut_from(self, page_path: str, target: str) -> str | None:
        with open(page_path, encoding="utf-8") as source:
            part = cut_down(source.read())
        return None if part is None else _store(part, target)

    def _load_manifest(self) -> dict[str, list]:
        try:
            with open(os.path.join(self.folder, MANIFEST), encoding="utf-8") as source:
                data = json.load(source)
            if data.get("format") == CUT_FORMAT and isinstance(data.get("pages"), dict):
                return data["pages"]
        except (OSError, ValueError, AttributeError):
            pass
        return {}


def index_articles(index_input: IndexInput, pages: list[tuple[str, str]], bundle: str,
                   previous: dict[str, str], versions,
                   part_size: int = search.PART_SIZE) -> tuple[search.IndexReport, dict]:
    """Index the article pages (see snapshot(); oldest first) into the folder `bundle`, in
    parts (search.plan_parts), keeping each part the last build left there when it was made
    from the very same input: `previous` is what that build recorded, part folder -> what
    it was made from. Returns the report and the same record for this bundle. `versions`:
    whatever else shapes a bundle (Broadsheet's code, say)."""
    try:
        with _preparing(index_input):
            snapshot = index_input.snapshot(pages)
        parts = search.plan_parts([dest_uri for dest_uri, _ in pages], part_size)
        identity = search.indexer_identity()
        folders = [search.part_folder(number) for number in range(1, len(parts) + 1)]
        made_from = {folder: _made_from(uris, index_input.digests, identity, versions)
                     for folder, uris in zip(folders, parts)}
        # Pagefind would write the same part again, byte for byte: when its articles show it
        # what they showed the last build (a changed template or listing, an edited author's
        # box, an edit to an article of another part), that build's part is kept.
        kept: dict[str, int] = {}
        for folder in folders:
            if made_from[folder] and made_from[folder] == previous.get(folder):
                with contextlib.suppress(search.SearchIndexError):
                    kept[folder] = search.indexed_pages(Path(bundle, folder))
        _clear_bundle(bundle, keep=[folder for folder in folders[1:] if folder in kept],
                      primary_kept="" in kept)
        reports = [search.index_site(snapshot, os.path.join(bundle, folder),
                                     pages=uris if len(parts) > 1 else None)
                   for folder, uris in zip(folders, parts) if folder not in kept]
        search.write_parts_file(bundle, len(parts))
        report = search.IndexReport(
            pages=sum(kept.values()) + sum(r.pages for r in reports),
            warnings="\n".join(r.warnings for r in reports if r.warnings),
            not_reproducible=next((r.not_reproducible for r in reports
                                   if r.not_reproducible), ""),
            parts=len(parts), parts_kept=len(kept))
        return report, {folder: made for folder, made in made_from.items() if made}
    finally:
        index_input.finish()


@contextlib.contextmanager
def _preparing(index_input: IndexInput):
    """Failures to write the pages for Pagefind, as a plain message."""
    try:
        yield
    except OSError as err:
        raise search.SearchIndexError(
            f"could not prepare the pages to index in {index_input.folder} "
            f"({err.strerror or err}) — check that this folder is writable and its disk "
            "not full") from err


def _made_from(uris: list[str], digests: dict[str, str | None], identity: str,
               versions) -> str:
    """What a part of the index is made from, as one digest ("" when a page is whole)."""
    pages = [(uri, digests.get(uri)) for uri in uris]
    if any(digest is None for _, digest in pages):
        return ""
    return hashlib.blake2b(repr((CUT_FORMAT, pages, identity, versions)).encode("utf-8"),
                           digest_size=16).hexdigest()


def _clear_bundle(bundle: str, keep: list[str], primary_kept: bool) -> None:
    """Empty the bundle folder but for the other parts' folders that may be kept (Pagefind
    would leave the old files of a part beside the new ones); the first part's files are
    in the folder itself, and go unless it is kept."""
    os.makedirs(bundle, exist_ok=True)
    for entry in os.scandir(bundle):
        if entry.name in keep or (primary_kept and not search.is_part_folder(entry.name)):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            os.unlink(entry.path)


def _store(part: str, target: str, known: str | None = None) -> str:
    """Write a cut-down page at `target` unless it is there already (`known`: the digest
    of what is there); its digest. Encoded as MkDocs writes pages."""
    data = part.encode("utf-8", errors="xmlcharrefreplace")
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if digest != known or not os.path.exists(target):
        _write(target, data)
    return digest


def _write(path: str, data: bytes) -> None:
    """Write a new file at `path` (what was there may be a hard link to a site page: it is
    unlinked, never written through). Not atomic, and need not be: while a build writes,
    the folder has no manifest, so what a build that stopped left is not trusted."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    try:
        out = open(path, "xb")
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        out = open(path, "xb")
    with out:
        out.write(data)


def _in_place(target: str, digest: str | None, page: os.stat_result) -> bool:
    """Whether the snapshot's file is still there (and, for a page not cut, is the page)."""
    try:
        status = os.stat(target)
    except FileNotFoundError:
        return False
    return digest is not None or (status.st_ino, status.st_dev) == (page.st_ino, page.st_dev)


def _replace_with_link(page_path: str, target: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    search.link_or_copy(page_path, target)


def _remove(tree: str, dest_uri: str) -> None:
    """Remove a page and the folders it leaves empty."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(os.path.join(tree, dest_uri))
    folder = os.path.dirname(dest_uri)
    while folder:
        try:
            os.rmdir(os.path.join(tree, folder))
        except OSError:
            break
        folder = os.path.dirname(folder)
