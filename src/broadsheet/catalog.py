"""The catalog: every article of the site, validated once, with the problems found.

Built from plain (path, bytes) pairs so that the CLI, the MkDocs adapter and tests share it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from . import atomic
from .authors import load_authors
from .model import Article, Author
from .problems import Problem, ProblemList
from .reader import read_document
from .safety import escaping_links
from .settings import Settings
from .validation import validate_article


@dataclass(frozen=True)
class Catalog:
    settings: Settings
    authors: dict[str, Author]
    articles: tuple[Article, ...]
    """Every valid article, newest first, drafts and scheduled ones included."""
    problems: tuple[Problem, ...] = ()
    invalid: frozenset[str] = field(default_factory=frozenset)
    """Paths of article files that have problems and so are not in `articles`."""

    @property
    def published(self) -> tuple[Article, ...]:
        now = self.settings.now
        return tuple(a for a in self.articles if a.is_published(now))

    @property
    def held_back(self) -> tuple[Article, ...]:
        now = self.settings.now
        return tuple(a for a in self.articles if not a.is_published(now))

    @cached_property
    def by_path(self) -> dict[str, Article]:
        return {a.path: a for a in self.articles}

    def problems_for(self, path: str) -> list[Problem]:
        return [p for p in self.problems if p.path == path]


def is_article_path(path: str, settings: Settings) -> bool:
    """Markdown files anywhere below the articles folder are articles."""
    prefix = settings.articles_dir.strip("/") + "/"
    return path.startswith(prefix) and path.endswith(".md")


class ParseCache:
    """Validated files from the previous run: kept in memory by a preview that rebuilds on
    every save, and on disk by builds (`save`/`load`).

    An article's validation depends on its own bytes, the authors and the settings that
    shape it (timezone, URL format), never on the clock, so an unchanged file need not be
    parsed again while those stay the same. On disk, a file is known by a digest of its
    bytes, and the context also names the code that validated it."""

    def __init__(self, in_memory: bool = True) -> None:
        self._in_memory = in_memory
        """A file is known by its bytes (a preview: finding the same bytes object is
        immediate), else by their digest (a build: the bytes are not kept in memory)."""
        self._context: tuple | None = None
        self._files: dict[tuple[str, bytes], tuple[Article | None, tuple[Problem, ...]]] = {}
        self._stored: dict[tuple[str, bytes], tuple[Article | None, tuple[Problem, ...]]] = {}
        self._seen: set[tuple[str, bytes]] = set()
        self._changed = True
        """What save() would write differs from what load() read."""
        self.loaded = 0
        """Files found as `load` read them (not parsed again) since then."""

    def reset_unless(self, context: tuple) -> None:
        if context != self._context:
            self._context, self._files, self._stored = context, {}, {}
            self._changed = True

    def get(self, path: str, data: bytes):
        key = (path, data) if self._in_memory else (path, _digest(data))
        self._seen.add(key)
        found = self._files.get(key)
        if found is None and self._stored:
            found = self._stored.get(key if not self._in_memory else (path, _digest(data)))
            if found is not None:
                self._files[key] = found
                self.loaded += 1
        return found

    def put(self, path: str, data: bytes, result) -> None:
        """Keep what get() found missing for these bytes."""
        self._changed = True
        self._files[(path, data) if self._in_memory else (path, _digest(data))] = result

    def keep_only_seen(self) -> None:
        """Forget every file get() was not asked for since the last call."""
        kept = {key: value for key, value in self._files.items() if key in self._seen}
        if len(kept) != len(self._files) or not self._seen.issuperset(self._stored):
            self._changed = True  # a file is gone, or changed
        self._files = kept
        self._stored, self._seen = {}, set()

    def save(self, target: str | os.PathLike, code_version: object) -> None:
        """Write this run's files to `target` (whole, then renamed into place), unless they
        are what load() read there."""
        if not self._changed and os.path.exists(target):
            return
        stored = (self._files if not self._in_memory else
                  {(path, _digest(data)): result for (path, data), result in self._files.items()})
        # Streamed to the file: pickled whole in memory first, 5,000 articles took 22 MB more
        # at the build's very end, when its memory is at its peak.
        with contextlib.suppress(OSError):  # no cache: the next build parses again
            atomic.write_with(target, lambda out: pickle.dump(
                (code_version, self._context, stored), out, protocol=5))

    @classmethod
    def load(cls, source: str | os.PathLike, code_version: object) -> ParseCache:
        """What `save` wrote with the same code version; an empty cache if anything is off."""
        cache = cls(in_memory=False)
        try:
            with open(source, "rb") as stored_file:
                version, context, stored = pickle.load(stored_file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            return cache
        if version == code_version and isinstance(stored, dict):
            cache._context, cache._stored, cache._changed = context, stored, False
        return cache


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def build_catalog(files: Iterable[tuple[str, bytes]], authors_data: bytes | None,
                  settings: Settings, cache: ParseCache | None = None) -> Catalog:
    authors, author_problems = load_authors(settings.authors_file, authors_data)
    problems: list[Problem] = list(author_problems)
    articles: list[Article] = []
    invalid: set[str] = set()
    if cache is not None:
        cache.reset_unless((authors_data, settings.timezone, settings.url_format,
                            settings.authors_file, settings.articles_dir))
    for path, data in files:
        found = cache.get(path, data) if cache is not None else None
        if found is None:
            file_problems = ProblemList(path)
            raw = read_document(path, data, file_problems)
            article = (validate_article(path, raw, file_problems, settings, authors)
                       if raw else None)
            found = (article, tuple(file_problems))
            if cache is not None:
                cache.put(path, data, found)
        article, file_problems = found
        problems.extend(file_problems)
        # The reader may find a problem (a key given twice) and still hand on a document,
        # so that validation reports the rest; such a file is invalid all the same.
        if article is None or file_problems:
            invalid.add(path)
        else:
            articles.append(article)
    if cache is not None:
        cache.keep_only_seen()
    articles, clashes = _without_url_clashes(articles)
    problems.extend(clashes)
    invalid.update(p.path for p in clashes)
    articles.sort(key=lambda a: (a.date, a.path), reverse=True)
    return Catalog(settings=settings, authors=authors, articles=tuple(articles),
                   problems=tuple(sorted(problems, key=_problem_order)), invalid=frozenset(invalid))


def _problem_order(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0)


def _without_url_clashes(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    by_url: dict[str, list[Article]] = {}
    for article in articles:
        by_url.setdefault(article.url, []).append(article)
    kept: list[Article] = []
    problems: list[Problem] = []
    for url, group in by_url.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        paths = sorted(a.path for a in group)
        for article in group:
            others = ", ".join(p for p in paths if p != article.path)
            problems.append(Problem(article.path, None, "url",
                                    f"'{url}' is also the URL of {others}",
                                    "give one of them a different `slug:` (or title)"))
    return kept, problems


def read_site(docs_dir: Path, settings: Settings) -> Catalog:
    """Read the articles and authors file from a docs folder on disk (the CLI's way in)."""
    articles_dir = docs_dir / settings.articles_dir
    files = []
    if articles_dir.is_dir():
        candidates = [(f.relative_to(docs_dir).as_posix(), str(f))
                      for f in sorted(articles_dir.rglob("*.md"))
                      if not any(p.startswith(".") for p in f.relative_to(docs_dir).parts)]
        unsafe = escaping_links(candidates, str(docs_dir))
        refused = {p.path for p in unsafe}
        files = [(uri, Path(path).read_bytes()) for uri, path in candidates if uri not in refused]
    else:
        unsafe = []
    authors_path = docs_dir / settings.authors_file
    authors_data = authors_path.read_bytes() if authors_path.is_file() else None
    catalog = build_catalog(files, authors_data, settings)
    if not unsafe:
        return catalog
    return replace(catalog, problems=tuple(sorted([*unsafe, *catalog.problems], key=_problem_order)),
                   invalid=catalog.invalid | {p.path for p in unsafe})
