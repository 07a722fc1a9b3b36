"""listing_cards.py: an article's card is rendered once per heading level and put on every
listing page with links that lead where the page's own `url` filter would lead."""

from __future__ import annotations

import posixpath

import pytest
from jinja2 import DictLoader, Environment
from mkdocs.utils.templates import url_filter

from broadsheet.listing_cards import TEMPLATE, CardMarkup

CARD = ('<h{{ listing.card_level or 2 }}><a href="{{ card.url | url }}">{{ card.title }}</a>'
        '</h{{ listing.card_level or 2 }}>{% for tag in card.tags %}<a href="{{ tag | url }}">'
        '{{ tag }}</a>{% endfor %}<a href="{{ card.source }}">{{ strings.read_at }}</a>')
PAGE_WITH_INCLUDE = '{% for card in cards %}{% include "partials/card.html" %}{% endfor %}'
PAGE_WITH_MARKUP = '{% for card in cards %}{{ broadsheet_card(card) }}{% endfor %}'


class FakePage:
    def __init__(self, url: str) -> None:
        self.url = url


def environment(rendered: list | None = None) -> Environment:
    env = Environment(loader=DictLoader({TEMPLATE: CARD, "with-include": PAGE_WITH_INCLUDE,
                                         "with-markup": PAGE_WITH_MARKUP}), autoescape=True)
    env.filters["url"] = url_filter
    env.globals["broadsheet_card"] = CardMarkup(env)
    if rendered is not None:
        real = env.get_template

        def counting(name, *args, **kwargs):
            if name == TEMPLATE:
                rendered.append(name)
            return real(name, *args, **kwargs)

        env.get_template = counting
    return env


def links(html: str, page_url: str) -> list[str]:
    """Where each href leads, from the page's folder."""
    hrefs = [part.split('"', 1)[0] for part in html.split('href="')[1:]]
    return [href if "://" in href else posixpath.normpath(posixpath.join(page_url or ".", href))
            for href in hrefs]


CARDS = [{"url": "2025/04/ports/", "title": "Ports <& bread>", "tags": ["tags/trade/",
                                                                        "tags/ships/"],
          "source": "https://example.com/a?b=1&c=2"},
         {"url": "2024/01/bs-root-0/", "title": "bs-root-0/ in a title", "tags": [],
          "source": "https://example.com/"}]


@pytest.mark.parametrize("page_url, base_url", [("", "."), ("page/2/", "../.."),
                                                ("tags/trade/", "../.."),
                                                ("tags/trade/page/3/", "../../../.."),
                                                ("archive/2025/04/", "../../..")])
@pytest.mark.parametrize("level", [None, 3])
def test_a_card_leads_where_the_included_partial_leads(page_url, base_url, level):
    env = environment()
    context = {"cards": CARDS, "page": FakePage(page_url), "base_url": base_url,
               "listing": {"card_level": level}, "strings": {"read_at": "Read at <source>"}}
    included = env.get_template("with-include").render(context)
    reused = env.get_template("with-markup").render(context)
    assert links(reused, page_url) == links(included, page_url)
    # Everything but the links is the same, text escaped once.
    assert reused.split('href="')[0] == included.split('href="')[0]
    assert "Ports &lt;&amp; bread&gt;" in reused and "bs-root-0/ in a title" in reused
    assert "bs-root-" not in reused.replace("bs-root-0/", "")
    if page_url == "":
        assert reused == included  # the home page: the very same HTML


def test_each_card_is_rendered_once_per_heading_level():
    rendered: list = []
    env = environment(rendered)
    for page_url, base_url in [("", "."), ("page/2/", "../.."), ("tags/trade/", "../.."),
                               ("authors/alex/page/2/", "../../../..")]:
        env.get_template("with-markup").render(cards=CARDS, page=FakePage(page_url),
                                               base_url=base_url, listing={"card_level": 2},
                                               strings={"read_at": "Read"})
    assert len(rendered) == len(CARDS)
    env.get_template("with-markup").render(cards=CARDS, page=FakePage(""), base_url=".",
                                           listing={"card_level": 3}, strings={"read_at": "R"})
    assert len(rendered) == 2 * len(CARDS)


def test_each_build_has_its_own_marker():
    assert CardMarkup(environment()).marker != CardMarkup(environment()).marker
