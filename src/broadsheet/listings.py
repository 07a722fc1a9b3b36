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
    numbered_articles: tuple[str, ...] | None = None
    """A numbered page's articles (paths): what it shows for as long as it exists."""


@dataclass(frozen=True)
class Listings:
    pages: tuple[ListingPage, ...]
    neighbours: dict[str, dict] = field(default_factory=dict)
    """Article path -> {'newer': card | None, 'older': card | None, 'related': [card, …]}."""

    @cached_property
    def by_src_uri(self) -> dict[str, ListingPage]:
        return {page.src_uri: page for page in self.pages}


# -- Pagination --------------------------------------------------------------------------
#
# Pages are numbered from the oldest: page 1 of a listing holds its first `per_page`
# articles, forever. A page's address keeps its articles, so links, bookmarks, caches and
# search engines stay right, and publishing an article changes a listing's front page (and,
# once every `per_page` articles, the few pages whose links reach it), never the hundreds of
# pages after it (which is what makes a preview or a warm build of a big site fast). The
# front page shows what no full page holds yet on top of the newest full page: between
# `per_page` and 2 × `per_page` − 1 articles.

def paginate(count: int, per_page: int) -> list[tuple[int | None, int, int]]:
    """(number, start, end) of each page over `count` newest-first items, the front page
    (number None) first, then the numbered pages from the newest to page 1."""
    full, rest = divmod(count, per_page)
    if full <= 1:
        return [(None, 0, count)]
    return [(None, 0, rest + per_page)] + [
        (number, count - number * per_page, count - (number - 1) * per_page)
        for number in range(full - 1, 0, -1)]


def page_url(base: str, number: int | None) -> str:
    return base if number is None else f"{base}page/{number}/"


def page_numbers(current: int | None, last: int, radius: int = PAGE_RADIUS) -> list[int | None]:
    """The numbered pages to link from page `current` (None: the front page), newest first,
    None standing for a gap: [front] 41 40 … 17 16 [15] 14 13 … 1. Page 1 is always shown,
    the front page is linked apart; the highest number only near the top, so that adding
    pages does not change the links of the pages far below."""
    top = last + 1  # where the front page would be, were it numbered
    here = top if current is None else current
    low = max(1, here - radius)
    shown = list(range(min(last, here + radius), low - 1, -1))
    if low > 1 or not shown:
        shown.append(1)
    numbers: list[int | None] = []
    previous = top
    for number in shown:
        if previous - number == 2:
            numbers.append(previous - 1)  # a gap of one page: the number is as short as "…"
        elif previous - number > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def pagination_view(base: str, current: int | None, last: int) -> dict | None:
    """Links between the pages of a listing whose highest numbered page is `last`."""
    if last < 1:
        return None
    if current is None:
        newer, older = None, page_url(base, last)
    else:
        newer = page_url(base, None if current == last else current + 1)
        older = page_url(base, current - 1) if current > 1 else None
    pages = [{"number": None, "front": True, "url": base, "current": current is None}]
    pages += [{"number": n, "front": False, "url": page_url(base, n) if n else None,
               "current": n == current} for n in page_numbers(current, last)]
    return {"current": current, "previous": newer, "next": older, "pages": pages}


# -- Grouping ----------------------------------------------------------------------------

def count_label(count: int, strings: dict) -> str:
    return strings["article_count_one"] if count == 1 else strings["article_count"].format(
        count=count)


# A site has few distinct tags and many uses of each; slugifying is the slow part.
_tag_slug = lru_cache(maxsize=4096)(tag_slug)


def article_tag_slugs(article: Article) -> tuple[tuple[str, str], ...]:
    """(slug, spelling) of the article's tags, each tag once ('Energy' and 'energy' are one)."""
    return _tag_slugs(article.tags)


