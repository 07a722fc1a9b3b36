"""The thin adapter between MkDocs and Broadsheet's engine-independent core.

This and mkdocs_watcher.py (`serve` notices saves at once) are the only modules that know
MkDocs: everything they hand to templates is computed by the core from plain data, so moving
to another engine means rewriting these two files.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import html
import importlib.metadata
import logging
import os
import posixpath
import shutil
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import jinja2
import mkdocs
from mkdocs.commands.build import get_context as page_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import (atomic, cards, domain, feeds, forked_render, html_fixes, incremental,
               listing_cards, not_found, search, search_input, seo, sitemap, views)
from .excerpts import cite_excerpts
from .idle_gc import IdleCollector
from .freshness import Freshness, signature
from .safety import escaping_links
from .urls import absolute_url_from
from .site_options import check_site_options
from .catalog import Catalog, ParseCache, build_catalog, is_article_path
from .search import PART_SIZE as SEARCH_PART_SIZE
from .listings import DEFAULT_PER_PAGE, ListingPage, Listings, ListingsCache, build_listings
from .mkdocs_theme_files import use_quick_listing
from .mkdocs_watcher import watch_natively
from .problems import summarise
from .settings import DEFAULT_URL_FORMAT, Settings, SettingsError, settings_from_options

log = logging.getLogger("mkdocs.plugins.broadsheet")


class _TemplateCache(jinja2.BytecodeCache):
    """Compiled templates, kept in memory across the rebuilds of one preview and on disk
    (TEMPLATE_CACHE_DIR) across builds: compiling Material's templates and ours is a tenth
    of a second's work that every build would otherwise repeat. Jinja keys an entry by the
    template's name and source and checks its own format, so an edited template (or another
    Jinja or Python) is compiled afresh. A cache that cannot be written is only slower."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self.folder: str | None = None

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is None and self.folder:
            with contextlib.suppress(OSError):
                with open(os.path.join(self.folder, bucket.key + ".cache"), "rb") as source:
                    code = source.read()
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        code = self._code[bucket.key] = bucket.bytecode_to_string()
        if self.folder:
            with contextlib.suppress(OSError):
                os.makedirs(self.folder, exist_ok=True)
                atomic.write_bytes(os.path.join(self.folder, bucket.key + ".cache"), code)


TEMPLATE_CACHE_DIR = os.path.join(".cache", "broadsheet", "templates")
"""Compiled templates, beside mkdocs.yml (like the share cards' cache)."""
PARSE_CACHE_FILE = os.path.join(".cache", "broadsheet", "articles.pickle")
"""Validated articles by content, for the next build (catalog.ParseCache)."""
SEARCH_INPUT_DIR = os.path.join(".cache", "broadsheet", "search-input")
"""Article pages cut down to what Pagefind reads, kept for warm builds (search_input.py)."""
STUBS_DIR = os.path.join(".cache", "broadsheet", "listing-stubs")
"""A warm build's stand-in source files for listing pages (see _generated_source)."""
ASIDE_MIN_PAGES = 40
"""Below this many pages for the child to render, forking one costs more than it saves."""
PLACEHOLDER_TEMPLATE = "broadsheet/rendered-aside.html"
CARDS_ASIDE_MIN = 20
"""Share cards a build draws in a forked process, at least (fewer are drawn in the build)."""
ARTICLES_ASIDE_SHARE = 0.55
"""The share of articles whose pages the second process renders: a bit more than half, as
MkDocs still writes each of those pages, runs its events and renders an empty template."""
NOT_CUT = object()
"""An article page not cut down for Pagefind yet (a digest, or None, when it was)."""
MARKDOWN_ASIDE_SHARE = 0.55
"""The share of articles whose Markdown the second process converts: a bit more than half,
as MkDocs still reads each of those pages, runs its events and converts an empty text."""


def _nav_paths(nav) -> list[str]:
    """The page paths named in mkdocs.yml's `nav:` (any depth)."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in _nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in _nav_paths(item)]
    return []


def _nav_pages(files: Files) -> list[tuple[str, str]]:
    """The site's own pages that the nav shows, each with a digest of its text."""
    return sorted((f.src_uri, hashlib.blake2b(f.content_bytes, digest_size=16).hexdigest())
                  for f in files.documentation_pages()
                  if f.generated_by is None and f.inclusion.is_in_nav())


def _project_dir(config) -> str:
    return os.path.dirname(config.config_file_path or "")


def _config_file_bytes(config) -> bytes:
    """mkdocs.yml as written: any setting (a palette, a theme feature) may show on a page."""
    try:
        with open(config.config_file_path, "rb") as source:
            return source.read()
    except (OSError, TypeError):
        return b""


@functools.lru_cache(maxsize=1)  # the code a process runs does not change under it
def _versions() -> tuple:
    """What renders the pages besides the site's own templates: Python, the packages, and
    this package's code as it is on disk (an edited checkout has the same version number)."""
    package = Path(__file__).parent
    found: list = [sys.version, sorted((p.relative_to(package).as_posix(), p.stat().st_mtime_ns)
                                       for p in package.rglob("*.py"))]
    for name in ("broadsheet", "mkdocs", "mkdocs-material", "jinja2", "markdown",
                 "pymdown-extensions"):
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            found.append((name, None))
    return tuple(found)


def _accurate_dirty_builds(record: logging.LogRecord) -> bool:
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _CardFile(File):
    """A share card, hard-linked into the site from the card cache instead of copied.

    A site has a card per article: copying thousands of PNGs was a tenth of a full build.
    The cache is content-addressed (a card never changes in place), so sharing the bytes is
    safe; where a link cannot be made (another file system) the card is copied as before."""

    linked = False
    """This File put its card in the site. A preview keeps its card Files from one rebuild to
    the next (_GeneratedFileMemo), and a card in place stays right: checking thousands of
    them again at every save (three file-system calls each) is skipped."""
    deferred_to: list | None = None
    """While its card is being drawn (a first build): MkDocs' copy adds the File to this list,
    and the plugin links it once the drawing is done (on_post_build)."""

    def copy_file(self, dirty: bool = False) -> None:
        if self.deferred_to is not None:
            self.deferred_to.append(self)
            return
        if dirty and (self.linked or not self.is_modified()):
            self.linked = True
            return
        target = self.abs_dest_path
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                os.remove(target)
            os.link(self.abs_src_path, target)
            # Caches made before cards were written with normal permissions hold private
            # files: the published card must be readable by the web server.
            if stat.S_IMODE(os.stat(target).st_mode) != atomic.normal_file_mode():
                os.chmod(target, atomic.normal_file_mode())
        except OSError:
            super().copy_file(dirty)
        self.linked = True


class _ListingFile(File):
    """A listing page's file (its source: an empty stub, see _generated_source).

    A preview keeps these from one rebuild to the next (_GeneratedFileMemo) and knows
    whose output is in place: written by a rebuild that went through, and not removed
    since (_refresh removes stale outputs and says so). For those, MkDocs' check (three
    file-system calls, twice per rebuild, for thousands of listing pages) is answered
    from memory."""

    in_place = False

    def is_modified(self) -> bool:
        if self.in_place:
            return False
        modified = super().is_modified()
        self.in_place = not modified
        return modified


class _ListingPage(Page):
    """A generated listing page. Its Markdown source is empty (the template shows the
    listing), yet MkDocs would make a Markdown converter with every extension for it: half a
    millisecond for each of thousands of pages. With nothing to convert, nothing is."""

    def render(self, config, files) -> None:
        if self.markdown:
            super().render(config, files)
            return
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


SITEMAP = "sitemap.xml"
MKDOCS_TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(mkdocs.__file__)), "templates")


def _may_write_sitemap(config, plugin) -> bool:
    """Whether sitemap.xml may be written without MkDocs' template: it is the template
    MkDocs ships (no theme or custom_dir overrides it) and no other plugin takes part in
    the template events through which it could change it."""
    if SITEMAP not in config.theme.static_templates:
        return False
    found = next((folder for folder in config.theme.dirs
                  if os.path.isfile(os.path.join(folder, SITEMAP))), None)
    if found is None or os.path.realpath(found) != os.path.realpath(MKDOCS_TEMPLATES):
        return False
    return _only_plugin_in(config, plugin, ("pre_template", "template_context", "post_template"))


