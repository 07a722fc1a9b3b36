"""End to end: `mkdocs build --strict` of the sample site and of sites with bad input.

The sample site is the repo's own mkdocs.yml + docs/ + templates/, copied to a temporary
folder; its output is read with the standard library's HTML parser. Expectations come from
the catalog of the same files, so the tests follow the sample content as it changes.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from broadsheet import build_site, cli
from broadsheet.catalog import read_site
from broadsheet.site_config import load_site_config
from sitekit import (NOW, copy_sample_site, make_site, meta, parse_html,
                     search_documents, sitemap_paths)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample site, built once: (site, build result, catalog)."""
    site = copy_sample_site(tmp_path_factory.mktemp("sample"))
    result = site.build()
    previous = os.environ.get("BROADSHEET_NOW")
    os.environ["BROADSHEET_NOW"] = NOW
    try:
        config = load_site_config(site.config)
    finally:
        if previous is None:
            del os.environ["BROADSHEET_NOW"]
        else:
            os.environ["BROADSHEET_NOW"] = previous
    return site, result, read_site(config.docs_dir, config.settings)


def search_locations(site) -> set[str]:
    return {url for url, _ in search_documents(site.site_dir)}


def search_text(site) -> str:
    return "\n".join(text for _, text in search_documents(site.site_dir))


# -- the sample site ---------------------------------------------------------------------------------

def test_sample_site_builds_strict_and_says_what_was_held_back(sample):
    site, result, catalog = sample
    assert result.returncode == 0, result.stderr
    assert catalog.problems == ()
    held = catalog.held_back
    drafts = sum(1 for a in held if a.draft)
    assert held and drafts and len(held) > drafts, "the sample has a draft and a scheduled one"
    assert (f"broadsheet: {len(catalog.published)} article(s) published, {len(held)} held back "
            f"({drafts} draft, {len(held) - drafts} scheduled)") in result.stderr


def test_published_articles_are_pages_at_their_urls(sample):
    site, _, catalog = sample
    assert catalog.published
    for article in catalog.published:
        html = parse_html(site.page(article.url))
        assert html.find("h1").text() == article.title
        assert html.find("title").text().startswith(article.title)
        assert html.find("time").attrs["datetime"] == article.date.isoformat()
        bylines = [a.text() for a in html.find_all("a", rel="author")]
        assert bylines == [catalog.authors[a].name for a in article.authors]
        body = html.find(cls="bs-article-body")
        assert body is not None and body.text()
        assert html.find(cls="bs-status") is None, "no preview marker in a build"
        if article.source:
            continue_link = html.find(cls="bs-continue").find("a")
            assert continue_link.attrs["href"] == article.source.url
        else:
            assert html.find(cls="bs-continue") is None
        assert [li.text() for li in html.find_all("li", cls="bs-tag")] == list(article.tags)


def test_the_seed_article_has_the_example_pages_shape(sample):
    site, _, catalog = sample
    seed = next(a for a in catalog.published if a.source and "asia" in a.source.name.lower())
    html = parse_html(site.page(seed.url))
    body = html.find(cls="bs-article-body")
    paragraphs = [p.text() for p in body.find_all("p")]
    assert any(p.endswith(f"{seed.source.name} reveals the pragmatism that led to this "
                          "Russo-Japanese alliance:") for p in paragraphs)
    assert len(body.find("blockquote").find_all("p")) >= 3


def test_held_back_articles_are_nowhere_in_the_build(sample):
    site, _, catalog = sample
    files = {p.relative_to(site.site_dir).as_posix() for p in site.site_dir.rglob("*")}
    every_html = "\n".join(p.read_text(encoding="utf-8")
                           for p in site.site_dir.rglob("*.html"))
    indexed = search_text(site)
    locations = search_locations(site)
    sitemap = sitemap_paths(site.site_dir)
    for article in catalog.held_back:
        source_page = article.path.removesuffix(".md") + "/index.html"
        assert f"{article.url}index.html" not in files
        assert source_page not in files
        assert article.url not in locations and article.url not in sitemap
        assert article.title not in indexed
        assert article.title not in every_html
        assert article.url not in every_html


def test_search_index_and_sitemap_list_the_published_articles(sample):
    site, _, catalog = sample
    urls = {a.url for a in catalog.published}
    assert urls <= search_locations(site)
    assert urls <= sitemap_paths(site.site_dir)
    # Only the article URLs: no copy of an article left at its source path.
    assert not any(loc.startswith("articles/")
                   for loc in search_locations(site) | sitemap_paths(site.site_dir))


def test_links_on_the_home_page_reach_built_articles(sample):
    site, _, catalog = sample
    html = parse_html((site.site_dir / "index.html").read_text(encoding="utf-8"))
    content = html.find("article")
    targets = set()
    for link in content.find_all("a"):
        href = link.attrs.get("href", "")
        if href.startswith(("#", "http")) or not href:
            continue
        target = posixpath.normpath(urlsplit(href).path)
        targets.add(target.strip("/") + "/")
        assert (site.site_dir / target / "index.html").is_file(), href
    assert targets >= {a.url for a in catalog.published}


