"""feeds (and sitemap helpers): RSS 2.0, Atom 1.0 and JSON Feed 1.1 from plain data.

Catalogs are built from front matter through the real validation; hostile text that
validation refuses (control characters in titles) is fed to the renderer as Article values
directly, because the renderer must stay well-formed whatever it is given.
"""

from __future__ import annotations

import email.utils
import gzip
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html import escape
from zoneinfo import ZoneInfo

import pytest
import yaml

from broadsheet import feeds, sitemap, summary
from broadsheet.catalog import build_catalog
from broadsheet.model import Article, Source
from broadsheet.settings import Settings, SettingsError, settings_from_options
from broadsheet.strings import resolve_strings
from feedkit import check_json_feed, check_xml_feed, json_feed_validator
from sitekit import AUTHORS, article_text, meta

NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)
SITE = "https://news.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "Fish & <chips> ]]> </script><script>alert(1)</script> \"q\" 'a'"


def settings(**changes) -> Settings:
    values = dict(site_name="Test & <Site>", site_url=SITE, now=NOW,
                  timezone=ZoneInfo("Europe/London"), strings=resolve_strings(None))
    values.update(changes)
    return Settings(**values)


def catalog_of(articles: dict[str, dict], **setting_changes):
    files = [(path, article_text(front).encode()) for path, front in articles.items()]
    authors = yaml.safe_dump({"authors": AUTHORS}).encode()
    catalog = build_catalog(files, authors, settings(**setting_changes))
    assert catalog.problems == (), catalog.problems
    return catalog


def render(catalog, spec, html: dict[str, str] | None = None) -> bytes:
    entries = [feeds.article_entry(a, catalog, (html or {}).get(a.path, "<p>Body.</p>"),
                                   feeds.absolute_url_from(SITE, a.url))
               for a in spec.articles]
    return feeds.render_feed(spec, entries, catalog.settings, "en")


def spec_for(specs, path):
    return next(s for s in specs if s.path == path)


SAMPLE = {
    "articles/old.md": meta(title="Old", date="2024-01-10", tags=["Energy", "Russia"]),
    "articles/new.md": meta(title="New", date="2024-03-01 09:30", updated="2024-03-05",
                            author=None, authors=["alex", "priya"], tags=["energy", "C++"]),
    "articles/mid.md": meta(title="Mid", date="2024-02-01", author="priya", tags=["C#"]),
    "articles/draft.md": meta(title="Secret draft", date="2024-02-15", draft=True,
                              tags=["energy"]),
    "articles/later.md": meta(title="Scheduled piece", date="2027-01-01", tags=["energy"]),
}


# -- which feeds exist ------------------------------------------------------------------------

def test_site_feeds_hold_the_newest_published_articles_up_to_the_size():
    catalog = catalog_of(SAMPLE)
    specs = feeds.plan_feeds(catalog, size=2, site_description="About us")
    site_specs = [s for s in specs if s.home_path == ""]
    assert [(s.path, s.format) for s in site_specs] == [
        ("feed.xml", "rss"), ("atom.xml", "atom"), ("feed.json", "json")]
    for spec in site_specs:
        assert [a.title for a in spec.articles] == ["New", "Mid"]
        assert spec.description == "About us"
    all_titles = {a.title for s in specs for a in s.articles}
    assert "Secret draft" not in all_titles and "Scheduled piece" not in all_titles


def test_tag_feeds_group_spellings_by_slug_and_keep_cpp_apart_from_csharp():
    specs = feeds.plan_feeds(catalog_of(SAMPLE), size=20)
    tag_specs = {s.path: s for s in specs if s.home_path.startswith("tags/")}
    assert set(tag_specs) == {"tags/energy/feed.xml", "tags/russia/feed.xml",
                              "tags/c-plus-plus/feed.xml", "tags/c-sharp/feed.xml"}
    energy = tag_specs["tags/energy/feed.xml"]
    assert [a.title for a in energy.articles] == ["New", "Old"]   # no draft, no scheduled
    assert energy.home_path == "tags/energy/"
    assert "Energy" in energy.title or "energy" in energy.title
    assert [a.title for a in tag_specs["tags/c-sharp/feed.xml"].articles] == ["Mid"]
    assert feeds.tag_feed_path("C++") == "tags/c-plus-plus/feed.xml"


