"""Decide what a WordPress export becomes: which items are articles (with their front matter,
Markdown and file path), which are skipped and why, and which authors they need.

Pure: takes the parsed export and the site's settings, returns a plan; `commands` writes it.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from urllib.parse import unquote

from .. import slugs
from ..model import Author
from ..settings import Settings
from ..tags import tag_slug
from ..validation import MAX_TAGS, MAX_TEXT, MAX_TITLE, absolute_http_url, article_url
from .markdown_text import clean_text
from .wp_content import convert, plain_text
from .wxr import Export, WpItem

# Records WordPress keeps as posts that are not content: counted, never reported one by one.
SILENT_TYPES = {
    "attachment": "attachment",
    "nav_menu_item": "navigation menu item",
    "revision": "revision",
    **dict.fromkeys(("custom_css", "customize_changeset", "oembed_cache", "user_request",
                     "wp_block", "wp_template", "wp_template_part", "wp_global_styles",
                     "wp_navigation", "wp_font_family", "wp_font_face"),
                    "other WordPress record"),
}
SKIPPED_STATUSES = {
    "private": "private (not public on WordPress)",
    "trash": "in the trash",
    "auto-draft": "an automatic draft WordPress saved",
    "inherit": "a revision",
}
_NO_DATE = "0000-00-00 00:00:00"


@dataclass
class PlannedArticle:
    label: str
    """'post 12 “Title”', for the summary."""
    relative: str
    """Path below docs/, e.g. 'articles/2014/my-title.md'."""
    meta: dict
    body: str
    comment: str
    """A YAML comment for the top of the front matter (where the article came from)."""
    status: str
    """'published', 'draft' or 'scheduled'."""
    shortcodes: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Plan:
    articles: list[PlannedArticle] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(label, reason) of each item left out that the editor may have wanted."""
    uncounted: Counter = field(default_factory=Counter)
    """Items left out silently, by kind ('attachments': 4)."""
    new_authors: dict[str, dict] = field(default_factory=dict)
    """Author entries to add to authors.yml, by id."""
    kept_authors: list[str] = field(default_factory=list)
    """Ids the export needs that authors.yml already has (left as they are)."""


def author_ids(export: Export) -> dict[str, tuple[str, str]]:
    """login -> (author id, display name), for every login the export mentions.

    Ids are slugs of the login (authors.yml allows a-z, 0-9, '-', '_', '.'); two logins
    that slugify alike get '-2', '-3' in the order the export lists them.
    """
    names = {a.login: a.display_name or a.login for a in export.authors}
    logins = [a.login for a in export.authors]
    logins += sorted({i.creator for i in export.items if i.creator and i.creator not in names})
    result: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for login in logins:
        base = slugs.slugify(login) or "author"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        name = clean_text(html.unescape(names.get(login, login)))[:200] or login
        result[login] = (candidate, name)
    return result


def _label(item: WpItem) -> str:
    kind = item.post_type if item.post_type in ("post", "page") else f"{item.post_type} item"
    title = clean_text(html.unescape(item.title))[:60] or "(no title)"
    return f"{kind} {item.post_id or '?'} “{title}”"


def item_date(item: WpItem, tz: tzinfo) -> datetime | None:
    """`post_date_gmt` is UTC; drafts have none, and then `post_date` is the blog's local
    time, read in the site's timezone."""
    for value, zone in ((item.date_gmt, timezone.utc), (item.date_local, tz)):
        if value and value != _NO_DATE:
            try:
                return datetime.fromisoformat(value).replace(tzinfo=zone).astimezone(tz)
            except ValueError:
                continue
    return None


def date_text(moment: datetime) -> str:
    """The local time as editors write it; with its offset only when the local time is
    ambiguous or skipped (a daylight-saving change), where a naive time would be wrong."""
    naive = moment.replace(tzinfo=None)
    fmt = "%Y-%m-%d %H:%M" if moment.second == 0 else "%Y-%m-%d %H:%M:%S"
    back = naive.replace(tzinfo=moment.tzinfo)
    if back.utcoffset() != moment.utcoffset() or \
            back.replace(fold=1).utcoffset() != back.utcoffset():
        return moment.isoformat(sep=" ")
    return naive.strftime(fmt)


def _tags(item: WpItem, categories: bool) -> tuple[list[str], list[str]]:
    domains = ("post_tag", "category") if categories else ("post_tag",)
    tags: list[str] = []
    seen: set[str] = set()
    notes: list[str] = []
    for domain in domains:  # tags first: they are the more specific
        for term in item.terms:
            if term.domain != domain or term.nicename == "uncategorized":
                continue
            name = clean_text(html.unescape(term.name))[:100]
            if name and tag_slug(name) not in seen:
                seen.add(tag_slug(name))
                tags.append(name)
    if len(tags) > MAX_TAGS:
        notes.append(f"{len(tags)} tags, only the first {MAX_TAGS} kept")
        tags = tags[:MAX_TAGS]
    return tags, notes


