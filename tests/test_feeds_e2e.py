"""Feeds, sitemap and robots.txt in real `mkdocs build --strict` runs.

One small site with hostile front matter, relative links, drafts and scheduled articles is
built once; its feeds are checked strictly (ElementTree, feedparser, the JSON Feed schema).
The repo's sample site is built twice, on different days by MkDocs' clock, to show that
feeds and sitemaps come out byte for byte the same.
"""

from __future__ import annotations

import email.utils
import gzip
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from feedkit import check_feed, check_json_feed, check_xml_feed
from sitekit import Site, copy_sample_site, env, make_site, meta, parse_html

pytestmark = pytest.mark.slow

SITE = "https://news.example.org/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE_TITLE = 'Fish & <chips> ]]> </script><script>alert(1)</script> "quoted"'
HOSTILE_TAG = "C++ & <b>]]>"
HOSTILE_SOURCE = "The <Daily> & ]]> </script> Times"
FEED_NAMES = ("feed.xml", "atom.xml", "feed.json")

ARTICLES = {
    "hostile.md": meta(
        title=HOSTILE_TITLE, date="2024-06-25 10:00", updated="2024-06-27",
        author=None, authors=["alex", "priya"], tags=[HOSTILE_TAG, "Energy"],
        excerpt="Excerpt & ]]> brackets, 1 < 2.",
        source={"name": HOSTILE_SOURCE, "url": "https://paper.example.com/story?a=1&b=2",
                "title": "A <story>"}),
    "plain.md": meta(title="Plain article", date="2024-06-20", tags=["energy", "Trade"]),
    "older.md": meta(title="Older article", date="2024-05-01", tags=["Trade"]),
    "draft.md": meta(title="DRAFTMARKER piece", date="2024-06-01", draft=True,
                     author="priya", tags=["energy", "drafttag"]),
    "scheduled.md": meta(title="SCHEDULEDMARKER piece", date="2027-03-01", author="priya",
                         tags=["energy", "scheduledtag"]),
}
# Markdown links relative to docs/articles/hostile.md; control characters in the body, which
# validation does not police (it is the editor's text) but XML cannot carry.
HOSTILE_BODY = ("Intro with a [relative link](plain.md), an image "
                "![a picture](../assets/pic.png) and a [fragment](#notes).\x1b\x0c\n\n"
                "> Quoted from the source, with \x07 a bell.\n\n"
                "## Notes {#notes}\n\nEnd.\n")


def build(root: Path, site_dir: Path, **extra_env: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--clean", "--strict", "--config-file",
         str(root / "mkdocs.yml"), "--site-dir", str(site_dir)],
        cwd=root, env=env(**extra_env), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("feeds"), articles=ARTICLES,
                     plugin_options={"timezone": "Europe/London"})
    site.article("hostile.md", ARTICLES["hostile.md"], HOSTILE_BODY)
    site.write("assets/pic.png", b"\x89PNG\r\n\x1a\n")
    build(site.root, site.site_dir)
    return site


def read(site, path: str) -> bytes:
    return (site.site_dir / path).read_bytes()


def all_feeds(site) -> dict[str, bytes]:
    return {p.relative_to(site.site_dir).as_posix(): p.read_bytes()
            for p in sorted(site.site_dir.rglob("*"))
            if p.name in FEED_NAMES and p.is_file()}


def test_every_feed_parses_strictly_and_validates(hostile):
    found = all_feeds(hostile)
    assert {"feed.xml", "atom.xml", "feed.json"} <= set(found)
    for path, data in found.items():
        check_feed(path, data)


def test_no_draft_or_scheduled_article_reaches_any_feed_or_the_sitemap(hostile):
    texts = {path: data.decode() for path, data in all_feeds(hostile).items()}
    texts["sitemap.xml"] = read(hostile, "sitemap.xml").decode()
    for path, text in texts.items():
        for marker in ("DRAFTMARKER", "SCHEDULEDMARKER", "draftmarker", "scheduledmarker",
                       "drafttag", "scheduledtag"):
            assert marker not in text, f"{marker} in {path}"
    paths = set(all_feeds(hostile))
    assert not any("drafttag" in p or "scheduledtag" in p for p in paths)


