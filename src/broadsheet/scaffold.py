"""`broadsheet new`: a new article file in the shape of the editor's example page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import frontmatter

from .model import Author
from .slugs import slugify
from .validation import absolute_http_url


class ScaffoldError(ValueError):
    pass


def choose_author(requested: str | None, authors: dict[str, Author], authors_file: str) -> str:
    if requested:
        if requested not in authors:
            known = ", ".join(sorted(authors)) or "none yet"
            raise ScaffoldError(f"--author: unknown author '{requested}' — known: {known}; "
                                f"add authors to {authors_file}")
        return requested
    if len(authors) == 1:
        return next(iter(authors))
    if not authors:
        raise ScaffoldError(f"--author: no authors defined — add one to {authors_file}")
    raise ScaffoldError("--author: several authors exist, choose one: "
                        + ", ".join(sorted(authors)))


def article_text(title: str, author: str, date: datetime, tags: list[str],
                 source_name: str | None, source_url: str | None) -> str:
    meta: dict = {"title": title, "date": date.strftime("%Y-%m-%d %H:%M"), "author": author}
    if tags:
        meta["tags"] = tags
    if source_url:
        meta["source"] = {"name": source_name, "url": source_url}
        body = (
            "Write the introduction here: why this story matters to our readers. End it with "
            f"a sentence that names the source, such as \"{source_name} reveals…:\"\n\n"
            "> Paste the passage you are quoting from the source here.\n>\n"
            "> Keep each of its paragraphs inside the quote, like this one.\n"
        )
    else:
        body = "Write the article here.\n"
    post = frontmatter.Post(body, **meta)
    return frontmatter.dumps(post, sort_keys=False) + "\n"


def new_article(docs_dir: Path, articles_dir: str, title: str, author: str, date: datetime,
                tags: list[str], source_name: str | None, source_url: str | None) -> Path:
    title = " ".join(title.split())  # a pasted headline may carry newlines or tabs
    if not title:
        raise ScaffoldError("title: is empty — give the article a headline")
    if bool(source_name) != bool(source_url):
        raise ScaffoldError("--source-url and --source-name go together — give both, or neither "
                            "for an original piece")
    if source_url and (why := absolute_http_url(source_url)):
        raise ScaffoldError(f"--source-url: {why} — give the full address, starting https://")
    slug = slugify(title)
    if not slug:
        raise ScaffoldError("title: has no letters or digits to make a URL from")
    path = docs_dir / articles_dir / f"{date.year:04d}" / f"{slug}.md"
    if path.exists():
        raise ScaffoldError(f"{path}: already exists — choose another title or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(article_text(title, author, date, tags, source_name, source_url))
    return path
