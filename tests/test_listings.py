"""listings: pagination math, card excerpts, grouping by month/tag/author, newer/older, and
the pages built from a catalog (what each shows, what it leaves out)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import yaml

from broadsheet.catalog import build_catalog
from broadsheet.listings import (build_listings, group_by_author, group_by_month, group_by_tag,
                                 newer_older, page_numbers, page_url, paginate,
                                 pagination_view)
from broadsheet.model import Article
from broadsheet.settings import SettingsError, settings_from_options
from broadsheet.summary import MAX_PARAGRAPH_CHARS, card_excerpt, first_paragraph, markdown_to_text
from sitekit import AUTHORS, NOW, article_text, meta

AUTHORS_YML = yaml.safe_dump({"authors": AUTHORS}).encode()


def settings(**options):
    return settings_from_options(options, "Test site", "https://news.example.org/", NOW)


def catalog_of(files: dict[str, tuple[dict, str] | dict], **options):
    def text(value):
        front, body = value if isinstance(value, tuple) else (value, "Some text.\n")
        return article_text(front, body).encode()
    catalog = build_catalog([(f"articles/{p}", text(v)) for p, v in files.items()],
                            AUTHORS_YML, settings(**options))
    assert catalog.problems == ()
    return catalog


def article(body: str = "", **fields) -> Article:
    data = {"path": "articles/x.md", "title": "T",
            "date": datetime(2024, 1, 1, tzinfo=timezone.utc),
            "authors": ("alex",), "slug": "t", "url": "2024/01/t/", "body": body}
    data.update(fields)
    return Article(**data)


# -- pagination --------------------------------------------------------------------------

@pytest.mark.parametrize("count, per_page, expected", [
    (0, 10, [(None, 0, 0)]),
    (9, 10, [(None, 0, 9)]),
    (19, 10, [(None, 0, 19)]),                       # one full page: all on the front
    (20, 10, [(None, 0, 10), (1, 10, 20)]),
    (23, 10, [(None, 0, 13), (1, 13, 23)]),
    (35, 10, [(None, 0, 15), (2, 15, 25), (1, 25, 35)]),
    (5, 1, [(None, 0, 1), (4, 1, 2), (3, 2, 3), (2, 3, 4), (1, 4, 5)]),
])
def test_pages_are_numbered_from_the_oldest(count, per_page, expected):
    assert paginate(count, per_page) == expected


def test_a_numbered_page_keeps_its_articles_as_articles_are_added():
    oldest_first = list(range(1000))
    seen: dict[int, list[int]] = {}
    for count in range(20, 1000, 7):
        newest_first = oldest_first[:count][::-1]
        for number, start, end in paginate(count, 10):
            if number is not None:
                assert seen.setdefault(number, newest_first[start:end]) == newest_first[start:end]


def test_page_urls_put_numbered_pages_under_page_n():
    assert page_url("", None) == ""
    assert page_url("", 2) == "page/2/"
    assert page_url("tags/energy/", 17) == "tags/energy/page/17/"


@pytest.mark.parametrize("current, last, expected", [
    (None, 1, [1]),
    (None, 3, [3, 2, 1]),
    (None, 17, [17, 16, None, 1]),
    (6, 17, [None, 8, 7, 6, 5, 4, None, 1]),   # the front page is linked before these
    (4, 17, [None, 6, 5, 4, 3, 2, 1]),         # a gap of one page shows the number
    (15, 17, [17, 16, 15, 14, 13, None, 1]),
    (1, 17, [None, 3, 2, 1]),
])
def test_page_numbers_keep_page_one_and_neighbours_newest_first(current, last, expected):
    assert page_numbers(current, last) == expected


def test_far_pages_link_the_same_numbers_whatever_the_newest_page():
    assert page_numbers(6, 17) == page_numbers(6, 40) == page_numbers(6, 900)


def test_pagination_view_links_newer_and_older():
    assert pagination_view("", None, 0) is None
    front = pagination_view("", None, 3)
    assert front["previous"] is None and front["next"] == "page/3/"
    assert front["pages"][0] == {"number": None, "front": True, "url": "", "current": True}
    middle = pagination_view("tags/x/", 2, 3)
    assert middle["previous"] == "tags/x/page/3/" and middle["next"] == "tags/x/page/1/"
    assert [p["current"] for p in middle["pages"]] == [False, False, True, False]
    top = pagination_view("", 3, 3)
    assert top["previous"] == "" and top["next"] == "page/2/"
    oldest = pagination_view("", 1, 3)
    assert oldest["previous"] == "page/2/" and oldest["next"] is None


def test_per_page_setting_is_checked():
    assert settings().per_page == 10
    assert settings(per_page=3).per_page == 3
    for bad in (0, -1, "ten", True, 2.5):
        with pytest.raises(SettingsError, match="per_page"):
            settings(per_page=bad)


# -- excerpts ----------------------------------------------------------------------------

def test_excerpt_front_matter_wins_and_is_plain_text():
    a = article("First paragraph.\n\n<!-- more -->\n", excerpt="An *editor's* [summary](x.md).")
    assert card_excerpt(a) == "An editor's summary."


def test_excerpt_is_the_text_above_more():
    body = "Intro **one**.\n\nIntro two.\n\n<!-- more -->\n\nThe rest, never on a card.\n"
    assert card_excerpt(article(body)) == "Intro one. Intro two."


def test_excerpt_falls_back_to_the_first_paragraph_skipping_headings_and_code():
    body = ("## A heading\n\n```python\nprint('code, not prose')\n\nmore code\n```\n\n"
            "The *first* real paragraph, with a [link](https://example.org/ \"t\") and "
            "`code` &amp; <abbr>HTML</abbr>.\n\nSecond paragraph.\n")
    assert card_excerpt(article(body)) == (
        "The first real paragraph, with a link and code & HTML.")


def test_excerpt_of_a_long_paragraph_is_cut_at_a_word():
    words = " ".join(f"word{i}" for i in range(200))
    text = card_excerpt(article(words + "\n"))
    assert text.endswith("…") and len(text) <= MAX_PARAGRAPH_CHARS + 1
    assert words.startswith(text[:-1])
    assert text[:-1].split()[-1] in words.split()  # not cut inside a word


def test_excerpt_of_a_quote_only_article_uses_the_quote():
    assert first_paragraph("> Only a *quotation* here.\n> Still the quote.\n") == (
        "Only a quotation here. Still the quote.")


@pytest.mark.parametrize("markdown, text", [
    ("# Title #", "Title"),
    ("![alt](img.png) after", "after"),
    ("[ref link][r] and footnote[^1]", "ref link and footnote"),
    ("snake_case stays, _emphasis_ goes", "snake_case stays, emphasis goes"),
    (r"an escaped \*star\* stays", "an escaped *star* stays"),
    ("a paragraph {: .lead }", "a paragraph"),
    ("&lt;script&gt; is text", "<script> is text"),
    ("<https://example.org/x>", "https://example.org/x"),
])
def test_markdown_is_stripped_to_plain_text(markdown, text):
    assert markdown_to_text(markdown) == text


# -- grouping ----------------------------------------------------------------------------

def test_archive_groups_by_year_and_month_newest_first():
    catalog = catalog_of({
        "a.md": meta(title="A", date="2014-07-05"),
        "b.md": meta(title="B", date="2014-07-01"),
        "c.md": meta(title="C", date="2014-06-20"),
        "d.md": meta(title="D", date="2013-12-31 23:30"),
    })
    years = group_by_month(catalog.published)
    assert list(years) == [2014, 2013]
    assert list(years[2014]) == [7, 6]
    assert [a.title for a in years[2014][7]] == ["A", "B"]
    assert [a.title for a in years[2013][12]] == ["D"]


def test_tags_are_one_per_slug_counted_once_per_article_and_named_by_majority():
    catalog = catalog_of({
        "a.md": meta(title="A", date="2024-01-03", tags=["Energy", "energy", "C++"]),
        "b.md": meta(title="B", date="2024-01-02", tags=["energy", "C"]),
        "c.md": meta(title="C", date="2024-01-01", tags=["energy"]),
    })
    members, names = group_by_tag(catalog.published)
    assert {slug: len(articles) for slug, articles in members.items()} == {
        "energy": 3, "c-plus-plus": 1, "c": 1}
    assert names["energy"] == "energy"  # 'energy' in A (first spelling) … and B, C
    assert names["c-plus-plus"] == "C++"


def test_authors_group_articles_with_two_authors_under_both():
    catalog = catalog_of({
        "a.md": meta(title="A", date="2024-01-02", author=None, authors=["alex", "priya"]),
        "b.md": meta(title="B", date="2024-01-01"),
    })
    groups = group_by_author(catalog.published)
    assert [a.title for a in groups["alex"]] == ["A", "B"]
    assert [a.title for a in groups["priya"]] == ["A"]


def test_newer_and_older_follow_the_date_order():
    catalog = catalog_of({f"{n}.md": meta(title=n, date=f"2024-01-0{i}")
                          for i, n in enumerate(["first", "second", "third"], start=1)})
    order = newer_older(catalog.published)
    assert order["articles/third.md"] == (None, catalog.by_path["articles/second.md"])
    assert order["articles/second.md"] == (catalog.by_path["articles/third.md"],
                                          catalog.by_path["articles/first.md"])
    assert order["articles/first.md"] == (catalog.by_path["articles/second.md"], None)


# -- pages -------------------------------------------------------------------------------

def _site(count: int = 7, **options):
    files = {f"a{i}.md": meta(title=f"Story {i}", date=f"2024-0{1 + i // 3}-{10 + i}",
                              tags=["trade", "energy"] if i % 2 else ["Energy"])
             for i in range(count)}
    files["draft.md"] = meta(title="Secret draft", date="2024-02-01", draft=True, tags=["spy"],
                             author="priya")
    files["later.md"] = meta(title="Secret scheduled", date="2030-01-01", tags=["energy"])
    return catalog_of(files, **options)


def test_pages_cover_home_archive_tags_and_authors_with_pagination():
    catalog = _site(7, per_page=3)
    listings = build_listings(catalog, per_page=3)
    urls = [p.url for p in listings.pages]
    assert len(urls) == len(set(urls))
    assert {"", "page/1/", "archive/", "tags/", "authors/", "tags/energy/",
            "tags/energy/page/1/", "tags/trade/", "authors/alex/page/1/",
            "archive/2024/", "archive/2024/01/", "archive/2024/03/"} <= set(urls)
    assert "page/2/" not in urls
    assert all(p.src_uri == p.url + "index.md" for p in listings.pages)
    home = listings.by_src_uri["index.md"].view
    # 7 published, 3 a page: page 1 holds the oldest three; the front page the other four.
    assert [c["title"] for c in home["cards"]] == ["Story 6", "Story 5", "Story 4", "Story 3"]
    assert home["title"] is None  # the site's name alone
    first = listings.by_src_uri["page/1/index.md"]
    assert "Page 1" in first.view["title"] and "Page 1" in first.view["heading"]
    assert first.searchable is False and listings.by_src_uri["index.md"].searchable
    assert len(first.numbered_articles) == 3
    assert listings.by_src_uri["index.md"].numbered_articles is None


def test_a_build_lists_no_draft_or_scheduled_article_and_no_tag_or_author_only_they_have():
    listings = build_listings(_site())
    text = repr([p.view for p in listings.pages])
    assert "Secret" not in text and "spy" not in text and "priya" not in text
    assert "articles/draft.md" not in listings.neighbours


def test_preview_lists_drafts_with_their_marker():
    listings = build_listings(_site(), include_held=True)
    cards = {c["title"]: c for c in listings.by_src_uri["index.md"].view["cards"]}
    assert cards["Secret scheduled"]["status_label"].startswith("Scheduled for")
    assert {"tags/spy/", "authors/priya/"} <= {p.url for p in listings.pages}


def test_tags_index_counts_and_names():
    listings = build_listings(_site(7))
    tags = {t["slug"]: t for t in listings.by_src_uri["tags/index.md"].view["tags"]}
    assert tags["energy"]["count"] == 7 and tags["energy"]["name"] == "Energy"
    assert tags["energy"]["count_label"] == "7 articles"
    assert tags["trade"]["count"] == 3
    assert [t["name"] for t in listings.by_src_uri["tags/index.md"].view["tags"]] == [
        "Energy", "trade"]


def test_card_holds_what_the_listing_shows():
    catalog = catalog_of({"a.md": (meta(title="Russia & Japan", date="2024-01-01",
                                        tags=["C++"], source={
                                            "name": "The Asia Times",
                                            "url": "https://asiatimes.example.com/x"}),
                                   "Intro with *marks*.\n\n> Quote.\n")})
    card = build_listings(catalog).by_src_uri["index.md"].view["cards"][0]
    assert card["title"] == "Russia & Japan" and card["url"] == "2024/01/russia-japan/"
    assert card["excerpt"] == "Intro with marks."
    assert card["tags"] == [{"name": "C++", "slug": "c-plus-plus", "page": "tags/c-plus-plus/"}]
    assert card["authors"] == [{"name": "Alex Morgan", "page": "authors/alex/"}]
    assert card["source"]["read_at"] == "Read at The Asia Times"
    assert "Russia & Japan" in card["read_more_context"]
    assert card["status_label"] is None


def test_listing_strings_come_from_config():
    catalog = catalog_of({"a.md": meta()}, strings={"home_heading": "À la une",
                                                    "read_at": "Lire sur {source}"})
    view = build_listings(catalog).by_src_uri["index.md"].view
    assert view["heading"] == "À la une"


def test_empty_site_still_has_its_pages():
    listings = build_listings(catalog_of({}))
    assert {p.url for p in listings.pages} == {"", "archive/", "tags/", "authors/"}
    assert listings.by_src_uri["index.md"].view["cards"] == []


# -- a preview's listings, reused while nothing they show changed (ListingsCache) ----------

def preview_catalog(body_end: str = "", title: str = "Gas on the Pacific", **options):
    files = {
        "a.md": (meta(title=title, tags=["energy"]), "First paragraph.\n\n" + body_end),
        "b.md": meta(title="Ports", date="2024-06-03", tags=["energy", "trade"]),
    }
    return catalog_of(files, **options)


def test_a_preview_reuses_its_listings_when_only_an_article_s_later_text_changed():
    from broadsheet.listings import ListingsCache
    cache = ListingsCache()
    first = cache.build(preview_catalog("Later text."), include_held=True)
    second = cache.build(preview_catalog("Later text, edited."), include_held=True)
    assert second is first  # same objects: the adapter knows no listing page changed


@pytest.mark.parametrize("change", [
    {"title": "Gas on the Pacific, updated"},  # shown on every card
    {"per_page": 1},                           # the pages themselves
])
def test_a_preview_rebuilds_its_listings_when_what_they_show_changed(change):
    from broadsheet.listings import ListingsCache
    cache = ListingsCache()
    first = cache.build(preview_catalog(), include_held=True)
    title = change.get("title", "Gas on the Pacific")
    per_page = change.get("per_page", 10)
    second = cache.build(preview_catalog(title=title), per_page=per_page, include_held=True)
    assert second is not first
    assert second == build_listings(preview_catalog(title=title), per_page,
                                    include_held=True)


def test_a_preview_rebuilds_its_listings_when_an_excerpt_changed():
    from broadsheet.listings import ListingsCache
    cache = ListingsCache()
    first = cache.build(preview_catalog(), include_held=True)
    files = {"a.md": (meta(title="Gas on the Pacific", tags=["energy"]),
                      "A new first paragraph.\n"),
             "b.md": meta(title="Ports", date="2024-06-03", tags=["energy", "trade"])}
    second = cache.build(catalog_of(files), include_held=True)
    assert second is not first
    cards = [c["excerpt"] for page in second.pages for c in page.view.get("cards", [])]
    assert "A new first paragraph." in cards


def test_publishing_an_article_leaves_the_numbered_pages_behind_the_front_as_they_were():
    def views(count: int) -> dict[str, dict]:
        files = {f"a{i:03d}.md": meta(title=f"Story {i}", date=f"2024-{1 + i // 28:02d}-"
                                      f"{1 + i % 28:02d}", tags=["energy"]) for i in range(count)}
        listings = build_listings(catalog_of(files), per_page=3)
        return {p.url: p.view for p in listings.pages}
    before, after = views(60), views(61)  # the 61st is the newest
    numbered = [url for url in before if "page/" in url]
    assert len(numbered) > 30
    changed = sorted(url for url in numbered if after.get(url) != before[url])
    # Only the pages whose links reach the front page may change (none here: 61 articles
    # still make 19 full pages); counts and totals are on front pages only.
    assert changed == []
    assert before[""] != after[""] and before["tags/energy/"] != after["tags/energy/"]


def test_a_preview_adding_an_article_keeps_the_pages_it_does_not_change():
    from broadsheet.listings import ListingsCache

    def catalog(count: int, author_name: str = "Alex Morgan"):
        authors = yaml.safe_dump({"authors": {**AUTHORS, "alex": {"name": author_name}}})
        return build_catalog(
            [(f"articles/a{i:03d}.md", article_text(meta(
                title=f"Story {i}", date=f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}",
                tags=["energy"])).encode()) for i in range(count)],
            authors.encode(), settings())

    cache = ListingsCache()
    first = cache.build(catalog(60), per_page=3, include_held=True)
    second = cache.build(catalog(61), per_page=3, include_held=True)
    # Equal to listings made from nothing…
    assert second == build_listings(catalog(61), per_page=3, include_held=True)
    # …and the pages a new article leaves alone are the previous objects (no re-signing).
    old = first.by_src_uri
    kept = {p.url for p in second.pages if old.get(p.src_uri) is p}
    assert {f"page/{n}/" for n in range(1, 18)} <= kept  # all but those near the front
    assert "archive/2024/01/" in kept  # a month the new article is not in
    assert second.by_src_uri["index.md"] is not old["index.md"]
    # A renamed author is on every card: no page of cards is kept.
    third = cache.build(catalog(61, "Alex R. Rivera"), per_page=3, include_held=True)
    assert third == build_listings(catalog(61, "Alex R. Rivera"), per_page=3, include_held=True)
    assert not any(second.by_src_uri.get(p.src_uri) is p for p in third.pages
                   if p.view.get("cards"))
    assert third.pages[0].view["cards"][0]["authors"][0]["name"] == "Alex R. Rivera"
