"""Read a WordPress export file (WXR: RSS 2.0 with `wp:`, `content:`, `excerpt:` and `dc:`
elements) into plain data, refusing anything an export never contains.

The XML is parsed by expat with a handler that stops at a DOCTYPE: WXR never declares one,
and without a DTD no entity can be defined, so entity expansion attacks ("billion laughs",
external entities reading local files) cannot start. Namespace URIs are mapped to short names
(`{wp}post_id`), whatever export version (1.0, 1.1, 1.2) wrote them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.parsers import expat

from . import ImportFailure

_PREFIXES = (
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/?$"), "wp"),
    (re.compile(r"^http://purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"^http://purl\.org/dc/elements/1\.1/?$"), "dc"),
)


class _Refused(Exception):
    pass


def _tag(name: str) -> str:
    """'http://wordpress.org/export/1.2/ post_id' (expat's form) -> '{wp}post_id', whatever
    the export's version."""
    if " " not in name:
        return name
    uri, local = name.split(" ", 1)
    for pattern, prefix in _PREFIXES:
        if pattern.match(uri):
            return f"{{{prefix}}}{local}"
    return f"{{{uri}}}{local}"


def parse_xml(data: bytes, source: str) -> ET.Element:
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True

    def refuse(*_args):
        raise _Refused()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = lambda name, attrs: builder.start(
        _tag(name), {_tag(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda name: builder.end(_tag(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except _Refused:
        raise ImportFailure(
            f"{source}: line {parser.CurrentLineNumber}: declares a DOCTYPE or entities, which "
            "a WordPress export never does — refused for safety; export the site again from "
            "WordPress (Tools → Export)") from None
    except expat.ExpatError as err:
        raise ImportFailure(
            f"{source}: line {err.lineno}: is not valid XML ({expat.ErrorString(err.code)}) — "
            "export the site again from WordPress (Tools → Export); don't edit the file "
            "by hand") from None
    return builder.close()


@dataclass(frozen=True)
class WpAuthor:
    login: str
    display_name: str


@dataclass(frozen=True)
class WpTerm:
    domain: str
    """'category', 'post_tag', or another taxonomy (ignored)."""
    nicename: str
    name: str


@dataclass(frozen=True)
class WpItem:
    post_id: str
    title: str
    link: str
    creator: str
    content: str
    excerpt: str
    post_type: str
    status: str
    post_name: str
    date_gmt: str
    date_local: str
    terms: tuple[WpTerm, ...] = ()
    thumbnail_id: str = ""
    attachment_url: str = ""


@dataclass(frozen=True)
class Export:
    site_url: str
    """The old site's address, for links and images written relative to it."""
    authors: tuple[WpAuthor, ...]
    items: tuple[WpItem, ...]


def _text(element: ET.Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "") if found is not None else ""


def read_export(data: bytes, source: str) -> Export:
    root = parse_xml(data, source)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or (
            channel.find("{wp}wxr_version") is None
            and channel.find("item/{wp}post_type") is None):
        raise ImportFailure(f"{source}: is not a WordPress export (WXR) — in WordPress, use "
                            "Tools → Export → All content and import the .xml file it saves")
    site_url = (_text(channel, "{wp}base_blog_url") or _text(channel, "{wp}base_site_url")
                or _text(channel, "link")).strip()
    authors = tuple(
        WpAuthor(login=_text(a, "{wp}author_login").strip(),
                 display_name=_text(a, "{wp}author_display_name").strip()
                 or " ".join(filter(None, (_text(a, "{wp}author_first_name").strip(),
                                           _text(a, "{wp}author_last_name").strip()))))
        for a in channel.findall("{wp}author") if _text(a, "{wp}author_login").strip())
    items = []
    for item in channel.findall("item"):
        meta = {_text(m, "{wp}meta_key"): _text(m, "{wp}meta_value")
                for m in item.findall("{wp}postmeta")}
        terms = tuple(WpTerm(domain=c.get("domain", ""), nicename=c.get("nicename", ""),
                             name=c.text or "")
                      for c in item.findall("category"))
        items.append(WpItem(
            post_id=_text(item, "{wp}post_id").strip(),
            title=_text(item, "title"),
            link=_text(item, "link").strip(),
            creator=_text(item, "{dc}creator").strip(),
            content=_text(item, "{content}encoded"),
            excerpt=_text(item, "{excerpt}encoded"),
            post_type=_text(item, "{wp}post_type").strip() or "post",
            status=_text(item, "{wp}status").strip(),
            post_name=_text(item, "{wp}post_name").strip(),
            date_gmt=_text(item, "{wp}post_date_gmt").strip(),
            date_local=_text(item, "{wp}post_date").strip(),
            terms=terms,
            thumbnail_id=meta.get("_thumbnail_id", "").strip(),
            attachment_url=_text(item, "{wp}attachment_url").strip(),
        ))
    return Export(site_url=site_url, authors=authors, items=tuple(items))
