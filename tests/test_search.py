"""Search (search.py, pagefind_bundle.py and the adapter's _search methods).

Unit: Pagefind run over small hand-written site folders. End to end: real `mkdocs build`
of small sites and of the sample site, and one `mkdocs serve` for the background indexer.
What a reader's browser does with the index is in test_search_browser.py.
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html import escape
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet import pagefind_bundle, search
from broadsheet.catalog import read_site
from broadsheet.site_config import load_site_config
from conftest import REPO, build_site, copy_sample_project
from sitekit import env, make_site, meta, parse_html, stop_process

MATERIAL_TEMPLATES = Path(__import__("material").__file__).parent / "templates"


# -- helpers -------------------------------------------------------------------------------

def article_html(title: str, text: str, tags=(), authors=("Alex Morgan",), source=None) -> str:
    """A page shaped like templates/partials/article.html renders one, inside a full page."""
    tag_items = "".join(f'<li><a data-pagefind-filter="tag">{t}</a></li>' for t in tags)
    byline = ", ".join(f'<a data-pagefind-filter="author">{a}</a>' for a in authors)
    continue_link = (f'<a data-pagefind-filter="source[data-source]" data-source="{source}">'
                     "Continue</a>" if source else "")
    return (f'<!doctype html><html lang="en"><head><title>{title}</title></head><body>'
            f'<nav>Home Archive Tags</nav><article>'
            f'<header data-pagefind-body><h1>{title}</h1><p>By {byline}</p><ul>{tag_items}</ul>'
            f'</header><div data-pagefind-body><p>{text}</p></div>{continue_link}'
            f'<aside>Share this article. About the author. Stay in the loop.</aside>'
            f'</article></body></html>')


def listing_html(titles) -> str:
    items = "".join(f"<li><a>{t}</a></li>" for t in titles)
    return (f'<!doctype html><html lang="en"><head><title>Home</title></head><body>'
            f'<h1>Latest</h1><ul>{items}</ul></body></html>')


def write_tiny_site(root: Path, tags_per_article: int = 1) -> Path:
    """Two article pages and a listing page that repeats their titles."""
    tags = [f"tag{n:02d}" for n in range(12)]
    pages = {
        "2024/06/vladivostok/index.html": article_html(
            "The Vladivostok LNG plant", "Gas terminals on the Pacific coast.",
            tags=tags[:tags_per_article + 6], authors=("Priya Raman", "Alex Morgan"),
            source="Energy Desk"),
        "2024/06/curate/index.html": article_html(
            "Why we curate", "Most of what is published needs no attention.",
            tags=tags[6 - tags_per_article:], source="The Asia Times"),
        "index.html": listing_html(["The Vladivostok LNG plant", "Why we curate"]),
        "tags/energy/index.html": listing_html(["The Vladivostok LNG plant"]),
    }
    for relative, text in pages.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def fragments(bundle: Path) -> list[dict]:
    """Every indexed page as Pagefind stored it (URL, content, filters, meta)."""
    docs = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).removeprefix(pagefind_bundle.SIGNATURE)
        docs.append(json.loads(data))
    return docs


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


# -- indexing a built folder ---------------------------------------------------------------

def test_only_pages_marked_as_article_bodies_are_indexed(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    report = search.index_site(site)
    bundle = site / search.BUNDLE_DIR
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-ui.js").is_file()
    docs = fragments(bundle)
    assert report.pages == 2
    assert sorted(d["url"] for d in docs) == ["/2024/06/curate/", "/2024/06/vladivostok/"]
    lng = next(d for d in docs if "vladivostok" in d["url"])
    assert lng["meta"]["title"] == "The Vladivostok LNG plant"
    assert "Pacific coast" in lng["content"] and "Priya Raman" in lng["content"]
    # Only the marked parts: not the site's navigation, nor the share/author/newsletter boxes.
    assert "Archive" not in lng["content"] and "Stay in the loop" not in lng["content"]
    assert lng["filters"]["author"] == ["Priya Raman", "Alex Morgan"]
    assert lng["filters"]["source"] == ["Energy Desk"]
    assert "tag00" in lng["filters"]["tag"]


def test_the_bundle_can_go_to_another_folder(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    report = search.index_site(site, tmp_path / "elsewhere" / "bundle")
    assert report.pages == 2
    assert (tmp_path / "elsewhere" / "bundle" / "pagefind-entry.json").is_file()
    assert not (site / search.BUNDLE_DIR).exists()


# Every character a url_format may hold that Pagefind's globs treat specially, and a few
# they do not.
AWKWARD_FOLDERS = ["a,b", "sq[are]", "br{ace}", "star*x", "q?x", "lt<gt>", "col:x", "par(en)",
                   "dollar$x", "bang!x", "!lead", "caret^x", "pipe|x", "amp&x", "hash#x",
                   "sp ace", "café", "dash-x"]


def test_a_part_of_the_site_is_indexed_by_its_pages_alone(tmp_path):
    """The pages of one part (plan_parts) go to Pagefind as a glob: it indexes exactly those,
    whatever characters their paths hold, and not the others beside them."""
    site = tmp_path / "site"
    for folder in [*AWKWARD_FOLDERS, "other", "star-x", "qax"]:
        (site / folder).mkdir(parents=True)
        (site / folder / "index.html").write_text(article_html(escape(folder), "Text."),
                                                  encoding="utf-8")
    pages = [f"{folder}/index.html" for folder in AWKWARD_FOLDERS]
    report = search.index_site(site, tmp_path / "bundle", pages=pages)
    titles = sorted(doc["meta"]["title"] for doc in fragments(tmp_path / "bundle"))
    assert report.pages == len(AWKWARD_FOLDERS) and titles == sorted(AWKWARD_FOLDERS)
    # One page is a part too; no config file is left in the site's folder.
    report = search.index_site(site, tmp_path / "one", pages=["star*x/index.html"])
    assert [doc["meta"]["title"] for doc in fragments(tmp_path / "one")] == ["star*x"]
    assert sorted(path.name for path in site.iterdir()) == sorted(
        [*AWKWARD_FOLDERS, "other", "star-x", "qax"])


def test_no_glob_is_made_for_a_path_with_a_backslash():
    assert search.pages_glob(["a/index.html", "b,c/index.html"]) == (
        "{a/index.html,b\\,c/index.html}")
    with pytest.raises(search.SearchIndexError, match=re.escape(
            "back\\slash/index.html: Pagefind cannot select a page whose path holds '\\' "
            "— use '/'")):
        search.pages_glob(["a/index.html", "back\\slash/index.html"])
    with pytest.raises(search.SearchIndexError):
        search.pages_glob([])


def test_a_pagefind_config_published_with_the_site_changes_nothing(tmp_path):
    """Pagefind reads pagefind.yml from its working folder: a site's own (published from
    docs/, say) must not decide what Broadsheet's index holds."""
    site = write_tiny_site(tmp_path / "site")
    (site / "pagefind.yml").write_text('glob: "nothing-here/**/*.html"\n', encoding="utf-8")
    assert search.index_site(site, tmp_path / "whole").pages == 2
    report = search.index_site(site, tmp_path / "part", pages=["2024/06/curate/index.html"])
    assert report.pages == 1


