"""A site served from a sub-path (https://<user>.github.io/<repo>/, GitHub Pages' project
sites) works: every internal link and asset resolves under the sub-path when the built folder
is served there, and every absolute address (canonical, og:url, og:image, JSON-LD, feeds,
sitemap, robots.txt, share links) starts with the sub-path URL.

The sample site is built with site_url https://example.github.io/broadsheet-demo/ and served by
a local HTTP server under /broadsheet-demo/; links are followed over HTTP, the way a browser
resolves them, so a root-relative "/archive/" (which would escape the sub-path) fails even
though the file archive/index.html exists.
"""

from __future__ import annotations

import gzip
import json
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

from broadsheet.quality import links as quality_links
from broadsheet.quality.pages import css_urls, parse_page
from pageskit import (EXTRA_ARTICLE, PUBLIC_HOST, PUBLIC_URL, SUBPATH, Crawler, fetch,
                      pages_server, publish, subpath_sample, to_server)
from sitekit import parse_html

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(site folder, published root): the sample site built for the sub-path, and a folder
    holding it at broadsheet-demo/ for the server."""
    tmp = tmp_path_factory.mktemp("subpath")
    site = subpath_sample(tmp / "project")
    result = site.build()
    assert result.returncode == 0, result.stderr
    root = tmp / "root"
    publish(site.site_dir, root)
    return site.site_dir, root


@pytest.fixture
def server(built):
    with pages_server(built[1]) as base:
        yield base


def page_address(rel: str, server: str) -> str:
    """The URL a reader uses for a built file: a folder's index.html by the folder's URL."""
    if rel == "index.html":
        return server
    if rel.endswith("/index.html"):
        return server + rel[: -len("index.html")]
    return server + rel


def html_files(site_dir: Path) -> list[str]:
    return sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))


# -- following every link over HTTP ----------------------------------------------------------

def crawl_site(site_dir: Path, server: str) -> Crawler:
    """Fetch every page of the site from the server and follow every reference in it (links,
    assets, srcset, inline styles, link-preview metas), then every url() of its stylesheets."""
    crawler = Crawler(server)
    for rel in html_files(site_dir):
        address = page_address(rel, server)
        response = fetch(address)
        assert response.status == 200, f"{address}: {response.status}"
        page = parse_page(rel, response.body.decode("utf-8"))
        for ref in page.refs:
            crawler.check(ref.url, address)
    for css in sorted(site_dir.rglob("*.css")):
        rel = css.relative_to(site_dir).as_posix()
        for url, _ in css_urls(css.read_text(encoding="utf-8", errors="replace")):
            if url:
                crawler.check(url, server + rel)
    return crawler


def test_every_link_and_asset_resolves_under_the_sub_path(built, server):
    site_dir, _ = built
    crawler = crawl_site(site_dir, server)
    assert crawler.failures == []
    # Not a vacuous pass: the pages, their assets and the articles were all fetched.
    fetched = {urlsplit(url).path for url in crawler.status}
    assert len(html_files(site_dir)) >= 15
    assert f"{SUBPATH}archive/" in fetched and f"{SUBPATH}search/" in fetched
    assert any(p.startswith(f"{SUBPATH}assets/stylesheets/main.") for p in fetched)
    assert any(p.startswith(f"{SUBPATH}assets/javascripts/bundle.") for p in fetched)
    assert f"{SUBPATH}assets/broadsheet/share.js" in fetched
    assert f"{SUBPATH}images/harbour.png" in fetched
    assert f"{SUBPATH}assets/authors/alex.svg" in fetched
    assert f"{SUBPATH}page/1/" in fetched  # pagination (two articles a page)


def test_the_crawler_catches_a_link_that_escapes_the_sub_path(built, tmp_path):
    """The check above can fail: the same site with one root-relative link (the file exists
    at that path inside the site, but not on the server's root)."""
    site_dir, _ = built
    broken = tmp_path / "site"
    shutil.copytree(site_dir, broken)
    archive = broken / "archive" / "index.html"
    html = archive.read_text(encoding="utf-8")
    archive.write_text(html.replace("</main>", '<a href="/tags/">Tags</a></main>', 1),
                       encoding="utf-8")
    root = tmp_path / "root"
    publish(broken, root)
    with pages_server(root) as base:
        crawler = crawl_site(broken, base)
    assert len(crawler.failures) == 1
    assert "'/tags/' resolves to /tags/, outside the sub-path" in crawler.failures[0]


def test_the_quality_gate_agrees_with_the_sub_path_as_origin(built):
    site_dir, _ = built
    findings = quality_links.check_links(site_dir, quality_links.SiteOrigin.from_url(PUBLIC_URL))
    assert findings == [], "\n".join(map(str, findings))


# -- absolute addresses carry the sub-path ---------------------------------------------------

# The site's host written in any form a file may hold it: plain, percent-encoded (share links),
# or with JSON's escaped slashes.
HOST_FORMS = {
    "plain": re.compile(r"https?://" + re.escape(PUBLIC_HOST) + r"(?P<rest>[^\s\"'<>)]*)"),
    "encoded": re.compile(r"https?%3A%2F%2F" + re.escape(PUBLIC_HOST) + r"(?P<rest>[^\s\"'<>&)]*)",
                          re.IGNORECASE),
    "json": re.compile(r"https?:\\/\\/" + re.escape(PUBLIC_HOST) + r"(?P<rest>[^\s\"'<>)]*)"),
}
SUBPATH_FORMS = {"plain": SUBPATH, "encoded": quote(SUBPATH, safe=""), "json": "\\/broadsheet-demo\\/"}
TEXT_SUFFIXES = {".html", ".xml", ".json", ".txt", ".js", ".webmanifest", ""}


def test_every_absolute_address_of_the_site_starts_with_the_sub_path_url(built):
    site_dir, _ = built
    seen, wrong = 0, []
    files = [p for p in site_dir.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES]
    texts = {p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8", errors="replace")
             for p in files}
    texts["sitemap.xml.gz"] = gzip.decompress((site_dir / "sitemap.xml.gz").read_bytes()).decode()
    for rel, text in texts.items():
        for form, pattern in HOST_FORMS.items():
            for match in pattern.finditer(text):
                seen += 1
                if not match.group("rest").upper().startswith(SUBPATH_FORMS[form].upper()):
                    wrong.append(f"{rel}: {match.group(0)[:120]}")
    assert wrong == []
    assert seen > 100  # canonical links, feeds, sitemap, share links… were all looked at
    # Atom entry ids are tag: URIs (not addresses) but keep the site's path too, so that two
    # sites on one github.io host never share ids.
    ids = re.findall(r"tag:" + re.escape(PUBLIC_HOST) + r",[0-9-]+:(\S+?)<", texts["atom.xml"])
    assert ids and all(i.startswith(SUBPATH) for i in ids)


def test_canonical_links_and_sitemap_name_the_same_sub_path_pages(built, server):
    site_dir, _ = built
    canonicals = {}
    for rel in html_files(site_dir):
        if rel == "404.html":
            continue
        doc = parse_html((site_dir / rel).read_text(encoding="utf-8"))
        link = doc.find("link", rel="canonical")
        assert link is not None, f"{rel} has no canonical link"
        canonicals[rel] = link.attrs["href"]
        assert canonicals[rel] == PUBLIC_URL + page_address(rel, ""), rel
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locs and set(locs) <= set(canonicals.values())
    assert PUBLIC_URL in locs
    for loc in locs:
        assert fetch(to_server(loc, server)).status == 200, loc
    robots = (site_dir / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {PUBLIC_URL}sitemap.xml" in robots.splitlines()


def article_pages(site_dir: Path) -> dict[str, object]:
    pages = {}
    for rel in html_files(site_dir):
        doc = parse_html((site_dir / rel).read_text(encoding="utf-8"))
        if doc.find("meta", property="og:type", content="article"):
            pages[rel] = doc
    return pages


def json_ld_urls(value) -> list[str]:
    if isinstance(value, dict):
        return [u for v in value.values() for u in json_ld_urls(v)]
    if isinstance(value, list):
        return [u for v in value for u in json_ld_urls(v)]
    return [value] if isinstance(value, str) and value.startswith(("http:", "https:")) else []


def test_article_metadata_and_share_links_use_the_sub_path_url(built, server):
    site_dir, _ = built
    articles = article_pages(site_dir)
    assert len(articles) >= 4  # the sample's three published articles and the extra one
    for rel, doc in articles.items():
        canonical = doc.find("link", rel="canonical").attrs["href"]
        assert canonical == PUBLIC_URL + rel[: -len("index.html")]
        assert doc.find("meta", property="og:url").attrs["content"] == canonical
        image = doc.find("meta", property="og:image").attrs["content"]
        assert image.startswith(PUBLIC_URL) and fetch(to_server(image, server)).status == 200
        for meta in doc.find_all("meta"):
            if meta.attrs.get("name") == "twitter:image":
                assert meta.attrs["content"] == image
        script = doc.find("script", type="application/ld+json")
        data = json.loads(script.text())
        own = [u for u in json_ld_urls(data) if urlsplit(u).netloc == PUBLIC_HOST]
        assert canonical in own and image in own
        assert all(u.startswith(PUBLIC_URL) for u in own), own
        # Share: the copy field, the widget's data, and each network's link carry the address.
        share = doc.find("section", cls="bs-share")
        assert share.attrs["data-url"] == canonical
        assert doc.find("input", id="bs-share-url").attrs["value"] == canonical
        links = share.find_all("a", cls="bs-share__link")
        assert links, rel
        for link in links:
            href = link.attrs["href"]
            if href.startswith("#"):  # Mastodon: a panel asks for the reader's server first
                panel = doc.find(id=href[1:])
                assert canonical in panel.attrs["data-text"], href
            else:
                assert quote(canonical, safe="") in href or canonical in href, href
    extra = "2014/07/harbour-in-pictures/index.html"
    assert extra in articles, f"{EXTRA_ARTICLE} was not published at {extra}"
    image = articles[extra].find("meta", property="og:image").attrs["content"]
    assert image == PUBLIC_URL + "images/harbour.png"


def feed_urls(site_dir: Path) -> dict[str, list[str]]:
    """Every address in each feed: RSS and Atom links, ids and guids, JSON Feed's URLs, and
    the links and images inside each entry's HTML content."""
    found: dict[str, list[str]] = {}
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        urls: list[str] = []
        contents: list[str] = []
        if path.name in ("feed.xml", "atom.xml"):
            for element in ET.parse(path).iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if element.get("href"):
                    urls.append(element.get("href"))
                if tag in ("link", "guid", "id") and element.text and element.text.strip():
                    urls.append(element.text.strip())
                if tag in ("encoded", "content") and element.text:
                    contents.append(element.text)
        elif path.name == "feed.json":
            data = json.loads(path.read_text(encoding="utf-8"))
            urls += [data["home_page_url"], data["feed_url"]]
            for item in data["items"]:
                urls += [item["id"], item["url"], *(a.get("url") for a in item.get("authors", []))]
                if item.get("image"):
                    urls.append(item["image"])
                contents.append(item.get("content_html", ""))
        else:
            continue
        for html in contents:
            urls += [ref.url for ref in parse_page(rel, html).refs]
        found[rel] = [u for u in urls if u and not u.startswith("tag:")]
    return found


def test_feeds_point_into_the_sub_path_and_every_address_resolves(built, server):
    site_dir, _ = built
    feeds = feed_urls(site_dir)
    assert {"feed.xml", "atom.xml", "feed.json"} <= set(feeds)
    assert any(rel.startswith("tags/") for rel in feeds)
    crawler = Crawler(server)
    for rel, urls in feeds.items():
        own = [u for u in urls if urlsplit(u).netloc == PUBLIC_HOST]
        assert own, rel
        assert all(urlsplit(u).scheme for u in own), rel  # feed readers need absolute URLs
        for url in urls:
            crawler.check(url, PUBLIC_URL + rel)
    assert crawler.failures == []
    # The extra article's body links to another article and shows an image: in the feed both
    # are absolute addresses under the sub-path.
    site_feed = feeds["feed.xml"]
    assert PUBLIC_URL + "images/harbour.png" in site_feed
    assert PUBLIC_URL + "2014/07/the-vladivostok-lng-plant-explained/" in site_feed


def test_feed_discovery_links_resolve_to_the_feeds(built, server):
    site_dir, _ = built
    doc = parse_html((site_dir / "2014/07/harbour-in-pictures/index.html").read_text("utf-8"))
    address = server + "2014/07/harbour-in-pictures/"
    alternates = [l.attrs["href"] for l in doc.find_all("link", rel="alternate")]
    assert len(alternates) == 3
    for href in alternates:
        target = urljoin(address, href)
        assert urlsplit(target).path.startswith(SUBPATH)
        assert fetch(target).status == 200
    assert posixpath.basename(urlsplit(urljoin(address, alternates[0])).path) in (
        "feed.xml", "atom.xml", "feed.json")


def test_site_url_without_its_final_slash_builds_the_same_site(built, tmp_path):
    """`site_url: https://example.github.io/broadsheet-demo` (no "/") is how many people write
    it; without the slash a join would drop the last path segment."""
    site = subpath_sample(tmp_path / "project", PUBLIC_URL.rstrip("/"))
    result = site.build()
    assert result.returncode == 0, result.stderr

    def files(folder: Path) -> dict[str, bytes]:
        # Not the search index: it holds no address, and its own reproducibility is
        # another test's business (test_deterministic).
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
                if p.is_file() and not p.relative_to(folder).as_posix().startswith("pagefind/")}

    expected, actual = files(built[0]), files(site.site_dir)
    assert sorted(actual) == sorted(expected)
    assert [name for name in expected if actual[name] != expected[name]] == []


# -- search, in a browser: Pagefind's results link into the sub-path --------------------------

@pytest.mark.browser
def test_search_results_link_to_articles_under_the_sub_path(built, page):
    with pages_server(built[1]) as server:
        page.goto(server + "search/?q=harbour")
        result = page.locator(".pagefind-ui__result-link").first
        result.wait_for(timeout=15000)
        href = result.get_attribute("href")
        assert urlsplit(urljoin(page.url, href)).path == f"{SUBPATH}2014/07/harbour-in-pictures/"
        result.click()
        page.wait_for_url("**/2014/07/harbour-in-pictures/")
        assert page.locator("h1").first.inner_text() == "The harbour in pictures"