def _only_plugin_in(config, plugin, events: tuple[str, ...]) -> bool:
    """Whether `plugin` is the only plugin (or hook) that takes part in `events`."""
    return all(getattr(handler, "__self__", None) is plugin
               for event in events for handler in config.plugins.events[event])


class _GeneratedFileMemo:
    """A preview's generated files (listing pages with their Page, share cards) kept from
    one rebuild to the next: at 5,000 articles, making ten thousand File and Page objects
    again was a tenth of every save's rebuild. A File made for the same source and
    destination in the same site folder is the same file; neither MkDocs nor this plugin
    keeps per-build state on these objects (a page's text comes from its stub file, its
    view from the listings, its sitemap date from _date_pages_for_sitemap)."""

    def __init__(self) -> None:
        self._site: tuple | None = None
        self._known: dict[tuple, File] = {}
        self._used: dict[tuple, File] = {}

    def start(self, config) -> None:
        """Drop everything when anything a File or Page derives from its config changed."""
        site = (config.site_dir, config.use_directory_urls, config.site_url,
                config.repo_url, config.edit_uri, config.edit_uri_template)
        if site != self._site:
            self._site, self._known = site, {}
        self._used = {}

    def get(self, key: tuple, make: Callable[[], File]) -> File:
        file = self._known.get(key)
        if file is None:
            file = make()
        self._used[key] = file
        return file

    def finish(self) -> None:
        self._known, self._used = self._used, {}

    def used(self):
        """The files handed out since start()."""
        return self._used.values()

    def site_emptied(self) -> None:
        """The site folder was emptied: no card or listing page is in place any more."""
        for file in (*self._known.values(), *self._used.values()):
            if isinstance(file, _CardFile):
                file.linked = False
            elif isinstance(file, _ListingFile):
                file.in_place = False


class _SourceMemo:
    """A preview's article sources, read again only when a file's status changed (its
    change time moves with every write, whatever an editor does to the modification time).
    Thousands of unchanged files are not read at every save, and an unchanged file keeps
    the very bytes object it had, which catalog.ParseCache then finds at once."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple, bytes]] = {}
        self._used: dict[str, tuple[tuple, bytes]] = {}

    def read(self, file: File) -> bytes:
        path = file.abs_src_path
        try:
            info = os.stat(path)
        except OSError:
            return file.content_bytes  # gone since MkDocs listed it: MkDocs says so
        status = (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
        known = self._known.get(path)
        if known is not None and known[0] == status:
            data = known[1]
        else:
            data = file.content_bytes
        self._used[path] = (status, data)
        return data

    def forget_others(self) -> None:
        self._known, self._used = self._used, {}


class _FeedMemo:
    """A preview's feeds from one rebuild to the next: an entry is made again only when its
    article (a new object whenever its file changed, see catalog.ParseCache) or its HTML
    changed, a feed only when one of its entries did. Within a build it changes nothing."""

    def __init__(self) -> None:
        self._context: tuple | None = None
        self._entries: dict[str, tuple] = {}
        self._feeds: dict[str, tuple] = {}
        self._used_entries: dict[str, tuple] = {}
        self._used_feeds: dict[str, tuple] = {}

    def start(self, context: tuple) -> None:
        if context != self._context:
            self._context, self._entries, self._feeds = context, {}, {}
        self._used_entries, self._used_feeds = {}, {}

    def entry(self, article, html: str, page_url: str, make: Callable[[], object]):
        known = self._entries.get(article.path)
        if (known is not None and known[0] is article and known[1] == html
                and known[2] == page_url):
            entry = known[3]
        else:
            entry = make()
        self._used_entries[article.path] = (article, html, page_url, entry)
        return entry

    def feed(self, spec, entries: list, make: Callable[[], bytes]) -> bytes:
        known = self._feeds.get(spec.path)
        content = known[2] if known is not None and known[0] == spec and known[1] == entries \
            else make()
        self._used_feeds[spec.path] = (spec, entries, content)
        return content

    def finish(self) -> None:
        self._entries, self._feeds = self._used_entries, self._used_feeds


class _SignatureMemo:
    """Signatures of the views a preview rebuild reuses unchanged (ListingsCache): the same
    object has the same signature, so thousands of listing views are not pickled again."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, str]] = {}
        self._used: dict[int, tuple[object, str]] = {}

    def of(self, view) -> str:
        entry = self._known.get(id(view))
        if entry is None or entry[0] is not view:
            entry = (view, signature(view))
        self._used[id(view)] = entry
        return entry[1]

    def forget_others(self) -> None:
        """Keep only this rebuild's views (so that an id still names the object it did)."""
        self._known, self._used = self._used, {}


class BroadsheetConfig(Config):
    articles_dir = c.Type(str, default="articles")
    authors_file = c.Type(str, default="authors.yml")
    url_format = c.Type(str, default=DEFAULT_URL_FORMAT)
    timezone = c.Type(str, default="UTC")
    now = c.Optional(c.Type(str))
    """Pretend the build happens at this moment (ISO date); for reproducible builds and tests.
    The environment variable BROADSHEET_NOW does the same without editing mkdocs.yml."""
    cards = c.Type(dict, default={})
    """Share cards: `enabled` (default true), `cache_dir` (default .cache/broadsheet/cards)."""
    strings = c.Type(dict, default={})
    """Any text the pages show (strings.DEFAULT_STRINGS lists the keys)."""
    share = c.Type(dict, default={})
    """Share links: `networks`, `mastodon_instance`, `hashtags` (checked by share.py)."""
    newsletter = c.Type(dict, default={})
    """The "Stay in the loop" block: a provider preset or a plain form (newsletter.py)."""
    feed_size = c.Type(int, default=feeds.DEFAULT_FEED_SIZE)
    """How many of the newest articles each feed (RSS, Atom, JSON Feed) carries."""
    per_page = c.Type(int, default=DEFAULT_PER_PAGE)
    """Articles per listing page: home, tag, author and archive-month pages."""
    search = c.Type(bool, default=True)
    """Broadsheet's search page and its Pagefind index (false: neither is made)."""
    search_part_size = c.Type(int, default=SEARCH_PART_SIZE)
    """Articles Pagefind indexes at once, at least: a bigger site is indexed in up to four
    parts, which the search page merges (search.plan_parts)."""
    second_process = c.Type(bool, default=True)
    """Full builds on a machine with two cores or more: a second process renders part of the
    pages (false: one process renders them all; the site is the same either way)."""
    cname = c.Optional(c.Type(str))
    """Custom domain for GitHub Pages (`cname: news.example.org`): written to the site's
    CNAME file. `site_url` should then be https://news.example.org/ (see domain.py)."""