def test_author_feeds_list_each_authors_articles():
    specs = feeds.plan_feeds(catalog_of(SAMPLE), size=20)
    alex = spec_for(specs, "authors/alex/feed.xml")
    priya = spec_for(specs, "authors/priya/feed.xml")
    assert [a.title for a in alex.articles] == ["New", "Old"]
    assert [a.title for a in priya.articles] == ["New", "Mid"]
    assert "Priya Raman" in priya.title
    assert priya.description == AUTHORS["priya"]["description"]
    assert feeds.author_feed_path("alex") == "authors/alex/feed.xml"


def test_an_author_without_published_articles_gets_no_feed():
    catalog = catalog_of({"articles/a.md": meta(title="A", author="alex"),
                          "articles/d.md": meta(title="D", author="priya", draft=True)})
    paths = {s.path for s in feeds.plan_feeds(catalog, 20)}
    assert "authors/alex/feed.xml" in paths and "authors/priya/feed.xml" not in paths


def test_feed_titles_come_from_overridable_strings_and_bad_placeholders_are_explained():
    strings = resolve_strings({"feed_title_tag": "{tag} sur {site}"})
    specs = feeds.plan_feeds(catalog_of(SAMPLE, strings=strings), 20)
    assert spec_for(specs, "tags/russia/feed.xml").title == "Russia sur Test & <Site>"
    with pytest.raises(SettingsError, match=r"strings.feed_title_author.*\{site\}, \{author\}"):
        resolve_strings({"feed_title_author": "{name}"})


def test_feed_links_give_site_feeds_everywhere_and_a_listings_own_feeds():
    specs = feeds.plan_feeds(catalog_of(SAMPLE), 20)
    site_links = feeds.feed_links(specs)
    assert [(link["url"], link["type"]) for link in site_links] == [
        ("feed.xml", "application/rss+xml"), ("atom.xml", "application/atom+xml"),
        ("feed.json", "application/feed+json")]
    assert site_links[0]["title"] == "Test & <Site> (RSS)"   # raw: the template escapes it
    assert [link["url"] for link in feeds.feed_links(specs, "tags/energy/")] == [
        "tags/energy/feed.xml"]


# -- entries ----------------------------------------------------------------------------------

def test_entry_has_absolute_urls_summary_authors_tags_and_source():
    catalog = catalog_of({"articles/s.md": meta(
        title="Sourced", date="2024-05-02 10:00", author=None, authors=["alex", "priya"],
        tags=["Trade"],
        excerpt="The short version.", image="images/cover.jpg", image_alt="A cover",
        source={"name": "The Daily <Paper>", "url": "https://paper.example.com/a?x=1&y=2"})})
    article = catalog.published[0]
    html = ('<p>See <a href="../other/">this</a> and <img alt="x" src="pic.png"></p>'
            '<p><a href="https://elsewhere.example.net/">out</a> <a href="#top">top</a></p>')
    page_url = feeds.absolute_url_from(SITE, article.url)
    entry = feeds.article_entry(article, catalog, html, page_url)
    assert entry.id == entry.url == SITE + article.url
    assert entry.atom_id == f"tag:news.example.org,2024-05-02:/{article.slug}"
    assert f'href="{feeds.absolute_url_from(page_url, "../other/")}"' in entry.content_html
    assert f'src="{page_url}pic.png"' in entry.content_html
    assert 'href="https://elsewhere.example.net/"' in entry.content_html
    assert f'href="{page_url}#top"' in entry.content_html
    assert 'href="https://paper.example.com/a?x=1&amp;y=2"' in entry.content_html
    assert entry.summary == "The short version."
    assert [a["name"] for a in entry.authors] == ["Alex Morgan", "Priya Raman"]
    assert entry.authors[0]["url"] == SITE + "authors/alex/"
    assert entry.tags == ("Trade",)
    assert entry.image == SITE + "images/cover.jpg"
    assert entry.external_url == "https://paper.example.com/a?x=1&y=2"
    assert entry.external_title == "The Daily <Paper>"


