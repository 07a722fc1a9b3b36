"""Site-wide settings the core needs, independent of the engine that reads them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .problems import kind
from .search import PART_SIZE

DEFAULT_URL_FORMAT = "{yyyy}/{mm}/{slug}/"
URL_PLACEHOLDERS = ("yyyy", "mm", "dd", "slug")


class SettingsError(ValueError):
    """A site-level setting is wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    site_name: str = "Broadsheet"
    site_url: str = ""
    articles_dir: str = "articles"
    authors_file: str = "authors.yml"
    url_format: str = DEFAULT_URL_FORMAT
    timezone: tzinfo = timezone.utc
    now: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    """The moment that decides what is scheduled; injectable so builds are reproducible."""
    strings: dict = field(default_factory=dict)
    """UI strings (see strings.DEFAULT_STRINGS), already merged with the site's overrides."""
    share: dict = field(default_factory=dict)
    """The `share:` options as written in mkdocs.yml; share.parse_share_config checks them."""
    newsletter: dict = field(default_factory=dict)
    """The `newsletter:` options as written; newsletter.parse_newsletter_config checks them."""
    per_page: int = 10
    """Articles per listing page (home, tag, author and archive month pages)."""
    feed_size: int = 20
    """How many of the newest articles each feed carries."""
    search_part_size: int = PART_SIZE
    """Articles Pagefind indexes at once, at least (search.plan_parts)."""
    cname: str | None = None
    """The custom domain GitHub Pages serves the site at (domain.py writes the CNAME file)."""

    @property
    def timezone_name(self) -> str:
        return getattr(self.timezone, "key", "UTC")


def parse_timezone(name: str) -> tzinfo:
    if name in ("UTC", "utc", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        close = difflib.get_close_matches(name, sorted(available_timezones()), n=1)
        hint = f"did you mean {close[0]!r}?" if close else (
            "use an IANA name such as 'Europe/London' or 'America/New_York'")
        raise SettingsError(f"timezone: unknown timezone {name!r} — {hint}") from err


def check_url_format(url_format: str) -> str:
    names = set(re.findall(r"{([^{}]*)}", url_format))
    unknown = names - set(URL_PLACEHOLDERS)
    if unknown:
        raise SettingsError(
            f"url_format: unknown placeholder {{{sorted(unknown)[0]}}} — use "
            + ", ".join("{" + n + "}" for n in URL_PLACEHOLDERS)
        )
    if "slug" not in names:
        raise SettingsError("url_format: must contain {slug} so that every article has its "
                            "own URL — e.g. '{yyyy}/{mm}/{slug}/'")
    if url_format.startswith("/") or ".." in url_format:
        raise SettingsError("url_format: must be relative to the site, without '/' at the "
                            "start or '..' — e.g. '{yyyy}/{mm}/{slug}/'")
    if "\\" in url_format:
        # Not a URL's separator; in a file's path it is one on Windows and none elsewhere
        # (and Pagefind, which indexes the article pages, cannot select such a path).
        raise SettingsError(f"url_format: {url_format!r} contains '\\' — separate the "
                            "parts of a URL with '/', e.g. '{yyyy}/{mm}/{slug}/'")
    if not url_format.endswith("/"):
        # Each article is a folder with its index.html; without the '/' the page would be
        # written next to its siblings under a mangled name.
        raise SettingsError(f"url_format: {url_format!r} must end with '/' — "
                            f"e.g. '{url_format.rstrip('/')}/'")
    try:
        url_format.format(yyyy="2024", mm="01", dd="01", slug="x")
    except (ValueError, IndexError, KeyError) as err:
        raise SettingsError(f"url_format: {url_format!r} is not a valid format ({err}) — "
                            "write placeholders as {yyyy}, {mm}, {dd}, {slug}") from None
    return url_format


def _mapping(options: dict, key: str) -> dict:
    """mkdocs.yml read by the CLI is not type-checked by MkDocs, so check it here."""
    value = options.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingsError(f"{key}: is {kind(value)}, not a mapping — write `{key}:` then "
                            "indented `name: value` lines")
    return dict(value)


def check_feed_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"feed_size: {value!r} is not a whole number of articles — "
                            "write e.g. `feed_size: 20`")
    return value


def _per_page(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise SettingsError(f"per_page: {value!r} is not a whole number from 1 to 1000 — "
                            "e.g. `per_page: 10`")
    return value


def _search_part_size(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SettingsError(f"search_part_size: {value!r} is not a whole number of articles — "
                            f"e.g. `search_part_size: {PART_SIZE}` (Pagefind needs about "
                            "150 KB of memory per article it indexes at once)")
    return value


def settings_from_options(options: dict, site_name: str, site_url: str,
                          now_override: str | None = None) -> Settings:
    """Settings from the plugin's options in mkdocs.yml; shared by the build and the CLI.

    `now_override` (the BROADSHEET_NOW environment variable) wins over the `now` option.
    """
    from .dates import parse_date  # local imports: these modules import this one
    from .domain import parse_cname
    from .strings import resolve_strings

    tz = parse_timezone(str(options.get("timezone", "UTC")))
    now_text = now_override or options.get("now")
    try:
        now = parse_date(now_text, tz) if now_text else datetime.now(timezone.utc)
    except ValueError as err:
        raise SettingsError(f"now: {err} — write it as YYYY-MM-DD or 'YYYY-MM-DD HH:MM'") from None
    return Settings(
        site_name=site_name,
        site_url=site_url or "",
        articles_dir=str(options.get("articles_dir", "articles")).strip("/"),
        authors_file=str(options.get("authors_file", "authors.yml")),
        url_format=check_url_format(str(options.get("url_format", DEFAULT_URL_FORMAT))),
        timezone=tz,
        now=now,
        strings=resolve_strings(_mapping(options, "strings")),
        share=_mapping(options, "share"),
        newsletter=_mapping(options, "newsletter"),
        per_page=_per_page(options.get("per_page", 10)),
        feed_size=check_feed_size(options.get("feed_size", 20)),
        search_part_size=_search_part_size(options.get("search_part_size", PART_SIZE)),
        cname=parse_cname(options.get("cname")),
    )
