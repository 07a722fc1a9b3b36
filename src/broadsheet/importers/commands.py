"""`broadsheet import wordpress|text`: read the site, plan, write, and say what was done."""

from __future__ import annotations

from pathlib import Path

from ..catalog import read_site
from ..dates import date_option
from ..scaffold import choose_author
from ..site_config import load_site_config
from ..slugs import slugify
from ..validation import absolute_http_url, article_url
from . import ImportFailure
from .text import markdown_body, parse_text
from .wordpress import date_text, plan_import
from .writer import (
    DIFFERS,
    REPLACED,
    UNCHANGED,
    WRITTEN,
    article_text,
    authors_after,
    merged_authors_text,
    problems_in,
    write_if_changed,
)
from .wxr import read_export

IMAGES_FILE = "import-images.txt"


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFailure(f"{path}: not found — give the path of the {what}") from None
    except IsADirectoryError:
        raise ImportFailure(f"{path}: is a folder — give the path of the {what}") from None
    except OSError as err:
        raise ImportFailure(f"{path}: cannot be read ({err.strerror})") from None


def _shown(path: Path) -> str:
    cwd = Path.cwd()
    return str(path.relative_to(cwd)) if path.is_relative_to(cwd) else str(path)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def import_wordpress(args) -> int:
    config = load_site_config(Path(args.config))
    settings = config.settings
    export_path = Path(args.export)
    export = read_export(_read(export_path, "WordPress export (.xml)"), str(export_path))
    catalog = read_site(config.docs_dir, settings)
    existing_urls = {a.url: a.path for a in catalog.articles}
    plan = plan_import(export, settings, catalog.authors, existing_urls,
                       pages=args.pages == "import", categories=args.categories == "tags")

    authors_path = config.docs_dir / settings.authors_file
    old_authors = authors_path.read_text(encoding="utf-8") if authors_path.is_file() else None
    new_authors = merged_authors_text(old_authors, plan.new_authors, _shown(authors_path))
    authors = authors_after(new_authors if new_authors is not None else old_authors,
                            settings.authors_file)

    outcomes: dict[str, list[str]] = {WRITTEN: [], REPLACED: [], UNCHANGED: [], DIFFERS: []}
    invalid: list[tuple[str, list[str]]] = []
    planned = []
    for article in plan.articles:
        text = article_text(article.meta, article.body, article.comment)
        problems = problems_in(article.relative, text, settings, authors)
        if problems:  # should not happen; never write a file `broadsheet check` would refuse
            invalid.append((article.label, problems))
        else:
            planned.append((article, text))
    if new_authors is not None and planned:
        authors_path.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(authors_path, new_authors.encode("utf-8"), force=True)
    for article, text in planned:
        outcome = write_if_changed(config.docs_dir / article.relative, text.encode("utf-8"),
                                   args.force)
        outcomes[outcome].append(article.relative)

    images = sorted({url for article, _ in planned for url in article.images})
    images_path = export_path.parent / IMAGES_FILE
    images_outcome = None
    if images:
        try:
            images_outcome = write_if_changed(images_path, ("\n".join(images) + "\n").encode(),
                                              force=True)
        except ImportFailure as err:  # the list is a convenience: the summary has it too
            images_outcome = f"not written: {err}"

    _print_wordpress_summary(plan, planned, outcomes, invalid, images, images_path,
                             images_outcome, settings.authors_file,
                             new_authors is not None and bool(planned))
    if new_authors is not None and planned and old_authors and \
            not new_authors.startswith(old_authors.rstrip("\n")):
        print(f"Note: {settings.authors_file} had an unusual layout and was rewritten; its "
              "comments were not kept.")
    return 1 if outcomes[DIFFERS] or invalid else 0