def test_summary_is_the_listing_cards_text():
    catalog = catalog_of({
        "articles/e.md": meta(title="E", excerpt="The *short* version.", description="No."),
        "articles/p.md": meta(title="P", date="2024-06-24", description="Not this."),
        "articles/m.md": meta(title="M", date="2024-06-23")})
    bodies = {"E": "Body.", "P": "![pic](x.png)\n\nFirst *real* &amp; paragraph.\n\nNo.",
              "M": "Above the fold.\n\nStill above.\n\n<!-- more -->\n\nBelow."}
    html = "<p>Rendered body.</p>"
    summaries = {}
    for article in catalog.published:
        article = replace(article, body=bodies[article.title])
        summaries[article.title] = feeds.article_entry(article, catalog, html, SITE).summary
        assert summaries[article.title] == summary.card_excerpt(article)
    assert summaries == {"E": "The short version.", "P": "First real & paragraph.",
                         "M": "Above the fold. Still above."}


@pytest.mark.parametrize("html, expected", [
    ('<a href="x/">', '<a href="https://s.example/a/b/x/">'),
    ("<a href='/root'>", '<a href="https://s.example/root">'),
    ('<a href=../up>', '<a href="https://s.example/a/up">'),
    ('<img src="p.png" srcset="p.png 1x, /p2.png 2x">',
     '<img src="https://s.example/a/b/p.png" '
     'srcset="https://s.example/a/b/p.png 1x, https://s.example/p2.png 2x">'),
    ('<a title="not href=x" href="y">', '<a title="not href=x" href="https://s.example/a/b/y">'),
    ('<a title="a > b" href="y">', '<a title="a > b" href="https://s.example/a/b/y">'),
    ('<a href="mailto:e@example.org">', '<a href="mailto:e@example.org">'),
    ('<code>&lt;a href="x"&gt;</code>', '<code>&lt;a href="x"&gt;</code>'),
    ('<a href="?q=1&amp;r=2">', '<a href="https://s.example/a/b/?q=1&amp;r=2">'),
    ('<br/><input disabled>', '<br/><input disabled>'),
])
def test_absolutize_urls(html, expected):
    assert feeds.absolutize_urls(html, "https://s.example/a/b/") == expected


def test_tag_uri_keeps_the_sites_path_and_the_written_date():
    article = Article(path="a.md", title="T", authors=("alex",), slug="my-slug", url="x/",
                      date=datetime(2024, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=9))))
    assert feeds.tag_uri("https://example.org/blog/", article) == \
        "tag:example.org,2024-01-01:/blog/my-slug"
    assert feeds.tag_uri("https://example.org", article) == "tag:example.org,2024-01-01:/my-slug"


# -- rendering --------------------------------------------------------------------------------

