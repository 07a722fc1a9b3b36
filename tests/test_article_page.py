"""The seed article's built page has every part of the editor's example, in order:
title, byline, intro, the source's excerpt cited, "Continue to the full article…",
share, about the author, the newsletter — checked with an HTML parser."""

from __future__ import annotations

import pytest

from sitekit import parse_html

SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/index.html"
SOURCE_URL = "https://asiatimes.com/2014/07/japan-and-russia-seek-rapprochement/"


@pytest.fixture(scope="module")
def seed(sample_site):
    text = (sample_site / SEED).read_text(encoding="utf-8")
    return text, parse_html(text)


def test_title_and_byline(seed):
    _, page = seed
    header = page.find("header", cls="bs-article-header")
    assert header.find("h1").text() == "Russia finds an unexpected economic and military ally"
    byline = header.find("p", cls="bs-byline")
    author = byline.find("a", rel="author")
    assert author.text() == "Alex Morgan" and author.attrs["href"] == "../../../authors/alex/"
    assert byline.find("time").attrs["datetime"].startswith("2014-07-02T09:00:00")
    assert "min read" in byline.text()
    tags = [a.text() for a in header.find("ul", cls="bs-tags").find_all("a")]
    assert tags == ["geopolitics", "russia", "japan", "energy"]


def test_intro_then_the_cited_excerpt(seed):
    _, page = seed
    body = page.find("div", cls="bs-article-body")
    intro = body.find("p").text()
    assert intro.startswith("Japan and Russia have a long history of animosity")
    assert intro.endswith("The Asia Times reveals the pragmatism that led to this "
                          "Russo-Japanese alliance:")
    figure = body.find("figure", cls="bs-excerpt")
    quote = figure.find("blockquote")
    assert quote.attrs["cite"] == SOURCE_URL
    paragraphs = quote.find_all("p")
    assert len(paragraphs) == 7
    assert paragraphs[0].text().startswith("Spooked by China")
    caption = figure.find("figcaption")
    assert "The Asia Times" in caption.text()
    assert caption.find("cite").text() == "Japan and Russia seek rapprochement"


def test_continue_link_names_the_source_and_keeps_the_referrer(seed):
    _, page = seed
    paragraph = page.find("p", cls="bs-continue")
    link = paragraph.find("a")
    assert link.attrs["href"] == SOURCE_URL
    assert link.text().startswith("Continue to the full article…")
    assert link.find("span", cls="bs-visually-hidden").text().strip() == "at The Asia Times"
    # The source should see our readers: no rel that hides the referrer or the link.
    for anchor in page.find_all("a"):
        if anchor.attrs.get("href", "").startswith(SOURCE_URL):
            rel = (anchor.attrs.get("rel") or "").split()
            assert "noreferrer" not in rel and "nofollow" not in rel, anchor.attrs


def test_share_author_and_newsletter_follow_in_order(seed):
    text, page = seed
    positions = [text.index(marker) for marker in (
        'class="bs-continue"', "Share this article", "Copy link", "About the author",
        "Stay in the loop")]
    assert positions == sorted(positions)
    about = page.find("section", cls="bs-author")
    assert about.find("h2").text() == "About the author"
    assert about.find("p", cls="bs-author__more").find("a").text() == "More from Alex Morgan"
    form = page.find("form", cls="bs-newsletter__form")
    assert form.attrs["method"] == "post"
    assert form.find("input", type="email").attrs["autocomplete"] == "email"