class BroadsheetPlugin(BasePlugin[BroadsheetConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.settings: Settings | None = None
        self.catalog: Catalog | None = None
        self.article_files: dict[str, File] = {}
        self.newsletter: dict | None = None
        self.dirty = False
        self.freshness = Freshness()
        """What each preview page showed at the last rebuild (`serve --dirty`, see _refresh)."""
        self.previous_build: incremental.BuildState | None = None
        """A warm `build --dirty` (build_site.py): what the previous build showed."""
        self.site_copy: incremental.SiteCopy | None = None
        """A warm build's copy of the previous site, made while the build starts."""
        self.next_build: str | None = None
        """Where a `build --dirty` leaves its state for the next (build_site.py keeps it)."""
        self.next_state: incremental.BuildState | None = None
        self.build_files: Files | None = None
        self.stub_dir: str | None = None
        self.stubs_made: set[str] = set()
        """Stub files known to exist (the preview's folder is private to this process)."""
        self.listings_written: list[_ListingFile] = []
        """Listing pages rendered by this rebuild (in place once it went through)."""
        self.writes_sitemap = False
        """sitemap.xml is written by this plugin (see _may_write_sitemap), not MkDocs."""
        self.sitemap_text = ""
        self.sitemap_gzip: tuple[bytes | None, bytes] = (None, b"")
        """The last sitemap.xml and its reproducible gzip."""
        self.parse_cache = ParseCache()
        self.sources = _SourceMemo()
        self.feed_memo = _FeedMemo()
        self.listings_cache = ListingsCache()
        self.signatures = _SignatureMemo()
        self.card_memo = cards.CardMemo()
        self.articles_to_write: set[str] = set()
        self.articles_written: list[str] = []
        self.search_job = None
        """(pool, future) of the Pagefind run started during a build, if any."""
        self.index_input: search_input.IndexInput | None = None
        """What Pagefind reads in a build; None in a preview (it indexes the site folder)."""
        self.cut_on_post_page = False
        """Article pages are cut down for Pagefind as they are rendered (see on_post_page)."""
        self.cut_aside = 0
        """Article pages the second process cut down for Pagefind in this build."""
        self.article_digests: dict = {}
        self.template_cache = _TemplateCache()
        self.card_drawing: tuple[forked_render.ForkedRenderer, list[cards.CardText]] | None = None
        """Share cards being drawn by a forked process (and what it draws), if any."""
        self.cards_to_link: list[_CardFile] = []
        """Card Files whose copy waits for the drawing (see _CardFile.deferred_to)."""
        self.cards: cards.CardOptions | None = None
        self.card_uris: dict[str, str] = {}
        """Site-relative path of each article's share card, by article path."""
        # Feeds (see _add_feed_files / _fill_feed_files): planned in on_files, written in
        # on_env once every article's HTML is rendered.
        self.feed_specs: list[feeds.FeedSpec] = []
        self.feed_files: dict[str, File] = {}
        self.article_html: dict[str, str] = {}
        # Listing pages (see _add_listing_pages), by the src_uri of the page that shows each.
        self.listings: Listings | None = None
        self.listing_files: dict[str, ListingPage] = {}
        # Search (see the _search methods): the generated search page, and in `serve` the
        # background indexer that keeps save→reload fast.
        self.search_file: File | None = None
        self.search_indexer: search.DebouncedIndexer | None = None
        self.search_written = False
        # `serve`: Python's cyclic collector waits for the idle moment after a rebuild.
        self.idle_gc = IdleCollector()
        self.generated_files = _GeneratedFileMemo()
        self.article_signatures: dict[str, tuple[tuple, str]] = {}
        # Full builds: pages rendered in a forked child (see _render_pages_aside).
        self.nav = None
        self.aside: forked_render.ForkedRenderer | None = None
        self.aside_templates: dict[str, str] = {}
        """src_uri -> the page's real template, for the pages the child renders."""
        self.aside_env: jinja2.Environment | None = None
        self.aside_doc_files: list[File] = []
        self.in_child = False
        self.markdown_aside: forked_render.ForkedRenderer | None = None
        self.markdown_pending: set[str] = set()
        self.converted: dict[str, tuple] = {}
        """src_uri -> what the child converted, from on_page_markdown to on_page_content."""

    @property
    def previewing(self) -> bool:
        # Drafts and invalid articles stay visible in `serve` so editors can see and fix
        # them; a build must never publish them.
        return self.command == "serve"

    def on_startup(self, *, command, dirty) -> None:
        self.command = command
        self.dirty = dirty
        if dirty:
            # MkDocs warns that a dirty build is inaccurate (and --strict then fails it);
            # this plugin makes it accurate (_refresh, and for builds incremental.py).
            logging.getLogger("mkdocs.commands.build").addFilter(_accurate_dirty_builds)

    @property
    def warm_building(self) -> bool:
        """`mkdocs build --dirty`: made into an exact build that reuses what it can."""
        return self.dirty and not self.previewing

    def on_serve(self, server, *, config, builder):
        # MkDocs polls docs/ every 0.5 s, which on a big site costs more than the rebuild.
        watch_natively(server, [config.docs_dir])
        return server

    def on_config(self, config):
        if self.previewing:
            self.idle_gc.pause()  # the rebuild's first event; resumed in on_post_build
        # MkDocs would walk Material's 14,000 hidden icon files at every build (and save).
        use_quick_listing(config.theme)
        # sitemap.xml is written by sitemap.sitemap_xml (MkDocs' template's very bytes)
        # rather than by a Jinja loop over every page at every build and save.
        self.writes_sitemap = _may_write_sitemap(config, self)
        if self.writes_sitemap:
            config.theme.static_templates.discard(SITEMAP)
        options = {key: value for key, value in self.config.items() if value is not None}
        try:
            self.settings = settings_from_options(options, config.site_name, config.site_url,
                                                  os.environ.get("BROADSHEET_NOW"))
            site_options = check_site_options(
                self.settings, self.config.cards,
                os.path.dirname(config.config_file_path or ""), config.docs_dir)
            self.newsletter, self.cards = site_options.newsletter, site_options.cards
            if self.newsletter and self.newsletter.get("warning"):
                # INFO, not WARNING: a site without a provider is valid and must build --strict.
                log.info(f"broadsheet: {self.newsletter['warning']}")
        except SettingsError as err:
            raise PluginError(f"broadsheet: {err}") from err
        if self.warm_building:
            self.previous_build = incremental.load_state(
                os.environ.get(incremental.PREVIOUS_STATE_ENV))
            self.next_build = os.environ.get(incremental.NEXT_STATE_ENV) or None
            previous_site = os.environ.get(incremental.PREVIOUS_SITE_ENV)
            if previous_site and self.previous_build is not None:
                self.site_copy = incremental.SiteCopy(previous_site, config.site_dir)
        if self.settings.cname and not self.previewing:  # `serve` replaces site_url
            # INFO, not WARNING: a site may move to its domain in steps, and --strict must pass.
            for note in domain.site_url_notes(self.settings.cname, config.site_url or ""):
                log.info(f"broadsheet: {note}")
        return config

    # Runs after other plugins have added or removed files, so the catalog sees the final set.
    @event_priority(-50)
    def on_files(self, files: Files, *, config) -> Files:
        settings = self.settings
        self.generated_files.start(config)
        self.listings_written = []
        # Before anything is read: a link out of docs/ may point at a secret or a device.
        unsafe = escaping_links(((f.src_uri, f.abs_src_path) for f in files
                                 if f.src_dir == config.docs_dir and f.abs_src_path),
                                config.docs_dir)
        for problem in unsafe:
            files.remove(files.get_file_from_path(problem.path))
        authors_file = files.get_file_from_path(settings.authors_file)
        authors_data = authors_file.content_bytes if authors_file else None
        if authors_file:
            # The authors file is data for the build, not a page or asset to publish.
            files.remove(authors_file)
        self.article_files = {f.src_uri: f for f in files.documentation_pages()
                              if is_article_path(f.src_uri, settings)}
        if self.previewing:
            sources = [(uri, self.sources.read(f)) for uri, f in self.article_files.items()]
            self.sources.forget_others()
        else:
            sources = [(uri, f.content_bytes) for uri, f in self.article_files.items()]
        # A preview rebuilds on every save: unchanged files keep their parsed article. A
        # build reads what the last build parsed (1 s of 21 at 5,000 articles, parsed again).
        if not self.previewing:
            self.parse_cache = ParseCache.load(self._parse_cache_path(config), _versions())
        self.catalog = catalog = build_catalog(
            sources, authors_data, settings,
            self.parse_cache if self.dirty or not self.previewing else None)
        if not self.previewing:
            log.debug(f"broadsheet: {self.parse_cache.loaded} of {len(sources)} article(s) "
                      "as the last build parsed them, the others parsed")

        problems = unsafe + list(catalog.problems)
        for problem in problems:
            log.error(str(problem))
        if problems and not self.previewing:
            raise PluginError(f"broadsheet: {summarise(problems)}; "
                              "fix them and build again (run `broadsheet check` to list them)")

        for path in catalog.invalid:
            self._keep_previewable(self.article_files.get(path))
        placement = (config.site_dir, config.use_directory_urls)  # read once, not per article
        for article in catalog.articles:
            self._place(self.article_files[article.path], article.url, *placement)
        held = catalog.held_back
        if self.previewing:
            if held:
                log.info(f"broadsheet: previewing {len(held)} draft or scheduled article(s)")
        else:
            for article in held:
                files.remove(self.article_files.pop(article.path))
            drafts = sum(1 for a in held if a.draft)
            log.info(f"broadsheet: {len(catalog.published)} article(s) published, "
                     f"{len(held)} held back ({drafts} draft, {len(held) - drafts} scheduled)")
        # Cards first: a first build starts drawing them (in another process) while this one
        # plans the listings and feeds, on a core that has nothing else to do yet.
        self._add_cards(files, config)
        self._add_listing_pages(files, config)
        self._add_feed_files(files, config)
        self._add_robots_txt(files, config)
        self._add_search_page(files, config)
        self._add_cname(files, config)
        if self.site_copy is not None:  # the first look at the site folder is _refresh's
            copy, self.site_copy = self.site_copy, None
            failed = copy.wait()
            if failed is not None:
                log.debug(f"broadsheet: the previous site could not be copied ({failed}): "
                          "building every page")
                self.previous_build = None
        if self.dirty:
            self._refresh(config, files)
        # Pages MkDocs will write before the search index can start (see _start_search_index).
        self.articles_to_write = {a.path for a in catalog.articles if a.path in files.src_uris}
        self.articles_written = sorted(self.articles_to_write)
        self.search_job = None
        self._prepare_index_input(config)
        self.generated_files.finish()
        return files

    # -- `mkdocs serve --dirty`, made correct (core: freshness.py) ---------------------------

    def _generated_source(self, config, src_uri: str) -> dict:
        """How a listing page (or the search page) is generated. In a dirty preview or build
        it gets an empty stub file instead of in-memory content, so that MkDocs' own check
        (source older than output) skips it until _refresh removes its output (or, for the
        search page, the whole site); in-memory files count as always changed."""
        if not self.dirty:
            return {"content": ""}
        if self.stub_dir is None:
            # A warm build's stubs must stay older than the outputs of the previous build.
            self.stub_dir = (tempfile.mkdtemp(prefix="broadsheet-preview-") if self.previewing
                             else os.path.join(_project_dir(config), STUBS_DIR))
        stub = os.path.join(self.stub_dir, src_uri)
        if stub not in self.stubs_made:  # a preview asks again at every save
            if not os.path.exists(stub):
                os.makedirs(os.path.dirname(stub), exist_ok=True)
                open(stub, "w").close()
            self.stubs_made.add(stub)
        return {"abs_src_path": stub}

    def _refresh(self, config, files: Files) -> None:
        """Remove the outputs of pages whose content changed although their own file did
        not (a neighbour retitled, a tag moved, an author edited), and of pages that are
        gone, so that this dirty rebuild equals a clean one."""
        catalog, now = self.catalog, self.settings.now
        # An unchanged file keeps its Article object (ParseCache), so its digest is kept too
        # (found by path and identity: hashing thousands of articles costs more).
        known_digests, digests = self.article_digests, {}
        for article in catalog.articles:
            known = known_digests.get(article.path)
            digests[article.path] = (article, known[1] if known is not None and known[0] is article
                                     else signature(article))
        self.article_digests = digests
        pages = {}
        known, self.article_signatures = self.article_signatures, {}
        for path, file in self.article_files.items():
            article = catalog.by_path.get(path)
            if article is None:
                pages[file.dest_uri] = signature("invalid", catalog.problems_for(path))
                continue
            shown = (digests[path][1], article.status(now),
                     self.signatures.of(self.listings.neighbours.get(path)),
                     tuple(catalog.authors.get(a) for a in article.authors),
                     self.card_uris.get(path))
            # What an article page shows, as plain values: compared rather than pickled
            # again for each of thousands of unchanged articles at every save.
            previous = known.get(path)
            page_signature = previous[1] if previous and previous[0] == shown else signature(*shown)
            self.article_signatures[path] = (shown, page_signature)
            pages[file.dest_uri] = page_signature
        for src_uri, listing in self.listing_files.items():
            pages[posixpath.splitext(src_uri)[0] + ".html"] = self.signatures.of(listing.view)
        self.signatures.forget_others()
        # Relative paths: the same site gives the same signature from any working folder.
        templates = sorted((index, p.relative_to(d).as_posix(), p.stat().st_mtime_ns)
                           for index, d in enumerate(config.theme.dirs)
                           if os.path.isdir(d) and not d.startswith(sys.prefix)
                           for p in Path(d).rglob("*.html"))
        site = signature(sorted(self.config.items(), key=str), config.site_url,
                         config.site_name, config.nav, config.markdown_extensions, templates,
                         sorted(catalog.authors.items()), _config_file_bytes(config),
                         _versions(),
                         # On every page: the header's search button (gone if a page of
                         # the site's own takes /search/) and the sidebar, which names the
                         # site's own pages in the nav (by their titles, without `nav:`).
                         self._search_view(), _nav_pages(files))
        if self.warm_building:
            everything, stale = self._compare_with_previous_build(site, pages, files)
        else:
            everything, stale = self.freshness.update(site, pages)
        if everything:
            if not self.previewing and self.previous_build is not None:
                log.info("broadsheet: settings, templates or pages changed: building every page")
            elif self.previewing:
                log.info("broadsheet: settings or templates changed: rebuilding every page")
            if self.warm_building and self.previous_build is not None:
                # Its search bundle stays until _start_search_index knows whether the pages
                # it was made from changed (a new template seldom changes an article's text).
                incremental.sweep(config.site_dir, (), [search.BUNDLE_DIR])
            else:
                shutil.rmtree(config.site_dir, ignore_errors=True)
                os.makedirs(config.site_dir, exist_ok=True)
            self.generated_files.site_emptied()
            return
        outputs = {f.dest_uri: f for f in self.generated_files.used()
                   if isinstance(f, _ListingFile)}
        for dest in stale:
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(config.site_dir, dest))
            if dest in outputs:
                outputs[dest].in_place = False

    def _compare_with_previous_build(self, site: str, pages: dict[str, str],
                                     files: Files) -> tuple[bool, set[str]]:
        """A warm build's (everything_stale, stale_outputs), against the previous build's
        state; and the state this build will leave (see on_post_build)."""
        previous = self.previous_build
        # The site's own pages (a tag page that went had no links to check).
        sources = frozenset(f.src_uri for f in files.documentation_pages()
                            if f.generated_by is None)
        self.next_state = incremental.BuildState(site=site, pages=pages, sources=sources,
                                                 hash_seed=incremental.current_hash_seed())
        if previous is None or previous.site != site or previous.sources - sources:
            return True, set()
        everything, stale = Freshness(previous.site, previous.pages).update(site, pages)
        # A feed shows its articles' HTML: one that is not rendered again must have it kept.
        kept = {path: text for path, text in previous.article_html.items()
                if path in self.article_files}
        self.article_html = kept
        for spec in self.feed_specs:
            for article in spec.articles:
                if article.path not in kept:
                    stale.add(self.article_files[article.path].dest_uri)
        return everything, stale

    def _add_cname(self, files: Files, config) -> None:
        """GitHub Pages' CNAME file at the site root, from the `cname:` option."""
        host = self.settings.cname
        if not host:
            return
        own = files.get_file_from_path(domain.CNAME_FILE)
        if own is not None:
            written = own.content_bytes.decode("utf-8", "replace").strip().lower()
            if written != host:
                raise PluginError(f"broadsheet: cname is {host} but docs/{domain.CNAME_FILE} "
                                  f"says {written or 'nothing'} — delete docs/CNAME (the "
                                  "`cname:` option writes it) or make the two agree")
            return  # the same domain: the site's own file is published as it is
        files.append(File.generated(config, domain.CNAME_FILE,
                                    content=domain.cname_file_content(host)))

    def _add_cards(self, files: Files, config) -> None:
        # Share cards for the articles this run publishes (all of them in preview), drawn
        # into the cache if missing and copied into the site from there.
        self.card_uris = {}
        if not self.cards.enabled:
            return
        articles = self.catalog.articles if self.previewing else self.catalog.published
        made, missing = cards.plan_cards(articles, self.settings, self.cards.cache_dir,
                                         self.card_memo if self.previewing else None)
        self.cards_to_link = []
        drawn_later = set()
        if (len(missing) > CARDS_ASIDE_MIN and not self.previewing
                and forked_render.available() and threading.active_count() == 1):
            # A first build draws hundreds of cards: a forked process draws them while the
            # build goes on (the two cores shared with the build's second process). Forked,
            # not spawned: a new interpreter importing MkDocs again cost 0.2 s of CPU and
            # 30 MB. Not while another thread runs (a warm build copying the last site): a
            # fork copies no thread, and whatever lock it held stays held in the child.
            # MkDocs' copy of those cards waits for on_post_build, which links them.
            self._card_errors(lambda: self.cards.cache_dir.mkdir(parents=True, exist_ok=True))
            cache_dir, by_key = self.cards.cache_dir, {text.key: text for text in missing}
            self.card_drawing = (forked_render.ForkedRenderer(
                list(by_key), lambda key: cards.draw_into(by_key[key], cache_dir), loggers=()),
                missing)
            drawn_later = {cache_dir / f"{text.key}.png" for text in missing}
            log.debug(f"broadsheet: {len(missing)} share card(s) drawn by a forked process")
        else:
            self._card_errors(lambda: cards.draw_missing(missing, self.cards.cache_dir))
        self.card_uris = {path: card.uri for path, card in made.items()}
        for uri, card_path in {card.uri: card.path for card in made.values()}.items():
            file = self.generated_files.get(
                ("card", uri, card_path),
                lambda: _CardFile.generated(config, uri, abs_src_path=str(card_path)))
            file.deferred_to = self.cards_to_link if card_path in drawn_later else None
            files.append(file)

    def _card_errors(self, draw) -> None:
        try:
            draw()
        except OSError as err:
            raise PluginError(f"broadsheet: cards: cannot write share cards in "
                              f"{self.cards.cache_dir} ({err.strerror or err}) — set "
                              "`cards: cache_dir:` to a writable folder, or "
                              "`cards: enabled: false`") from err

    def on_build_error(self, *, error) -> None:
        self.idle_gc.resume()
        self._close_markdown_aside()
        self._close_aside()
        # A failed build must not leave workers behind it (Pagefind finishes on its own).
        if self.search_job is not None:
            self.search_job[0].shutdown(wait=False)  # the job lets go of the index input
            self.search_job = None
        elif self.index_input is not None:
            self.index_input.finish()
        if self.card_drawing is not None:
            drawing, _ = self.card_drawing
            self.card_drawing = None
            self.cards_to_link = []
            drawing.close()

    def _finish_cards(self) -> None:
        """Wait for the cards being drawn, then put them in the site."""
        if self.card_drawing is None:
            return
        drawing, missing = self.card_drawing
        self.card_drawing = None
        try:
            for text in missing:
                if drawing.output(text.key) is None:
                    # Not drawn there (it failed, or died): drawn here, where a failure to
                    # write the cache is reported.
                    self._card_errors(lambda: cards.draw_into(text, self.cards.cache_dir))
        finally:
            drawing.close()
        waiting, self.cards_to_link = self.cards_to_link, []
        for file in waiting:
            file.deferred_to = None
            file.copy_file()

    @staticmethod
    def _keep_previewable(file: File | None) -> None:
        # MkDocs reads every page as strict UTF-8 and stops the whole preview on one bad
        # byte; the problem is already reported, so show the text with replacement marks.
        if file is None or file.abs_src_path is None:
            return
        data = file.content_bytes
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            file.content_string = data.decode("utf-8", "replace")

    @staticmethod
    def _place(file: File, url: str, site_dir: str, use_directory_urls: bool) -> None:
        # MkDocs derives dest_uri and url from the source path and caches them; an article's
        # address comes from its date and slug instead, so both are set before first use.
        file.dest_uri = url + "index.html" if use_directory_urls else url.rstrip("/") + ".html"
        file.url = url if use_directory_urls else file.dest_uri
        file.abs_dest_path = os.path.normpath(os.path.join(site_dir, file.dest_uri))

    def _article_for(self, page):
        if self.catalog is None or page.file.src_uri not in self.article_files:
            return None, None
        return self.catalog.by_path.get(page.file.src_uri), page.file.src_uri

    def on_page_markdown(self, markdown, *, page, config, files):
        if self._is_search_page(page):
            return self._search_markdown(page)
        if page.file.src_uri in self.listing_files:
            return self._listing_markdown(page, markdown)
        article, path = self._article_for(page)
        if path is None:
            return markdown
        if article is None:
            # Invalid article in preview: show its text (MkDocs may not have split off broken
            # front matter) under the list of problems.
            page.meta = {"title": html.escape(os.path.basename(path))}
            return markdown
        # Front matter reaches templates only through the validated article; MkDocs' own
        # copy (raw, unescaped, unvalidated) is replaced so Material's templates can't show it.
        page.meta = {"title": html.escape(article.title),
                     # Material prints it as <meta name="description">, unescaped.
                     "description": html.escape(seo.meta_description(article))}
        if self._converted_aside(path, article.body):
            return ""  # nothing for MkDocs to convert: on_page_content puts the result back
        return article.body

    def on_page_content(self, html, *, page, config, files):
        converted = self.converted.pop(page.file.src_uri, None)
        if converted is not None:
            markdown, content, toc, anchors, links = converted
            page.markdown, page.toc, page.present_anchor_ids = markdown, toc, anchors
            if links is not None:
                page.links_to_anchors = {files.get_file_from_path(uri): value
                                         for uri, value in links.items()}
            return content  # with its excerpts cited already (the child ran this event)
        article, _ = self._article_for(page)
        if article is None or article.source is None:
            return html
        source = views.source_view(article.source, self.settings.strings)
        return cite_excerpts(html, source, self.settings.strings)

    def on_post_page(self, output, *, page, config):
        cut = NOT_CUT
        if page.file.src_uri in self.aside_templates:
            rendered = self.aside.output(page.file.src_uri)
            template = self.aside_templates.pop(page.file.src_uri)
            if rendered is None:
                # The child failed or logged a warning for this page: rendered here, where an
                # error stops the build and a warning counts for --strict. The page events
                # run again for it, this one included (which cuts it down for Pagefind).
                page.meta["template"] = template
                return self._render_page(page, config, self.aside_env, self.aside_doc_files)
            output, cut = rendered  # fixed by on_post_page there
        else:
            output = html_fixes.fix_page(output)
        # Only now: rendering a page the child could not (above) runs on_page_context, where
        # Pagefind starts once no article is left to write, and this one is not written yet.
        self.articles_to_write.discard(page.file.src_uri)
        if (self.cut_on_post_page and not self.in_child
                and page.file.src_uri in self.article_files):
            if cut is NOT_CUT:
                cut = self.index_input.cut(page.file.dest_uri, output)
            else:
                self.cut_aside += cut is not None
            self.index_input.page_cut(page.file.dest_uri, cut)
        if isinstance(page.file, _ListingFile):
            self.listings_written.append(page.file)  # in place once the rebuild went through
        return output

    def on_template_context(self, context, *, template_name, config):
        # 404.html is a static template, not a page: it gets no page context of its own.
        if template_name == "404.html" and self.settings is not None:
            search_page = self.search_file.url if self.search_file is not None else None
            context["not_found"] = not_found.not_found_view(self.settings.strings, search_page)
        return context

    def on_post_template(self, output_content, *, template_name, config):
        # 404.html is rendered as a static template, not a page: it needs the same fixes.
        if template_name.endswith(".html"):
            return html_fixes.fix_page(output_content)
        return output_content

    # Late, so that other plugins' context (Material's blog, say) is already in place.
    @event_priority(-50)
    def on_page_context(self, context, *, page, config, nav):
        self._start_search_index(config)
        if page.file.src_uri in self.aside_templates:
            return context  # rendered by the child: the placeholder template needs nothing
        self._add_listing_feed_links(context, page)
        if self._is_search_page(page):
            context["broadsheet_search_page"] = True
            return context
        if page.file.src_uri in self.listing_files:
            return self._listing_context(context, page)
        article, path = self._article_for(page)
        if path is None:
            return context
        context["strings"] = self.settings.strings
        context["newsletter"] = self.newsletter
        if article is None:
            context["broadsheet_problems"] = [str(p) for p in self.catalog.problems_for(path)]
            return context
        context["article"] = views.article_view(article, self.catalog,
                                                card_uri=self.card_uris.get(path),
                                                neighbours=self.listings.neighbours.get(path))
        return context

    # -- listings: home, archive, tag and author pages (core: listings.py) -------------------

    def _add_listing_pages(self, files: Files, config) -> None:
        """Every listing page, generated (never written into docs/) from data computed once.

        A site page published at the same address is kept and shows the listing under its
        own text: a site's docs/index.md becomes the introduction on page 1 of the home page.
        """
        if self.previewing:
            self.listings = self.listings_cache.build(self.catalog, self.settings.per_page,
                                                      include_held=True)
        else:
            self.listings = build_listings(self.catalog, self.settings.per_page)
        self.listing_files = {}
        by_dest = {f.dest_uri: f for f in files}
        in_nav = set(_nav_paths(config.nav))
        for listing in self.listings.pages:
            # Out of the sidebar: a big site has thousands of these. mkdocs.yml's `nav:` may
            # still name the indexes (tags/index.md, …).
            source = self._generated_source(config, listing.src_uri)
            named_in_nav = listing.src_uri in in_nav  # then MkDocs gives it the nav's title

            def listing_file(source=source, named_in_nav=named_in_nav) -> File:
                file = _ListingFile.generated(config, listing.src_uri,
                                              inclusion=InclusionLevel.NOT_IN_NAV, **source)
                if not named_in_nav:
                    _ListingPage(None, file, config)
                return file

            if self.previewing and not named_in_nav:
                file = self.generated_files.get(
                    ("listing", listing.src_uri, source.get("abs_src_path")), listing_file)
            else:
                file = listing_file()
            host = by_dest.get(file.dest_uri)
            if host is None:
                files.append(file)
            elif host.is_documentation_page() and host.src_uri not in self.article_files:
                file = host
            else:
                log.warning(f"broadsheet: {host.src_uri} is published at '{listing.url}', "
                            "which is the address of a listing page — move it (an article: "
                            "give it another `slug:`)")
                continue
            self.listing_files[file.src_uri] = listing

    def _listing_markdown(self, page, markdown: str) -> str:
        listing = self.listing_files[page.file.src_uri]
        if page.file.generated_by is None:
            # The site's own page: its front matter stands; only the template is ours.
            page.meta.setdefault("template", "listing.html")
            return markdown
        page.meta = {"title": html.escape(listing.view["heading"]), "template": "listing.html",
                     "hide": ["toc"]}
        if not listing.searchable:
            page.meta["search"] = {"exclude": True}
        return markdown

    def _listing_context(self, context, page):
        context["strings"] = self.settings.strings
        context["newsletter"] = self.newsletter  # shown on the home page if placed there
        context["listing"] = self.listing_files[page.file.src_uri].view
        return context

    # -- feeds, sitemap and robots.txt (core: feeds.py, sitemap.py) ---------------------------

    def _add_feed_files(self, files: Files, config) -> None:
        """Create every feed file, empty: their content needs the articles' rendered HTML,
        which exists only after on_files (see _fill_feed_files)."""
        self.feed_specs, self.feed_files = [], {}
        if not self.settings.site_url:
            log.info("broadsheet: no site_url in mkdocs.yml, so no feeds were made "
                     "(a feed needs absolute addresses)")
            return
        try:
            specs = feeds.plan_feeds(self.catalog, self.settings.feed_size,
                                     config.site_description or "")
        except SettingsError as err:
            raise PluginError(f"broadsheet: {err}") from err
        for spec in specs:
            if files.get_file_from_path(spec.path):
                log.info(f"broadsheet: docs/{spec.path} exists, so it is published instead "
                         "of the generated feed")
                continue
            file = File.generated(config, spec.path, content=b"")
            files.append(file)
            self.feed_specs.append(spec)
            self.feed_files[spec.path] = file

    def _add_robots_txt(self, files: Files, config) -> None:
        if files.get_file_from_path("robots.txt"):
            return  # the site's own robots.txt wins
        sitemap_url = (absolute_url_from(config.site_url, "sitemap.xml")
                       if config.site_url else None)
        files.append(File.generated(config, "robots.txt", content=sitemap.robots_txt(sitemap_url)))

    def on_env(self, env, *, config, files):
        # MkDocs makes a new Jinja environment for every build (every save, in a preview),
        # so every template would be compiled again each time.
        self.template_cache.folder = os.path.join(_project_dir(config), TEMPLATE_CACHE_DIR)
        env.bytecode_cache = self.template_cache
        if self.warm_building:
            self._detach_outputs(config, files)
        # MkDocs' build has rendered every page's Markdown by now and has not yet copied
        # static files (feeds among them) nor rendered templates (sitemap.xml among them).
        self._fill_feed_files(config, files)
        pages = [f.page for f in files.documentation_pages() if f.page is not None]
        self._date_pages_for_sitemap(pages)
        if self.writes_sitemap:
            # The pages MkDocs' own template lists, in its order, with the dates just set.
            self.sitemap_text = sitemap.sitemap_xml(
                (page.canonical_url or page.abs_url, page.update_date) for page in pages
                if not page.is_link and (page.canonical_url or page.abs_url))
        env.globals["broadsheet_feeds"] = feeds.feed_links(self.feed_specs)
        env.globals["broadsheet_search"] = self._search_view()
        env.globals["broadsheet_card"] = listing_cards.CardMarkup(env)
        self._close_markdown_aside()
        self._render_pages_aside(config, env, files)
        return env

    def on_nav(self, nav, *, config, files):
        self.nav = nav  # for rendering pages outside MkDocs' loop
        self._convert_markdown_aside(config, files)
        return nav

    # -- pages rendered on the other core (core: forked_render.py) ------------------------

    def _may_fork(self, config, events: tuple[str, ...]) -> bool:
        """A full build on two cores or more, where no other plugin takes part in `events`
        (what it did in the child would be lost)."""
        if (self.previewing or not self.config.second_process or self.nav is None
                or not forked_render.available() or forked_render.usable_cores() < 2):
            return False
        return _only_plugin_in(config, self, events)

    def _convert_markdown_aside(self, config, files: Files) -> None:
        """Fork a child that converts the Markdown of the last articles (in MkDocs' order)
        while MkDocs converts the others: the Markdown of the articles is the longest part
        of a build, and the machine's second core has nothing else to do meanwhile.

        MkDocs then converts nothing for those pages (on_page_markdown gives it an empty
        text) and on_page_content puts back the child's HTML, table of contents and anchors:
        what MkDocs' private `_populate_page` would have produced, by the same steps (the
        page events, read_source, render). Share cards being drawn meanwhile (a first build)
        share the two cores: measured at 5,000 articles, that is faster than leaving the
        second core to the cards. An invalid article is always converted by MkDocs."""
        self.markdown_aside, self.converted = None, {}
        self.markdown_pending = set()
        if not self._may_fork(
                config, ("pre_page", "page_read_source", "page_markdown", "page_content")):
            return
        articles = [f for f in files.documentation_pages(inclusion=InclusionLevel.is_included)
                    if f.src_uri in self.article_files
                    and self.catalog.by_path.get(f.src_uri) is not None
                    and (not self.dirty or f.is_modified())]
        share = round(len(articles) * MARKDOWN_ASIDE_SHARE)
        if share < ASIDE_MIN_PAGES:
            return
        by_uri = {f.src_uri: f for f in articles[len(articles) - share:]}

        def convert(src_uri: str) -> tuple:
            self.in_child = True
            file = by_uri[src_uri]
            page = file.page or Page(None, file, config)
            page = config.plugins.on_pre_page(page, config=config, files=files)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page,
                                                            config=config, files=files)
            source = page.markdown
            page.render(config, files)
            content = config.plugins.on_page_content(page.content, page=page, config=config,
                                                     files=files)
            links = page.links_to_anchors
            return (signature(source), content, page.toc, page.present_anchor_ids,
                    None if links is None else {f.src_uri: v for f, v in links.items()})

        self.markdown_aside = forked_render.ForkedRenderer(list(by_uri), convert)
        self.markdown_pending = set(by_uri)
        log.debug(f"broadsheet: the Markdown of {len(by_uri)} article(s) converted by a "
                  "second process")

    def _converted_aside(self, path: str, markdown: str) -> bool:
        """Whether the child converted this article's Markdown (the same text): kept for
        on_page_content."""
        if path not in self.markdown_pending:
            return False
        self.markdown_pending.discard(path)
        converted = self.markdown_aside.output(path)
        if converted is None or converted[0] != signature(markdown):
            return False
        self.converted[path] = (markdown, *converted[1:])
        return True

    def _close_markdown_aside(self) -> None:
        if self.markdown_aside is not None:
            self.markdown_aside.close()
            self.markdown_aside = None
        self.markdown_pending, self.converted = set(), {}

    def _render_pages_aside(self, config, env, files: Files) -> None:
        """Fork a child that renders the last articles in MkDocs' order (ARTICLES_ASIDE_SHARE
        of them) while MkDocs renders the others, then the listing pages; MkDocs renders the
        child's pages with an empty placeholder template and on_post_page hands it the
        child's HTML.

        Without it the machine's second core idles until Pagefind starts (when the last
        article page is written).

        MkDocs has no way to render pages elsewhere, so this repeats the few lines of its
        private `_build_page` between activating a page and writing it (public get_context,
        the plugins' page events, the template). Only done when no other plugin takes part
        in those events (its work in the child would be lost), and never in `serve`."""
        self.aside, self.aside_templates = None, {}
        if not self._may_fork(config, ("env", "page_context", "post_page")):
            return
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        to_render = [f.page for f in doc_files
                     if f.page is not None and (not self.dirty or f.is_modified())]
        articles = [p for p in to_render if p.file.src_uri in self.article_files]
        # The two processes end their articles together: the last article page is written
        # (and Pagefind starts) as early as possible, and the child is gone before Pagefind
        # starts, while MkDocs renders the listing pages. Measured at 5,000 articles, 0.6 s
        # faster, and 107 MB less in all at once, than when the child rendered half of the
        # listings too, beside Pagefind.
        pages = articles[len(articles) - round(len(articles) * ARTICLES_ASIDE_SHARE):]
        if len(pages) < ASIDE_MIN_PAGES:
            return
        by_uri = {page.file.src_uri: page for page in pages}

        def render(src_uri: str) -> tuple[str, str | None | object]:
            self.in_child = True
            page = by_uri[src_uri]
            page.active = True
            try:
                html = self._render_page(page, config, env, doc_files)
            finally:
                page.active = False
            # The article's page cut down for Pagefind (search_input.py) here too, off the
            # core that writes every page (0.9 ms a page under the profiler).
            if self.cut_on_post_page and src_uri in self.article_files:
                return html, self.index_input.cut(page.file.dest_uri, html)
            return html, NOT_CUT

        self.aside = forked_render.ForkedRenderer(list(by_uri), render)
        log.debug(f"broadsheet: {len(pages)} article page(s) rendered by a second process")
        self.aside_env, self.aside_doc_files = env, doc_files
        self.aside_templates = {uri: page.meta.get("template", "main.html")
                                for uri, page in by_uri.items()}
        env.loader = jinja2.ChoiceLoader([
            jinja2.DictLoader({PLACEHOLDER_TEMPLATE: ""}), env.loader])
        for page in pages:
            page.meta["template"] = PLACEHOLDER_TEMPLATE

    def _render_page(self, page, config, env, doc_files) -> str:
        """What MkDocs' _build_page does between activating a page and writing it."""
        context = page_context(self.nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=self.nav)
        return config.plugins.on_post_page(template.render(context), page=page, config=config)

    def _close_aside(self) -> None:
        if self.aside is not None:
            self.aside.close()
            self.aside = None
        self.aside_templates = {}

    def _detach_outputs(self, config, files: Files) -> None:
        """A warm build's site folder shares its files with the previous site (hard links,
        see incremental.py): unlink every output MkDocs is about to write, so that it writes
        a new file instead of changing the previous site's through the link."""
        self.build_files = files
        for file in files:
            if file.is_modified():
                incremental.detach(file.abs_dest_path)
        for name in (*config.theme.static_templates, *config.extra_templates):
            incremental.detach(os.path.join(config.site_dir, name))
        incremental.detach(os.path.join(config.site_dir, "sitemap.xml.gz"))
        # Only the articles MkDocs renders again pass on_post_page (_start_search_index).
        self.articles_to_write = {path for path in self.articles_to_write
                                  if self.article_files[path].is_modified()}

    def _parse_cache_path(self, config) -> str:
        return os.path.join(_project_dir(config), PARSE_CACHE_FILE)

    def _finish_warm_build(self, config) -> None:
        """Remove what the previous site had and this build did not make (a deleted
        article's page and card, an emptied tag…), then leave this build's state."""
        files = self.build_files
        expected = {f.dest_uri for f in files if not f.inclusion.is_excluded()}
        expected.update(config.theme.static_templates, config.extra_templates,
                        [SITEMAP, SITEMAP + ".gz"] if self.writes_sitemap else [SITEMAP + ".gz"])
        # The search bundle is Pagefind's files, not MkDocs': kept if this build wrote it.
        kept = [search.BUNDLE_DIR] if self.search_written else []
        removed = incremental.sweep(config.site_dir, expected, kept)
        if removed:
            log.info(f"broadsheet: removed {len(removed)} file(s) of the previous build")
        state = self.next_state
        if self.next_build and state is not None:
            feed_articles = {a.path for spec in self.feed_specs for a in spec.articles}
            state.article_html = {path: text for path, text in self.article_html.items()
                                  if path in feed_articles}
            try:
                incremental.save_state(self.next_build, state)
            except OSError as err:
                log.info(f"broadsheet: this build's record was not kept ({err}): the next "
                         "build renders every page")

    def _fill_feed_files(self, config, files: Files) -> None:
        catalog = self.catalog
        for path, file in self.article_files.items():
            # With `serve --dirty` an unchanged page is not rendered again: keep its last HTML.
            if file.page is not None and file.page.content is not None:
                self.article_html[path] = file.page.content
        language = config.theme.get("language")
        renderer = feeds.FeedRenderer(self.settings, language)
        memo = self.feed_memo
        memo.start((replace(self.settings, now=None), language, config.site_url))
        entries: dict[str, feeds.Entry] = {}
        for spec in self.feed_specs:
            for article in spec.articles:
                if article.path not in entries:
                    page_url = absolute_url_from(config.site_url,
                                                 self.article_files[article.path].url)
                    html = self.article_html.get(article.path, "")
                    entries[article.path] = memo.entry(
                        article, html, page_url,
                        lambda: feeds.article_entry(article, catalog, html, page_url))
            feed_entries = [entries[a.path] for a in spec.articles]
            self.feed_files[spec.path].content_bytes = memo.feed(
                spec, feed_entries, lambda: renderer.render(spec, feed_entries))
        memo.finish()

    def _add_listing_feed_links(self, context, page) -> None:
        """A tag's or author's pages show a visible link to its own feed.

        Not as <link rel="alternate">: Material's JavaScript fetches `sitemap.xml` beside
        every alternate link (for its language switcher), which for tags/<slug>/feed.xml is a
        404 on every view. Readers' feed readers find the site feeds in every page's head."""
        folder = sitemap.listing_folder(page.file.url)
        if folder and self.feed_specs:
            context["listing_feeds"] = feeds.feed_links(self.feed_specs, folder)

    def _date_pages_for_sitemap(self, pages: list[Page]) -> None:
        """Give sitemap.xml each page's real date instead of MkDocs' build date (see
        sitemap.py): an article its updated/date, a listing its newest article's."""
        published = {a.path: a for a in self.catalog.published} if self.catalog else {}
        moments = {path: sitemap.modified(article) for path, article in published.items()}
        listings = sitemap.listing_lastmods(published.values())
        dated: list = []
        undated: list = []
        for page in pages:
            file = page.file
            article = published.get(file.src_uri) if file.src_uri in self.article_files else None
            listing = self.listing_files.get(file.src_uri)
            if article:
                moment = moments[article.path]
            elif listing is not None and listing.numbered_articles is not None:
                # A numbered page keeps its articles: it changed when one of them did.
                moment = max((moments[path] for path in listing.numbered_articles
                              if path in moments), default=None)
            else:
                moment = sitemap.listing_lastmod(file.url, listings)
            if moment is None:
                undated.append(page)
            else:
                page.update_date = sitemap.w3c_datetime(moment)
                dated.append(page)
        if dated:
            # No <lastmod> beats a wrong one. (With no dated page at all MkDocs' dates stay,
            # as when MkDocs writes the sitemap: it needs one to stamp sitemap.xml.gz.)
            for page in undated:
                page.update_date = ""

    def on_post_build(self, *, config):
        if self.cut_aside:
            log.debug(f"broadsheet: {self.cut_aside} article page(s) cut down for Pagefind "
                      "by the second process")
        self._close_aside()
        self._finish_cards()
        self._write_sitemap_gzip(config)
        for file in self.listings_written:
            file.in_place = True
        self.listings_written = []
        # Last: Pagefind reads the finished HTML.
        self._index_search(config)
        if not self.previewing:
            with contextlib.suppress(OSError):
                os.makedirs(os.path.dirname(self._parse_cache_path(config)), exist_ok=True)
            self.parse_cache.save(self._parse_cache_path(config), _versions())
        if self.warm_building:
            self._finish_warm_build(config)
        self.idle_gc.resume()

    def _write_sitemap_gzip(self, config) -> None:
        """sitemap.xml (unless MkDocs wrote it) and sitemap.xml.gz, without the date MkDocs
        stamps in the gzip header: the same site gives the same bytes."""
        path = os.path.join(config.site_dir, SITEMAP)
        if self.writes_sitemap:
            data = self.sitemap_text.encode("utf-8")
            # Written whole (a new file): in a warm build the old one is the previous site's.
            atomic.write_bytes(path, data)
        elif os.path.isfile(path):
            with open(path, "rb") as source:
                data = source.read()
        else:
            return
        if self.sitemap_gzip[0] != data:  # a preview's saves mostly leave it as it was
            self.sitemap_gzip = (data, sitemap.reproducible_gzip(data))
        atomic.write_bytes(path + ".gz", self.sitemap_gzip[1])

    # -- search: a search page and a Pagefind index of the articles (core: search.py) -------

    def on_pre_build(self, *, config):
        if self.search_indexer is not None:
            self.search_indexer.build_started()  # before MkDocs empties the site folder

    def on_shutdown(self):
        self.idle_gc.stop()
        if self.search_indexer is not None:
            self.search_indexer.stop()
        if self.stub_dir is not None and self.previewing:
            shutil.rmtree(self.stub_dir, ignore_errors=True)

    def _add_search_page(self, files: Files, config) -> None:
        """The search page at /search/, generated (never written into docs/)."""
        self.search_file = None
        if not self.config.search:
            return
        if "search" in config.plugins or "material/search" in config.plugins:
            log.info("broadsheet: Material's `search` plugin is on as well as Broadsheet's: "
                     "its box makes every reader download the whole index; remove `- search` "
                     "from `plugins:` in mkdocs.yml (or set broadsheet `search: false`)")
        # Everything it shows is the site's (strings, theme, nav), so it is rendered again
        # when everything is (see _refresh), not at every save.
        file = File.generated(config, search.SEARCH_PAGE_SOURCE,
                              inclusion=InclusionLevel.NOT_IN_NAV,
                              **self._generated_source(config, search.SEARCH_PAGE_SOURCE))
        clash = next((f for f in files if f.dest_uri == file.dest_uri), None)
        if clash is not None:
            log.warning(f"broadsheet: {clash.src_uri} is published at '{file.url}', the "
                        "address of the search page — move it, or set `search: false`")
            return
        files.append(file)
        self.search_file = file

    def _is_search_page(self, page) -> bool:
        return self.search_file is not None and page.file is self.search_file

    def _search_markdown(self, page) -> str:
        page.meta = {"title": html.escape(self.settings.strings["search"]), "hide": ["toc"]}
        return ""

    def _search_view(self) -> dict | None:
        if self.search_file is None:
            return None
        return search.search_view(self.search_file.url, self.settings.strings)

    def _start_search_index(self, config) -> None:
        """In a build, start Pagefind as soon as every article page is on disk (MkDocs writes
        a page right after its on_post_page), so that it indexes on the other core while the
        listing pages are rendered; on_post_build collects the result."""
        if (self.previewing or self.in_child or self.search_file is None
                or self.search_job is not None
                or self.articles_to_write or not self.article_files):
            return
        # Pagefind reads a snapshot of the finished article pages, cut down to what it indexes
        # (search_input.py), not site_dir itself, where MkDocs is still writing listing pages
        # it would half-read. Made in the thread: the listings are rendered meanwhile.
        pages = self._article_pages_oldest_first()
        bundle = os.path.join(config.site_dir, search.BUNDLE_DIR)
        previous = self.previous_build.search_input if self.previous_build else {}
        pool = ThreadPoolExecutor(max_workers=1)  # the thread only waits for Pagefind
        self.search_job = (pool, pool.submit(search_input.index_articles, self.index_input,
                                             pages, bundle, previous, _versions(),
                                             self.settings.search_part_size))

    def _article_pages_oldest_first(self) -> list[tuple[str, str]]:
        """(site path, absolute path) of each article page, oldest article first: the
        index's parts are counted from the oldest article (search.plan_parts)."""
        by_path = self.catalog.by_path
        oldest_first = sorted(self.articles_written, key=lambda path: (by_path[path].date, path))
        return [(file.dest_uri, file.abs_dest_path)
                for file in map(self.article_files.__getitem__, oldest_first)]

    def _prepare_index_input(self, config) -> None:
        """A build's (not a preview's) cut-down article pages for Pagefind. Cut from the HTML
        in on_post_page when no other plugin changes pages after it; otherwise from the
        pages as written (snapshot() reads those it was not given)."""
        self.cut_on_post_page, self.cut_aside = False, 0
        if self.previewing or self.in_child or self.search_file is None:
            self.index_input = None
            return
        folder = os.path.join(_project_dir(config), SEARCH_INPUT_DIR)
        if self.index_input is None or self.index_input.folder != folder:
            self.index_input = search_input.IndexInput(folder)
        self.index_input.start_build()
        self.cut_on_post_page = (self.index_input.owned
                                 and _only_plugin_in(config, self, ("post_page",)))

    def _index_search(self, config) -> None:
        """Index the articles just written. In `serve`, in the background a moment later (see
        search.DebouncedIndexer), so that saving an article reloads the preview at once."""
        if self.search_file is None:
            return
        if not self.article_files:
            # No page carries data-pagefind-body, so Pagefind would index every page.
            log.info("broadsheet: no articles, so no search index")
            if self.index_input is not None:
                self.index_input.finish()
            return
        if self.previewing:
            if self.search_indexer is None or not self.search_indexer.serves(config.site_dir):
                if self.search_indexer is not None:
                    self.search_indexer.stop()
                self.search_indexer = search.DebouncedIndexer(config.site_dir, _log_preview_index)
            self.search_indexer.schedule(search.plan_parts(
                [dest_uri for dest_uri, _ in self._article_pages_oldest_first()],
                self.settings.search_part_size))
            return
        if self.search_job is None:
            self._start_search_index(config)  # no article page was rendered again
        job, self.search_job = self.search_job, None
        try:
            if job is not None:
                pool, future = job
                try:
                    report, made_from = future.result()
                finally:
                    pool.shutdown()
                if self.next_state is not None:
                    self.next_state.search_input = made_from
            else:
                if self.index_input is not None:
                    self.index_input.finish()  # not used: an article page was not written
                report = search.index_whole_site(config.site_dir)
        except search.SearchIndexError as err:
            raise PluginError(f"broadsheet: search: {err}") from err
        if report.warnings:
            log.warning(f"broadsheet: search: Pagefind says: {report.warnings}")
        if report.pages != len(self.article_files):
            log.warning(f"broadsheet: search: the index has {report.pages} page(s) but "
                        f"{len(self.article_files)} article(s) were written — every article "
                        "page, and nothing else, must carry data-pagefind-body "
                        "(templates/partials/article.html)")
        if self.index_input is not None and self.index_input.uncut:
            log.info(f"broadsheet: search: {self.index_input.uncut} article page(s) were "
                     "given to Pagefind whole, which takes longer: keep the article's title, "
                     "text and every data-pagefind attribute between the search-index marks "
                     "of templates/partials/article.html")
        if report.not_reproducible:
            log.info(f"broadsheet: search: the index is not byte-identical across builds "
                     f"({report.not_reproducible}); Pagefind's format may have changed")
        in_parts = f" in {report.parts} parts" if report.parts > 1 else ""
        if report.kept:
            log.info(f"broadsheet: search index of {report.pages} article(s){in_parts} kept: "
                     "no article's indexed text changed")
        elif report.parts_kept:
            log.info(f"broadsheet: search index of {report.pages} article(s){in_parts}: "
                     f"{report.parts - report.parts_kept} written, {report.parts_kept} kept "
                     "(their articles' indexed text did not change)")
        else:
            log.info(f"broadsheet: search index of {report.pages} article(s){in_parts} written")
        self.search_written = True


def _log_preview_index(message: str, ok: bool) -> None:
    (log.info if ok else log.warning)(f"broadsheet: {message}")