def test_rss_is_valid_with_rfc822_dates_and_feed_date_from_the_newest_article():
    catalog = catalog_of(SAMPLE)
    spec = spec_for(feeds.plan_feeds(catalog, 20), "feed.xml")
    root, parsed = check_xml_feed(render(catalog, spec))
    assert parsed.version == "rss20"
    channel = root.find("channel")
    new = catalog.by_path["articles/new.md"]
    # The feed's date is the newest change among its articles, never the build time.
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == new.updated
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["New", "Mid", "Old"]
    first = items[0]
    assert email.utils.parsedate_to_datetime(first.findtext("pubDate")) == new.date
    assert first.findtext("guid") == SITE + new.url
    assert first.find("guid").get("isPermaLink") == "true"
    assert [c.text for c in first.findall("category")] == ["energy", "C++"]
    assert [c.text for c in first.findall("{http://purl.org/dc/elements/1.1/}creator")] == [
        "Alex Morgan", "Priya Raman"]
    assert first.findtext("{http://purl.org/rss/1.0/modules/content/}encoded") == "<p>Body.</p>"
    self_link = channel.find(f"{ATOM}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == SITE + "feed.xml"
    assert parsed.entries[0].tags[0].term == "energy"


def test_atom_is_valid_with_rfc3339_dates_tag_ids_and_related_source_link():
    catalog = catalog_of({
        "articles/s.md": meta(title="Sourced", date="2024-05-02 10:00", updated="2024-05-03",
                              source={"name": "Paper", "url": "https://paper.example.com/a"}),
        "articles/o.md": meta(title="Own", date="2024-04-01")})
    spec = spec_for(feeds.plan_feeds(catalog, 20), "atom.xml")
    root, parsed = check_xml_feed(render(catalog, spec))
    assert parsed.version == "atom10"
    assert root.findtext(f"{ATOM}updated") == "2024-05-03T00:00:00+01:00"
    assert root.findtext(f"{ATOM}id") == SITE + "atom.xml"
    sourced, own = root.findall(f"{ATOM}entry")
    assert sourced.findtext(f"{ATOM}id").startswith("tag:news.example.org,2024-05-02:/")
    assert sourced.findtext(f"{ATOM}published") == "2024-05-02T10:00:00+01:00"
    assert sourced.findtext(f"{ATOM}updated") == "2024-05-03T00:00:00+01:00"
    links = {link.get("rel"): link for link in sourced.findall(f"{ATOM}link")}
    assert links["related"].get("href") == "https://paper.example.com/a"
    assert links["related"].get("title") == "Paper"
    assert "related" not in {link.get("rel") for link in own.findall(f"{ATOM}link")}
    assert own.findtext(f"{ATOM}updated") == own.findtext(f"{ATOM}published")
    assert parsed.entries[0].author_detail.name == "Alex Morgan"


def test_json_feed_validates_against_the_schema_and_points_at_the_source():
    catalog = catalog_of({
        "articles/s.md": meta(title="Sourced", tags=["a", "b"],
                              source={"name": "Paper", "url": "https://paper.example.com/a"}),
        "articles/o.md": meta(title="Own", date="2024-04-01", excerpt="Short.")})
    spec = spec_for(feeds.plan_feeds(catalog, 20), "feed.json")
    document = check_json_feed(render(catalog, spec))
    sourced, own = document["items"]
    assert sourced["external_url"] == "https://paper.example.com/a"
    assert "external_url" not in own
    assert own["summary"] == "Short."
    assert sourced["tags"] == ["a", "b"]
    assert sourced["date_published"] == "2024-06-25T00:00:00+01:00"
    assert document["feed_url"] == SITE + "feed.json"
    assert document["language"] == "en"


def test_the_schema_can_fail():
    """The fixture must reject what the spec forbids, or the validation above proves nothing."""
    validator = json_feed_validator()
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "T",
            "items": [{"id": "1", "content_html": "<p>x</p>",
                       "date_published": "2024-01-01T00:00:00Z"}]}
    assert validator.is_valid(good)
    bad = [
        {k: v for k, v in good.items() if k != "items"},
        {**good, "items": [{"id": "1"}]},                                     # no content
        {**good, "items": [{**good["items"][0], "date_published": "1 Jan 2024"}]},
        {**good, "items": [{**good["items"][0], "url": "/relative/"}]},
        {**good, "authors": [{}]},
        {**good, "titel": "typo"},
    ]
    for document in bad:
        assert not validator.is_valid(document), document


def test_hostile_text_stays_well_formed_in_every_format():
    bad = HOSTILE + "\x00\x08\x0b\x1b\ufffe\ud800 end"
    article = Article(
        path="articles/x.md", title=bad, date=datetime(2024, 1, 1, tzinfo=timezone.utc),
        authors=("alex",), slug="x", url="2024/01/x/", tags=(bad, "]]>", "</script>"),
        excerpt=bad, source=Source(name=bad, url="https://e.example/?a=1&b=<2>"))
    catalog = catalog_of({"articles/ok.md": meta(title="OK")})
    catalog = replace(catalog, articles=(article,))
    html = f"<p>{bad}</p><![CDATA[ x ]]> <script>alert('</script>')</script>"
    for spec in feeds.plan_feeds(catalog, 20):
        data = render(catalog, spec, {article.path: html})
        data.decode("utf-8")   # encodable: no lone surrogate slipped through
        if spec.format == "json":
            document = check_json_feed(data)
            item = document["items"][0]
            assert item["title"] == HOSTILE + " end"
            assert "]]>" in item["tags"]
        else:
            root, parsed = check_xml_feed(data)
            assert parsed.entries[0].title == HOSTILE + " end"
            assert "\x1b" not in data.decode() and "\x00" not in data.decode()
    rss = render(catalog, spec_for(feeds.plan_feeds(catalog, 20), "feed.xml"),
                 {article.path: html})
    item = ET.fromstring(rss).find("channel/item")
    assert [c.text for c in item.findall("category")] == [HOSTILE + " end", "]]>", "</script>"]
    # The RSS description is HTML: the plain-text summary arrives there escaped.
    description = item.findtext("description")
    assert description == feeds.xml_safe(escape(summary.card_excerpt(article), quote=False))
    assert description.startswith("Fish &amp; ") and "]]&gt;" in description


