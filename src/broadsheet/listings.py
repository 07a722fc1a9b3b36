"""The publication around the articles: home page, archive, tag and author pages, and each
article's newer/older and related articles.

Everything is computed here once per build, from the catalog, in a few passes over the
articles (grouping by tag, author and month, then slicing into pages); a card is built once
per article and shared by every page that lists it. The adapter turns each `ListingPage` into
a generated page; templates/listing.html shows its `view`.

Site-relative URLs (no leading '/'):
  ''                      home, newest first        'page/2/' …
  'archive/'              years and months          'archive/2014/',
                                                    'archive/2014/07/' (+ 'page/N/')
  'tags/'                 every tag with its count  'tags/<slug>/' (+ 'page/N/')
  'authors/'              every author              'authors/<id>/' (+ 'page/N/')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

from . import related, summary
from .catalog import Catalog
from .model import Article
from .tags import tag_slug
from .views import author_view, display_date

DEFAULT_PER_PAGE = 10
PAGE_RADIUS = 2
"""Numbered links shown either side of the current page; the first and last are always shown."""


@dataclass(frozen=True)
class ListingPage:
    src_uri: str
    """Path of the page as if it were a file in docs/, e.g. 'tags/energy/page/2/index.md'."""
    url: str
    """Site-relative URL, e.g. 'tags/energy/page/2/'."""
    view: dict
    """What templates/listing.html shows (plain data, raw text: templates escape it)."""
    searchable: bool = True
    """Pages after the first repeat their first page's kind of content: kept out of search."""


@dataclass(frozen=True)
class Listings:
    pages: tuple[ListingPage, ...]
    neighbours: dict[str, dict] = field(default_factory=dict)
    """Article path -> {'newer': card | None, 'older': card | None, 'related': [card, …]}."""

    @cached_property
    def by_src_uri(self) -> dict[str, ListingPage]:
        return {page.src_uri: page for page in self.pages}


# -- Pagination --------------------------------------------------------------------------

