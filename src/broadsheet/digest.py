"""`broadsheet digest`: an email-ready newsletter issue of the newest published articles.

Plain data in, HTML and text out, in three steps the CLI (`run_digest`) strings together:
`select_articles` picks the issue (`--since DATE` or `--last N` of the published articles,
never drafts or scheduled ones), `digest_view` computes every string the email shows, and
`render_digest` renders email/digest.html (autoescaped) and email/digest.txt, then inlines
email/digest.css into style="" attributes with css-inline. The HTML keeps no <style>: many
mail clients drop it, which also rules out a dark-mode media query, so the colours are chosen
to survive the inversion dark-mode mail apps apply (see digest.css).

Nothing in the email is fetched from elsewhere (no images, web fonts or remote CSS, and
css-inline is told not to load stylesheets); its links are absolute, made from `site_url`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from . import atomic
from .catalog import Catalog, read_site
from .dates import date_option
from .model import Article
from .problems import summarise
from .settings import Settings
from .site_config import load_site_config
from .summary import card_excerpt, shorten
from .validation import absolute_http_url
from .urls import absolute_url
from .views import display_date

DEFAULT_LAST = 5
TEXT_WIDTH = 72
PREHEADER_CHARS = 140
"""Inboxes show about this much preview text; the rest would only be cut."""
TEMPLATES = Path(__file__).parent / "email"
_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class DigestError(ValueError):
    """The issue cannot be made; the message says why and how to fix it (exit status 2)."""


# -- choosing and describing the issue --------------------------------------------------------

def select_articles(published: Sequence[Article], *, since: datetime | None = None,
                    last: int | None = None) -> tuple[Article, ...]:
    """`published` newest first (Catalog.published): those dated `since` or later, at most
    `last` of them, newest first."""
    chosen = [a for a in published if since is None or a.date >= since]
    return tuple(chosen if last is None else chosen[:last])


def check_site_url(settings: Settings) -> str:
    """The site's address: an email is read far from the site, so every link is absolute."""
    if not settings.site_url:
        raise DigestError("site_url: is not set in mkdocs.yml — a newsletter's links must be "
                          "absolute: add e.g. `site_url: https://news.example.org/`")
    problem = absolute_http_url(settings.site_url)
    if problem:
        raise DigestError(f"site_url: {problem} — a newsletter's links must be absolute: "
                          "write e.g. `site_url: https://news.example.org/` in mkdocs.yml")
    return absolute_url(settings, "")




def item_view(article: Article, catalog: Catalog) -> dict:
    settings = catalog.settings
    strings = settings.strings
    names = [catalog.authors[a].name for a in article.authors if a in catalog.authors]
    byline = f"{strings['byline_by']} {', '.join(names)}" if names else ""
    date_display = display_date(article.date, strings)
    source = article.source
    source_line = None
    if source:
        source_line = (strings["digest_source_title"].format(source=source.name, title=source.title)
                       if source.title else strings["digest_source"].format(source=source.name))
    return {
        "title": article.title,
        "url": absolute_url(settings, article.url),
        "date_iso": article.date.isoformat(),
        "date_display": date_display,
        "byline": byline,
        "meta_text": " · ".join(filter(None, [date_display, byline])),
        # The same text as the article's card on the listing pages and in the feeds.
        "excerpt": card_excerpt(article),
        "source_line": source_line,
        "source_url": source.url if source else None,
        "continue_label": strings["continue_reading"],
        "read_on": strings["digest_read_on"].format(site=settings.site_name),
    }


def digest_view(articles: Sequence[Article], catalog: Catalog, *, description: str = "",
                language: str = "en") -> dict:
    """What both parts of the email show, as raw text (the HTML template escapes it)."""
    settings = catalog.settings
    strings = settings.strings
    site_url = check_site_url(settings)
    if not articles:
        raise DigestError("the issue has no articles")
    now = settings.now.astimezone(settings.timezone)
    date_display = display_date(now, strings)
    items = [item_view(article, catalog) for article in articles]
    return {
        "lang": language if _LANGUAGE_RE.match(language or "") else "en",
        "title": strings["digest_title"].format(site=settings.site_name, date=date_display),
        "preheader": shorten(" · ".join(item["title"] for item in items), PREHEADER_CHARS),
        "site_name": settings.site_name,
        "site_url": site_url,
        "description": description,
        "date_iso": now.date().isoformat(),
        "date_display": date_display,
        "footer": strings["digest_footer"].format(site=settings.site_name),
        "articles": items,
    }