def test_the_build_requests_nothing_from_other_hosts(sample):
    site, _, _ = sample
    for page in site.site_dir.rglob("*.html"):
        html = parse_html(page.read_text(encoding="utf-8"))
        for node in html.find_all("script") + html.find_all("link") + html.find_all("img"):
            for attribute in ("src", "href"):
                value = node.attrs.get(attribute) or ""
                if node.tag == "link" and {"canonical", "alternate"} & set((node.attrs.get("rel") or "").split()):
                    continue
                assert not urlsplit(value).netloc, f"{page}: {node}"


# -- bad input: the build fails, names file, field and fix; the other articles are fine ---------

BAD_INPUTS = {
    # name: (file text or bytes, expected line in the log)
    "yaml-syntax": ("---\ntitle: Japan: a view\ndate: 2024-06-25\nauthor: alex\n---\nText\n",
                    "articles/2024/bad.md:2: front matter: is not valid YAML: mapping values "
                    "are not allowed here — check indentation, colons and quotes"),
    "wrong-type": ("---\ntitle: T\ndate: 2024-06-25\nauthor: alex\ntags: {a: 1}\n---\nText\n",
                   "articles/2024/bad.md:5: tags: is a mapping, not a list — write a list: "
                   "tags: [first, second]"),
    "impossible-date": ("---\ntitle: T\ndate: 2024-02-30\nauthor: alex\n---\nText\n",
                        "articles/2024/bad.md:3: date: '2024-02-30' is not a date or is "
                        "impossible — write it as YYYY-MM-DD"),
    "unknown-author": ("---\ntitle: T\ndate: 2024-06-25\nauthor: alx\n---\nText\n",
                       "articles/2024/bad.md:4: author: unknown author 'alx' — did you mean "
                       "'alex'?"),
    "unknown-key": ("---\ntitle: T\ndate: 2024-06-25\nautor: alex\n---\nText\n",
                    "articles/2024/bad.md:4: autor: unknown key — did you mean 'author'?"),
    "bad-url": ("---\ntitle: T\ndate: 2024-06-25\nauthor: alex\nsource:\n  name: X\n"
                "  url: www.example.com/story\n---\nText\n",
                "articles/2024/bad.md:7: source.url: must start with https:// or http:// (got "
                "'www.example.com/story') — give the full address of the original article"),
    "duplicate-url": ("---\ntitle: Good one\ndate: 2024-06-02\nauthor: alex\n---\nText\n",
                      "articles/2024/bad.md: url: '2024/06/good-one/' is also the URL of "
                      "articles/2024/good-one.md — give one of them a different `slug:`"),
    "undecodable": (b"---\ntitle: T\ndate: 2024-06-25\nauthor: \xe9\n---\n",
                    "articles/2024/bad.md:4: file: is not valid UTF-8"),
    "empty": ("", "articles/2024/bad.md: file: is empty — add front matter"),
    "unclosed": ("---\ntitle: T\ndate: 2024-06-25\nauthor: alex\n\nText\n",
                 "articles/2024/bad.md:1: front matter: is not closed — end the front matter "
                 "with a line of three dashes: ---"),
    "no-front-matter": ("# Just a heading\n", "articles/2024/bad.md:1: front matter: is missing"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_fails_the_build_and_names_file_field_and_fix(tmp_path, case, monkeypatch,
                                                                 capsys):
    content, expected = BAD_INPUTS[case]
    site = make_site(tmp_path, articles={
        "2024/good-one.md": meta(title="Good one", date="2024-06-01"),
        "2024/good-two.md": meta(title="Good two", date="2024-06-03", author="priya"),
    })
    site.write("articles/2024/bad.md", content)
    before = site.snapshot()

    result = site.build()
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line.split("-  ", 1)[1] for line in result.stderr.splitlines()
              if line.startswith("ERROR")]
    assert any(line.startswith(expected) for line in errors), result.stderr
    assert site.snapshot() == before, "a build never edits the sources"

    # `broadsheet check` (in-process: it is the same code as the installed command)
    monkeypatch.chdir(site.root)
    monkeypatch.setenv("BROADSHEET_NOW", NOW)
    assert cli.main(["check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    bad_paths = {p["path"] for p in report["problems"]}
    expected_bad = {"articles/2024/bad.md"}
    if case == "duplicate-url":
        expected_bad.add("articles/2024/good-one.md")  # a clash is in both files
    assert bad_paths == expected_bad, "the valid article beside the bad one is reported fine"
    assert cli.main(["check"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(expected) for line in lines)
    assert not any("good-two" in line for line in lines)
    for line in lines:  # the house format
        assert re.match(r"^articles/2024/[\w-]+\.md(:\d+)?: [\w.\[\] ]+: .+ — .+$", line), line


def test_every_bad_file_is_reported_in_one_build(tmp_path):
    site = make_site(tmp_path, articles={"2024/good.md": meta(title="Good")})
    for index, (content, _) in enumerate(v for k, v in BAD_INPUTS.items()
                                         if k != "duplicate-url"):
        site.write(f"articles/2024/bad-{index}.md", content)
    result = site.build()
    assert result.returncode != 0
    reported = {line.split("-  ", 1)[1].split(":")[0] for line in result.stderr.splitlines()
                if line.startswith("ERROR") and "articles/" in line}
    assert reported == {f"articles/2024/bad-{i}.md" for i in range(len(BAD_INPUTS) - 1)}


def test_broken_authors_file_fails_the_build(tmp_path):
    site = make_site(tmp_path, articles={"2024/a.md": meta()},
                     authors="authors:\n  alex:\n    name: Alex\n    avatar: /abs.png\n")
    result = site.build()
    assert result.returncode != 0
    assert "ERROR   -  authors.yml:4: authors.alex.avatar: must be a path inside docs/" \
           in result.stderr


@pytest.mark.parametrize("options, message", [
    ({"timezone": "Europe/Lndon"},
     "broadsheet: timezone: unknown timezone 'Europe/Lndon' — did you mean 'Europe/London'?"),
    ({"url_format": "{yyyy}/{mm}/{slg}/"},
     "broadsheet: url_format: unknown placeholder {slg} — use {yyyy}, {mm}, {dd}, {slug}"),
    ({"strings": {"draft_markr": "Brouillon"}},
     "broadsheet: strings.draft_markr: unknown string — did you mean 'draft_marker'?"),
])
def test_bad_settings_fail_the_build_with_a_hint(tmp_path, options, message):
    site = make_site(tmp_path, articles={"2024/a.md": meta()}, plugin_options=options)
    result = site.build()
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


# -- settings that shape the output ----------------------------------------------------------------

def test_timezone_and_url_format_reach_the_pages(tmp_path):
    site = make_site(tmp_path, plugin_options={"timezone": "Europe/London",
                                               "url_format": "news/{yyyy}/{mm}/{dd}/{slug}/"},
                     articles={"a.md": meta(title="Summer", date="2024-07-15 09:00"),
                               "b.md": meta(title="Winter", date="2024-01-15")})
    result = site.build()
    assert result.returncode == 0, result.stderr
    summer = parse_html(site.page("news/2024/07/15/summer/"))
    winter = parse_html(site.page("news/2024/01/15/winter/"))
    assert summer.find("time").attrs["datetime"] == "2024-07-15T09:00:00+01:00"
    assert winter.find("time").attrs["datetime"] == "2024-01-15T00:00:00+00:00"


def test_drafts_and_scheduled_in_a_small_site(tmp_path):
    now = datetime.fromisoformat(NOW).replace(tzinfo=timezone.utc)
    site = make_site(tmp_path, articles={
        "live.md": meta(title="Live piece", date="2026-11-26"),
        "draft.md": meta(title="Secret draft", date="2026-11-01", draft=True),
        "soon.md": meta(title="Future piece", date="2026-11-28"),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert now.date().isoformat() == "2026-11-27"
    assert "1 article(s) published, 2 held back (1 draft, 1 scheduled)" in result.stderr
    assert (site.site_dir / "2026/11/live-piece/index.html").is_file()
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in site.site_dir.rglob("*") if p.is_file()
                           and p.suffix in (".html", ".json", ".xml", ".txt"))
    everything += search_text(site)
    assert "2026/11/live-piece/" in search_locations(site)
    assert "2026/11/live-piece/" in sitemap_paths(site.site_dir)
    for hidden in ("Secret draft", "Future piece", "secret-draft", "future-piece",
                   "articles/draft", "articles/soon"):
        assert hidden not in everything


# -- atomic builds ---------------------------------------------------------------------------------

def test_build_site_replaces_site_only_on_success(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("BROADSHEET_NOW", NOW)
    site = make_site(tmp_path / "s", articles={"2024/a.md": meta(title="First")})
    assert build_site.build(site.site_dir, site.config) == 0
    assert (site.site_dir / "2024/06/first/index.html").is_file()
    marker = site.site_dir / "marker.txt"
    marker.write_text("from the last good build")

    site.write("articles/2024/b.md", "---\ntitle: Broken\n")
    assert build_site.build(site.site_dir, site.config) != 0
    assert marker.read_text() == "from the last good build"
    assert "build failed" in capfd.readouterr().err

    (site.docs / "articles/2024/b.md").unlink()
    assert build_site.build(site.site_dir, site.config) == 0
    assert not marker.exists(), "a good build replaces the whole folder"
    leftovers = [p.name for p in site.root.iterdir() if p.name.startswith(".site-")]
    assert leftovers == []
