"""What templates show, computed from the catalog: plain dicts of ready-made strings.

Templates stay logic-light (and portable to MiniJinja) because every decision is made here.
Values are raw text: the templates escape them for their context.
"""

from __future__ import annotations

import re
from datetime import datetime

from . import seo, share
from .catalog import Catalog
from .urls import absolute_url
from .model import Article, Author, Source
from .tags import tag_slug

WORDS_PER_MINUTE = 220
_WORD_RE = re.compile(r"\w+")


def display_date(moment: datetime, strings: dict) -> str:
    months = strings["months"].split()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def reading_minutes(markdown: str) -> int:
    return max(1, round(len(_WORD_RE.findall(markdown)) / WORDS_PER_MINUTE))



def initials(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    letters = "".join(p[0] for p in (parts[:1] + parts[1:][-1:]))
    return letters.upper() or "?"


def author_view(author: Author, strings: dict) -> dict:
    return {
        "id": author.id,
        "name": author.name,
        "description": author.description,
        "avatar": author.avatar,
        "avatar_is_external": bool(author.avatar and "://" in author.avatar),
        "initials": initials(author.name),
        "url": author.url,
        "links": [{"label": label, "url": url} for label, url in author.links],
        "page": f"authors/{author.id}/",
        "more_from": strings["more_from"].format(name=author.name),
    }


def source_view(source: Source, strings: dict) -> dict:
    return {
        "name": source.name,
        "url": source.url,
        "title": source.title,
        "author": source.author,
        "published_iso": source.published.isoformat() if source.published else None,
        "published_display": display_date(source.published, strings) if source.published else None,
        "continue_label": strings["continue_reading"],
        "continue_at": strings["continue_reading_at"].format(source=source.name),
    }


def article_view(article: Article, catalog: Catalog, card_uri: str | None = None,
                 neighbours: dict | None = None) -> dict:
    """`card_uri`: site-relative path of the article's share card (cards.py), if it has one.
    `neighbours`: its newer, older and related articles (listings.Listings.neighbours)."""
    neighbours = neighbours or {}
    settings = catalog.settings
    strings = settings.strings
    status = article.status(settings.now)
    status_label = {
        "draft": strings["draft_marker"],
        "scheduled": strings["scheduled_marker"].format(
            date=display_date(article.date, strings)),
    }.get(status)
    canonical_url = absolute_url(settings, article.url)
    return {
        "title": article.title,
        "url": article.url,
        "canonical_url": canonical_url,
        "date_iso": article.date.isoformat(),
        "date_display": display_date(article.date, strings),
        "updated_iso": article.updated.isoformat() if article.updated else None,
        "updated_display": display_date(article.updated, strings) if article.updated else None,
        "reading_time": strings["reading_time"].format(minutes=reading_minutes(article.body)),
        "status": status,
        "status_label": status_label,
        "authors": [author_view(catalog.authors[a], strings) for a in article.authors
                    if a in catalog.authors],
        "tags": [{"name": tag, "slug": tag_slug(tag), "page": f"tags/{tag_slug(tag)}/"}
                 for tag in article.tags],
        "excerpt": article.excerpt,
        "description": article.description,
        "source": source_view(article.source, strings) if article.source else None,
        "share": share.share_view(article, settings, canonical_url),
        "seo": seo.article_seo(article, catalog, canonical_url,
                               image_url=absolute_url(settings, card_uri) if card_uri else None),
        "newer": neighbours.get("newer"),
        "older": neighbours.get("older"),
        "related": neighbours.get("related", []),
    }
