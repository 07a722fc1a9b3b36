"""The publication around the articles, built for real from a generated corpus (72 articles:
drafts, scheduled ones, several authors and tags, per_page 4 so everything paginates):

- every published article is reachable from page 1 of the home page by following "next",
  and from each of its tag pages, its author's pages and its archive month;
- no draft or scheduled article (nor the author who wrote only those) is anywhere in the
  built site: pages, search index, sitemap, feeds;
- the tags index counts match the tag pages; links resolve; one h1 per page, headings in
  order; page titles say "Page 2 of N".
"""

from __future__ import annotations

import gzip
import importlib.util
import posixpath
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from broadsheet.catalog import read_site
from broadsheet.site_config import load_site_config
from broadsheet.tags import tag_slug
from conftest import REPO, SAMPLE_NOW, build_site
from sitekit import make_site, meta, parse_html

pytestmark = pytest.mark.slow

ARTICLES = 72
PER_PAGE = 4


def _load_generator():
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", REPO / "scripts" / "generate_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Built:
    def __init__(self, project: Path, site: Path, manifest: list[dict]):
        self.project = project
        self.site = site
        self.manifest = manifest
        config = load_site_config(project / "mkdocs.yml")
        self.catalog = read_site(config.docs_dir, config.settings)
        self.page = lru_cache(maxsize=None)(self._page)
        self.listed = lru_cache(maxsize=None)(self._listed)

    def _page(self, url: str):
        path = self.site / url / "index.html"
        assert path.is_file(), f"no page at /{url}"
        return parse_html(path.read_text(encoding="utf-8"))

    def links(self, url: str, **kwargs) -> list[tuple[str, object]]:
        """(site-relative target, node) of the internal links on a page."""
        found = []
        for node in self.page(url).find_all("a", **kwargs):
            href = node.attrs.get("href") or ""
            if not href or href.startswith(("#", "http:", "https:", "mailto:")):
                continue
            found.append((resolve(url, href), node))
        return found

    def _listed(self, start: str) -> list[str]:
        """Article URLs on a listing and its later pages, following rel=next from `start`."""
        articles: list[str] = []
        url, seen = start, set()
        while url is not None:
            assert url not in seen, f"rel=next loops back to /{url}"
            seen.add(url)
            page = self.page(url)
            for title in page.find_all(cls="bs-card__title"):
                articles += [resolve(url, a.attrs["href"]) for a in title.find_all("a")]
            pagination = page.find("nav", cls="bs-pagination")
            following = pagination.find("a", rel="next") if pagination else None
            url = resolve(url, following.attrs["href"]) if following else None
        return articles


def resolve(page_url: str, href: str) -> str:
    """Site-relative folder URL ('' for the home page) of a link on page `page_url`."""
    path = href.split("#")[0].split("?")[0]
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    joined = posixpath.normpath(posixpath.join("/" + page_url, path))
    if joined == "/":
        return ""
    is_folder = not posixpath.splitext(joined)[1]
    return joined.lstrip("/") + ("/" if is_folder else "")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("publication")
    project = root / "project"
    project.mkdir()
    shutil.copytree(REPO / "templates", project / "templates")
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "broadsheet" in plugin:
            plugin["broadsheet"]["per_page"] = PER_PAGE
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                        encoding="utf-8")
    manifest = _load_generator().generate_corpus(project / "docs", ARTICLES, seed=3,
                                                 now=SAMPLE_NOW)
    site = root / "site"
    build_site(project, site)  # --strict, BROADSHEET_NOW pinned: any warning fails
    return Built(project, site, manifest)


def test_the_corpus_has_what_the_checks_need(built):
    statuses = {e["status"] for e in built.manifest}
    assert statuses == {"published", "draft", "scheduled"}
    published = built.catalog.published
    assert len(published) > 50 and len(built.catalog.held_back) >= 8
    assert len({a.date.strftime("%Y-%m") for a in published}) > 6
    assert len(built.listed("")) > PER_PAGE * 10  # a long chain of pages


