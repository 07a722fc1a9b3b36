"""seo.py: the description fallback chain, Open Graph / Twitter tags and JSON-LD that stays
valid and inert whatever the front matter holds."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from broadsheet import seo
from broadsheet.catalog import build_catalog
from broadsheet.settings import settings_from_options
from sitekit import AUTHORS, NOW, article_text, meta

SITE_URL = "https://news.example.org/"
CARD_URL = SITE_URL + "assets/cards/0123abcd.png"
HOSTILE = [
    "</script><script>alert(1)</script>",
    "<!-- a comment opener",
    "Quotes \" ' and & ampersands &amp; <b>tags</b>",
    "Line\u2028and paragraph\u2029separators",
    "]]> --> <![CDATA[",
]


def catalog_of(*articles: tuple[dict, str], site_url: str = SITE_URL, authors=AUTHORS):
    settings = settings_from_options({}, "Test Broadsheet", site_url, NOW)
    files = [(f"articles/a{i}.md", article_text(front, body).encode())
             for i, (front, body) in enumerate(articles)]
    authors_data = yaml.safe_dump({"authors": authors}, allow_unicode=True).encode()
    catalog = build_catalog(files, authors_data, settings)
    assert not catalog.problems, [str(p) for p in catalog.problems]
    return catalog


def one(front: dict, body: str = "Some text.\n", **kwargs):
    catalog = catalog_of((front, body), **kwargs)
    return catalog.articles[0], catalog


def tags_of(data: dict, kind: str) -> list[tuple[str, str]]:
    key = "property" if kind == "open_graph" else "name"
    return [(tag[key], tag["content"]) for tag in data[kind]]


def values(pairs: list[tuple[str, str]], key: str) -> list[str]:
    return [value for name, value in pairs if name == key]


# -- the description ------------------------------------------------------------------------

def test_description_wins_over_excerpt_and_body():
    article, _ = one(meta(description="What the editor wrote.", excerpt="An excerpt."),
                     "A first paragraph.\n")
    assert seo.meta_description(article) == "What the editor wrote."


def test_excerpt_is_used_without_a_description():
    article, _ = one(meta(excerpt="An *excerpt* with a [link](https://example.com/)."),
                     "A first paragraph.\n")
    assert seo.meta_description(article) == "An excerpt with a link."


def test_first_paragraph_of_the_body_comes_last():
    body = ("# A heading\n\n> A quotation first.\n\n```\ncode\n\nmore code\n```\n\n"
            "- a list\n\n![A photo](photo.jpg)\n\n"
            "The **first** real _paragraph_,\nwrapped over `two` lines with a "
            "[link][ref] and <abbr>HTML</abbr> &amp; an entity.{: .lead }\n\n"
            "The second paragraph.\n\n[ref]: https://example.com/\n")
    article, _ = one(meta(), body)
    assert seo.meta_description(article) == (
        "The first real paragraph, wrapped over two lines with a link and HTML & an entity.")


def test_a_body_of_only_a_quotation_still_gives_a_description():
    article, _ = one(meta(), "> Quoted words,\n> on two lines.\n")
    assert seo.meta_description(article) == "Quoted words, on two lines."


def test_an_empty_body_falls_back_to_the_title():
    article, _ = one(meta(title="Only a title"), "\n")
    assert seo.meta_description(article) == "Only a title"


def test_long_descriptions_are_trimmed_on_a_word_boundary():
    words = " ".join(f"word{i}" for i in range(60))
    article, _ = one(meta(), words + "\n")
    description = seo.meta_description(article)
    assert len(description) <= seo.DESCRIPTION_LIMIT
    assert description.endswith("…")
    kept = description.removesuffix("…")
    assert words.startswith(kept) and words[len(kept)] == " "
    assert len(kept) > seo.DESCRIPTION_LIMIT - 10


@given(st.lists(st.text(alphabet="abcdefghij,.é—", min_size=1, max_size=30), max_size=40),
       st.integers(min_value=20, max_value=200))
def test_trim_keeps_whole_words_within_the_limit(words, limit):
    text = " ".join(words)
    trimmed = seo.trim(text, limit)
    assert len(trimmed) <= limit
    if len(text) <= limit:
        assert trimmed == text
        return
    head = trimmed.removesuffix("…")
    assert trimmed.endswith("…") and text.startswith(head)
    if text[:limit].rfind(" ") > limit // 2:
        # Cut at a space (dropping punctuation left dangling before "…"), not mid-word.
        assert text[len(head):].lstrip(",.—").startswith(" ")


def test_a_single_overlong_word_is_cut():
    assert seo.trim("x" * 300, 160) == "x" * 159 + "…"


# -- Open Graph and Twitter -----------------------------------------------------------------

SOURCED = meta(title="Gas and diplomacy", date="2024-06-25 09:30", updated="2024-06-27",
               author=None, authors=["alex", "priya"], tags=["energy", "russia"],
               description="A short description.",
               source={"name": "The Asia Times", "url": "https://asiatimes.example/story",
                       "title": "The original story", "author": "M. Tanaka",
                       "published": "2024-06-24"})


def test_open_graph_and_twitter_tags_for_an_article_with_a_card():
    article, catalog = one(SOURCED)
    canonical = SITE_URL + article.url
    data = seo.article_seo(article, catalog, canonical, CARD_URL)
    og = tags_of(data, "open_graph")
    single = {"og:type": "article", "og:title": "Gas and diplomacy",
              "og:description": "A short description.", "og:url": canonical,
              "og:site_name": "Test Broadsheet", "og:image": CARD_URL,
              "og:image:width": "1200", "og:image:height": "630", "og:image:type": "image/png",
              "article:published_time": article.date.isoformat(),
              "article:modified_time": article.updated.isoformat()}
    for key, value in single.items():
        assert values(og, key) == [value], key
    assert values(og, "og:image:alt") == ["Gas and diplomacy — via The Asia Times — Test Broadsheet"]
    assert values(og, "article:author") == [SITE_URL + "authors/alex/", SITE_URL + "authors/priya/"]
    assert values(og, "article:tag") == ["energy", "russia"]
    assert og.index(("og:image", CARD_URL)) < og.index(("og:image:width", "1200"))

    twitter = dict(tags_of(data, "twitter"))
    assert len(twitter) == len(data["twitter"])
    assert twitter == {"twitter:card": "summary_large_image", "twitter:title": "Gas and diplomacy",
                       "twitter:description": "A short description.",
                       "twitter:image": CARD_URL, "twitter:image:alt": values(og, "og:image:alt")[0]}
    assert data["description"] == "A short description."


def test_modified_time_is_the_date_when_never_updated():
    article, catalog = one(meta(date="2024-06-25"))
    og = tags_of(seo.article_seo(article, catalog, "https://x.example/", None), "open_graph")
    assert values(og, "article:modified_time") == values(og, "article:published_time") == [
        article.date.isoformat()]


@pytest.mark.parametrize("image, expected", [
    ("images/tanker_é.jpg", SITE_URL + "images/tanker_%C3%A9.jpg"),
    ("https://cdn.example.com/p.jpg?w=1200", "https://cdn.example.com/p.jpg?w=1200"),
])
def test_the_articles_own_image_wins_over_the_card(image, expected):
    article, catalog = one(meta(image=image, image_alt="A tanker at sea"))
    data = seo.article_seo(article, catalog, SITE_URL + article.url, CARD_URL)
    og = tags_of(data, "open_graph")
    assert values(og, "og:image") == [expected]
    assert values(og, "og:image:alt") == ["A tanker at sea"]
    assert not values(og, "og:image:width") and not values(og, "og:image:height")
    assert json.loads(data["json_ld"])["image"] == {"@type": "ImageObject", "url": expected}


def test_without_any_image_the_twitter_card_is_a_summary():
    article, catalog = one(meta())
    data = seo.article_seo(article, catalog, SITE_URL + article.url, None)
    assert not values(tags_of(data, "open_graph"), "og:image")
    assert dict(tags_of(data, "twitter"))["twitter:card"] == "summary"
    assert "image" not in json.loads(data["json_ld"])


def test_image_paths_are_made_absolute_under_a_site_in_a_subfolder():
    article, catalog = one(meta(image="img/a.png", image_alt="A"),
                           site_url="https://example.org/news")
    data = seo.article_seo(article, catalog, "https://example.org/news/" + article.url, None)
    assert values(tags_of(data, "open_graph"), "og:image") == ["https://example.org/news/img/a.png"]


# -- JSON-LD --------------------------------------------------------------------------------

def test_json_ld_is_the_intended_news_article():
    authors = dict(AUTHORS, priya={**AUTHORS["priya"], "url": "https://example.org/priya",
                                   "links": {"Mastodon": "https://mastodon.social/@priya"}})
    article, catalog = one(SOURCED, authors=authors)
    canonical = SITE_URL + article.url
    data = json.loads(seo.article_seo(article, catalog, canonical, CARD_URL)["json_ld"])
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Gas and diplomacy",
        "description": "A short description.",
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": article.date.isoformat(),
        "dateModified": article.updated.isoformat(),
        "author": [
            {"@type": "Person", "name": "Alex Morgan", "url": SITE_URL + "authors/alex/"},
            {"@type": "Person", "name": "Priya Raman", "url": SITE_URL + "authors/priya/",
             "sameAs": ["https://example.org/priya", "https://mastodon.social/@priya"]},
        ],
        "publisher": {"@type": "Organization", "name": "Test Broadsheet", "url": SITE_URL},
        "keywords": ["energy", "russia"],
        "image": {"@type": "ImageObject", "url": CARD_URL, "width": 1200, "height": 630},
        "isBasedOn": {
            "@type": "CreativeWork",
            "url": "https://asiatimes.example/story",
            "headline": "The original story",
            "author": {"@type": "Person", "name": "M. Tanaka"},
            "datePublished": article.source.published.isoformat(),
            "publisher": {"@type": "Organization", "name": "The Asia Times"},
        },
    }
    assert data["datePublished"].startswith("2024-06-25T09:30")


def test_json_ld_of_an_unsourced_article_has_no_is_based_on():
    article, catalog = one(meta())
    data = json.loads(seo.article_seo(article, catalog, SITE_URL, None)["json_ld"])
    assert "isBasedOn" not in data and "keywords" not in data


def assert_inert(serialized: str) -> None:
    for forbidden in ("<", ">", "&", "\u2028", "\u2029"):
        assert forbidden not in serialized, forbidden


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_front_matter_keeps_json_ld_valid_and_inert(hostile):
    front = meta(title="T " + hostile, tags=[hostile], excerpt=hostile,
                 source={"name": hostile, "url": "https://example.com/a", "title": hostile,
                         "author": hostile})
    authors = {"alex": {"name": hostile, "description": hostile}}
    article, catalog = one(front, authors=authors)
    serialized = seo.article_seo(article, catalog, SITE_URL + article.url, CARD_URL)["json_ld"]
    assert_inert(serialized)
    assert "</" not in serialized and "<!--" not in serialized
    data = json.loads(serialized)
    assert data["headline"] == article.title
    # (Validation turns U+2028 in one-line fields into a space: compare with what it kept.)
    assert data["keywords"] == list(article.tags)
    assert data["author"][0]["name"] == catalog.authors["alex"].name
    assert data["isBasedOn"]["publisher"]["name"] == article.source.name
    assert data["isBasedOn"]["headline"] == article.source.title
    assert data["description"] == seo.meta_description(article)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(), inner, max_size=4), max_leaves=12))
def test_script_json_round_trips_anything_and_never_leaves_markup(data):
    serialized = seo.script_json(data)
    assert_inert(serialized)
    assert json.loads(serialized) == data


def test_script_json_keeps_non_ascii_text_readable():
    assert seo.script_json({"t": "Côte d’Ivoire — 東京"}) == '{"t":"Côte d’Ivoire — 東京"}'


def test_script_json_escapes_what_could_end_or_alter_a_script_block():
    assert seo.script_json({"t": "a\u2028b\u2029</script><!--&"}) == (
        '{"t":"a\\u2028b\\u2029\\u003c/script\\u003e\\u003c!--\\u0026"}')