def test_hostile_front_matter_round_trips_through_every_format(hostile):
    rss_root, rss = check_xml_feed(read(hostile, "feed.xml"))
    atom_root, atom = check_xml_feed(read(hostile, "atom.xml"))
    document = check_json_feed(read(hostile, "feed.json"))
    assert rss.entries[0].title == atom.entries[0].title == document["items"][0]["title"] \
        == HOSTILE_TITLE
    item = rss_root.find("channel/item")
    assert HOSTILE_TAG in [c.text for c in item.findall("category")]
    assert HOSTILE_TAG in document["items"][0]["tags"]
    related = [link for link in atom.entries[0].links if link.rel == "related"]
    assert related[0].href == "https://paper.example.com/story?a=1&b=2"
    assert related[0].title == HOSTILE_SOURCE
    assert document["items"][0]["external_url"] == "https://paper.example.com/story?a=1&b=2"
    assert document["items"][0]["summary"] == "Excerpt & ]]> brackets, 1 < 2."
    for name in FEED_NAMES:
        text = read(hostile, name).decode()
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text), name


def test_content_is_full_html_with_absolute_urls(hostile):
    document = check_json_feed(read(hostile, "feed.json"))
    items = {item["title"]: item for item in document["items"]}
    html = items[HOSTILE_TITLE]["content_html"]
    page = items[HOSTILE_TITLE]["url"]
    assert page.startswith(SITE)
    hrefs = re.findall(r'(?:href|src)="([^"]+)"', html)
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    assert items["Plain article"]["url"] in hrefs          # the link to plain.md
    assert SITE + "assets/pic.png" in hrefs                 # the image, from ../assets/
    assert page + "#notes" in hrefs                        # the fragment, on its own page
    assert "Quoted from the source" in html                # the whole body, not a teaser
    assert "https://paper.example.com/story?a=1&amp;b=2" in html   # "Continue…" link


def test_entry_dates_authors_and_ids(hostile):
    rss_root, _ = check_xml_feed(read(hostile, "feed.xml"))
    channel = rss_root.find("channel")
    first = channel.find("item")
    assert email.utils.parsedate_to_datetime(first.findtext("pubDate")) == \
        datetime.fromisoformat("2024-06-25T10:00:00+01:00")
    # The feed's date is its newest article's update, not the build's.
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")) == \
        datetime.fromisoformat("2024-06-27T00:00:00+01:00")
    creators = [c.text for c in first.findall("{http://purl.org/dc/elements/1.1/}creator")]
    assert creators == ["Alex Morgan", "Priya Raman"]
    _, atom = check_xml_feed(read(hostile, "atom.xml"))
    assert atom.entries[0].id.startswith("tag:news.example.org,2024-06-25:/")
    assert atom.entries[0].published == "2024-06-25T10:00:00+01:00"
    assert atom.entries[0].updated == "2024-06-27T00:00:00+01:00"
    document = check_json_feed(read(hostile, "feed.json"))
    assert [a["name"] for a in document["items"][0]["authors"]] == ["Alex Morgan", "Priya Raman"]
    assert document["items"][0]["id"] == document["items"][0]["url"]


def titles(data: bytes) -> list[str]:
    return [entry.title for entry in check_xml_feed(data)[1].entries]


def test_tag_and_author_feeds_hold_their_own_articles(hostile):
    assert titles(read(hostile, "tags/energy/feed.xml")) == [HOSTILE_TITLE, "Plain article"]
    assert titles(read(hostile, "tags/trade/feed.xml")) == ["Plain article", "Older article"]
    assert titles(read(hostile, "tags/c-plus-plus-and-b/feed.xml")) == [HOSTILE_TITLE]
    assert titles(read(hostile, "authors/alex/feed.xml")) == [
        HOSTILE_TITLE, "Plain article", "Older article"]
    # Priya's other articles are a draft and a scheduled one.
    assert titles(read(hostile, "authors/priya/feed.xml")) == [HOSTILE_TITLE]