def test_every_published_article_is_reachable_from_the_home_page(built):
    listed = built.listed("")
    assert listed == [a.url for a in built.catalog.published]  # newest first, each once


def test_every_published_article_is_on_its_tag_author_and_month_pages(built):
    for article in built.catalog.published:
        for slug in {tag_slug(t) for t in article.tags}:
            assert article.url in built.listed(f"tags/{slug}/"), (article.url, slug)
        for author in article.authors:
            assert article.url in built.listed(f"authors/{author}/"), (article.url, author)
        month = f"archive/{article.date:%Y}/{article.date:%m}/"
        assert article.url in built.listed(month), (article.url, month)
        year = f"archive/{article.date:%Y}/"
        assert article.url in [t for t, _ in built.links(year)]


def test_tags_index_counts_match_the_tag_pages(built):
    index = built.page("tags/")
    entries = index.find("ul", cls="bs-tag-index").find_all("li")
    expected: dict[str, int] = {}
    for article in built.catalog.published:
        for slug in {tag_slug(t) for t in article.tags}:
            expected[slug] = expected.get(slug, 0) + 1
    found = {}
    for entry in entries:
        target = resolve("tags/", entry.find("a").attrs["href"])
        count = int(entry.find("span", cls="bs-count").attrs["data-count"])
        assert len(built.listed(target)) == count, target
        found[target] = count
    assert found == {f"tags/{slug}/": n for slug, n in expected.items()}


def test_no_draft_or_scheduled_article_is_anywhere_in_the_site(built):
    held = built.catalog.held_back
    assert held
    # The generator ends every title with "report <n>": it survives every escaping
    # (HTML, JSON, XML) that the full title goes through.
    index_of = {e["path"]: e["index"] for e in built.manifest}
    patterns = [re.compile(rf"(?:report[ -]0*|story-){index_of[a.path]}(?!\d)") for a in held]
    needles = [a.url for a in held]
    needles += ["authors/guest/", "Gwendolyn Unpublished"]
    offenders = []
    for path in built.site.rglob("*"):
        if not path.is_file() or path.suffix in (".png", ".jpg", ".svg", ".woff2", ".ico"):
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        text = data.decode("utf-8", "replace")
        offenders += [f"{path.name}: {n}" for n in needles if n in text]
        offenders += [f"{path.name}: {p.pattern}" for p in patterns if p.search(text)]
    assert offenders == []
    assert not (built.site / "authors" / "guest").exists()