def test_a_whole_site_index_is_one_part_and_replaces_the_last(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    stale = site / search.BUNDLE_DIR / "part-2" / "pagefind-entry.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    report = search.index_whole_site(site)
    bundle = site / search.BUNDLE_DIR
    assert report.pages == 2 and not stale.parent.exists()
    assert json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8")) == {"merge": []}


# -- an index in parts -----------------------------------------------------------------------

@pytest.mark.parametrize("articles, sizes", [
    (0, []),
    (1, [1]),
    (400, [400]),
    (401, [400, 1]),
    (850, [400, 400, 50]),
    (1600, [400] * 4),
    (1601, [500, 500, 500, 101]),
    (4250, [1100, 1100, 1100, 950]),
    (20000, [5000] * 4),
])
def test_parts_hold_at_least_part_size_articles_and_are_at_most_four(articles, sizes):
    parts = search.plan_parts(list(range(articles)), 400)
    assert [len(part) for part in parts] == sizes
    assert [page for part in parts for page in part] == list(range(articles))


def test_a_new_article_changes_only_the_last_part_mostly():
    # Parts are counted from the oldest, in sizes that change once every hundred articles
    # (a quarter of part_size) over 1,600: adding the newest leaves the others alone.
    changed = 0
    for articles in range(1, 6000, 7):
        before = search.plan_parts(list(range(articles)), 400)
        after = search.plan_parts(list(range(articles + 1)), 400)
        if before[:-1] != after[:len(before) - 1]:
            changed += 1
    assert changed <= 6000 // 7 // 20  # at most one addition in twenty moves a boundary


def test_the_parts_file_names_the_other_parts(tmp_path):
    search.write_parts_file(tmp_path, 3)
    assert json.loads((tmp_path / search.PARTS_FILE).read_text(encoding="utf-8")) == {
        "merge": ["part-2/", "part-3/"]}
    assert search.part_folder(1) == "" and search.is_part_folder("part-12")
    assert not search.is_part_folder("fragment") and not search.is_part_folder("part-")


def test_two_runs_give_byte_identical_bundles(tmp_path):
    # Pagefind alone writes its filter files in a random order (twelve tag values: the
    # chance that two runs agree by luck is negligible); normalize_bundle sorts them.
    site = write_tiny_site(tmp_path / "site", tags_per_article=6)
    first = search.index_site(site, tmp_path / "one")
    second = search.index_site(site, tmp_path / "two")
    assert first.not_reproducible == "" and second.not_reproducible == ""
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


def test_a_background_run_indexes_the_same_on_one_core(tmp_path, monkeypatch):
    # The preview's re-index: one Pagefind thread, lower priority, the same index.
    seen = {}
    real_run = subprocess.run

    def spy(command, **options):
        seen.update(env=options.get("env") or {}, command=command)
        return real_run(command, **options)
    monkeypatch.setattr(search.subprocess, "run", spy)
    site = write_tiny_site(tmp_path / "site")
    report = search.index_site(site, tmp_path / "bundle", background=True)
    assert report.pages == 2
    assert seen["env"].get("RAYON_NUM_THREADS") == "1"
    assert seen["command"][1:3] == ["-n", "10"] and seen["command"][0].endswith("nice")


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(search.SearchIndexError, match="no such folder to index"):
        search.index_site(tmp_path / "nothing-here")


def test_a_missing_pagefind_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    with pytest.raises(search.SearchIndexError, match="PAGEFIND_BINARY_PATH=.*no such file"):
        search.index_site(write_tiny_site(tmp_path / "site"))


def test_a_failing_pagefind_is_reported_with_its_message(tmp_path, monkeypatch):
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    with pytest.raises(search.SearchIndexError, match=r"exit 3\).*something broke"):
        search.index_site(write_tiny_site(tmp_path / "site"))


def test_the_search_view_takes_its_words_from_the_strings():
    strings = {"search": "Rechercher", "search_needs_js": "JS!", "search_not_ready": "Pas prêt"}
    view = search.search_view("search/", strings)
    assert view == {"page": "search/", "bundle": "pagefind/", "label": "Rechercher",
                    "needs_js": "JS!", "not_ready": "Pas prêt"}


# -- the reproducible bundle ---------------------------------------------------------------

cbor_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**64 - 1) | st.text() | st.binary(),
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(cbor_values)
def test_the_cbor_codec_round_trips(value):
    encoded = pagefind_bundle._encode(value)
    decoded, end = pagefind_bundle._decode(encoded, 0)
    assert end == len(encoded)
    assert decoded == value and pagefind_bundle._encode(decoded) == encoded