@lru_cache(maxsize=65536)
def _tag_slugs(tags: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    # Asked several times per article at every rebuild; most articles share their tag list
    # object with the previous rebuild (catalog.ParseCache), and the answer is immutable.
    seen: dict[str, str] = {}
    for tag in tags:
        seen.setdefault(_tag_slug(tag), tag)
    return tuple(seen.items())


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

    def __init__(self, catalog: Catalog, articles: Sequence[Article], per_page: int,
                 cards: CardViews | None = None):
        self.catalog = catalog
        self.strings = catalog.settings.strings
        self.per_page = per_page
        self.articles = articles
        self.by_tag, self.tag_names = group_by_tag(articles)
        cards = cards if cards is not None else CardViews()
        self.cards = {a.path: cards.view(a, catalog, self.tag_names) for a in articles}
        self.pages: list[ListingPage] = []

    def add(self, url: str, view: dict, searchable: bool = True,
            numbered_articles: tuple[str, ...] | None = None) -> None:
        self.pages.append(ListingPage(src_uri=url + "index.md", url=url, view=view,
                                      searchable=searchable,
                                      numbered_articles=numbered_articles))

    def paginated(self, kind: str, base: str, articles: Sequence[Article], heading: str,
                  first_page: dict | None = None, every_page: dict | None = None,
                  title: Callable[[int | None], str | None] | None = None) -> None:
        """The front page of cards at base, numbered pages at base + 'page/N/' (see
        paginate); `first_page` data only on the front page."""
        pages = paginate(len(articles), self.per_page)
        last = len(pages) - 1
        for number, start, end in pages:
            paged_heading = heading if number is None else self.paged(heading, number)
            view = {
                "kind": kind,
                "heading": paged_heading,
                "title": title(number) if title else paged_heading,
                "number": number,
                "cards": [self.cards[a.path] for a in articles[start:end]],
                "card_level": 2,
                "pagination": pagination_view(base, number, last),
                **(every_page or {}),
                **((first_page or {}) if number is None else {}),
            }
            self.add(page_url(base, number), view, searchable=number is None,
                     numbered_articles=None if number is None else tuple(
                         a.path for a in articles[start:end]))

    def paged(self, heading: str, number: int) -> str:
        return self.strings["paged_title"].format(
            title=heading, page_of=self.strings["page_of"].format(page=number))

    def home(self) -> None:
        # The front page's <title> is the site's name alone (title None); later pages say
        # which page they are.
        def title(number: int | None) -> str | None:
            return None if number is None else self.paged(self.strings["home_heading"], number)
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
                           # The count changes with every article: on the front page only,
                           # so that numbered pages stay as they are (see paginate).
                           first_page={"summary": label},
                           every_page={"up": {"label": strings["tags_heading"], "url": "tags/"}})
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
                           first_page={"author": view, "summary": label},
                           every_page={"card_level": 3,
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
                               first_page={"summary": label},
                               every_page={"up": {"label": str(year), "url": year_url}})
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

    def neighbours(self, limit: int,
                   related_memo: related.RelatedMemo | None = None) -> dict[str, dict]:
        order = newer_older(self.articles)
        tags = tuple(tuple(slug for slug, _ in article_tag_slugs(a)) for a in self.articles)
        if related_memo is not None:  # a preview: only what can have changed is ranked again
            best = related_memo.indices([a.path for a in self.articles], tags, limit=limit)
        else:
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
                   related_limit: int = related.DEFAULT_LIMIT,
                   cards: CardViews | None = None,
                   related_memo: related.RelatedMemo | None = None) -> Listings:
    """Every listing page of the site, and each listed article's neighbours. `cards` and
    `related_memo` carry work over from a preview's previous rebuild (ListingsCache)."""
    builder = _Builder(catalog, listed_articles(catalog, include_held), per_page, cards)
    builder.home()
    builder.archive()
    builder.tags()
    builder.authors()
    return Listings(pages=tuple(builder.pages),
                    neighbours=builder.neighbours(related_limit, related_memo))


class CardViews:
    """Card views by article, kept while nothing a card shows changed. A preview that
    rebuilds its listings then hands the same card objects to the unchanged pages, which
    compare equal at the cost of an identity test (see ListingsCache)."""

    def __init__(self) -> None:
        self._views: dict[str, tuple[tuple, dict]] = {}
        self._settings = None

    def view(self, article: Article, catalog: Catalog, tag_names: dict[str, str]) -> dict:
        settings = catalog.settings
        if settings is not self._settings:
            # A rebuild brings new settings objects; a card shows their strings (its
            # status follows `now`, which is in the key).
            unchanged = self._settings is not None and replace(
                settings, now=None) == replace(self._settings, now=None)
            if not unchanged:
                self._views = {}
            self._settings = settings
        key = (article, article.status(settings.now),
               tuple(catalog.authors.get(a) for a in article.authors),
               tuple(tag_names.get(slug) for slug, _ in article_tag_slugs(article)))
        known = self._views.get(article.path)
        if known is not None and known[0] == key:
            return known[1]
        view = card_view(article, catalog, tag_names)
        self._views[article.path] = (key, view)
        return view

    def keep_only(self, paths) -> None:
        self._views = {path: self._views[path] for path in paths if path in self._views}


def listing_key(article: Article, now) -> tuple:
    """Everything about one article that a listing page or a neighbour card shows."""
    return (article.path, article.title, article.date, article.authors, article.url,
            article.tags, article.source, article.status(now), summary.card_excerpt(article))


class ListingsCache:
    """A preview rebuilds on every save; most saves change an article's text, not what its
    cards show. Then the previous rebuild's listings are reused as they are, and the adapter
    knows (same objects) that no listing page changed. When they did change (an article
    added or retitled), the pages and neighbours that came out equal are still the previous
    objects, so the adapter recognises those as unchanged without comparing their content."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self._listings: Listings | None = None
        self._cards = CardViews()
        self._related = related.RelatedMemo()

    def build(self, catalog: Catalog, per_page: int = DEFAULT_PER_PAGE,
              include_held: bool = False,
              related_limit: int = related.DEFAULT_LIMIT) -> Listings:
        settings = catalog.settings
        now = settings.now
        listed = listed_articles(catalog, include_held)
        key = (per_page, include_held, related_limit, replace(settings, now=None),
               catalog.authors, tuple(listing_key(a, now) for a in listed))
        if self._listings is None or key != self._key:
            fresh = build_listings(catalog, per_page, include_held, related_limit,
                                   self._cards, self._related)
            self._cards.keep_only(a.path for a in listed)
            self._listings = _keep_unchanged(self._listings, fresh)
            self._key = key
        return self._listings


def _keep_unchanged(previous: Listings | None, fresh: Listings) -> Listings:
    """`fresh`, with each page and neighbour entry that equals the previous one replaced by
    the previous object. Cheap: unchanged cards are the same objects (CardViews), and equal
    lists of the same objects compare by identity."""
    if previous is None:
        return fresh
    old_pages = previous.by_src_uri
    pages = []
    for page in fresh.pages:
        old = old_pages.get(page.src_uri)
        pages.append(old if old is not None and old == page else page)
    neighbours = {}
    for path, entry in fresh.neighbours.items():
        old = previous.neighbours.get(path)
        neighbours[path] = old if old is not None and old == entry else entry
    return Listings(pages=tuple(pages), neighbours=neighbours)