def test_every_page_links_the_site_feeds_and_listings_their_own(hostile):
    pages = {"home": "index.html", "article": None, "tag": "tags/energy/index.html",
             "404": "404.html"}
    document = check_json_feed(read(hostile, "feed.json"))
    pages["article"] = document["items"][1]["url"][len(SITE):] + "index.html"
    for kind, path in pages.items():
        head = parse_html(read(hostile, path).decode())
        links = [link.attrs for link in head.find_all("link", rel="alternate")
                 if link.attrs.get("type")]
        types = [link["type"] for link in links]
        assert types[:3] == ["application/rss+xml", "application/atom+xml",
                             "application/feed+json"], kind
        assert all(link["title"].startswith("Test Broadsheet") for link in links), kind
        hrefs = [link["href"] for link in links]
        assert hrefs[0].endswith("feed.xml") and hrefs[1].endswith("atom.xml"), kind
        assert len(links) == 3, kind
        if kind == "tag":
            # Its own feed is a visible link (see _add_listing_feed_links for why not <link>).
            own = head.find("p", cls="bs-listing__feeds").find("a")
            assert own.attrs["href"] == "feed.xml"
            assert own.attrs["type"] == "application/rss+xml"


def test_sitemap_dates_come_from_articles_not_the_build(hostile):
    root = ET.fromstring(read(hostile, "sitemap.xml"))
    lastmod = {url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
               for url in root.findall(f"{SITEMAP_NS}url")}
    document = check_json_feed(read(hostile, "feed.json"))
    by_title = {item["title"]: item for item in document["items"]}
    assert lastmod[by_title[HOSTILE_TITLE]["url"]] == "2024-06-27T00:00:00+01:00"
    assert lastmod[by_title["Plain article"]["url"]] == "2024-06-20T00:00:00+01:00"
    assert lastmod[SITE] == "2024-06-27T00:00:00+01:00"            # home: newest change
    assert lastmod[SITE + "tags/trade/"] == "2024-06-20T00:00:00+01:00"    # a listing
    today = datetime.now().date().isoformat()
    assert all(value is None or not value.startswith(today) for value in lastmod.values())
    # The compressed copy is the same sitemap, with no timestamp in its header.
    packed = read(hostile, "sitemap.xml.gz")
    assert gzip.decompress(packed) == read(hostile, "sitemap.xml")
    assert packed[4:8] == b"\0\0\0\0"


def test_robots_txt_points_at_the_sitemap(hostile):
    text = read(hostile, "robots.txt").decode()
    assert "User-agent: *" in text
    assert f"Sitemap: {SITE}sitemap.xml" in text.splitlines()


def test_feed_size_limits_every_feed(tmp_path):
    site = make_site(tmp_path / "sized", articles={
        f"a{n}.md": meta(title=f"Article {n}", date=f"2024-06-{10 + n}", tags=["t"])
        for n in range(4)}, plugin_options={"feed_size": 2})
    build(site.root, site.site_dir)
    for path, data in all_feeds(site).items():
        if path.endswith(".json"):
            assert [i["title"] for i in check_json_feed(data)["items"]] == [
                "Article 3", "Article 2"]
        else:
            assert titles(data) == ["Article 3", "Article 2"], path


def test_the_sites_own_robots_txt_wins_and_no_site_url_means_no_feeds(tmp_path):
    site = make_site(tmp_path / "own", articles={"a.md": meta(title="A")})
    site.config.write_text(site.config.read_text().replace(f"site_url: {SITE}\n", ""))
    site.write("robots.txt", "User-agent: *\nDisallow: /private/\n")
    build(site.root, site.site_dir)
    assert read(site, "robots.txt") == b"User-agent: *\nDisallow: /private/\n"
    assert not all_feeds(site)
    assert not re.search(r'rel="\s*alternate" type="application/rss\+xml"',
                         read(site, "index.html").decode())


def test_two_builds_give_byte_identical_feeds_and_sitemaps(tmp_path):
    # One snapshot of the repo's sample, copied twice: both builds see the same input even
    # while the repo's files are being edited.
    original = copy_sample_site(tmp_path / "original").root
    outputs = []
    for n, epoch in enumerate(("1600000000", "1700000000")):
        site = Site(tmp_path / f"project{n}")
        shutil.copytree(original, site.root)
        build(site.root, site.site_dir, SOURCE_DATE_EPOCH=epoch)
        files = all_feeds(site)
        for name in ("sitemap.xml", "sitemap.xml.gz", "robots.txt"):
            files[name] = read(site, name)
        outputs.append(files)
    first, second = outputs
    assert first.keys() == second.keys() and "feed.xml" in first
    assert [p for p in first if first[p] != second[p]] == []
    for path, data in first.items():
        if path in FEED_NAMES or path.endswith(FEED_NAMES):
            check_feed(path, data)
