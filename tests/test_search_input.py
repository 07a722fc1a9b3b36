"""What Pagefind reads in a build (search_input.py): article pages cut down to the part it
indexes, kept across builds.

The test that matters most is the end-to-end one: the sample site, built, must give the very
same search bundle as Pagefind run over its whole article pages. The unit tests pin down
when a page may be cut and how the kept folder follows the site from build to build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml

from broadsheet import search, search_input
from broadsheet.search_input import INDEX_END, INDEX_START, IndexInput, cut_down
from conftest import build_site, copy_sample_project


def page(part: str = "<header data-pagefind-body><h1>Title</h1></header>", *,
         head: str = "", before: str = "<nav>Home Archive</nav>",
         after: str = "<footer>© Editors</footer>") -> str:
    """A page shaped like Material's around the article partial's marks."""
    return (f'<!doctype html><html lang="fr" class="no-js"><head><meta charset="utf-8">'
            f"<title>Title - Site</title>{head}</head><body>{before}{INDEX_START}{part}"
            f"{INDEX_END}{after}</body></html>")


# -- cut_down -------------------------------------------------------------------------------

def test_a_page_is_cut_to_its_language_title_and_marked_part():
    part = ('<header data-pagefind-body><h1>Title</h1></header>'
            '<div data-pagefind-body><p>Text</p></div>'
            '<a data-pagefind-filter="source[data-source]" data-source="AT">Continue</a>')
    cut = cut_down(page(part, before="<nav>" + "Long navigation. " * 500 + "</nav>"))
    assert cut == ('<!doctype html><html lang="fr" class="no-js"><head><meta charset="utf-8">'
                   f"<title>Title - Site</title></head><body>{part}</body></html>")


@pytest.mark.parametrize("html", [
    page().replace(INDEX_START, ""),
    page().replace(INDEX_END, ""),
    page().replace(INDEX_START, "").replace(INDEX_END, INDEX_START, 1),  # marks out of order
    page(after=f"{INDEX_START}<p>again</p>{INDEX_END}"),
], ids=["no start", "no end", "end before start", "marked twice"])
def test_a_page_without_one_pair_of_marks_is_not_cut(html):
    assert cut_down(html) is None


@pytest.mark.parametrize("where", ["head", "before", "after"])
def test_a_pagefind_attribute_outside_the_marks_keeps_the_page_whole(where):
    outside = {"head": '<meta data-pagefind-filter="site[content]" content="x">',
               "before": '<p data-pagefind-meta="kind:news">News</p>',
               "after": '<span data-pagefind-filter="desk">Politics</span>'}[where]
    assert cut_down(page(**{where: outside})) is None


def test_the_results_title_must_come_from_the_part():
    # Pagefind's title is the page's first h1: one outside the marks, or none inside, keeps
    # the page whole.
    assert cut_down(page(before="<h1>Site name</h1>")) is None
    assert cut_down(page(after="<H1 class='x'>Later</H1>")) is None
    assert cut_down(page("<div data-pagefind-body><p>No heading</p></div>")) is None


def test_the_first_image_after_the_part_goes_with_it():
    # Pagefind's image is the first img after the h1: with none in the article, the author's
    # avatar further down the page; an image before the article (a logo) does not count.
    avatar = '<img class="bs-author__avatar" src="../a.svg" alt="" width="72" height="72">'
    cut = cut_down(page(before='<img src="logo.png" alt="Logo">',
                        after=f"<section><!-- <img src=commented.png> --><svg><!--! icon -->"
                              f"</svg><textarea><img src=text.png></textarea>"
                              f"<script>'<img src=script.png>'</script>{avatar}"
                              f'<img src="second.png"></section>'))
    assert cut.endswith(f"</header>{avatar}</body></html>")
    assert "logo.png" not in cut and "second.png" not in cut and "text.png" not in cut


def test_an_image_in_a_comment_of_the_article_is_not_its_image():
    part = ('<header data-pagefind-body><h1>T</h1></header><div data-pagefind-body>'
            '<!-- <img src="draft.jpg"> --><script>"<img src=x.png>"</script><p>Text</p></div>')
    cut = cut_down(page(part, after='<img src="avatar.svg" alt="">'))
    assert cut is not None and cut.endswith('</div><img src="avatar.svg" alt=""></body></html>')
    # An embed Pagefind may or may not look into keeps the page whole.
    assert cut_down(page(part.replace("<p>", "<noscript><img src=n.png></noscript><p>"),
                         after='<img src="avatar.svg">')) is None


def test_an_image_in_the_article_makes_the_rest_of_the_page_irrelevant():
    part = '<header data-pagefind-body><h1>T</h1><img src="lead.jpg" alt="Lead"></header>'
    cut = cut_down(page(part, after='<img src="avatar.svg"><noscript>x</noscript>'))
    assert cut is not None and "avatar.svg" not in cut and "lead.jpg" in cut


@pytest.mark.parametrize("after", [
    "<noscript><img src=a.png></noscript>",
    "<template><img src=a.png></template>",
    "<!-- unclosed comment <img src=a.png>",
    "<iframe srcdoc='x'></iframe><img src=a.png>",
])
def test_an_image_that_cannot_be_told_without_parsing_keeps_the_page_whole(after):
    assert cut_down(page(after=after)) is None


def test_a_page_with_no_image_after_the_part_is_cut_without_one():
    cut = cut_down(page(after="<footer><script src='x.js'></script></footer>"))
    assert cut is not None and "<img" not in cut


# -- IndexInput -----------------------------------------------------------------------------

class Site:
    """Article pages on disk, as a build leaves them, and the build's calls."""

    def __init__(self, root: Path):
        self.root = root
        self.pages: dict[str, str] = {}

    def write(self, dest_uri: str, html: str) -> None:
        path = self.root / dest_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.unlink()  # a new file, as a warm build writes one
        path.write_text(html, encoding="utf-8")
        self.pages[dest_uri] = html

    def delete(self, dest_uri: str) -> None:
        (self.root / dest_uri).unlink()
        del self.pages[dest_uri]

    def listing(self) -> list[tuple[str, str]]:
        return [(uri, str(self.root / uri)) for uri in sorted(self.pages)]


