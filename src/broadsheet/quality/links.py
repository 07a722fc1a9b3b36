"""Internal links, fragments and foreign resources, checked over a whole built site.

- Every reference to a local path (`href`, `src`, `srcset`, CSS `url()`) must resolve to a
  file; a directory URL means its `index.html`.
- Every `#fragment` into an HTML page must name an `id` on that page.
- Nothing the browser *loads* (scripts, images, stylesheets, fonts, frames, CSS url()) may
  come from another host: readers' browsers talk to this site only. Links a reader follows
  (`<a href>`) may go anywhere.
Absolute URLs on the site's own origin (canonical links, og:image…) are checked like local
paths.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .findings import Finding
from .pages import Page, Ref, css_files, css_urls, read_pages

# Schemes that name no file and load nothing from a network.
_INERT_SCHEMES = {"mailto", "tel", "sms", "data", "blob", "about", "javascript"}
# Elements whose href is a link a reader follows rather than something the page loads.
_LINK_TAGS = {"a", "area"}
# <link rel=...> kinds that only describe a relation and make the browser fetch nothing.
_NAVIGATION_RELS = {"me", "author", "license", "help"}
# Fragments that need no target: "#" and "#top" scroll to the top of any page.
_ALWAYS_THERE = {"", "top"}


@dataclass(frozen=True)
class SiteOrigin:
    """Where the site is served: `netloc` of its URL (None if unknown) and the path prefix."""
    netloc: str | None = None
    base_path: str = "/"

    @classmethod
    def from_url(cls, url: str | None) -> "SiteOrigin":
        if not url:
            return cls()
        parts = urlsplit(url)
        base = parts.path if parts.path.endswith("/") else parts.path + "/"
        return cls(parts.netloc.lower() or None, base)


def guess_origin(pages: dict[str, Page]) -> SiteOrigin:
    """The site's URL from the home page's canonical link (MkDocs writes site_url there)."""
    home = pages.get("index.html")
    return SiteOrigin.from_url(home.canonical if home else None)


@dataclass(frozen=True)
class Target:
    path: str | None  # file in the site ("" never); None when the URL is not local
    fragment: str | None
    foreign: bool = False
    outside: bool = False  # a local path that climbs out of the site or its base path


def resolve(url: str, from_file: str, origin: SiteOrigin, site: Path) -> Target:
    """Where `url`, written in site file `from_file`, points inside the site."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _INERT_SCHEMES:
        return Target(None, None)
    fragment = unquote(parts.fragment) if "#" in url else None
    if scheme or parts.netloc:
        path = unquote(parts.path) or "/"
        if (scheme not in ("http", "https", "") or parts.netloc.lower() != origin.netloc
                or not (path + "/").startswith(origin.base_path)):
            return Target(None, None, foreign=True)
    else:
        path = unquote(parts.path)
    if path.startswith("/"):
        if not (path + "/").startswith(origin.base_path):
            return Target(None, fragment, outside=True)
        rel = path[len(origin.base_path):]
    elif path == "":
        rel = from_file  # "#x" or "?q" on its own: this very file
    else:
        rel = posixpath.join(posixpath.dirname(from_file), path)
    trailing = rel.endswith("/") or rel == ""
    rel = posixpath.normpath(rel) if rel else "."
    if rel == ".." or rel.startswith("../"):
        return Target(None, fragment, outside=True)
    if rel == ".":
        rel = ""
    if trailing or (site / rel).is_dir():
        rel = posixpath.join(rel, "index.html") if rel else "index.html"
    return Target(rel, fragment)


def _loads_resource(ref: Ref) -> bool:
    if (ref.tag in _LINK_TAGS and ref.attr == "href") or ref.tag == "meta":
        return False
    if ref.tag == "link" and ref.rel and ref.rel <= _NAVIGATION_RELS:
        return False
    return True


def _check_ref(ref: Ref, page_path: str, pages: dict[str, Page], origin: SiteOrigin,
               site: Path) -> Finding | None:
    target = resolve(ref.url, page_path, origin, site)
    where = f"<{ref.tag} {ref.attr}> {ref.url!r}"
    if target.foreign:
        if _loads_resource(ref):
            return Finding(page_path, "foreign", f"{where} loads a resource from another "
                           "host; serve it from this site instead", ref.line)
        return None
    if target.outside:
        return Finding(page_path, "link", f"{where} points outside the site", ref.line)
    if target.path is None:
        return None
    if not (site / target.path).is_file():
        return Finding(page_path, "link", f"{where}: no such file {target.path}", ref.line)
    fragment = target.fragment
    if fragment is None or fragment in _ALWAYS_THERE or target.path not in pages:
        return None
    if fragment not in pages[target.path].ids:
        return Finding(page_path, "fragment",
                       f"{where}: {target.path} has no element with id {fragment!r}", ref.line)
    return None


def check_stylesheets(site: Path, origin: SiteOrigin) -> list[Finding]:
    findings = []
    for path in css_files(site):
        css = (site / path).read_text(encoding="utf-8", errors="replace")
        for url, line in css_urls(css):
            if not url:
                continue
            target = resolve(url, path, origin, site)
            if target.foreign:
                findings.append(Finding(path, "foreign", f"url({url!r}) loads a resource from "
                                        "another host; serve it from this site instead", line))
            elif target.outside:
                findings.append(Finding(path, "link", f"url({url!r}) points outside the site",
                                        line))
            elif target.path is not None and not (site / target.path).is_file():
                findings.append(Finding(path, "link", f"url({url!r}): no such file "
                                        f"{target.path}", line))
    return findings


def check_links(site: Path, origin: SiteOrigin | None = None,
                pages: dict[str, Page] | None = None) -> list[Finding]:
    """Broken links, missing fragments and foreign resources over the whole site."""
    pages = read_pages(site) if pages is None else pages
    origin = guess_origin(pages) if origin is None else origin
    findings = []
    for path, page in pages.items():
        for ref in page.refs:
            finding = _check_ref(ref, path, pages, origin, site)
            if finding:
                findings.append(finding)
    findings += check_stylesheets(site, origin)
    return sorted(findings, key=lambda f: (f.path, f.line or 0, f.check, f.message))
