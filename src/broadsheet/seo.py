"""Metadata for sharers and search engines: description, Open Graph, Twitter, JSON-LD.

Everything is computed here from the validated article; partials/seo.html only prints it.
Values are raw text that the template escapes, except `json_ld`, which is finished JSON made
safe to put inside <script> as it is.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlsplit

from . import cards
from .model import Article, Author
from .settings import Settings
from .urls import absolute_url

DESCRIPTION_LIMIT = 160
"""Search engines show about this many characters of a description."""


# ---- The description ---------------------------------------------------------------------

def meta_description(article: Article) -> str:
    """The editor's `description`, else the excerpt, else the body's first paragraph, as
    plain text of at most DESCRIPTION_LIMIT characters."""
    if article.description:
        text = " ".join(article.description.split())
    else:
        text = plain_text(article.excerpt or "") or first_paragraph(article.body)
    return trim(text or article.title, DESCRIPTION_LIMIT)


def trim(text: str, limit: int) -> str:
    """`text` cut on a word boundary to at most `limit` characters, ending with '…'."""
    if len(text) <= limit:
        return text
    space = text[:limit].rfind(" ")
    # A single word longer than half the limit is cut mid-word rather than dropped.
    head = text[:space] if space > limit // 2 else text[:limit - 1]
    return head.rstrip(" ,.;:!?—–-(") + "…"


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# Blocks that are not a paragraph of prose: headings, quotes, lists, tables, HTML, code,
# admonitions, rules, link/footnote definitions, attribute lists.
_NOT_PROSE = re.compile(r"^(?: {4}|\t| {0,3}(?:[#>|<{:]|!!!|\?\?\?|[-*+] |\d+[.)] |"
                        r"\[[^\]]*\]:|(?:[-*_] ?){3,}$))")


def first_paragraph(markdown: str) -> str:
    """Plain text of the first paragraph of prose in a Markdown body ('' if there is none).

    Falls back to the first block with any text (a blockquote, say) when no block is prose.
    """
    fallback = ""
    for block in _blocks(markdown):
        if _NOT_PROSE.match(block[0]):
            if not fallback:
                fallback = plain_text(" ".join(_unmark(line) for line in block))
            continue
        text = plain_text(" ".join(block))
        if text:
            return text
    return fallback


def _blocks(markdown: str):
    """Runs of non-blank lines, skipping fenced code (which may hold blank lines)."""
    block: list[str] = []
    fence = None
    for line in markdown.splitlines():
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = _FENCE.match(line)
        if opening or not line.strip():
            if block:
                yield block
            block = []
            fence = opening.group(1) if opening else None
            continue
        block.append(line)
    if block:
        yield block


_BLOCK_MARK = re.compile(r"^ {0,3}(?:(?:> ?)+|#{1,6} |[-*+] |\d+[.)] )")


def _unmark(line: str) -> str:
    return _BLOCK_MARK.sub("", line)


_INLINE = [
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),        # images
    (re.compile(r"\[\^[^\]]+\]"), ""),                                  # footnote references
    (re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])"), r"\1"),      # links
    (re.compile(r"\{:?\s*[#.][^}]*\}"), ""),                           # attribute lists
    (re.compile(r"<[^>]*>"), ""),                                       # HTML tags
    (re.compile(r"(`+)(.+?)\1"), r"\2"),                                # code spans
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),             # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*"), r"\1"),           # emphasis
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>])"), r"\1"),                 # backslash escapes
]


def plain_text(markdown: str) -> str:
    """Inline Markdown reduced to the text a reader sees, on one line."""
    text = markdown
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(html.unescape(text).split())


# ---- The metadata ------------------------------------------------------------------------

def article_seo(article: Article, catalog, canonical_url: str,
                image_url: str | None) -> dict:
    """What partials/seo.html shows for one article.

    `image_url` is the absolute URL of the article's generated share card, if it has one;
    the article's own `image` wins over it.
    """
    settings = catalog.settings
    description = meta_description(article)
    image = share_image(article, settings, image_url)
    authors = [catalog.authors[a] for a in article.authors if a in catalog.authors]
    published = article.date.isoformat()
    modified = (article.updated or article.date).isoformat()

    open_graph = [("og:type", "article"), ("og:title", article.title),
                  ("og:description", description), ("og:url", canonical_url),
                  ("og:site_name", settings.site_name)]
    if image:
        open_graph.append(("og:image", image["url"]))
        open_graph += [(f"og:image:{key}", str(image[key]))
                       for key in ("type", "width", "height") if key in image]
        open_graph.append(("og:image:alt", image["alt"]))
    open_graph += [("article:published_time", published), ("article:modified_time", modified)]
    open_graph += [("article:author", author_page(settings, a)) for a in authors]
    open_graph += [("article:tag", tag) for tag in article.tags]

    twitter = [("twitter:card", "summary_large_image" if image else "summary"),
               ("twitter:title", article.title), ("twitter:description", description)]
    if image:
        twitter += [("twitter:image", image["url"]), ("twitter:image:alt", image["alt"])]

    return {
        "description": description,
        "open_graph": [{"property": key, "content": value} for key, value in open_graph],
        "twitter": [{"name": key, "content": value} for key, value in twitter],
        "json_ld": script_json(news_article(article, settings, authors, canonical_url,
                                            description, image)),
    }


def share_image(article: Article, settings: Settings, card_url: str | None) -> dict | None:
    """The image sharers show: the article's own, else its generated card, else none."""
    if article.image:
        url = article.image
        if not urlsplit(url).scheme:
            url = absolute_url(settings, quote(url))
        return {"url": url, "alt": article.image_alt or article.title}
    if card_url:
        return {"url": card_url, "alt": cards.card_text(article, settings).alt,
                "type": "image/png", "width": cards.WIDTH, "height": cards.HEIGHT}
    return None


def news_article(article: Article, settings: Settings, authors: list[Author],
                 canonical_url: str, description: str, image: dict | None) -> dict:
    """The article as a schema.org NewsArticle (plain data, for json.dumps)."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": description,
        "url": canonical_url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical_url},
        "datePublished": article.date.isoformat(),
        "dateModified": (article.updated or article.date).isoformat(),
        "author": [_person(a, settings) for a in authors],
        "publisher": {"@type": "Organization", "name": settings.site_name,
                      "url": absolute_url(settings, "")},
    }
    if article.tags:
        data["keywords"] = list(article.tags)
    if image:
        data["image"] = {"@type": "ImageObject", "url": image["url"],
                         **{k: image[k] for k in ("width", "height") if k in image}}
    if article.source:
        data["isBasedOn"] = _source_work(article.source)
    return data


def _person(author: Author, settings: Settings) -> dict:
    person = {"@type": "Person", "name": author.name, "url": author_page(settings, author)}
    same_as = ([author.url] if author.url else []) + [url for _, url in author.links]
    if same_as:
        person["sameAs"] = same_as
    return person


def _source_work(source) -> dict:
    work = {"@type": "CreativeWork", "url": source.url}
    if source.title:
        work["headline"] = source.title
    if source.author:
        work["author"] = {"@type": "Person", "name": source.author}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    work["publisher"] = {"@type": "Organization", "name": source.name}
    return work


def author_page(settings: Settings, author: Author) -> str:
    return absolute_url(settings, f"authors/{quote(author.id)}/")



# Inside <script>, "</script>" or "<!--" in a string would end or alter the block, and
# U+2028/U+2029 break older JavaScript parsers. JSON allows \u escapes for all of them.
_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                                "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(data) -> str:
    """JSON that is safe to put between <script> and </script> as it is."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_UNSAFE)