def test_listing_links_resolve_and_headings_are_in_order(built):
    pages = ["", "archive/", "tags/", "authors/"]
    pages += [p.relative_to(built.site).parent.as_posix() + "/"
              for folder in ("page", "tags", "authors", "archive")
              for p in (built.site / folder).rglob("index.html")]
    articles = [a.url for a in built.catalog.published[:10]]
    for url in dict.fromkeys(pages + articles):
        for target, _ in built.links(url):
            if target.endswith("/") or target == "":
                assert (built.site / target / "index.html").is_file(), (url, target)
        if url in articles:
            continue  # their headings are the article's and other partials' business
        content = built.page(url).find("article", cls="md-content__inner")
        levels = [int(n.tag[1]) for n in content.iter() if re.fullmatch(r"h[1-6]", n.tag)]
        assert levels.count(1) == 1 and levels[0] == 1, (url, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (url, levels)


def test_page_titles_say_which_page(built):
    numbered = sorted(int(p.name) for p in (built.site / "page").iterdir())
    assert numbered == list(range(1, len(numbered) + 1))  # page 1 is the oldest
    assert "Page 1" in built.page("page/1/").find("title").text()
    assert "Page 1" in built.page("page/1/").find("h1").text()
    assert built.page("").find("title").text() == "Broadsheet"
    newest = numbered[-1]
    assert [t for t, _ in built.links(f"page/{newest}/", rel="prev")] == [""]
    assert [t for t, _ in built.links("", rel="next")] == [f"page/{newest}/"]
    assert [t for t, _ in built.links("page/1/", rel="next")] == []


def test_cards_have_accessible_read_more_and_source_links(built):
    page = built.page("")
    cards = page.find_all("article", cls="bs-card")
    assert PER_PAGE <= len(cards) < 2 * PER_PAGE  # the front page: see listings.paginate
    by_url = {a.url: a for a in built.catalog.published}
    for card in cards:
        article = by_url[resolve("", card.find(cls="bs-card__title").find("a").attrs["href"])]
        more = card.find("a", cls="bs-card__more")
        assert "Read more" in more.text() and article.title in more.text()
        source = card.find("a", cls="bs-card__source-link")
        if article.source:
            assert source.text() == f"Read at {article.source.name}"
            assert source.attrs["href"] == article.source.url
        else:
            assert source is None
        excerpt = card.find("p", cls="bs-card__excerpt").text()
        assert excerpt and "**" not in excerpt and "](" not in excerpt
        tags = [resolve("", a.attrs["href"]) for a in card.find("ul", cls="bs-tags").find_all("a")]
        assert tags == list(dict.fromkeys(f"tags/{tag_slug(t)}/" for t in article.tags))


def test_article_pages_link_tags_related_and_neighbours(built):
    published = built.catalog.published
    middle = published[len(published) // 2]
    url = middle.url
    page = built.page(url)
    tags = {resolve(url, a.attrs["href"]) for a in page.find("ul", cls="bs-tags").find_all("a")}
    assert tags == {f"tags/{tag_slug(t)}/" for t in middle.tags}
    nav = page.find("nav", cls="bs-prevnext")
    older = resolve(url, nav.find("li", cls="bs-prevnext__older").find("a").attrs["href"])
    newer = resolve(url, nav.find("li", cls="bs-prevnext__newer").find("a").attrs["href"])
    index = published.index(middle)
    assert (newer, older) == (published[index - 1].url, published[index + 1].url)
    related = page.find("section", cls="bs-related")
    if related is not None:
        by_url = {a.url: a for a in published}
        mine = {tag_slug(t) for t in middle.tags}
        for link in related.find_all("a"):
            other = by_url[resolve(url, link.attrs["href"])]
            assert other is not middle and mine & {tag_slug(t) for t in other.tags}


def test_a_sites_own_index_page_is_shown_above_the_listing(tmp_path):
    site = make_site(tmp_path / "own", articles={
        "one.md": meta(title="First story", date="2024-01-01"),
        "two.md": meta(title="Second story", date="2024-02-01")},
        index="---\ntitle: Welcome\n---\n\n# Welcome to the paper\n\nOur own introduction.\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    home = parse_html(site.page(""))
    content = home.find("article", cls="md-content__inner")
    assert [h.text() for h in content.find_all("h1")] == ["Welcome to the paper"]
    text = content.text()
    assert text.index("Our own introduction.") < text.index("Second story") < text.index(
        "First story")


@pytest.mark.browser
def test_listing_pages_pass_axe(built, page, serve_site, run_axe):
    base = serve_site(built.site)
    article = built.catalog.published[len(built.catalog.published) // 2]
    month = f"archive/{article.date:%Y}/{article.date:%m}/"
    urls = ["", "page/2/", "tags/", f"tags/{tag_slug(article.tags[0])}/", "authors/",
            f"authors/{article.authors[0]}/", "archive/", f"archive/{article.date:%Y}/", month,
            article.url]
    problems = {}
    for url in urls:
        page.goto(base + url)
        violations = run_axe(page)
        if violations:
            problems[url] = [f"{v['id']}: {n}" for v in violations for n in v["nodes"]]
    assert problems == {}, "\n".join(f"/{u}: {line}" for u, lines in problems.items()
                                      for line in lines)
