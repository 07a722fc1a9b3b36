"""The 404 page: styled and working wherever it is shown.

GitHub Pages (and `mkdocs serve`) answer any missing address with the site's 404.html, at
whatever depth the address was: /broadsheet-demo/missing and /broadsheet-demo/a/b/c/missing
get the same bytes. So every URL in it must be root-relative from site_url's path: a
page-relative "assets/…" would be fetched from /broadsheet-demo/a/b/c/assets/… and fail.
The server in pageskit answers like GitHub Pages: the site's 404.html with status 404.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from broadsheet.quality.pages import parse_page
from broadsheet.strings import DEFAULT_STRINGS
from pageskit import SUBPATH, Crawler, fetch, pages_server, publish, subpath_sample
from sitekit import make_site, meta, mkdocs_yml, parse_html

pytestmark = pytest.mark.slow

MISSING = ["missing", "a/b/c/missing", "2014/07/no-such-article/", "a/b/c/", "tags/nope/page/9/"]
"""Addresses under the sub-path with no page, from the top level down to four folders deep."""


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The sample site built for https://example.github.io/broadsheet-demo/ and laid out as
    GitHub Pages serves it: (site folder, root folder holding broadsheet-demo/)."""
    tmp = tmp_path_factory.mktemp("notfound")
    site = subpath_sample(tmp / "project")
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site.site_dir, publish(site.site_dir, tmp / "root").parent


@pytest.fixture
def server(published):
    with pages_server(published[1]) as base:
        yield base


def not_found_doc(site_dir):
    return parse_html((site_dir / "404.html").read_text(encoding="utf-8"))


# -- the page ---------------------------------------------------------------------------------

def test_the_page_says_what_happened_and_offers_home_archive_and_search(published):
    doc = not_found_doc(published[0])
    strings = DEFAULT_STRINGS
    assert doc.find("title").text() == f"{strings['not_found_title']} - Broadsheet"
    assert doc.find("h1").text() == strings["not_found_title"]
    assert strings["not_found_text"] in doc.find("div", cls="bs-not-found").text()
    links = {a.attrs["data-bs-not-found"]: a for a in doc.find_all("a")
             if "data-bs-not-found" in a.attrs}
    assert links["home"].text() == strings["not_found_home"]
    assert urlsplit(urljoin("http://h" + SUBPATH + "x/y/", links["home"].attrs["href"])).path == SUBPATH
    assert links["archive"].attrs["href"] == f"{SUBPATH}archive/"
    assert links["archive"].text() == strings["not_found_archive"]
    form = doc.find("form", cls="bs-not-found__search")
    assert form.attrs["action"] == f"{SUBPATH}search/" and form.attrs["method"] == "get"
    field = form.find("input", id="bs-not-found-q")
    assert field.attrs["name"] == "q"
    assert form.find("label").attrs["for"] == "bs-not-found-q"
    assert form.find("label").text() == strings["not_found_search"]


def test_no_url_in_the_page_depends_on_where_it_is_shown(published):
    """Page-relative URLs would resolve differently at each depth: none may be there."""
    site_dir, _ = published
    page = parse_page("404.html", (site_dir / "404.html").read_text(encoding="utf-8"))
    relative = [ref.url for ref in page.refs
                if not urlsplit(ref.url).scheme and not ref.url.startswith(("/", "#"))]
    assert relative == []
    local = [ref.url for ref in page.refs if ref.url.startswith("/")]
    assert len(local) > 10 and all(url.startswith(SUBPATH) for url in local)


@pytest.mark.parametrize("missing", MISSING)
def test_every_link_and_asset_works_from_a_missing_address_at_any_depth(published, server, missing):
    site_dir, _ = published
    address = server + missing
    response = fetch(address)
    assert response.status == 404
    assert response.body == (site_dir / "404.html").read_bytes()
    page = parse_page("404.html", response.body.decode("utf-8"))
    crawler = Crawler(server)
    for ref in page.refs:
        crawler.check(ref.url, address)  # resolved as the browser does: against the address
    assert crawler.failures == []
    fetched = {urlsplit(url).path for url in crawler.status}
    assert {SUBPATH, f"{SUBPATH}archive/", f"{SUBPATH}search/"} <= fetched
    assert any(p.startswith(f"{SUBPATH}assets/stylesheets/main.") for p in fetched)
    assert f"{SUBPATH}assets/broadsheet/not-found.css" in fetched


# -- its text: the site's own strings, escaped --------------------------------------------------