# -- rendering --------------------------------------------------------------------------------

def _wrap(text: str) -> str:
    return textwrap.fill(text, TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)


@lru_cache(maxsize=None)
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["wrap"] = _wrap
    return env


@lru_cache(maxsize=None)
def _inliner():
    # Imported here so that the rest of the CLI works on a virtualenv not yet updated.
    import css_inline

    return css_inline.CSSInliner(
        extra_css=(TEMPLATES / "digest.css").read_text(encoding="utf-8"),
        load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False,
        keep_at_rules=False)


def render_digest(view: dict) -> tuple[str, str]:
    """(HTML, plain text) of the issue described by `view` (a digest_view)."""
    html = _environment(True).get_template("digest.html").render(digest=view)
    html = _inliner().inline(html)
    if not html.endswith("\n"):
        html += "\n"
    text = _environment(False).get_template("digest.txt").render(digest=view)
    return html, text


# -- the command ------------------------------------------------------------------------------

def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of articles, "
                                         "e.g. --last 5")
    return number


def add_digest_arguments(parser: argparse.ArgumentParser) -> None:
    """The `digest` subcommand's options (cli.py adds the subcommand)."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--since", metavar="DATE",
                       help="the articles published on or after DATE, e.g. 2026-11-01")
    which.add_argument("--last", metavar="N", type=_positive,
                       help=f"the N newest articles (the default, with N={DEFAULT_LAST})")
    parser.add_argument("--out", metavar="FILE",
                        help="write the HTML to FILE and the text version to FILE with .txt "
                             "(default: print the HTML)")
    parser.set_defaults(run=run_digest)


def _write_issue(out: Path, html: str, text: str) -> Path:
    """Write both parts, or neither: each goes to a temporary file first."""
    text_path = out.with_suffix(".txt")
    if text_path == out:
        raise DigestError(f"--out: {out} ends in .txt, where the text version goes — name "
                          "the HTML file e.g. issue.html")
    if not out.parent.is_dir():
        raise DigestError(f"--out: the folder {out.parent} does not exist — create it first")
    if out.is_dir():
        raise DigestError(f"--out: {out} is a folder — give a file name, "
                          f"e.g. {out / 'issue.html'}")
    written: list[tuple[str, Path]] = []
    try:
        for content, path in ((html, out), (text, text_path)):
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
            written.append((temporary, path))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
                file.write(content)
            # mkstemp makes the file private; an issue is a normal file, as `open` would make.
            os.chmod(temporary, atomic.normal_file_mode())
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as err:
        for temporary, _ in written:
            Path(temporary).unlink(missing_ok=True)
        raise DigestError(f"--out: cannot write {out}: {err.strerror or err}") from None
    return text_path


def run_digest(args: argparse.Namespace) -> int:
    config_file = Path(args.config)
    config = load_site_config(config_file)
    settings = config.settings
    check_site_url(settings)
    since = None
    if args.since is not None:
        try:
            since = date_option(args.since, settings.timezone, settings.now, "--since")
        except ValueError as err:
            raise DigestError(str(err)) from None
    last = args.last if args.last is not None else (None if since else DEFAULT_LAST)

    catalog = read_site(config.docs_dir, settings)
    if catalog.problems:
        print(f"broadsheet: {summarise(list(catalog.problems))}: articles with problems are "
              "left out of the issue — run `broadsheet check`", file=sys.stderr)
    articles = select_articles(catalog.published, since=since, last=last)
    if not articles:
        when = f" since {args.since.strip()}" if since else ""
        print(f"broadsheet: no published articles{when} — nothing written", file=sys.stderr)
        return 1

    html, text = render_digest(digest_view(articles, catalog,
                                           description=config.site_description,
                                           language=config.language))
    if args.out is None:
        sys.stdout.write(html)
        return 0
    out = Path(args.out)
    text_path = _write_issue(out, html, text)
    print(f"{out}\n{text_path}")
    count = len(articles)
    print(f"broadsheet: {count} article{'' if count == 1 else 's'} in the issue", file=sys.stderr)
    return 0