def test_the_cbor_codec_matches_known_encodings():
    # RFC 8949, appendix A.
    assert pagefind_bundle._encode(23).hex() == "17"
    assert pagefind_bundle._encode(24).hex() == "1818"
    assert pagefind_bundle._encode(1000).hex() == "1903e8"
    assert pagefind_bundle._encode(-1000).hex() == "3903e7"
    assert pagefind_bundle._encode("IETF").hex() == "6449455446"
    assert pagefind_bundle._encode([1, [2, 3]]).hex() == "8201820203"
    assert pagefind_bundle._encode({"a": 1}).hex() == "a1616101"


def test_an_unknown_bundle_format_is_left_untouched(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    search.index_site(site)
    bundle = site / search.BUNDLE_DIR
    # A later Pagefind writing something this module does not know (here: a float).
    victim = next((bundle / "filter").glob("*.pf_filter"))
    victim.write_bytes(gzip.compress(pagefind_bundle.SIGNATURE + b"\xfb" + bytes(8)))
    before = tree(bundle)
    with pytest.raises(pagefind_bundle.UnknownFormat):
        pagefind_bundle.normalize_bundle(bundle)
    assert tree(bundle) == before


def test_normalizing_sorts_filter_values_and_keeps_the_index_readable(tmp_path):
    site = write_tiny_site(tmp_path / "site", tags_per_article=6)
    search.index_site(site)
    bundle = site / search.BUNDLE_DIR
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    meta_file = bundle / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    filters = pagefind_bundle.read_file(meta_file)[3]
    assert [name for name, _ in filters] == ["author", "source", "tag"]
    for name, file_hash in filters:
        values = pagefind_bundle.read_file(bundle / "filter" / f"{file_hash}.pf_filter")[1]
        assert [v for v, _ in values] == sorted(v for v, _ in values)
    tags = dict(pagefind_bundle.read_file(
        bundle / "filter" / f"{dict(filters)['tag']}.pf_filter")[1])
    assert len(tags) == 12 and all(pages for pages in tags.values())


# -- the preview's background indexer -------------------------------------------------------

def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.1)
    return result