def _print_wordpress_summary(plan, planned, outcomes, invalid, images, images_path,
                             images_outcome, authors_file, authors_written) -> None:
    print(f"Articles ({len(planned)} to import):")
    labels = {article.relative: (article.label, article.status) for article, _ in planned}
    wording = {WRITTEN: "written", REPLACED: "replaced (--force)", UNCHANGED: "unchanged",
               DIFFERS: "exists, differs (use --force)"}
    for outcome in (WRITTEN, REPLACED, DIFFERS, UNCHANGED):
        for relative in outcomes[outcome]:
            label, status = labels[relative]
            print(f"  {wording[outcome]}: {relative} — {label}, {status}")
    for label, problems in invalid:
        print(f"  not written: {label}: " + "; ".join(problems))
    if plan.skipped or plan.uncounted:
        print(f"Skipped ({len(plan.skipped) + sum(plan.uncounted.values())}):")
        for label, reason in plan.skipped:
            print(f"  {label}: {reason}")
        if plan.uncounted:
            print("  not articles: " + ", ".join(_count(n, kind) for kind, n in
                                               sorted(plan.uncounted.items())))
    if plan.new_authors or plan.kept_authors:
        print("Authors:")
        if plan.new_authors:
            verb = "added to" if authors_written else "would be added to"
            print(f"  {verb} {authors_file}: " + ", ".join(
                f"{i} ({e['name']})" for i, e in plan.new_authors.items())
                + " — add a description and avatar there")
        if plan.kept_authors:
            print(f"  already in {authors_file}, left as they are: "
                  + ", ".join(plan.kept_authors))
    shortcode_lines = [(a.relative, a.shortcodes) for a, _ in planned if a.shortcodes]
    if shortcode_lines:
        print("Shortcodes found:")
        for relative, found in shortcode_lines:
            print(f"  {relative}: " + "; ".join(found))
    note_lines = [(a.relative, a.notes) for a, _ in planned if a.notes]
    if note_lines:
        print("To check by hand:")
        for relative, notes in note_lines:
            print(f"  {relative}: " + "; ".join(notes))
    if images:
        state = {WRITTEN: "written", REPLACED: "updated", UNCHANGED: "unchanged"}
        print(f"Images to download ({len(images)}; list in {_shown(images_path)}, "
              f"{state.get(images_outcome, images_outcome)}). They are links to the old site "
              "until you save them under docs/ and put them back as images:")
        for url in images:
            print(f"  {url}")
    changed = len(outcomes[WRITTEN]) + len(outcomes[REPLACED])
    imported = (f"{len(planned)} imported ({len(outcomes[WRITTEN])} written, "
                f"{len(outcomes[REPLACED])} replaced, {len(outcomes[UNCHANGED])} unchanged, "
                f"{len(outcomes[DIFFERS])} left alone)")
    parts = [imported, f"{len(plan.skipped) + sum(plan.uncounted.values())} skipped"]
    if not changed and not authors_written and images_outcome not in (WRITTEN, REPLACED):
        parts.append("nothing written")
    print("Summary: " + ", ".join(parts) + ".")


def import_text(args) -> int:
    config = load_site_config(Path(args.config))
    settings = config.settings
    path = Path(args.file)
    data = _read(path, "text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ImportFailure(f"{path}: is not UTF-8 text (byte {err.start}) — save it as "
                            "UTF-8") from None
    article = parse_text(text, str(path))
    catalog = read_site(config.docs_dir, settings)
    author = choose_author(args.author, catalog.authors, settings.authors_file)
    try:
        date = date_option(args.date, settings.timezone, settings.now)
    except ValueError as err:
        raise ImportFailure(str(err)) from None

    name = args.source_name or article.source_name
    source = None
    if name and not args.source_url:
        raise ImportFailure(
            f"{path}: quotes {name}, and a quoted source needs the address of the original "
            "article — add --source-url https://… (the page you copied the passage from)")
    if args.source_url:
        if why := absolute_http_url(args.source_url):
            raise ImportFailure(f"--source-url: {why} — give the full address, starting "
                                "https://")
        if not name:
            raise ImportFailure(f"{path}: the text does not say who it quotes (no '… The Asia "
                                "Times reveals …:' paragraph) — add --source-name 'Name'")
        source = {"name": name, "url": args.source_url}

    meta: dict = {"title": article.title, "date": date_text(date), "author": author}
    if args.tag:
        meta["tags"] = list(dict.fromkeys(args.tag))
    if source:
        meta["source"] = source
    slug = slugify(article.title)
    if not slug:
        raise ImportFailure(f"{path}: the title {article.title!r} has no letters or digits to "
                            "make a URL from — edit the first line")
    relative = f"{settings.articles_dir}/{date.year:04d}/{slug}.md"
    url = article_url(settings.url_format, date, slug)
    clash = next((a.path for a in catalog.articles if a.url == url and a.path != relative), None)
    if clash:
        raise ImportFailure(f"{clash} already has the URL '{url}' — edit that article, or "
                            "change the title on the first line")
    body = markdown_body(article)
    file_text = article_text(meta, body)
    problems = problems_in(relative, file_text, settings, catalog.authors)
    if problems:
        raise ImportFailure("the article would not pass `broadsheet check`: "
                            + "; ".join(problems))
    target = config.docs_dir / relative
    outcome = write_if_changed(target, file_text.encode("utf-8"), args.force)
    for warning in article.warnings:
        print(f"warning: {warning}")
    if article.dropped:
        print("dropped (page chrome, not the article): "
              + ", ".join(f"“{d}”" for d in article.dropped))
    wording = {WRITTEN: "written", REPLACED: "replaced (--force)",
               UNCHANGED: "unchanged, nothing written",
               DIFFERS: "exists, differs (use --force); nothing written"}
    quoted = f", quoting {source['name']}" if source else ", no source"
    print(f"{_shown(target)}: {wording[outcome]} — {_count(len(article.intro), 'paragraph')} "
          f"of introduction, {len(article.quote)} quoted{quoted}")
    return 1 if outcome == DIFFERS else 0