def article(title: str) -> str:
    return page(f"<header data-pagefind-body><h1>{title}</h1></header>"
                f"<div data-pagefind-body><p>About {title}.</p></div>")


def files(folder: str | Path) -> dict[str, str]:
    folder = Path(folder)
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build(index_input: IndexInput, site: Site, rendered: dict[str, str]) -> dict[str, str]:
    """One build: `rendered` pages are written (and noted); the snapshot's files."""
    index_input.start_build()
    for uri, html in rendered.items():
        site.write(uri, html)
        index_input.page_written(uri, html)
    folder = index_input.snapshot(site.listing())
    try:
        return files(folder)
    finally:
        index_input.finish()


def test_a_build_gives_pagefind_the_cut_pages_at_their_site_paths(tmp_path):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    seen = build(index_input, site, {"2024/a/index.html": article("A"),
                                     "2024/b/index.html": article("B")})
    assert seen == {"2024/a/index.html": cut_down(article("A")),
                    "2024/b/index.html": cut_down(article("B"))}


def test_a_warm_build_writes_only_the_pages_it_rendered_again(tmp_path):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    build(index_input, site, {"a/index.html": article("A"), "b/index.html": article("B"),
                              "c/index.html": article("C")})
    kept = index_input.tree
    before = {uri: os.stat(os.path.join(kept, uri)).st_ino for uri in site.pages}
    seen = build(index_input, site, {"b/index.html": article("B, edited")})
    assert seen["b/index.html"] == cut_down(article("B, edited"))
    assert seen["a/index.html"] == cut_down(article("A"))
    after = {uri: os.stat(os.path.join(kept, uri)).st_ino for uri in site.pages}
    assert after["a/index.html"] == before["a/index.html"]  # not written again
    assert after["c/index.html"] == before["c/index.html"]


def test_a_page_changed_without_being_noted_is_cut_again_from_disk(tmp_path):
    # Another plugin's on_post_page, or a page written by a build that did not note it.
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    build(index_input, site, {"a/index.html": article("A")})
    site.write("a/index.html", article("A, changed"))
    assert build(index_input, site, {}) == {"a/index.html": cut_down(article("A, changed"))}


def test_a_deleted_article_leaves_the_snapshot_and_its_empty_folders(tmp_path):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    build(index_input, site, {"2024/05/a/index.html": article("A"),
                              "2025/b/index.html": article("B")})
    site.delete("2024/05/a/index.html")
    assert list(build(index_input, site, {})) == ["2025/b/index.html"]
    assert not Path(index_input.tree, "2024").exists()