def test_the_preview_indexer_indexes_after_a_build_and_swaps_the_bundle_in(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    messages = []
    indexer = search.DebouncedIndexer(site, lambda m, ok: messages.append((m, ok)), delay=0.05)
    try:
        indexer.schedule()
        wait_for(lambda: messages, 60, "the first index")
        assert messages == [("search index updated (2 page(s))", True)]
        assert len(fragments(site / search.BUNDLE_DIR)) == 2
        # A new article, a new index; nothing is left beside the site.
        (site / "2024/07/new").mkdir(parents=True)
        (site / "2024/07/new/index.html").write_text(article_html("New", "Fresh words."))
        indexer.schedule()
        wait_for(lambda: len(messages) == 2, 60, "the second index")
        assert messages[1] == ("search index updated (3 page(s))", True)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    finally:
        indexer.stop()


def test_the_preview_indexer_indexes_in_the_parts_it_is_given(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    messages = []
    indexer = search.DebouncedIndexer(site, lambda m, ok: messages.append((m, ok)), delay=0.05)
    try:
        indexer.schedule([["2024/06/curate/index.html"], ["2024/06/vladivostok/index.html"]])
        wait_for(lambda: messages, 60, "the index in parts")
        assert messages == [("search index updated (2 page(s) in 2 parts)", True)]
        bundle = site / search.BUNDLE_DIR
        assert json.loads((bundle / search.PARTS_FILE).read_text(encoding="utf-8")) == {
            "merge": ["part-2/"]}
        assert [d["url"] for d in fragments(bundle)] == ["/2024/06/curate/"]
        assert [d["url"] for d in fragments(bundle / "part-2")] == ["/2024/06/vladivostok/"]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
        # Back to one part: the bundle is one index again, its parts gone.
        indexer.schedule(None)
        wait_for(lambda: len(messages) == 2, 60, "the index in one part")
        assert messages[1] == ("search index updated (2 page(s))", True)
        assert not (bundle / "part-2").exists() and len(fragments(bundle)) == 2
    finally:
        indexer.stop()


def test_a_save_while_the_preview_indexes_is_indexed_in_its_parts_too(tmp_path, monkeypatch):
    site = write_tiny_site(tmp_path / "site")
    index_site = search.index_site

    def slow_index_site(*args, **kwargs):
        time.sleep(0.3)  # long enough for a save to come in while it runs
        return index_site(*args, **kwargs)

    monkeypatch.setattr(search, "index_site", slow_index_site)
    messages = []
    indexer = search.DebouncedIndexer(site, lambda m, ok: messages.append((m, ok)), delay=0.05)
    parts = [["2024/06/curate/index.html"], ["2024/06/vladivostok/index.html"]]
    try:
        indexer.schedule(parts)
        wait_for(lambda: indexer._running, 30, "the first run")
        indexer.schedule(parts)  # a save: a second run follows the first
        wait_for(lambda: len(messages) == 2, 60, "the second run")
        assert messages == [("search index updated (2 page(s) in 2 parts)", True)] * 2
    finally:
        indexer.stop()


def test_the_preview_indexer_keeps_out_of_a_build_in_progress(tmp_path):
    site = write_tiny_site(tmp_path / "site")
    messages = []
    indexer = search.DebouncedIndexer(site, lambda m, ok: messages.append((m, ok)), delay=0.05)
    try:
        indexer.schedule()
        indexer.build_started()  # MkDocs is about to empty the folder: the timer is off
        time.sleep(0.5)
        assert messages == [] and not (site / search.BUNDLE_DIR).exists()
        indexer.schedule()  # the build finished
        wait_for(lambda: messages, 60, "the index after the build")
        assert messages[0][1] is True
    finally:
        indexer.stop()


def test_the_preview_indexer_reports_failures_instead_of_raising(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")
    site = write_tiny_site(tmp_path / "site")
    messages = []
    indexer = search.DebouncedIndexer(site, lambda m, ok: messages.append((m, ok)), delay=0.05)
    try:
        indexer.schedule()
        wait_for(lambda: messages, 60, "the failure report")
        assert messages[0][1] is False and "Pagefind failed (exit 1)" in messages[0][0]
    finally:
        indexer.stop()


# -- the adapter: mkdocs build --------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The repo's sample site built once (strict): (site folder, catalog, build output)."""
    import os
    root = tmp_path_factory.mktemp("search-sample")
    project = copy_sample_project(root / "project")
    result = build_site(project, root / "site")
    previous = os.environ.get("BROADSHEET_NOW")
    os.environ["BROADSHEET_NOW"] = "2026-11-27"
    try:
        config = load_site_config(project / "mkdocs.yml")
        catalog = read_site(config.docs_dir, config.settings)
    finally:
        if previous is None:
            del os.environ["BROADSHEET_NOW"]
        else:
            os.environ["BROADSHEET_NOW"] = previous
    return root / "site", catalog, result.stdout + result.stderr


def test_the_repo_site_no_longer_uses_materials_search():
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    plugins = config[config.index("\nplugins:"):]
    assert not re.search(r"^\s*-\s*(material/)?search\s*$", plugins, re.M)
    assert "search.suggest" not in config


def test_the_sample_build_indexes_exactly_the_published_articles(sample):
    site, catalog, output = sample
    assert (site / "pagefind" / "pagefind-ui.js").is_file()
    assert not (site / "search" / "search_index.json").exists()
    urls = {"/" + a.url for a in catalog.published}
    docs = fragments(site / "pagefind")
    assert {d["url"] for d in docs} == urls  # no listing, home, tag or author page
    assert f"search index of {len(urls)} article(s) written" in output
    held = catalog.held_back
    assert held and any(a.draft for a in held)
    indexed = json.dumps(docs, ensure_ascii=False)
    for article in held:
        assert article.title not in indexed and article.url not in indexed


def test_the_sample_lng_article_has_its_filters(sample):
    site, catalog, _ = sample
    lng = next(d for d in fragments(site / "pagefind") if "vladivostok" in d["url"])
    article = next(a for a in catalog.published if "vladivostok" in a.url)
    assert lng["meta"]["title"] == article.title
    assert lng["filters"]["source"] == [article.source.name]
    assert set(lng["filters"]["tag"]) == set(article.tags)
    assert len(lng["filters"]["author"]) == len(article.authors)


def test_the_search_page_and_the_header_button(sample):
    site, _, _ = sample
    page = parse_html((site / "search" / "index.html").read_text(encoding="utf-8"))
    root = page.find("div", cls="bs-search")
    assert root is not None and root.attrs["data-bundle"] == "../pagefind/"
    assert page.find("h1").text() == "Search"
    assert page.find("title").text().startswith("Search")
    scripts = [s.attrs.get("src", "") for s in page.find_all("script")]
    assert "../assets/broadsheet/search.js" in scripts
    assert not any("pagefind" in s for s in scripts)  # loaded by search.js, on this page only
    article = next(site.glob("2014/*/the-vladivostok*/index.html"))
    html = parse_html(article.read_text(encoding="utf-8"))
    button = html.find("a", cls="bs-search-button")
    assert button is not None and button.attrs["href"] == "../../../search/"
    assert button.attrs["aria-label"] == "Search"
    assert not any("pagefind" in (s.attrs.get("src") or "") for s in html.find_all("script"))
    # Material's own search overlay is gone with its plugin.
    assert html.find("div", data_md_component="search") is None


def test_the_search_button_sits_in_materials_own_header(sample):
    # No copy of Material's header.html is kept: the button is added to the header block.
    assert not (REPO / "templates" / "partials" / "header.html").exists()
    site, _, _ = sample
    html = (site / "index.html").read_text(encoding="utf-8")
    header = html[html.index('<header class="md-header'):html.index("</header>")]
    nav_end = header.index("</nav>")
    assert header.index("bs-search-button") < nav_end
    assert header.count("bs-search-button") == 1


def small_site(tmp_path, **kwargs):
    return make_site(tmp_path / "site", articles={
        "live.md": meta(title="Live piece about harbours", date="2026-11-20"),
        "draft.md": meta(title="Secret shipping draft", date="2026-11-01", draft=True),
        "soon.md": meta(title="Future piece on ports", date="2031-01-05"),
    }, **kwargs)


def test_drafts_and_scheduled_articles_are_not_indexed(tmp_path):
    site = small_site(tmp_path)
    result = site.build()
    assert result.returncode == 0, result.stderr
    docs = fragments(site.site_dir / "pagefind")
    assert [d["meta"]["title"] for d in docs] == ["Live piece about harbours"]
    text = json.dumps(docs)
    assert "Secret" not in text and "Future" not in text


def test_search_can_be_turned_off(tmp_path):
    site = small_site(tmp_path, plugin_options={"search": False})
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert not (site.site_dir / "pagefind").exists()
    assert not (site.site_dir / "search" / "index.html").exists()
    assert "bs-search-button" not in site.page("2026/11/live-piece-about-harbours/")


def test_a_site_page_at_the_search_address_is_reported(tmp_path):
    site = small_site(tmp_path)
    site.write("search.md", "# My own search page\n")
    result = site.build()
    assert result.returncode != 0
    assert ("broadsheet: search.md is published at 'search/', the address of the search page "
            "— move it, or set `search: false`") in result.stderr


def test_a_site_without_articles_gets_no_index_rather_than_every_page(tmp_path):
    site = make_site(tmp_path / "site", articles={})
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "no articles, so no search index" in result.stderr
    assert not (site.site_dir / "pagefind").exists()


def test_a_broken_pagefind_fails_the_build_with_its_message(tmp_path):
    site = small_site(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site.config),
         "-d", str(site.site_dir)], env=env(PAGEFIND_BINARY_PATH=str(tmp_path / "missing")),
        capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "broadsheet: search: PAGEFIND_BINARY_PATH=" in result.stderr
    assert "Traceback" not in result.stderr


# -- the adapter: mkdocs serve ---------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        return None


@pytest.mark.slow
@pytest.mark.xdist_group("search-serve")
@pytest.mark.parametrize("part_size", [None, 2], ids=["one part", "in parts"])
def test_serve_indexes_in_the_background_and_after_each_change(tmp_path, part_size):
    site = small_site(tmp_path, plugin_options={"search_part_size": part_size} if part_size
                      else None)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr",
             f"127.0.0.1:{port}", "--config-file", str(site.config)],
            cwd=site.root, env=env(), stdout=log, stderr=subprocess.STDOUT)
        try:
            bundle_url = f"http://127.0.0.1:{port}/pagefind/"

            def pages():
                """Articles in the served index, all parts together."""
                if process.poll() is not None:
                    pytest.fail("mkdocs serve exited:\n" + log_path.read_text())
                listed = fetch_json(bundle_url + "parts.json")
                entries = listed and [fetch_json(bundle_url + folder + "pagefind-entry.json")
                                      for folder in ["", *listed["merge"]]]
                if not entries or not all(entries):
                    return None
                assert len(entries) == (2 if part_size else 1)
                return sum(entry["languages"]["en"]["page_count"] for entry in entries)

            # The preview shows drafts and scheduled articles, and so does its search.
            assert wait_for(pages, 90, "the preview's first search index") == 3
            site.article("new.md", meta(title="Brand new piece", date="2026-11-21"))
            wait_for(lambda: pages() == 4, 90, "the index to include the new article")
            # (Logged just after the new bundle is in place.)
            line = "search index updated (4 page(s)" + (" in 2 parts)" if part_size else ")")
            wait_for(lambda: line in log_path.read_text(), 30, "the preview's log line")
            # Indexed after the rebuild had finished (serve logs "Reloading browsers" then),
            # not as part of it: saving an article reloads the preview without waiting.
            text = log_path.read_text()
            updated = text.index(line)
            rebuilt = text.rfind("Building documentation", 0, updated)
            assert text.find("Reloading browsers", rebuilt) < updated
            assert text.find("Reloading browsers", rebuilt) != -1
        finally:
            stop_process(process)


def test_search_part_size_setting():
    from broadsheet.settings import SettingsError, settings_from_options
    assert settings_from_options({}, "S", "").search_part_size == search.PART_SIZE
    assert settings_from_options({"search_part_size": 50}, "S", "").search_part_size == 50
    for bad in (0, -3, "many", True, 2.5):
        with pytest.raises(SettingsError, match="search_part_size: .* whole number"):
            settings_from_options({"search_part_size": bad}, "S", "")
