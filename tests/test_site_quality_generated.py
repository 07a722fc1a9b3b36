"""The quality gate on a generated site with every page type: many articles, paginated home,
tags with symbols ('C++', 'C#'), several authors, archives, escaping-worthy titles. The
sample site is small; this one has the shapes a real publication grows into."""

from __future__ import annotations

import sys

import pytest

from broadsheet.quality import axe, links, nu, tools
from broadsheet.quality.pages import read_pages
from conftest import REPO, build_site, copy_sample_project, require_tools

sys.path.insert(0, str(REPO / "scripts"))
from generate_corpus import generate_corpus  # noqa: E402


@pytest.fixture(scope="module")
def generated_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("generated")
    project = copy_sample_project(root / "project")
    # Replace the sample's content with the generated corpus (its own authors.yml).
    for article in (project / "docs" / "articles").rglob("*.md"):
        article.unlink()
    generate_corpus(project / "docs", 40)
    site = root / "site"
    build_site(project, site)
    return site


def test_generated_site_has_every_page_type(generated_site):
    for path in ("index.html", "page/2/index.html", "tags/index.html",
                 "tags/c-plus-plus/index.html", "authors/index.html", "archive/index.html",
                 "search/index.html", "404.html", "feed.xml", "atom.xml", "feed.json"):
        assert (generated_site / path).is_file(), path


def test_generated_site_links_fragments_and_resources(generated_site):
    found = links.check_links(generated_site)
    assert not found, "\n".join(map(str, found))


def test_generated_site_is_valid_html(generated_site):
    require_tools(tools.java, tools.vnu_jar)
    found = nu.check_html(generated_site)
    assert not found, "\n".join(map(str, found))


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_generated_site_has_no_axe_violations(generated_site, browser, serve_site, run_axe):
    paths = axe.sample_site_pages(generated_site, read_pages(generated_site))
    found = axe.check_pages(browser, serve_site(generated_site), paths, run_axe)
    assert not found, f"pages checked: {paths}\n" + "\n".join(map(str, found))


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_generated_site_scores_at_least_95_with_lighthouse(generated_site, tmp_path):
    # A home page of many cards and a long article page: heavier than the sample's.
    from broadsheet.quality import lighthouse

    require_tools(tools.node, tools.lighthouse_cli, tools.chromium)
    found = lighthouse.check_site(generated_site, read_pages(generated_site), tmp_path)
    assert not found, "\n".join(map(str, found))