def test_a_page_that_cannot_be_cut_is_given_whole(tmp_path):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    whole = article("A").replace(INDEX_START, "")
    assert build(index_input, site, {"a/index.html": whole}) == {"a/index.html": whole}
    assert index_input.uncut == 1
    # Kept as a link to the page itself; once the page is cut, the link is not written through.
    assert build(index_input, site, {}) == {"a/index.html": whole}
    seen = build(index_input, site, {"a/index.html": article("A")})
    assert seen == {"a/index.html": cut_down(article("A"))}
    assert index_input.uncut == 0


def test_a_build_that_stops_half_way_is_not_trusted_by_the_next(tmp_path):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    build(index_input, site, {"a/index.html": article("A")})
    # A build renders a new version, then fails before its snapshot: the site is left as
    # it was (a warm build publishes nothing), the kept folder holds the new version.
    index_input.start_build()
    index_input.page_written("a/index.html", article("A, never published"))
    index_input.finish()
    assert build(index_input, site, {}) == {"a/index.html": cut_down(article("A"))}


def test_a_second_build_of_the_same_project_reads_whole_pages(tmp_path):
    site = Site(tmp_path / "site")
    first, second = IndexInput(tmp_path / "cache"), IndexInput(tmp_path / "cache")
    build(first, site, {"a/index.html": article("A")})
    first.start_build()
    second.start_build()
    assert first.owned and not second.owned
    second.page_written("a/index.html", article("A"))  # ignored: it does not own the folder
    assert second.cut("b/index.html", article("B")) is None  # nor written
    assert not (tmp_path / "cache" / search_input.TREE / "b").exists()
    folder = second.snapshot(site.listing())
    assert files(folder) == {"a/index.html": article("A")}
    second.finish()
    assert not Path(folder).exists()
    first.finish()
    second.start_build()
    assert second.owned
    second.finish()


def test_cut_pages_of_another_format_are_not_trusted(tmp_path, monkeypatch):
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    build(index_input, site, {"a/index.html": article("A")})
    stray = Path(index_input.tree, "stray/index.html")
    stray.parent.mkdir()
    stray.write_text("<h1>from an older format</h1>", encoding="utf-8")
    monkeypatch.setattr(search_input, "CUT_FORMAT", search_input.CUT_FORMAT + 1)
    assert build(index_input, site, {}) == {"a/index.html": cut_down(article("A"))}


# -- end to end -----------------------------------------------------------------------------

def test_the_sample_sites_bundle_is_what_whole_pages_give(tmp_path):
    """The sample site (authors with avatars), plus a logo image in Material's header and an
    article with its own image: the bundle its build writes from cut pages equals the one
    Pagefind makes from the whole article pages."""
    project = copy_sample_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  custom_dir: templates\n", "  custom_dir: templates\n  logo: assets/logo.png\n", 1),
        encoding="utf-8")
    (project / "docs/assets/logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (project / "docs/assets/lead.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    author = next(iter(yaml.safe_load(
        (project / "docs/authors.yml").read_text(encoding="utf-8"))["authors"]))
    (project / "docs/articles/2020").mkdir(parents=True, exist_ok=True)
    (project / "docs/articles/2020/pictured.md").write_text(
        f"---\ntitle: Pictured\ndate: 2020-02-02\nauthor: {author}\n---\n\n"
        "![The harbour at dawn](../../assets/lead.png)\n\nText.\n", encoding="utf-8")
    (project / "docs/articles/2020/commented.md").write_text(
        f"---\ntitle: Commented\ndate: 2020-02-03\nauthor: {author}\n---\n\n"
        '<!-- <img src="draft.png" alt="not yet"> -->\n\nText.\n', encoding="utf-8")
    site = tmp_path / "site"
    build_site(project, site)

    kept = project / ".cache/broadsheet/search-input/pages"
    article_pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html")
                           if b"data-pagefind-body" in p.read_bytes())
    cut = files(kept)
    assert sorted(cut) == article_pages
    assert all("md-header" not in text and "bs-share" not in text for text in cut.values())

    whole = tmp_path / "whole"
    for uri in article_pages:
        (whole / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(site / uri, whole / uri)
    search.index_site(whole, tmp_path / "bundle")
    expected, made = files_bytes(tmp_path / "bundle"), files_bytes(site / "pagefind")
    assert json.loads(made.pop("parts.json")) == {"merge": []}  # a small site: one part
    assert made == expected
    images = {doc["meta"].get("image") for doc in _fragments(site / "pagefind")}
    assert any(image and "lead.png" in image for image in images)  # the article's own
    assert any(image and "/authors/" in image for image in images)  # an avatar, after it
    commented = next(d for d in _fragments(site / "pagefind") if "commented" in d["url"])
    assert "draft.png" not in str(commented["meta"])


def test_a_site_indexed_in_parts_gives_each_part_what_its_whole_pages_give(tmp_path):
    """The sample site indexed two articles at a time: each part of its bundle is the one
    Pagefind makes from the whole pages of its articles, every article is in one part, and
    the parts go from the oldest articles to the newest."""
    project = copy_sample_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - broadsheet:\n" in text
    config.write_text(text.replace("  - broadsheet:\n",
                                   "  - broadsheet:\n      search_part_size: 2\n", 1),
                      encoding="utf-8")
    # First by its path, last by its date: parts follow dates.
    author = next(iter(yaml.safe_load(
        (project / "docs/authors.yml").read_text(encoding="utf-8"))["authors"]))
    (project / "docs/articles/0-newest.md").write_text(
        f"---\ntitle: Newest\ndate: 2026-11-26\nauthor: {author}\n---\n\nText.\n",
        encoding="utf-8")
    site = tmp_path / "site"
    result = build_site(project, site)
    bundle = site / "pagefind"
    merged = json.loads((bundle / "parts.json").read_text(encoding="utf-8"))["merge"]
    parts = [bundle, *(bundle / folder for folder in merged)]
    assert len(parts) >= 2 and f"in {len(parts)} parts written" in result.stderr

    article_pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html")
                           if b"data-pagefind-body" in p.read_bytes())
    seen, newest_so_far = [], ""
    for number, part in enumerate(parts):
        uris = sorted(doc["url"].lstrip("/") + "index.html" for doc in _fragments(part))
        assert 1 <= len(uris) <= 2
        seen += uris
        dates = [re.search(r'<time datetime="([^"]+)"', (site / uri).read_text(
            encoding="utf-8")).group(1) for uri in uris]
        assert min(dates) >= newest_so_far, "parts are not in date order"
        newest_so_far = max(dates)
        whole = tmp_path / f"whole-{number}"
        for uri in uris:
            (whole / uri).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(site / uri, whole / uri)
        search.index_site(whole, tmp_path / f"bundle-{number}")
        made = {path: data for path, data in files_bytes(part).items()
                if path != "parts.json" and not path.startswith("part-")}
        assert made == files_bytes(tmp_path / f"bundle-{number}")
    assert sorted(seen) == article_pages