def test_rendering_is_deterministic_and_independent_of_the_clock():
    catalog = catalog_of(SAMPLE)
    later = replace(catalog, settings=replace(catalog.settings, now=NOW + timedelta(days=3)))
    for spec in feeds.plan_feeds(catalog, 20):
        later_spec = spec_for(feeds.plan_feeds(later, 20), spec.path)
        assert render(catalog, spec) == render(catalog, spec) == render(later, later_spec)


def test_one_renderer_for_many_feeds_gives_the_same_bytes_as_fresh_ones():
    catalog = catalog_of(SAMPLE)
    specs = feeds.plan_feeds(catalog, 20)
    renderer = feeds.FeedRenderer(catalog.settings, "en")
    for spec in specs:   # the same entries recur in site, tag and author feeds
        entries = [feeds.article_entry(a, catalog, f"<p>{a.title}</p>", SITE + a.url)
                   for a in spec.articles]
        shared = renderer.render(spec, entries)
        assert shared == feeds.render_feed(spec, entries, catalog.settings, "en"), spec.path
        if spec.format != "json":
            assert [e.title for e in check_xml_feed(shared)[1].entries] == [
                a.title for a in spec.articles]


def test_a_feed_without_articles_is_still_valid():
    catalog = catalog_of({"articles/d.md": meta(title="D", draft=True)})
    for spec in feeds.plan_feeds(catalog, 20):
        data = feeds.render_feed(spec, [], catalog.settings)
        if spec.format == "json":
            assert check_json_feed(data)["items"] == []
        else:
            check_xml_feed(data)


# -- settings ---------------------------------------------------------------------------------

def test_feed_size_setting():
    assert settings_from_options({}, "S", SITE).feed_size == feeds.DEFAULT_FEED_SIZE
    assert settings_from_options({"feed_size": 5}, "S", SITE).feed_size == 5
    for bad in (0, -1, "ten", True, 2.5):
        with pytest.raises(SettingsError, match="feed_size"):
            settings_from_options({"feed_size": bad}, "S", SITE)


# -- sitemap helpers --------------------------------------------------------------------------

def test_listing_dates_are_their_newest_articles():
    catalog = catalog_of(SAMPLE)
    lastmods = sitemap.listing_lastmods(catalog.published)
    new = catalog.by_path["articles/new.md"]
    mid = catalog.by_path["articles/mid.md"]
    assert lastmods[""] == new.updated
    assert lastmods["tags/energy/"] == new.updated
    assert lastmods["tags/c-sharp/"] == mid.date
    assert lastmods["authors/priya/"] == new.updated
    for url in ("tags/energy/", "tags/energy/index.html", "tags/energy.html",
                "tags/energy/page/2/"):
        assert sitemap.listing_lastmod(url, lastmods) == new.updated, url
    old = catalog.by_path["articles/old.md"]
    expected = {"./": new.updated, "index.html": new.updated, "page/2/": new.updated,
                "archive/": new.updated, "archive/2024/": new.updated,
                "archive/2024/01/": old.date, "archive/2024/02/page/3/": mid.date,
                "tags/": new.updated, "authors/": new.updated,
                "about/": None, "tags/unknown/": None, "archive/2023/": None,
                "2024/03/new/": None}
    assert {url: sitemap.listing_lastmod(url, lastmods) for url in expected} == expected
    assert sitemap.w3c_datetime(new.date) == "2024-03-01T09:30:00+00:00"


def test_robots_txt_points_at_the_sitemap():
    text = sitemap.robots_txt(SITE + "sitemap.xml")
    assert "User-agent: *" in text and f"Sitemap: {SITE}sitemap.xml" in text.splitlines()
    assert "Sitemap" not in sitemap.robots_txt(None)


def test_reproducible_gzip_has_no_timestamp():
    data = b"<urlset/>" * 100
    packed = sitemap.reproducible_gzip(data)
    assert packed == sitemap.reproducible_gzip(data)
    assert gzip.decompress(packed) == data
    assert packed[4:8] == b"\0\0\0\0"   # MTIME field of the gzip header
