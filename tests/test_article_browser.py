"""The seed article as a reader sees it: screenshots, accessibility, no foreign requests."""

from __future__ import annotations

import pytest

SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/"

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_seed_article_screenshots(browser, sample_site, serve_site, artifacts_dir, width, scheme):
    base = serve_site(sample_site)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base + SEED)
    assert page.locator("h1").first.inner_text().startswith("Russia finds")
    page.screenshot(path=str(artifacts_dir / f"seed-article-{width}-{scheme}.png"),
                    full_page=True)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_seed_article_has_no_axe_violations(browser, sample_site, serve_site, run_axe, scheme):
    base = serve_site(sample_site)
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base + SEED)
    violations = run_axe(page)
    context.close()
    assert violations == []


def test_seed_article_makes_no_foreign_requests(page, sample_site, serve_site):
    # The `page` fixture fails the test on any request to another host.
    page.goto(serve_site(sample_site) + SEED)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", [SEED, "", "tags/energy/"])
def test_pages_do_not_fetch_the_sitemap(page, sample_site, serve_site, path):
    # Material fetches sitemap.xml for every <link rel=alternate> (its language switcher);
    # with feed links on every page that would be a sitemap download per page view.
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(serve_site(sample_site) + path)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if url.endswith("sitemap.xml")]
