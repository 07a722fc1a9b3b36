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


def test_the_share_card_is_an_image_the_browser_draws(page, sample_site, serve_site,
                                                      artifacts_dir):
    # The card's PNG is spliced together from separately deflated pieces (png.py, ISA-L):
    # a browser must decode it to the card, not to a broken-image icon.
    from urllib.parse import urlsplit

    base = serve_site(sample_site)
    page.goto(base + SEED)
    card = base + urlsplit(page.locator('meta[property="og:image"]').get_attribute(
        "content")).path.lstrip("/")
    from broadsheet import cards

    drawn = page.evaluate("""([src, ruleY]) => new Promise(done => {
        const image = new Image();
        image.onerror = () => done(null);
        image.onload = () => {
            const canvas = document.createElement("canvas");
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const at = (x, y) => Array.from(context.getImageData(x, y, 1, 1).data).slice(0, 3);
            done({size: [image.naturalWidth, image.naturalHeight],
                  bar: at(600, 5), paper: at(10, 300), rule: at(600, ruleY)});
        };
        image.src = src;
    })""", [card, cards.RULE_Y])
    assert drawn is not None, f"{card} did not decode"
    assert drawn["size"] == [1200, 630]

    def near(rgb, hex_colour):
        return all(abs(a - b) <= 2 for a, b in zip(rgb, bytes.fromhex(hex_colour[1:])))

    # The top bar, the paper between lines and the footer's rule: three separate pieces.
    assert near(drawn["bar"], cards.ACCENT) and near(drawn["paper"], cards.PAPER)
    assert near(drawn["rule"], cards.INK)
    page.goto(card)
    page.screenshot(path=str(artifacts_dir / "share-card.png"))