def page_count(items: int, per_page: int) -> int:
    """Pages needed for `items` (at least one: an empty listing still has its page)."""
    return max(1, -(-items // per_page))


def page_url(base: str, number: int) -> str:
    return base if number == 1 else f"{base}page/{number}/"


def page_numbers(current: int, total: int, radius: int = PAGE_RADIUS) -> list[int | None]:
    """The page numbers to link, None standing for a gap: 1 … 4 5 [6] 7 8 … 17."""
    shown = sorted({1, total, *range(max(1, current - radius), min(total, current + radius) + 1)})
    numbers: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            numbers.append(previous + 1)  # a gap of one page: the number is as short as "…"
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def pagination_view(base: str, current: int, total: int) -> dict | None:
    if total <= 1:
        return None
    return {
        "current": current,
        "total": total,
        "previous": page_url(base, current - 1) if current > 1 else None,
        "next": page_url(base, current + 1) if current < total else None,
        "pages": [{"number": n, "url": page_url(base, n) if n else None, "current": n == current}
                  for n in page_numbers(current, total)],
    }


# -- Grouping ----------------------------------------------------------------------------

def count_label(count: int, strings: dict) -> str:
    return strings["article_count_one"] if count == 1 else strings["article_count"].format(
        count=count)


# A site has few distinct tags and many uses of each; slugifying is the slow part.
_tag_slug = lru_cache(maxsize=4096)(tag_slug)


def article_tag_slugs(article: Article) -> list[tuple[str, str]]:
    """(slug, spelling) of the article's tags, each tag once ('Energy' and 'energy' are one)."""
    seen: dict[str, str] = {}
    for tag in article.tags:
        seen.setdefault(_tag_slug(tag), tag)
    return list(seen.items())


def group_by_tag(articles: Sequence[Article]) -> tuple[dict[str, list[Article]], dict[str, str]]:
    """Articles per tag slug (in the given order) and each tag's display name: the spelling
    most articles use (ties: the alphabetically first, so the name is stable)."""
    members: dict[str, list[Article]] = {}
    spellings: dict[str, dict[str, int]] = {}
    for article in articles:
        for slug, spelling in article_tag_slugs(article):
            if slug in members:
                members[slug].append(article)
                counts = spellings[slug]
                counts[spelling] = counts.get(spelling, 0) + 1
            else:
                members[slug] = [article]
                spellings[slug] = {spelling: 1}
    names = {slug: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
             for slug, counts in spellings.items()}
    return members, names


def group_by_author(articles: Sequence[Article]) -> dict[str, list[Article]]:
    members: dict[str, list[Article]] = {}
    for article in articles:
        for author_id in dict.fromkeys(article.authors):
            members.setdefault(author_id, []).append(article)
    return members


def group_by_month(articles: Sequence[Article]) -> dict[int, dict[int, list[Article]]]:
    """year -> month -> articles, in the order given (newest first in, newest first out).

    Dates are taken as written, in their own offset, like the article's URL and byline.
    """
    years: dict[int, dict[int, list[Article]]] = {}
    for article in articles:
        months = years.setdefault(article.date.year, {})
        months.setdefault(article.date.month, []).append(article)
    return years


def newer_older(articles: Sequence[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """Article path -> (the next newer article, the next older one), from a newest-first list."""
    return {a.path: (articles[i - 1] if i > 0 else None,
                     articles[i + 1] if i + 1 < len(articles) else None)
            for i, a in enumerate(articles)}


# -- Views -------------------------------------------------------------------------------

def tag_page(slug: str) -> str:
    return f"tags/{slug}/"


def author_page(author_id: str) -> str:
    # The same address views.author_view gives the byline and "More from …".
    return f"authors/{author_id}/"


def month_name(year: int, month: int, strings: dict) -> str:
    return strings["month_heading"].format(month=strings["months"].split()[month - 1], year=year)


def card_view(article: Article, catalog: Catalog, tag_names: dict[str, str]) -> dict:
    strings = catalog.settings.strings
    status = article.status(catalog.settings.now)
    source = article.source
    return {
        "title": article.title,
        "url": article.url,
        "date_iso": article.date.isoformat(),
        "date_display": display_date(article.date, strings),
        "authors": [{"name": catalog.authors[a].name, "page": author_page(a)}
                    for a in article.authors if a in catalog.authors],
        "tags": [{"name": tag_names.get(slug, spelling), "slug": slug, "page": tag_page(slug)}
                 for slug, spelling in article_tag_slugs(article)],
        "excerpt": summary.card_excerpt(article),
        "read_more_context": strings["read_more_about"].format(title=article.title),
        "source": {
            "name": source.name,
            "url": source.url,
            "via": strings["card_source"].format(source=source.name),
            "read_at": strings["read_at"].format(source=source.name),
        } if source else None,
        "status": status,
        # Only in `serve`, where drafts and scheduled articles are listed with their marker.
        "status_label": None if status == "published" else (
            strings["draft_marker"] if status == "draft" else strings["scheduled_marker"].format(
                date=display_date(article.date, strings))),
    }


class _Builder:
    """Holds what every page shares (cards, strings, page size) while the pages are made."""

    def __init__(self, catalog: Catalog, articles: Sequence[Article], per_page: int):
        self.catalog = catalog
        self.strings = catalog.settings.strings
        self.per_page = per_page
        self.articles = articles
        self.by_tag, self.tag_names = group_by_tag(articles)
        self.cards = {a.path: card_view(a, catalog, self.tag_names) for a in articles}
        self.pages: list[ListingPage] = []

    def add(self, url: str, view: dict, searchable: bool = True) -> None:
        self.pages.append(ListingPage(src_uri=url + "index.md", url=url, view=view,
                                      searchable=searchable))

    def paginated(self, kind: str, base: str, articles: Sequence[Article], heading: str,
                  first_page: dict | None = None, every_page: dict | None = None,
                  title: Callable[[int], str | None] | None = None) -> None:
        """Pages of cards at base, base + 'page/2/', …; `first_page` data only on page 1."""
        total = page_count(len(articles), self.per_page)
        for number in range(1, total + 1):
            start = (number - 1) * self.per_page
            paged_heading = heading if number == 1 else self.strings["paged_title"].format(
                title=heading,
                page_of=self.strings["page_of"].format(page=number, pages=total))
            view = {
                "kind": kind,
                "heading": paged_heading,
                "title": title(number) if title else paged_heading,
                "number": number,
                "total": total,
                "cards": [self.cards[a.path] for a in articles[start:start + self.per_page]],
                "card_level": 2,
                "pagination": pagination_view(base, number, total),
                **(every_page or {}),
                **((first_page or {}) if number == 1 else {}),
            }
            self.add(page_url(base, number), view, searchable=number == 1)

    def home(self) -> None:
        # Page 1's <title> is the site's name alone (title None); later pages say which page.
        def title(number: int) -> str | None:
            return None if number == 1 else self.strings["paged_title"].format(
                title=self.strings["home_heading"],
                page_of=self.strings["page_of"].format(
                    page=number, pages=page_count(len(self.articles), self.per_page)))
        self.paginated("home", "", self.articles, self.strings["home_heading"], title=title)

    def tags(self) -> None:
        strings = self.strings
        entries = []
        for slug, articles in self.by_tag.items():
            name = self.tag_names[slug]
            label = count_label(len(articles), strings)
            entries.append({"name": name, "slug": slug, "url": tag_page(slug),
                            "count": len(articles), "count_label": label})
            self.paginated("tag", tag_page(slug), articles,
                           strings["tag_heading"].format(tag=name),
                           every_page={"summary": label,
                                       "up": {"label": strings["tags_heading"], "url": "tags/"}})
        entries.sort(key=lambda e: (e["name"].casefold(), e["slug"]))
        self.add("tags/", {"kind": "tags", "heading": strings["tags_heading"],
                           "title": strings["tags_heading"], "tags": entries,
                           "summary": None if entries else strings["no_articles"]})

    def authors(self) -> None:
        strings = self.strings
        entries = []
        for author_id, articles in group_by_author(self.articles).items():
            author = self.catalog.authors.get(author_id)
            if author is None:
                continue
            view = author_view(author, strings)
            label = count_label(len(articles), strings)
            entries.append({**view, "count": len(articles), "count_label": label})
            self.paginated("author", author_page(author_id), articles, author.name,
                           first_page={"author": view},
                           every_page={"summary": label, "card_level": 3,
                                       "subheading": strings["author_articles"].format(
                                           name=author.name),
                                       "up": {"label": strings["authors_heading"],
                                              "url": "authors/"}})
        entries.sort(key=lambda e: (e["name"].casefold(), e["id"]))
        self.add("authors/", {"kind": "authors", "heading": strings["authors_heading"],
                              "title": strings["authors_heading"], "authors": entries,
                              "summary": None if entries else strings["no_articles"]})

    def archive(self) -> None:
        strings = self.strings
        years = []
        for year, months in group_by_month(self.articles).items():
            year_url = f"archive/{year:04d}/"
            month_entries = []
            for month, articles in months.items():
                name = month_name(year, month, strings)
                url = f"{year_url}{month:02d}/"
                label = count_label(len(articles), strings)
                month_entries.append({"name": name, "url": url, "count": len(articles),
                                      "count_label": label,
                                      "articles": [self.cards[a.path] for a in articles]})
                self.paginated("archive-month", url, articles, name,
                               every_page={"summary": label,
                                           "up": {"label": str(year), "url": year_url}})
            count = sum(m["count"] for m in month_entries)
            self.add(year_url, {"kind": "archive-year", "heading": str(year), "title": str(year),
                                "summary": count_label(count, strings), "months": month_entries,
                                "up": {"label": strings["archive_heading"], "url": "archive/"}})
            # The index lists months without their articles: it stays small for any site.
            years.append({"year": year, "url": year_url, "count": count,
                          "count_label": count_label(count, strings),
                          "months": [{k: v for k, v in m.items() if k != "articles"}
                                     for m in month_entries]})
        self.add("archive/", {"kind": "archive", "heading": strings["archive_heading"],
                              "title": strings["archive_heading"], "years": years,
                              "summary": None if years else strings["no_articles"]})

    def neighbours(self, limit: int) -> dict[str, dict]:
        order = newer_older(self.articles)
        tags = [[slug for slug, _ in article_tag_slugs(a)] for a in self.articles]
        best = related.related_indices(tags, limit=limit)
        cards = self.cards
        return {
            a.path: {
                "newer": cards[order[a.path][0].path] if order[a.path][0] else None,
                "older": cards[order[a.path][1].path] if order[a.path][1] else None,
                "related": [cards[self.articles[j].path] for j in best[i]],
            }
            for i, a in enumerate(self.articles)
        }


def listed_articles(catalog: Catalog, include_held: bool) -> tuple[Article, ...]:
    """What listings show: published articles; in preview, drafts and scheduled ones too."""
    return catalog.articles if include_held else catalog.published


def build_listings(catalog: Catalog, per_page: int = DEFAULT_PER_PAGE,
                   include_held: bool = False,
                   related_limit: int = related.DEFAULT_LIMIT) -> Listings:
    """Every listing page of the site, and each listed article's neighbours."""
    builder = _Builder(catalog, listed_articles(catalog, include_held), per_page)
    builder.home()
    builder.archive()
    builder.tags()
    builder.authors()
    return Listings(pages=tuple(builder.pages), neighbours=builder.neighbours(related_limit))


def listing_key(article: Article, now) -> tuple:
    """Everything about one article that a listing page or a neighbour card shows."""
    return (article.path, article.title, article.date, article.authors, article.url,
            article.tags, article.source, article.status(now), summary.card_excerpt(article))


class ListingsCache:
    """A preview rebuilds on every save; most saves change an article's text, not what its
    cards show. Then the previous rebuild's listings are reused as they are, and the adapter
    knows (same objects) that no listing page changed."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._listings: Listings | None = None

    def build(self, catalog: Catalog, per_page: int = DEFAULT_PER_PAGE,
              include_held: bool = False,
              related_limit: int = related.DEFAULT_LIMIT) -> Listings:
        settings = catalog.settings
        now = settings.now
        key = (per_page, include_held, related_limit, replace(settings, now=None),
               catalog.authors,
               tuple(listing_key(a, now) for a in listed_articles(catalog, include_held)))
        if self._listings is None or key != self._key:
            self._listings = build_listings(catalog, per_page, include_held, related_limit)
            self._key = key
        return self._listings