def _slug(item: WpItem, title: str) -> str:
    # post_name is percent-encoded UTF-8 for non-Latin titles ('%d1%80%d0%be…').
    return (slugs.slugify(unquote(item.post_name)) if item.post_name else "") \
        or slugs.slugify(title) or f"post-{item.post_id}".rstrip("-")


def plan_import(export: Export, settings: Settings, existing_authors: Mapping[str, Author],
                existing_urls: Mapping[str, str], *, pages: bool,
                categories: bool) -> Plan:
    """`existing_urls` maps the URL of every article already in the site to its path."""
    plan = Plan()
    ids = author_ids(export)
    thumbnails = {i.post_id: i.attachment_url for i in export.items
                  if i.post_type == "attachment" and i.attachment_url}
    claimed_paths: set[str] = set()
    claimed_urls: dict[str, str] = dict(existing_urls)
    used_authors: set[str] = set()
    for item in export.items:
        label = _label(item)
        if item.post_type in SILENT_TYPES:
            plan.uncounted[SILENT_TYPES[item.post_type]] += 1
            continue
        if item.post_type == "page" and not pages:
            plan.skipped.append((label, "a page (use --pages import to import pages too)"))
            continue
        if item.post_type not in ("post", "page"):
            plan.skipped.append((label, f"post type '{item.post_type}' is not imported"))
            continue
        if item.status in SKIPPED_STATUSES:
            plan.skipped.append((label, SKIPPED_STATUSES[item.status]))
            continue
        if item.status not in ("publish", "draft", "pending", "future"):
            plan.skipped.append((label, f"unknown status '{item.status}'"))
            continue
        date = item_date(item, settings.timezone)
        if date is None:
            plan.skipped.append((label, "has no date"))
            continue
        article = _plan_article(item, label, date, export.site_url, ids, settings,
                                categories, thumbnails)
        # One file and one URL per article: a clash gets '-2', '-3' (deterministic, so that a
        # second run plans the same paths).
        base_slug, n = article.meta["slug"], 1
        while True:
            url = article_url(settings.url_format, date, article.meta["slug"])
            relative = f"{settings.articles_dir}/{date.year:04d}/{article.meta['slug']}.md"
            if relative not in claimed_paths and claimed_urls.get(url, relative) == relative:
                break
            n += 1
            article.meta["slug"] = f"{base_slug[:slugs.MAX_SLUG_LENGTH - 4]}-{n}"
        if n > 1:
            article.notes.append(f"slug '{base_slug}' was taken; used '{article.meta['slug']}'")
        claimed_paths.add(relative)
        claimed_urls[url] = relative
        article.relative = relative
        used_authors.add(article.meta["author"])
        plan.articles.append(article)
    for author_id, name in ids.values():
        if author_id not in used_authors:
            continue
        if author_id in existing_authors:
            plan.kept_authors.append(author_id)
        else:
            plan.new_authors[author_id] = {"name": name}
    return plan


def _plan_article(item: WpItem, label: str, date: datetime, site_url: str,
                  ids: dict[str, tuple[str, str]], settings: Settings, categories: bool,
                  thumbnails: dict[str, str]) -> PlannedArticle:
    notes: list[str] = []
    title = clean_text(html.unescape(item.title))
    if not title:
        title = f"Untitled {item.post_type} {item.post_id}".strip()
        notes.append(f"had no title; called it “{title}”")
    if len(title) > MAX_TITLE:
        title = title[:MAX_TITLE - 1].rstrip() + "…"
        notes.append(f"title shortened to {MAX_TITLE} characters")
    author_id = ids[item.creator][0] if item.creator in ids else None
    if author_id is None:  # an export without dc:creator: one 'unknown' author
        ids.setdefault("", ("unknown-author", "Unknown author"))
        author_id = ids[""][0]
    meta: dict = {"title": title, "date": date_text(date), "author": author_id}
    tags, tag_notes = _tags(item, categories)
    notes += tag_notes
    if tags:
        meta["tags"] = tags
    excerpt = clean_text(plain_text(item.excerpt)) if item.excerpt.strip() else ""
    if excerpt:
        if len(excerpt) > MAX_TEXT:
            excerpt = excerpt[:MAX_TEXT - 1].rstrip() + "…"
            notes.append("excerpt shortened")
        meta["excerpt"] = excerpt
    if item.status in ("draft", "pending"):
        meta["draft"] = True
    # The WordPress slug is the article's address: written out, so that editing the title
    # later does not move the page.
    meta["slug"] = _slug(item, title)
    converted = convert(item.content, site_url)
    images = list(converted.images)
    featured = thumbnails.get(item.thumbnail_id)
    if featured and not absolute_http_url(featured) and featured not in images:
        images.append(featured)
        notes.append(f"featured image {featured} (download it and set `image:`)")
    comment = f"Imported from WordPress ({item.post_type} {item.post_id})"
    if item.link and not absolute_http_url(item.link):
        comment += f": {item.link}"
    status = ("draft" if meta.get("draft") else
              "scheduled" if date > settings.now else "published")
    return PlannedArticle(label=label, relative="", meta=meta, body=converted.markdown,
                          comment=comment, status=status, shortcodes=converted.shortcodes,
                          images=images, notes=notes + converted.notes)
