"""The validated data Broadsheet works with: plain, frozen, engine-independent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    description: str = ""
    avatar: str | None = None
    url: str | None = None
    links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Source:
    """The article an editor's post excerpts: the thing no other tool models."""

    name: str
    url: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None


@dataclass(frozen=True)
class ShareOptions:
    text: str | None = None
    hashtags: tuple[str, ...] = ()
    networks: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Article:
    path: str
    """Path of the Markdown file relative to the docs folder, '/'-separated."""
    title: str
    date: datetime
    authors: tuple[str, ...]
    slug: str
    url: str
    """Site-relative URL of the article's page, e.g. '2024/06/my-title/'."""
    body: str = ""
    body_line: int = 1
    updated: datetime | None = None
    tags: tuple[str, ...] = ()
    source: Source | None = None
    excerpt: str | None = None
    description: str | None = None
    image: str | None = None
    image_alt: str | None = None
    draft: bool = False
    share: ShareOptions = field(default_factory=ShareOptions)

    def status(self, now: datetime) -> str:
        """'draft', 'scheduled' or 'published' at the moment `now` (timezone-aware)."""
        if self.draft:
            return "draft"
        if self.date > now:
            return "scheduled"
        return "published"

    def is_published(self, now: datetime) -> bool:
        return self.status(now) == "published"