def files_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _fragments(bundle: Path) -> list[dict]:
    from test_search import fragments
    return fragments(bundle)


def test_a_site_whose_article_partial_has_no_marks_says_so(tmp_path):
    project = copy_sample_project(tmp_path / "project")
    partial = project / "templates/partials/article.html"
    partial.write_text(partial.read_text(encoding="utf-8").replace(INDEX_START, "").replace(
        INDEX_END, ""), encoding="utf-8")
    result = build_site(project, tmp_path / "site")
    assert "article page(s) were given to Pagefind whole" in result.stderr
    normal = copy_sample_project(tmp_path / "normal")
    result = build_site(normal, tmp_path / "normal-site")
    assert "given to Pagefind whole" not in result.stderr
    assert files_bytes(tmp_path / "site/pagefind") == files_bytes(tmp_path / "normal-site/pagefind")


# -- index_articles: Pagefind, or the bundle the last build left --------------------------

def fake_pagefind(monkeypatch) -> list[dict[str, str]]:
    """Pagefind replaced by a stand-in that writes an entry file; the pages of each run."""
    runs = []

    def pagefind(snapshot, bundle, pages=None):
        given = files(snapshot)
        if pages is not None:  # one part of the index: these pages of the snapshot alone
            assert set(pages) <= set(given)
            given = {uri: given[uri] for uri in pages}
        runs.append(given)
        Path(bundle).mkdir(exist_ok=True)
        Path(bundle, "pagefind-entry.json").write_text(
            '{"languages": {"en": {"page_count": %d}}}' % len(runs[-1]), encoding="utf-8")
        return search.IndexReport(pages=len(runs[-1]), warnings="")

    monkeypatch.setattr(search, "index_site", pagefind)
    return runs


