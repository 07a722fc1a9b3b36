"""Web feeds from plain data: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Two steps, because the adapter knows which files to create long before it knows their
content: `plan_feeds` decides from the catalog which feeds exist (the site's, one per tag,
one per author), and `render_feed` writes one of them once the articles' HTML is rendered.

XML is built with ElementTree (which escapes text and attributes) after removing characters
XML 1.0 forbids, so whatever the front matter holds, the output parses. Nothing depends on
the build's clock: a feed's own date is its newest article's.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from functools import lru_cache
from html import escape, unescape
from urllib.parse import urljoin, urlsplit

from .catalog import Catalog
from .listings import group_by_tag
from .model import Article
from .settings import Settings
from .summary import card_excerpt
from .tags import tag_slug
from .urls import absolute_url, absolute_url_from

DEFAULT_FEED_SIZE = 20
GENERATOR = "Broadsheet"

FORMATS = {
    "rss": {"file": "feed.xml", "type": "application/rss+xml", "label": "RSS"},
    "atom": {"file": "atom.xml", "type": "application/atom+xml", "label": "Atom"},
    "json": {"file": "feed.json", "type": "application/feed+json", "label": "JSON Feed"},
}
SITE_FORMATS = ("rss", "atom", "json")
LISTING_FORMATS = ("rss",)
"""Tag and author feeds: RSS only, which every reader understands; one file per listing
keeps a site with hundreds of tags small. Add "atom"/"json" here to publish those too."""

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
"""The date of a feed without articles: any fixed date keeps builds reproducible."""


# -- what exists ------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedSpec:
    path: str
    """Where the file goes, relative to the site root, e.g. 'tags/energy/feed.xml'."""
    format: str
    title: str
    description: str
    home_path: str
    """The site page the feed follows: '' (home), 'tags/<slug>/' or 'authors/<id>/'."""
    articles: tuple[Article, ...]
    """Newest first, at most the feed size."""


def tag_feed_path(tag: str, fmt: str = "rss") -> str:
    return f"tags/{tag_slug(tag)}/{FORMATS[fmt]['file']}"


def author_feed_path(author_id: str, fmt: str = "rss") -> str:
    return f"authors/{author_id}/{FORMATS[fmt]['file']}"


def plan_feeds(catalog: Catalog, size: int, site_description: str = "") -> list[FeedSpec]:
    """Every feed of the site, from its published articles (never drafts or scheduled)."""
    settings = catalog.settings
    strings = settings.strings
    site = settings.site_name
    published = catalog.published
    specs = [FeedSpec(FORMATS[fmt]["file"], fmt, site, site_description or site, "",
                      published[:size]) for fmt in SITE_FORMATS]

    # Grouped and named exactly as the tag pages are ('Energy' and 'energy' are one tag).
    by_tag, names = group_by_tag(published)
    for slug in sorted(by_tag):
        name = names[slug]
        title = strings["feed_title_tag"].format(site=site, tag=name)
        for fmt in LISTING_FORMATS:
            specs.append(FeedSpec(f"tags/{slug}/{FORMATS[fmt]['file']}", fmt, title, title,
                                  f"tags/{slug}/", tuple(by_tag[slug][:size])))

    for author_id in sorted(catalog.authors):
        articles = tuple(a for a in published if author_id in a.authors)
        if not articles:
            continue
        author = catalog.authors[author_id]
        title = strings["feed_title_author"].format(site=site, author=author.name)
        for fmt in LISTING_FORMATS:
            specs.append(FeedSpec(author_feed_path(author_id, fmt), fmt, title,
                                  author.description or title, f"authors/{author_id}/",
                                  articles[:size]))
    return specs




def feed_links(specs: list[FeedSpec], home_path: str = "") -> list[dict]:
    """`<link rel="alternate">` data for the feeds that follow one page ('' = the site's).

    Listing pages (tags/<slug>/, authors/<id>/) show the site's feeds and their own.
    """
    return [{"url": spec.path, "type": FORMATS[spec.format]["type"],
             "title": f"{spec.title} ({FORMATS[spec.format]['label']})"}
            for spec in specs if spec.home_path == home_path]


# -- one article as a feed entry --------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    id: str
    """The canonical URL (RSS guid, JSON Feed id)."""
    atom_id: str
    """A tag: URI from the site's host and the article's date and slug: it survives a change
    of url_format."""
    url: str
    title: str
    content_html: str
    summary: str
    published: datetime
    updated: datetime
    authors: tuple[dict, ...]
    """{'name', 'url', 'avatar'}; url and avatar are absolute or None."""
    tags: tuple[str, ...]
    image: str | None = None
    external_url: str | None = None
    external_title: str | None = None


def article_entry(article: Article, catalog: Catalog, html: str, page_url: str) -> Entry:
    """`html` is the article's rendered body; `page_url` the absolute address it lives at,
    against which its relative links are resolved."""
    settings = catalog.settings
    strings = settings.strings
    url = absolute_url(settings, article.url)
    content = absolutize_urls(html, page_url)
    source = article.source
    if source:
        # Feed readers show the body alone: give them the page's "Continue…" link too.
        at = strings["continue_reading_at"].format(source=source.name)
        label = f"{strings['continue_reading']} {at}"
        content += f'\n<p><a href="{escape(source.url)}">{escape(label)}</a></p>'
    authors = []
    for author_id in article.authors:
        author = catalog.authors.get(author_id)
        if author:
            avatar = author.avatar and (author.avatar if "://" in author.avatar
                                        else absolute_url(settings, author.avatar))
            authors.append({"name": author.name,
                            "url": absolute_url(settings, f"authors/{author.id}/"),
                            "avatar": avatar or None})
    image = article.image and (article.image if "://" in article.image
                               else absolute_url(settings, article.image.lstrip("/")))
    return Entry(
        id=url,
        atom_id=tag_uri(settings.site_url, article),
        url=url,
        title=article.title,
        content_html=content,
        # The same text as the article's card on listing pages.
        summary=card_excerpt(article),
        published=article.date,
        updated=article.updated or article.date,
        authors=tuple(authors),
        tags=tuple(article.tags),
        image=image or None,
        external_url=source.url if source else None,
        external_title=source.name if source else None,
    )


def tag_uri(site_url: str, article: Article) -> str:
    """RFC 4151: tag:<host>,<date>:<specific>; the site's path keeps two sites on one host
    apart, and (date, slug) is unique because every URL is made from the two."""
    parts = urlsplit(site_url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    day = article.date.date().isoformat()
    return f"tag:{parts.hostname or 'localhost'},{day}:{path}{article.slug}"


# -- HTML helpers -----------------------------------------------------------------------------

# A start tag, with quoted attribute values that may hold '>'; then its attributes one by
# one, so that text inside a value (title="see href=x") is never taken for an attribute.
_START_TAG_RE = re.compile(r"<([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_ATTR_RE = re.compile(r"(\s*)([^\s\"'>/=]+)(?:(\s*=\s*)(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_URL_ATTRS = {"href", "src", "poster", "cite", "action", "background"}


_ABSOLUTE_RE = re.compile(r"^[\"']?\s*[A-Za-z][A-Za-z0-9+.\-]*:")


@lru_cache(maxsize=4096)
def _join(base_url: str, url: str) -> str:
    return urljoin(base_url, url)


def absolutize_urls(html: str, base_url: str) -> str:
    """Resolve every relative URL attribute (href, src, srcset…) in `html` against
    `base_url`: a feed is read far from the site, where page-relative links lead nowhere."""

    def join(url: str) -> str:
        return _join(base_url, url.strip())

    def srcset(value: str) -> str:
        candidates = []
        for candidate in value.split(","):
            url, _, descriptor = candidate.strip().partition(" ")
            if url:
                candidates.append(" ".join(filter(None, [join(url), descriptor.strip()])))
        return ", ".join(candidates)

    def attribute(match: re.Match) -> str:
        space, name, equals, raw = match.groups()
        lowered = name.lower()
        if raw is None or (lowered not in _URL_ATTRS and lowered != "srcset"):
            return match.group(0)
        if lowered != "srcset" and _ABSOLUTE_RE.match(raw):
            return match.group(0)  # has a scheme already (https:, mailto:…): leave it be
        value = unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        value = srcset(value) if lowered == "srcset" else join(value)
        return f'{space}{name}{equals}"{escape(value, quote=True)}"'

    def tag(match: re.Match) -> str:
        name, attributes = match.groups()
        return f"<{name}{_ATTR_RE.sub(attribute, attributes)}>"

    return _START_TAG_RE.sub(tag, html)


# -- rendering --------------------------------------------------------------------------------

_XML_ILLEGAL_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop what XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/FFFF)."""
    return _XML_ILLEGAL_RE.sub("", text)


class FeedRenderer:
    """Writes the feeds of one build. An article is in the site's feeds and in those of its
    tags and authors, so each entry's XML is made once and reused (keyed by its id)."""

    def __init__(self, settings: Settings, language: str | None = None):
        self.settings = settings
        self.language = language or None
        self._items: dict[tuple[str, str], str] = {}

    def render(self, spec: FeedSpec, entries: list[Entry]) -> bytes:
        """The file for `spec`; `entries` are its articles as Entry, in the same order."""
        site_url = self.settings.site_url
        feed = {
            "site": self.settings.site_name,
            "title": spec.title,
            "description": spec.description,
            "home_url": absolute_url_from(site_url, spec.home_path),
            "self_url": absolute_url_from(site_url, spec.path),
            "language": self.language,
            "updated": max((e.updated for e in entries), default=_EPOCH),
        }
        if spec.format == "json":
            return _json_feed(feed, entries)
        head, item_of, depth = {"rss": (_rss_head, _rss_item, 2),
                                "atom": (_atom_head, _atom_entry, 1)}[spec.format]
        items = [self._item_xml(spec.format, entry, item_of, depth) for entry in entries]
        return _assemble(head(feed), items, depth)

    def _item_xml(self, fmt: str, entry: Entry, item_of, depth: int) -> str:
        key = (fmt, entry.id)
        if key not in self._items:
            element = item_of(entry)
            ET.indent(element, space=_INDENT, level=depth)
            self._items[key] = ET.tostring(element, encoding="unicode")
        return self._items[key]


def render_feed(spec: FeedSpec, entries: list[Entry], settings: Settings,
                language: str | None = None) -> bytes:
    """One feed on its own (a build renders many with one FeedRenderer)."""
    return FeedRenderer(settings, language).render(spec, entries)



def _rfc3339(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _element(parent: ET.Element | None, tag: str, text: str | None = None,
             **attrs: str) -> ET.Element:
    clean = {k: xml_safe(v) for k, v in attrs.items()}
    element = ET.Element(tag, clean) if parent is None else ET.SubElement(parent, tag, clean)
    if text is not None:
        element.text = xml_safe(text)
    return element


_INDENT = "  "
_ITEMS = "broadsheet-items"
"""Placeholder element where the items go; no text can forge it, as text is escaped."""


def _assemble(root: ET.Element, items: list[str], depth: int) -> bytes:
    ET.indent(root, space=_INDENT)
    body = ET.tostring(root, encoding="unicode")
    placeholder = f"<{_ITEMS} />"
    if items:
        body = body.replace(placeholder, ("\n" + _INDENT * depth).join(items))
    else:
        body = body.replace("\n" + _INDENT * depth + placeholder, "")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _rss_head(feed: dict) -> ET.Element:
    # Prefixed names are written literally with their xmlns declared on the root, so that
    # ElementTree's global namespace registry is left alone.
    rss = ET.Element("rss", {"version": "2.0",
                             "xmlns:atom": "http://www.w3.org/2005/Atom",
                             "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
                             "xmlns:dc": "http://purl.org/dc/elements/1.1/"})
    channel = _element(rss, "channel")
    _element(channel, "title", feed["title"])
    _element(channel, "link", feed["home_url"])
    _element(channel, "description", feed["description"])
    if feed["language"]:
        _element(channel, "language", feed["language"])
    _element(channel, "generator", GENERATOR)
    _element(channel, "lastBuildDate", format_datetime(feed["updated"]))
    _element(channel, "atom:link", href=feed["self_url"], rel="self", type=FORMATS["rss"]["type"])
    _element(channel, _ITEMS)
    return rss


def _rss_item(entry: Entry) -> ET.Element:
    item = _element(None, "item")
    _element(item, "title", entry.title)
    _element(item, "link", entry.url)
    _element(item, "guid", entry.id, isPermaLink="true")
    _element(item, "pubDate", format_datetime(entry.published))
    for author in entry.authors:
        _element(item, "dc:creator", author["name"])
    for tag in entry.tags:
        _element(item, "category", tag)
    # RSS descriptions are HTML: the plain-text summary is escaped once for that.
    _element(item, "description", escape(entry.summary, quote=False))
    _element(item, "content:encoded", entry.content_html)
    return item


def _atom_head(feed: dict) -> ET.Element:
    attrs = {"xmlns": "http://www.w3.org/2005/Atom"}
    if feed["language"]:
        attrs["xml:lang"] = feed["language"]
    root = ET.Element("feed", attrs)
    _element(root, "id", feed["self_url"])
    _element(root, "title", feed["title"], type="text")
    _element(root, "subtitle", feed["description"], type="text")
    _element(root, "updated", _rfc3339(feed["updated"]))
    _element(root, "link", rel="self", type=FORMATS["atom"]["type"], href=feed["self_url"])
    _element(root, "link", rel="alternate", type="text/html", href=feed["home_url"])
    # Inherited by any entry without an author of its own, as Atom requires one.
    _element(_element(root, "author"), "name", feed["site"])
    _element(root, "generator", GENERATOR)
    _element(root, _ITEMS)
    return root


def _atom_entry(entry: Entry) -> ET.Element:
    node = _element(None, "entry")
    _element(node, "id", entry.atom_id)
    _element(node, "title", entry.title, type="text")
    _element(node, "link", rel="alternate", type="text/html", href=entry.url)
    if entry.external_url:
        _element(node, "link", rel="related", type="text/html", href=entry.external_url,
                 title=entry.external_title or "")
    _element(node, "published", _rfc3339(entry.published))
    _element(node, "updated", _rfc3339(entry.updated))
    for author in entry.authors:
        person = _element(node, "author")
        _element(person, "name", author["name"])
        _element(person, "uri", author["url"])
    for tag in entry.tags:
        _element(node, "category", term=tag)
    if entry.summary:
        _element(node, "summary", entry.summary, type="text")
    _element(node, "content", entry.content_html, type="html")
    return node


def _json_feed(feed: dict, entries: list[Entry]) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed["title"],
        "home_page_url": feed["home_url"],
        "feed_url": feed["self_url"],
        "description": feed["description"],
    }
    if feed["language"]:
        document["language"] = feed["language"]
    document["items"] = [_json_item(entry) for entry in entries]
    # Same cleaning as XML: JSON could carry control characters, but readers choke on them.
    return (_clean_json(json.dumps(_strip_illegal(document), ensure_ascii=False, indent=2))
            + "\n").encode("utf-8")


def _json_item(entry: Entry) -> dict:
    item = {"id": entry.id, "url": entry.url}
    if entry.external_url:
        item["external_url"] = entry.external_url
    item["title"] = entry.title
    item["content_html"] = entry.content_html
    if entry.summary:
        item["summary"] = entry.summary
    if entry.image:
        item["image"] = entry.image
    item["date_published"] = _rfc3339(entry.published)
    item["date_modified"] = _rfc3339(entry.updated)
    if entry.authors:
        item["authors"] = [{k: v for k, v in a.items() if v} for a in entry.authors]
    if entry.tags:
        item["tags"] = list(entry.tags)
    return item


def _strip_illegal(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_strip_illegal(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_illegal(v) for k, v in value.items()}
    return value


def _clean_json(text: str) -> str:
    # U+2028/2029 are valid JSON but end lines in some JavaScript parsers.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