def test_the_texts_come_from_strings_in_mkdocs_yml_and_are_escaped(tmp_path):
    strings = {"not_found_title": "Seite nicht gefunden",
               "not_found_text": "Diese Seite gibt es <b>nicht</b> & nie.",
               "not_found_archive": "Archiv"}
    site = make_site(tmp_path, articles={"a.md": meta()}, plugin_options={"strings": strings})
    result = site.build()
    assert result.returncode == 0, result.stderr
    html = (site.site_dir / "404.html").read_text(encoding="utf-8")
    doc = parse_html(html)
    assert doc.find("h1").text() == "Seite nicht gefunden"
    assert doc.find("title").text() == "Seite nicht gefunden - Test Broadsheet"
    assert "Diese Seite gibt es &lt;b&gt;nicht&lt;/b&gt; &amp; nie." in html
    assert doc.find("a", data_bs_not_found="archive").text() == "Archiv"


def test_without_search_the_page_offers_home_and_archive_only(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()}, plugin_options={"search": False})
    assert site.build().returncode == 0
    doc = not_found_doc(site.site_dir)
    assert doc.find("form", cls="bs-not-found__search") is None
    assert [a.attrs["data-bs-not-found"] for a in doc.find_all("a")
            if "data-bs-not-found" in a.attrs] == ["home", "archive"]


def test_without_site_url_the_page_is_made_for_the_host_root(tmp_path):
    """MkDocs' rule: no site_url, so the site is taken to be at the root of its host."""
    site = make_site(tmp_path, articles={"a.md": meta()})
    config = re.sub(r"(?m)^site_url:.*\n", "", mkdocs_yml())
    site.config.write_text(config, encoding="utf-8")
    assert site.build().returncode == 0
    doc = not_found_doc(site.site_dir)
    assert doc.find("a", data_bs_not_found="archive").attrs["href"] == "/archive/"
    css = [l.attrs["href"] for l in doc.find_all("link", rel="stylesheet")]
    assert css and all(href.startswith("/assets/") for href in css)


# -- in a browser --------------------------------------------------------------------------------

def open_missing(page, address: str) -> list[str]:
    """Open a missing address; returns the problems: failed or non-200 requests after the
    page itself, which must come back 404 with the 404 page."""
    problems: list[str] = []
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))

    def on_response(response):
        if response.url.split("#")[0] != address and response.status != 200:
            problems.append(f"{response.status}: {response.url}")

    page.on("response", on_response)
    response = page.goto(address, wait_until="load")
    assert response.status == 404
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("missing", ["missing", "a/b/c/missing"])
def test_the_page_is_styled_and_scripted_at_any_depth(published, page, missing):
    with pages_server(published[1]) as server:
        problems = open_missing(page, server + missing)
        assert page.locator("h1").inner_text() == DEFAULT_STRINGS["not_found_title"]
        # Material's stylesheet applies (an unstyled header is not sticky) and ours does too.
        assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") == "sticky"
        assert page.eval_on_selector(
            ".bs-not-found__row", "e => getComputedStyle(e).display") == "flex"
        # Material's JavaScript ran: it publishes its observables for other scripts.
        assert page.evaluate("typeof window.document$") == "object"
        page.wait_for_load_state("networkidle")
        assert problems == []


@pytest.mark.browser
def test_the_links_lead_home_to_the_archive_and_to_search(published, page):
    with pages_server(published[1]) as server:
        missing = server + "a/b/c/missing"
        open_missing(page, missing)
        page.click("a[data-bs-not-found=home]")
        page.wait_for_url(server)
        assert page.locator(".bs-cards").count() == 1  # the home page's list of articles

        page.goto(missing)
        page.click("a[data-bs-not-found=archive]")
        page.wait_for_url(server + "archive/")

        page.goto(missing)
        page.click(".bs-search-button")  # the header's search button works here too
        page.wait_for_url(server + "search/")

        page.goto(missing)
        page.fill("#bs-not-found-q", "harbour")
        page.press("#bs-not-found-q", "Enter")
        page.wait_for_url(server + "search/?q=harbour")
        result = page.locator(".pagefind-ui__result-link").first
        result.wait_for(timeout=15000)
        assert urlsplit(urljoin(page.url, result.get_attribute("href"))).path == (
            f"{SUBPATH}2014/07/harbour-in-pictures/")


@pytest.mark.browser
def test_the_page_passes_axe(published, page, run_axe):
    with pages_server(published[1]) as server:
        open_missing(page, server + "a/b/c/missing")
        assert run_axe(page) == []