def test_a_bundle_made_from_the_same_pages_is_kept(tmp_path, monkeypatch):
    runs = fake_pagefind(monkeypatch)
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    bundle = str(tmp_path / "bundle")

    def index(rendered: dict[str, str], previous: dict, versions="v1"):
        index_input.start_build()
        for uri, html in rendered.items():
            site.write(uri, html)
            index_input.page_written(uri, html)
        return search_input.index_articles(index_input, site.listing(), bundle, previous,
                                           versions)

    report, made_from = index({"a/index.html": article("A"), "b/index.html": article("B")}, {})
    assert len(runs) == 1 and not report.kept and made_from
    # Rendered again, same text (a template changed elsewhere): kept, Pagefind not run.
    report, again = index({"a/index.html": article("A")}, made_from)
    assert report.kept and report.pages == 2 and again == made_from and len(runs) == 1
    # Another text, another Broadsheet, a bundle gone, no record: Pagefind runs each time.
    _, edited = index({"a/index.html": article("A, edited")}, made_from)
    assert len(runs) == 2 and edited != made_from
    _, other = index({}, edited, versions="v2")
    assert len(runs) == 3 and other != edited
    shutil.rmtree(bundle)
    index({}, other, versions="v2")
    assert len(runs) == 4
    # A page given whole: what it holds is not digested, so nothing is recorded.
    _, whole = index({"c/index.html": article("C").replace(INDEX_START, "")}, {})
    assert whole == {} and len(runs) == 5
    assert not index_input.owned  # the folder is let go of, kept or not


def test_an_index_in_parts_is_made_again_only_where_its_pages_changed(tmp_path, monkeypatch):
    runs = fake_pagefind(monkeypatch)
    site, index_input = Site(tmp_path / "site"), IndexInput(tmp_path / "cache")
    bundle = tmp_path / "bundle"
    oldest_first = ["e/index.html", "d/index.html", "c/index.html", "b/index.html",
                    "a/index.html"]

    def index(rendered: dict[str, str], previous: dict):
        index_input.start_build()
        for uri, html in rendered.items():
            site.write(uri, html)
            index_input.page_written(uri, html)
        listing = dict(site.listing())
        pages = [(uri, listing[uri]) for uri in oldest_first if uri in listing]
        return search_input.index_articles(index_input, pages, str(bundle), previous, "v1",
                                           part_size=2)

    old_links = tmp_path / "cache" / search_input.OLD_PARTS / "1" / "e"
    old_links.mkdir(parents=True)
    (old_links / "index.html").write_text("a link an earlier version kept", encoding="utf-8")
    report, made = index({uri: article(uri[0].upper()) for uri in oldest_first}, {})
    assert report.parts == 3 and report.pages == 5 and not report.parts_kept
    assert not old_links.parent.parent.exists()
    assert [sorted(run) for run in runs] == [["d/index.html", "e/index.html"],
                                            ["b/index.html", "c/index.html"], ["a/index.html"]]
    assert json.loads((bundle / "parts.json").read_text(encoding="utf-8")) == {
        "merge": ["part-2/", "part-3/"]}
    assert sorted(made) == ["", "part-2", "part-3"]

    # The newest article edited: its part alone is indexed again.
    report, again = index({"a/index.html": article("A, edited")}, made)
    assert (report.parts, report.parts_kept, report.kept) == (3, 2, False)
    assert runs[-1] == {"a/index.html": cut_down(article("A, edited"))} and len(runs) == 4
    assert {k: v for k, v in again.items() if k != "part-3"} == {
        k: v for k, v in made.items() if k != "part-3"}

    # The oldest edited: the first part, whose files are in the bundle folder itself, is
    # made again; the other parts' folders inside it stay.
    (bundle / "part-2" / "mark").write_text("kept", encoding="utf-8")
    (bundle / "stale-file").write_text("from the first part's last run", encoding="utf-8")
    report, made = index({"e/index.html": article("E, edited")}, again)
    assert report.parts_kept == 2 and sorted(runs[-1]) == ["d/index.html", "e/index.html"]
    assert (bundle / "part-2" / "mark").is_file() and not (bundle / "stale-file").exists()

    # Articles deleted: two parts are left (the second one changed), the third's folder goes.
    site.delete("a/index.html")
    site.delete("b/index.html")
    report, made = index({}, made)
    assert (report.parts, report.parts_kept) == (2, 1) and list(runs[-1]) == ["c/index.html"]
    assert not (bundle / "part-3").exists() and (bundle / "part-2").is_dir()
    assert json.loads((bundle / "parts.json").read_text(encoding="utf-8")) == {
        "merge": ["part-2/"]}
    # While another build owns the cut pages, the parts read a temporary folder.
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    owner = IndexInput(tmp_path / "cache")
    owner.start_build()
    site.write("c/index.html", article("C, again"))
    report, _ = index({}, made)
    owner.finish()
    assert report.parts_kept == 0 and runs[-1] == {"c/index.html": article("C, again")}
    assert list((tmp_path / "tmp").iterdir()) == []  # removed once indexed


