"""Reading a built site: its HTML pages (ids, URL references, classes) and its stylesheets.

Only the standard library's HTML parser: the checks need attributes and line numbers,
not a DOM, and the parser is forgiving of whatever markup it meets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

# `url(...)` and `@import "..."` in CSS; the quotes are optional for url().
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)"""
                      r"""|@import\s+(?:"([^"]*)"|'([^']*)')""")
# A component block class of ours (BEM: `bs-share`, not `bs-share__icon` or `bs-share--x`).
_BLOCK_CLASS = re.compile(r"^bs-[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_ATTRS = ("href", "src", "poster", "data", "xlink:href")
# <meta> whose content is a URL of this site that other programs fetch (link previews).
_URL_METAS = {"og:url", "og:image", "og:image:url", "og:image:secure_url", "twitter:image"}


@dataclass(frozen=True)
class Ref:
    """One URL the page points at: `tag` and `attr` say how (an <a href> is a link the reader
    may follow; an <img src> or a CSS url() is a resource the browser loads)."""
    tag: str
    attr: str
    url: str
    line: int
    rel: frozenset[str] = frozenset()


@dataclass
class Page:
    path: str  # relative to the site folder, "/"-separated
    ids: set[str] = field(default_factory=set)
    refs: list[Ref] = field(default_factory=list)
    blocks: set[str] = field(default_factory=set)
    canonical: str | None = None


def css_urls(css: str) -> list[tuple[str, int]]:
    """(url, line) for every url() and @import in a stylesheet."""
    found = []
    for match in _CSS_URL.finditer(css):
        url = next(group for group in match.groups() if group is not None)
        found.append((url.strip(), css.count("\n", 0, match.start()) + 1))
    return found


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a srcset ("a.png 1x, b.png 2x"), split the way the HTML standard says:
    a URL runs to the next whitespace (commas inside it are kept unless trailing), then its
    descriptors run to the next comma."""
    urls, pos, size = [], 0, len(srcset)
    while pos < size:
        while pos < size and (srcset[pos].isspace() or srcset[pos] == ","):
            pos += 1
        start = pos
        while pos < size and not srcset[pos].isspace():
            pos += 1
        url = srcset[start:pos]
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            while pos < size and srcset[pos] != ",":
                pos += 1
        if url:
            urls.append(url)
    return urls


class _PageParser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        page, line = self.page, self.getpos()[0]
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            page.ids.add(values["id"])
        if tag == "a" and "name" in values:  # old-style anchors are fragment targets too
            page.ids.add(values["name"])
        page.blocks.update(c for c in values.get("class", "").split() if _BLOCK_CLASS.match(c))
        rel = frozenset(values.get("rel", "").lower().split())
        if tag == "link" and "canonical" in rel and "href" in values:
            page.canonical = values["href"]
        for attr in _URL_ATTRS:
            if values.get(attr, "").strip():
                page.refs.append(Ref(tag, attr, values[attr].strip(), line, rel))
        meta_name = values.get("property", values.get("name", "")).lower()
        if tag == "meta" and meta_name in _URL_METAS and values.get("content", "").strip():
            page.refs.append(Ref(tag, meta_name, values["content"].strip(), line))
        if values.get("srcset"):
            page.refs.extend(Ref(tag, "srcset", url, line) for url in srcset_urls(values["srcset"]))
        if values.get("style"):
            page.refs.extend(Ref(tag, "style", url, line) for url, _ in css_urls(values["style"]))
        self.in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            line = self.getpos()[0]
            self.page.refs.extend(Ref("style", "url()", url, line + offset - 1)
                                  for url, offset in css_urls(data))


def parse_page(path: str, text: str) -> Page:
    page = Page(path)
    parser = _PageParser(page)
    parser.feed(text)
    parser.close()
    return page


def html_files(site: Path) -> list[str]:
    """Every HTML page of the site, "/"-separated and relative to it, sorted."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file())


def css_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.css") if p.is_file())


def read_pages(site: Path) -> dict[str, Page]:
    return {path: parse_page(path, (site / path).read_text(encoding="utf-8", errors="replace"))
            for path in html_files(site)}
