"""The `broadsheet` command for editors: check the site, start a new article, write a
newsletter issue, import articles."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .catalog import read_site
from .dates import date_option
from . import importers
from .digest import add_digest_arguments
from .problems import summarise
from .scaffold import ScaffoldError, choose_author, new_article
from .settings import SettingsError
from .site_config import load_site_config
from .slugs import slugify
from .validation import article_url


def _check(args) -> int:
    config = load_site_config(Path(args.config))
    catalog = read_site(config.docs_dir, config.settings)
    now = config.settings.now
    drafts = sum(1 for a in catalog.articles if a.status(now) == "draft")
    scheduled = sum(1 for a in catalog.articles if a.status(now) == "scheduled")
    if args.format == "json":
        json.dump({
            "ok": not catalog.problems,
            "articles": len(catalog.articles) + len(catalog.invalid),
            "published": len(catalog.published), "drafts": drafts, "scheduled": scheduled,
            "problems": [p.as_dict() for p in catalog.problems],
        }, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for problem in catalog.problems:
            print(problem)
        total = len(catalog.articles) + len(catalog.invalid)
        if catalog.problems:
            print(f"{summarise(list(catalog.problems))} ({total} article files read)",
                  file=sys.stderr)
        else:
            print(f"{total} articles OK: {len(catalog.published)} published, {drafts} draft, "
                  f"{scheduled} scheduled", file=sys.stderr)
    return 1 if catalog.problems else 0


def _new(args) -> int:
    config = load_site_config(Path(args.config))
    catalog = read_site(config.docs_dir, config.settings)
    settings = config.settings
    author = choose_author(args.author, catalog.authors, settings.authors_file)
    # settings.now is the real clock unless BROADSHEET_NOW or `now:` pins it. The file holds
    # a naive time that is read back in the site's timezone, so the date is converted to it.
    try:
        date = date_option(args.date, settings.timezone, settings.now)
    except ValueError as err:
        raise ScaffoldError(str(err)) from None
    url = article_url(settings.url_format, date, slugify(args.title))
    clash = next((a.path for a in catalog.articles if a.url == url), None)
    if clash:
        raise ScaffoldError(f"title: {clash} already has the URL '{url}' — choose another "
                            "title, or edit that article")
    path = new_article(config.docs_dir, settings.articles_dir, args.title, author, date,
                       args.tag or [], args.source_name, args.source_url)
    print(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="broadsheet", description=__doc__)
    parser.add_argument("--config", "-f", default="mkdocs.yml",
                        help="the site's mkdocs.yml (default: ./mkdocs.yml)")
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate every article and the authors file")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.set_defaults(run=_check)

    new = commands.add_parser("new", help="write a new article file and print its path")
    new.add_argument("title")
    new.add_argument("--author", help="author id from authors.yml (optional if only one)")
    new.add_argument("--source-url", help="address of the article you are excerpting")
    new.add_argument("--source-name", help="publication name, e.g. 'The Asia Times'")
    new.add_argument("--tag", action="append", help="a tag; repeat for several")
    new.add_argument("--date", help="publication date (default: now), e.g. 2026-12-01 09:00")
    new.set_defaults(run=_new)

    digest = commands.add_parser("digest", help="write an email newsletter issue of the newest "
                                 "articles (HTML, and a text version with --out)")
    add_digest_arguments(digest)

    imports = commands.add_parser("import", help="turn a WordPress export or a plain-text "
                                  "page into articles")
    sources = imports.add_subparsers(dest="source", required=True)
    wordpress = sources.add_parser("wordpress", help="import posts (and pages) from a "
                                   "WordPress export (Tools → Export)")
    wordpress.add_argument("export", help="the .xml file WordPress saved")
    wordpress.add_argument("--force", action="store_true",
                           help="replace article files that exist and differ")
    wordpress.add_argument("--pages", choices=("skip", "import"), default="skip",
                           help="import WordPress pages as articles too (default: skip)")
    wordpress.add_argument("--categories", choices=("tags", "skip"), default="tags",
                           help="turn categories into tags (default) or leave them out")
    wordpress.set_defaults(run=importers.run_wordpress)
    text = sources.add_parser("text", help="import an article copied as plain text: title "
                              "line, introduction, '… reveals …:', quoted passage")
    text.add_argument("file")
    text.add_argument("--author", help="author id from authors.yml (optional if only one)")
    text.add_argument("--date", help="publication date (default: now), e.g. 2014-07-02 09:00")
    text.add_argument("--source-url", help="address of the article the passage quotes "
                      "(required when the text names its source)")
    text.add_argument("--source-name", help="who is quoted, if the text does not say it")
    text.add_argument("--tag", action="append", help="a tag; repeat for several")
    text.add_argument("--force", action="store_true", help="replace the file if it differs")
    text.set_defaults(run=importers.run_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except (SettingsError, ScaffoldError) as err:
        print(f"broadsheet: {err}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"broadsheet: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
