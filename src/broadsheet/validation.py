"""Turn raw front matter into a frozen ``Article``, or into problems an editor can act on.

One implementation for every entry point: the CLI, ``mkdocs build`` and ``mkdocs serve``.
Every rule reports and moves on, so one run lists every problem in a file.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from urllib.parse import urlsplit

from . import dates, slugs
from .model import Article, Author, ShareOptions, Source
from .networks import NETWORK_IDS
from .problems import ProblemList, kind
from .reader import RawDocument, key_label
from .settings import Settings

ARTICLE_KEYS = ("title", "date", "updated", "author", "authors", "tags", "source", "excerpt",
                "description", "image", "image_alt", "draft", "slug", "share")
SOURCE_KEYS = ("name", "url", "title", "author", "published")
SHARE_KEYS = ("text", "hashtags", "networks")

MAX_TITLE = 300
MAX_TEXT = 2_000
MAX_TAGS = 50
MAX_TAG = 100
MAX_URL = 2_000
_HASHTAG_RE = re.compile(r"^\w+$")
_CONTROL_OK = {"\n", "\t"}


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def control_character(text: str, allow_newlines: bool = False) -> str | None:
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") and not (
                allow_newlines and char in _CONTROL_OK):
            return f"U+{ord(char):04X}"
    return None


def absolute_http_url(value: str) -> str | None:
    """Return why `value` is not an absolute http(s) URL, or None when it is one."""
    if len(value) > MAX_URL:
        return f"is {len(value)} characters long, over {MAX_URL}"
    if any(c.isspace() for c in value) or control_character(value):
        return "contains spaces or control characters"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "is not a URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"must start with https:// or http:// (got {value[:40]!r})"
    if not parts.hostname or "." not in parts.hostname and parts.hostname != "localhost":
        return "has no valid host name"
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        return "has an invalid port number"
    return None


class _FileValidator:
    def __init__(self, path: str, raw: RawDocument, problems: ProblemList,
                 settings: Settings, authors: Mapping[str, Author]):
        self.path = path
        self.raw = raw
        self.meta = raw.meta
        self.problems = problems
        self.settings = settings
        self.authors = authors
        self.suggested: set[str] = set()
        """Keys an unknown key was probably meant to be: `autor` already says 'author' is
        missing, so that is not reported a second time."""

    def line(self, key: str) -> int | None:
        return self.raw.lines.get(key, 2 if self.raw.has_front_matter else None)

    def error(self, key: str, message: str, hint: str = "", field: str | None = None) -> None:
        field = field or key
        line = self.raw.lines.get(field.split("[")[0]) or self.line(key)
        self.problems.add(line, field, message, hint)

    # -- helpers for one value --------------------------------------------------------

    def text(self, key: str, value: object, *, field: str | None = None, limit: int = MAX_TEXT,
             multiline: bool = False, required: bool = False) -> str | None:
        field = field or key
        if value is None:
            if required:
                self.error(key, "is empty", f"give the {field} a value", field)
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.error(key, f"is {kind(value)}, not text",
                       f"write {field} as plain text, in quotes if it has a colon", field)
            return None
        text = str(value)
        bad = control_character(text, allow_newlines=multiline)
        if bad:
            self.error(key, f"contains the control character {bad}", "delete it", field)
            return None
        text = text.strip() if multiline else " ".join(text.split())
        if not text:
            if required:
                self.error(key, "is empty", f"give the {field} a value", field)
            return None
        if len(text) > limit:
            self.error(key, f"is {len(text):,} characters long, over the {limit:,} limit",
                       "shorten it", field)
            return None
        return text

    def date(self, key: str, value: object, field: str | None = None) -> datetime | None:
        try:
            return dates.parse_date(value, self.settings.timezone)
        except ValueError as err:
            self.error(key, str(err), dates.DATE_HINT, field)
            return None

    def string_list(self, key: str, value: object, field: str, *, limit: int) -> list[str]:
        if isinstance(value, str):
            self.error(key, "is a single value, not a list",
                       f"write a list: {key}: [{value}] or one '- item' per line", field)
            return []
        if not isinstance(value, list):
            self.error(key, f"is {kind(value)}, not a list",
                       f"write a list: {key}: [first, second]", field)
            return []
        if len(value) > limit:
            self.error(key, f"has {len(value)} items, over the {limit} limit", "remove some",
                       field)
            return []
        items: list[str] = []
        for index, item in enumerate(value):
            text = self.text(key, item, field=f"{field}[{index}]", limit=MAX_TAG)
            if text and text not in items:
                items.append(text)
        return items

    def unknown_keys(self, mapping: Mapping, known: tuple[str, ...], key: str,
                     prefix: str = "") -> None:
        for name in mapping:
            if str(name) not in known:
                close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.6)
                if close:
                    self.suggested.add(prefix + close[0])
                hint = did_you_mean(str(name), known) or "known keys: " + ", ".join(known)
                line_key = key if prefix else str(name)
                self.error(line_key, "unknown key", hint, f"{prefix}{key_label(name)}")

    # -- the fields ---------------------------------------------------------------------

    def run(self) -> Article | None:
        meta = self.meta
        if not self.raw.has_front_matter:
            self.problems.add(1, "front matter", "is missing",
                              "start the file with '---', then 'title:', 'date:' and "
                              "'author:' lines, then '---'")
            return None
        self.unknown_keys(meta, ARTICLE_KEYS, "")
        title = None
        if "title" not in meta:
            if "title" not in self.suggested:
                self.error("title", "is missing", "add a line `title: Your headline`")
        else:
            title = self.text("title", meta["title"], limit=MAX_TITLE, required=True)
        date = None
        if "date" not in meta:
            if "date" not in self.suggested:
                self.error("date", "is missing", "add a line `date: YYYY-MM-DD`")
        else:
            date = self.date("date", meta["date"])
        updated = self.date("updated", meta["updated"]) if meta.get("updated") is not None else None
        if date and updated and updated < date:
            self.error("updated", "is before date", "an update cannot precede publication; "
                       "fix the date or remove 'updated'")
        authors = self.check_authors()
        tags = tuple(self.string_list("tags", meta["tags"], "tags", limit=MAX_TAGS)) \
            if meta.get("tags") is not None else ()
        source = self.check_source()
        excerpt = self.text("excerpt", meta.get("excerpt"), multiline=True)
        description = self.text("description", meta.get("description"), limit=500)
        image, image_alt = self.check_image()
        draft = self.check_draft()
        slug = self.check_slug(title)
        share = self.check_share()
        # The list holds this file's problems only, the reader's among them (a key given
        # twice): any problem at all keeps the article out.
        if self.problems or title is None or date is None or not authors:
            return None
        url = article_url(self.settings.url_format, date, slug)
        return Article(
            path=self.path, title=title, date=date, authors=tuple(authors), slug=slug, url=url,
            body=self.raw.body, body_line=self.raw.body_line, updated=updated, tags=tags,
            source=source, excerpt=excerpt, description=description, image=image,
            image_alt=image_alt, draft=draft, share=share,
        )

    def check_authors(self) -> list[str]:
        meta = self.meta
        if "author" in meta and "authors" in meta:
            self.error("authors", "is given together with 'author'",
                       "keep one: `author: id` or `authors: [id1, id2]`")
            return []
        if "author" in meta:
            value = meta["author"]
            if isinstance(value, list):
                self.error("author", "is a list", "use `authors:` for several authors")
                return []
            ids = [self.text("author", value)] if value is not None else []
            field = "author"
        elif "authors" in meta:
            before = len(self.problems)
            ids = self.string_list("authors", meta["authors"], "authors", limit=20)
            if len(self.problems) > before:
                return []
            field = "authors"
        elif self.suggested & {"author", "authors"}:
            return []
        else:
            self.problems.add(self.line("title"), "author", "is missing",
                              "add `author: <id>` with an id from "
                              f"{self.settings.authors_file}" + self.known_authors())
            return []
        ids = [i for i in ids if i]
        if not ids:
            self.error(field, "is empty", "name at least one author id" + self.known_authors())
            return []
        known = []
        for author_id in ids:
            if author_id in self.authors:
                known.append(author_id)
            else:
                hint = did_you_mean(author_id, self.authors) or (
                    f"add '{author_id}' to {self.settings.authors_file}" + self.known_authors())
                self.error(field, f"unknown author '{author_id}'", hint)
        return known if len(known) == len(ids) else []

    def known_authors(self) -> str:
        if not self.authors:
            return f" (none defined yet in {self.settings.authors_file})"
        return " (known: " + ", ".join(sorted(self.authors)) + ")"

    def check_source(self) -> Source | None:
        value = self.meta.get("source")
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error("source", f"is {kind(value)}, not a mapping",
                       "write `source:` then indented `name:` and `url:` lines")
            return None
        self.unknown_keys(value, SOURCE_KEYS, "source", prefix="source.")
        name = None
        if "name" not in value:
            if "source.name" not in self.suggested:
                    self.error("source", "is missing", "add the publication's name, "
                           "e.g. `name: The Asia Times`", "source.name")
        else:
            name = self.text("source", value["name"], field="source.name", limit=MAX_TITLE,
                             required=True)
        url = None
        if "url" not in value and "source.url" in self.suggested:
            pass  # the misspelt key was reported with its correction
        elif value.get("url") is None:
            self.error("source", "is missing", "add the address of the original article, "
                       "e.g. `url: https://example.com/story`", "source.url")
        else:
            url = self.text("source", value["url"], field="source.url", limit=MAX_URL)
            why = absolute_http_url(url) if url else None
            if why:
                self.error("source", why, "give the full address of the original article, "
                           "starting with https://", "source.url")
                url = None
        title = self.text("source", value.get("title"), field="source.title", limit=MAX_TITLE)
        author = self.text("source", value.get("author"), field="source.author", limit=MAX_TITLE)
        published = (self.date("source", value["published"], "source.published")
                     if value.get("published") is not None else None)
        if name and url:
            return Source(name=name, url=url, title=title, author=author, published=published)
        return None

    def check_image(self) -> tuple[str | None, str | None]:
        image = self.text("image", self.meta.get("image"), limit=MAX_URL)
        alt = self.text("image_alt", self.meta.get("image_alt"), limit=500)
        if image:
            why = image_reference_problem(image)
            if why:
                self.error("image", why, "use an https:// address or a path inside docs/, "
                           "e.g. images/photo.jpg")
                image = None
            elif not alt:
                # Pointed at the `image:` line: that is where the missing text belongs.
                self.error("image", "is missing", "describe the image for readers who "
                           "cannot see it: `image_alt: ...`", "image_alt")
        elif alt and "image" not in self.meta:
            self.error("image_alt", "is given without an image", "add `image:` or remove it")
        return image, alt

    def check_draft(self) -> bool:
        value = self.meta.get("draft", False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error("draft", f"is {value!r}, not true or false", "write `draft: true` or "
                       "`draft: false`")
            return False
        return value

    def check_slug(self, title: str | None) -> str:
        if self.meta.get("slug") is None:
            slug = slugs.slugify(title) if title else "untitled"
            if not slug:
                self.error("title", "gives an empty URL slug (no letters or digits)",
                           "add `slug: some-words` to choose the article's URL", "slug")
                return "untitled"
            return slug
        value = self.text("slug", self.meta["slug"], limit=slugs.MAX_SLUG_LENGTH)
        if value is None:
            return "untitled"
        if not slugs.is_slug(value):
            suggestion = slugs.slugify(value)
            self.error("slug", f"{value!r} is not a URL slug",
                       f"use lowercase letters, digits and hyphens, e.g. `slug: {suggestion}`"
                       if suggestion else "use lowercase letters, digits and hyphens")
            return "untitled"
        return value

    def check_share(self) -> ShareOptions:
        value = self.meta.get("share")
        if value is None:
            return ShareOptions()
        if not isinstance(value, dict):
            self.error("share", f"is {kind(value)}, not a mapping",
                       "write `share:` then indented `text:`, `hashtags:` or `networks:`")
            return ShareOptions()
        self.unknown_keys(value, SHARE_KEYS, "share", prefix="share.")
        text = self.text("share", value.get("text"), field="share.text", limit=500)
        hashtags: list[str] = []
        if value.get("hashtags") is not None:
            for tag in self.string_list("share", value["hashtags"], "share.hashtags", limit=10):
                tag = tag.lstrip("#")
                if _HASHTAG_RE.match(tag):
                    hashtags.append(tag)
                else:
                    self.error("share", f"{tag!r} is not a hashtag", "use letters, digits and "
                               "underscores only", "share.hashtags")
        networks = None
        if value.get("networks") is not None:
            networks = []
            for name in self.string_list("share", value["networks"], "share.networks",
                                         limit=len(NETWORK_IDS)):
                if name in NETWORK_IDS:
                    networks.append(name)
                else:
                    self.error("share", f"unknown network '{name}'",
                               did_you_mean(name, NETWORK_IDS) or
                               "known: " + ", ".join(NETWORK_IDS), "share.networks")
            networks = tuple(networks)
        return ShareOptions(text=text, hashtags=tuple(hashtags), networks=networks)


def image_reference_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme or value.startswith("//"):
        return absolute_http_url(value)
    if value.startswith("/") or ".." in value.split("/") or "\\" in value:
        return "must be a path inside docs/ without '/' at the start or '..'"
    if control_character(value) or any(c.isspace() for c in value):
        return "contains spaces or control characters"
    return None


def article_url(url_format: str, date: datetime, slug: str) -> str:
    return url_format.format(yyyy=f"{date.year:04d}", mm=f"{date.month:02d}",
                             dd=f"{date.day:02d}", slug=slug)


def validate_article(path: str, raw: RawDocument, problems: ProblemList, settings: Settings,
                     authors: Mapping[str, Author]) -> Article | None:
    return _FileValidator(path, raw, problems, settings, authors).run()
