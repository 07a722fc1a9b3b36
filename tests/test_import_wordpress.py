"""`broadsheet import wordpress`: a hand-written WordPress export (tests/fixtures/wordpress/)
becomes articles that pass `broadsheet check` and build with `--strict`; a second run writes
nothing; nothing an editor changed is overwritten without --force; hostile input stays text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.importers import ImportFailure
from broadsheet.importers.wp_content import autop, convert
from broadsheet.importers.writer import merged_authors_text
from broadsheet.importers.wxr import read_export
from broadsheet.problems import ProblemList
from broadsheet.reader import read_document
from sitekit import AUTHORS, make_site, parse_html

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress" / "export.xml"
IMPORTED = {  # path below docs/ -> (title, status) for the fixture's importable posts
    "articles/2014/cafe-society.md": ("Café society: é and the new trade routes", "published"),
    "articles/2014/rossiia-i-iaponiia.md": ("Россия и Япония", "published"),
    "articles/2014/japan-economy.md": ("日本の経済 🚀 Japan's economy takes off", "published"),
    "articles/2026/draft-thoughts-on-shipping.md": ("Draft thoughts on shipping", "draft"),
    "articles/2026/port-fees.md": ("Pending review: port fees", "draft"),
    "articles/2027/energy-outlook-2027.md": ("Energy outlook for 2027", "scheduled"),
    "articles/2014/script-title.md": ('</script><script>alert("title")</script>', "published"),
    "articles/2014/quotes.md": ("Quotes \"double\" & 'single': # not a comment", "published"),
}
# The markdown extensions of sitekit's sites, to render converted bodies the way a build does.
EXTENSIONS = ["attr_list", "md_in_html", "admonition"]




@pytest.fixture
def site(tmp_path):
    """A sitekit site (authors alex and priya) with the export copied next to it, since the
    importer writes import-images.txt beside the export."""
    site = make_site(tmp_path / "site")
    shutil.copy(FIXTURE, site.root / "export.xml")
    return site


def front(path: Path):
    problems = ProblemList(str(path))
    raw = read_document(str(path), path.read_bytes(), problems)
    assert list(problems) == []
    return raw


def article_files(site) -> set[str]:
    return {p.relative_to(site.docs).as_posix()
            for p in (site.docs / "articles").rglob("*.md")}


def test_import_writes_articles_that_check_and_build(site, run):
    status, out, err = run(site.root, "import", "wordpress", "export.xml")
    assert (status, err) == (0, "")
    assert article_files(site) == set(IMPORTED)
    for relative, (title, state) in IMPORTED.items():
        assert f"written: {relative} — " in out
        assert front(site.docs / relative).meta["title"] == title
        assert f"“{title[:60]}”, {state}" in out
    assert "Summary: 8 imported (8 written, 0 replaced, 0 unchanged, 0 left alone), " \
           "5 skipped." in out

    status, _, err = run(site.root, "check")
    assert status == 0, err
    assert err.strip() == "8 articles OK: 5 published, 2 draft, 1 scheduled"

    build = site.build()
    assert build.returncode == 0, build.stderr
    # Every title, hostile ones included, is the page's heading as text.
    for relative, (title, state) in IMPORTED.items():
        if state != "published":
            continue
        slug = Path(relative).stem
        [page] = site.site_dir.glob(f"2014/*/{slug}/index.html")
        html = page.read_text(encoding="utf-8")
        assert parse_html(html).find("h1").text() == title
        assert "<script>alert" not in html


def test_statuses_drafts_scheduled_and_skipped_items(site, run):
    _, out, _ = run(site.root, "import", "wordpress", "export.xml")
    assert front(site.docs / "articles/2026/draft-thoughts-on-shipping.md").meta["draft"] is True
    assert front(site.docs / "articles/2026/port-fees.md").meta["draft"] is True
    scheduled = front(site.docs / "articles/2027/energy-outlook-2027.md").meta
    assert scheduled["date"] == "2027-03-01 08:00" and "draft" not in scheduled
    assert "draft" not in front(site.docs / "articles/2014/cafe-society.md").meta
    skipped = out.split("Skipped (5):\n")[1].split("\nAuthors:")[0].splitlines()
    assert skipped == [
        "  post 107 “Private notes”: private (not public on WordPress)",
        "  post 108 “Deleted rant”: in the trash",
        "  page 201 “About us”: a page (use --pages import to import pages too)",
        "  not articles: 1 attachment, 1 navigation menu item",
    ]


def test_dates_use_gmt_or_the_site_timezone(tmp_path, run):
    site = make_site(tmp_path, plugin_options={"timezone": "Europe/London"})
    shutil.copy(FIXTURE, site.root / "export.xml")
    run(site.root, "import", "wordpress", "export.xml")
    # post_date_gmt 09:00 UTC is 10:00 in London in July...
    assert front(site.docs / "articles/2014/cafe-society.md").meta["date"] == "2014-07-02 10:00"
    # ...and a draft has no GMT date: its local post_date is read in the site's timezone.
    assert front(site.docs / "articles/2026/draft-thoughts-on-shipping.md").meta["date"] \
        == "2026-11-20 15:45"


def test_pages_are_imported_on_request(site, run):
    status, out, _ = run(site.root, "import", "wordpress", "export.xml", "--pages", "import")
    assert status == 0
    page = front(site.docs / "articles/2014/about.md")
    assert page.meta["title"] == "About us" and page.body.strip() == "We read the world's press."
    assert "page 201" not in out.split("Skipped")[1]


def test_tags_and_categories(site, run):
    run(site.root, "import", "wordpress", "export.xml")
    assert front(site.docs / "articles/2014/cafe-society.md").meta["tags"] == \
        ["Energy", "Trade & routes", "Geopolitics"]
    assert front(site.docs / "articles/2014/rossiia-i-iaponiia.md").meta["tags"] == \
        ["Россия", "日本", "Geopolitics"]
    # WordPress's default category says nothing about the article.
    assert "tags" not in front(site.docs / "articles/2014/japan-economy.md").meta


def test_categories_can_be_left_out(site, run):
    run(site.root, "import", "wordpress", "export.xml", "--categories", "skip")
    assert front(site.docs / "articles/2014/cafe-society.md").meta["tags"] == \
        ["Energy", "Trade & routes"]


def test_slugs_excerpt_and_provenance(site, run):
    run(site.root, "import", "wordpress", "export.xml")
    cafe = front(site.docs / "articles/2014/cafe-society.md")
    assert cafe.meta["slug"] == "cafe-society"
    assert cafe.meta["excerpt"] == "How the café owners of an old port saw the trade routes move."
    text = (site.docs / "articles/2014/cafe-society.md").read_text(encoding="utf-8")
    assert text.splitlines()[1] == ("# Imported from WordPress (post 101): "
                                    "https://oldblog.example.org/2014/07/02/cafe-society/")
    # A percent-encoded Cyrillic post_name is transliterated; a draft without one uses the title.
    assert front(site.docs / "articles/2014/rossiia-i-iaponiia.md").meta["slug"] == \
        "rossiia-i-iaponiia"
    assert front(site.docs / "articles/2026/draft-thoughts-on-shipping.md").meta["slug"] == \
        "draft-thoughts-on-shipping"


def test_authors_are_added_without_touching_existing_ones(site, run):
    before = (site.docs / "authors.yml").read_text(encoding="utf-8")
    _, out, _ = run(site.root, "import", "wordpress", "export.xml")
    after = (site.docs / "authors.yml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended: existing entries and layout untouched
    assert yaml.safe_load(after)["authors"] == {
        **AUTHORS, "jdoe": {"name": "Jane Doe"}, "ivan-petrov": {"name": "Иван Петров"}}
    assert front(site.docs / "articles/2014/rossiia-i-iaponiia.md").meta["author"] == \
        "ivan-petrov"
    # The export's 'alex' is the site's alex: kept as it is, not renamed.
    assert front(site.docs / "articles/2014/japan-economy.md").meta["author"] == "alex"
    assert "already in authors.yml, left as they are: alex" in out


def test_a_site_without_authors_file_gets_one(tmp_path, run):
    site = make_site(tmp_path, authors=None)
    shutil.copy(FIXTURE, site.root / "export.xml")
    status, out, _ = run(site.root, "import", "wordpress", "export.xml")
    assert status == 0
    authors = yaml.safe_load((site.docs / "authors.yml").read_text(encoding="utf-8"))
    assert authors["authors"]["alex"] == {"name": "Alex on WordPress"}
    assert "added to authors.yml: jdoe (Jane Doe), ivan-petrov (Иван Петров), alex (Alex on " \
           "WordPress)" in out
    assert run(site.root, "check")[0] == 0


def test_body_conversion(site, run):
    _, out, _ = run(site.root, "import", "wordpress", "export.xml")
    cafe = front(site.docs / "articles/2014/cafe-society.md").body
    assert "\n<!-- more -->\n" in cafe
    assert "> Traffic has doubled in two years.\n>\n> We are building a second quay." in cafe
    # [caption]: the picture (as a link: never loaded from the old site) and its caption.
    assert ("[Image: The harbour at dawn](https://oldblog.example.org/wp-content/uploads/2014/"
            "07/harbour.jpg)\n\nContainer ships wait outside the harbour.") in cafe
    # A site-relative link points at the old site rather than at a page that does not exist.
    assert "[noticed first](https://oldblog.example.org/2014/06/01/earlier-story/)" in cafe
    russia = front(site.docs / "articles/2014/rossiia-i-iaponiia.md").body
    assert "(https://www.youtube.com/watch?v=abc123_XY)" in russia   # [embed]
    assert "[https://vimeo.com/123456](https://vimeo.com/123456)" in russia  # bare oEmbed URL
    assert '<!-- import: [gallery ids="301,302" columns="2"] removed' in russia
    assert "Cooperation comes first." in russia and "[pullquote" not in russia.replace(
        "<!-- import: [pullquote", "")
    assert r"A note \[sic\] on sources \[1\]" in russia  # brackets that are not shortcodes
    economy = front(site.docs / "articles/2014/japan-economy.md").body
    assert "> The economy grew faster than forecast.\n>\n> — The Ministry" in economy
    assert "-   Imports steady\n    -   Energy down" in economy

    shortcodes = out.split("Shortcodes found:\n")[1].split("\nImages")[0]
    assert "articles/2014/cafe-society.md: [caption] → image and caption text" in shortcodes
    for found in ("[embed] → link", "[gallery] removed", "[pullquote] removed",
                  "[newsletter_signup] removed", "embed URL on its own line → link"):
        assert found in shortcodes
    images = ["https://oldblog.example.org/wp-content/uploads/2014/07/chart.png",
              "https://oldblog.example.org/wp-content/uploads/2014/07/harbour.jpg"]
    assert (site.root / "import-images.txt").read_text().splitlines() == images
    assert "\n".join(f"  {url}" for url in images) in out


def test_second_run_writes_nothing(site, run):
    run(site.root, "import", "wordpress", "export.xml")
    files = [p for p in site.root.rglob("*") if p.is_file()]
    stamps = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    status, out, _ = run(site.root, "import", "wordpress", "export.xml")
    assert status == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == stamps
    assert sorted(p for p in site.root.rglob("*") if p.is_file()) == sorted(files)
    assert "Summary: 8 imported (0 written, 0 replaced, 8 unchanged, 0 left alone), " \
           "5 skipped, nothing written." in out
    assert "added to authors.yml" not in out


def test_edited_files_are_kept_unless_forced(site, run):
    run(site.root, "import", "wordpress", "export.xml")
    edited = site.docs / "articles/2014/quotes.md"
    original = edited.read_bytes()
    edited.write_bytes(original + b"\nAn editor's addition.\n")
    status, out, _ = run(site.root, "import", "wordpress", "export.xml")
    assert status == 1
    assert "exists, differs (use --force): articles/2014/quotes.md" in out
    assert edited.read_bytes() == original + b"\nAn editor's addition.\n"

    status, out, _ = run(site.root, "import", "wordpress", "export.xml", "--force")
    assert status == 0
    assert "replaced (--force): articles/2014/quotes.md" in out
    assert "1 replaced, 7 unchanged" in out
    assert edited.read_bytes() == original


def test_slug_clash_with_an_existing_article_gets_a_suffix(tmp_path, run):
    site = make_site(tmp_path, articles={"2014/mine.md": {
        "title": "Mine", "date": "2014-07-20", "author": "alex", "slug": "cafe-society"}})
    shutil.copy(FIXTURE, site.root / "export.xml")
    status, out, _ = run(site.root, "import", "wordpress", "export.xml")
    assert status == 0
    assert front(site.docs / "articles/2014/cafe-society-2.md").meta["slug"] == "cafe-society-2"
    assert "slug 'cafe-society' was taken; used 'cafe-society-2'" in out
    assert run(site.root, "check")[0] == 0
    assert "nothing written" in run(site.root, "import", "wordpress", "export.xml")[1]


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss><channel><item><title>&lol9;</title></item></channel></rss>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""
DOCTYPE_ONLY = b'<?xml version="1.0"?>\n<!DOCTYPE rss>\n<rss><channel/></rss>\n'


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, DOCTYPE_ONLY],
                         ids=["billion-laughs", "external-entity", "doctype"])
def test_doctype_and_entities_are_refused(site, run, data):
    (site.root / "export.xml").write_bytes(data)
    before = site.snapshot()
    status, out, err = run(site.root, "import", "wordpress", "export.xml")
    assert status == 2 and out == ""
    assert err.startswith("broadsheet: export.xml: line ")
    assert "declares a DOCTYPE or entities, which a WordPress export never does" in err
    assert site.snapshot() == before


@pytest.mark.parametrize("data, message", [
    (b"<rss><channel><title>x</title></channel></rss>", "is not a WordPress export (WXR)"),
    (b"<rss><channel>", "is not valid XML (no element found)"),
    (b"<rss><channel><item><title>&nbsp;</title></item></channel></rss>",
     "is not valid XML (undefined entity)"),
])
def test_files_that_are_not_exports_are_refused(site, run, data, message):
    (site.root / "export.xml").write_bytes(data)
    status, _, err = run(site.root, "import", "wordpress", "export.xml")
    assert status == 2 and message in err and "Traceback" not in err


def test_missing_export_is_a_clear_error(site, run):
    status, _, err = run(site.root, "import", "wordpress", "nowhere.xml")
    assert status == 2
    assert err == ("broadsheet: nowhere.xml: not found — give the path of the WordPress "
                   "export (.xml)\n")


def test_reader_maps_any_export_version_namespace():
    data = FIXTURE.read_bytes().replace(b"export/1.2/", b"export/1.0/")
    export = read_export(data, "old.xml")
    assert export.site_url == "https://oldblog.example.org"
    assert [a.login for a in export.authors] == ["jdoe", "ivan.petrov", "alex"]
    first = export.items[0]
    assert (first.post_id, first.post_name, first.status) == ("101", "cafe-society", "publish")
    assert first.excerpt.startswith("How the <em>café owners</em>")
    with pytest.raises(ImportFailure):
        read_export(BILLION_LAUGHS, "x.xml")


# -- the HTML converter on its own --------------------------------------------------------------

def rendered(html_body: str) -> str:
    return markdown.markdown(convert(html_body, "https://old.example").markdown,
                             extensions=EXTENSIONS)


@pytest.mark.parametrize("hostile", [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<script>alert(1)</script>",
    "<p onclick=\"alert(1)\">text</p>",
    "Text {: onclick=\"alert(1)\" }",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>',
    "!!! danger \"x\"\n\nbody",
    "&amp;lt;b&amp;gt;",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
])
def test_converted_markup_never_becomes_html(hostile):
    html = rendered(hostile)
    tree = parse_html(html)
    allowed = {"p", "a", "br", "em", "strong", "blockquote", "code", "pre"}
    assert {node.tag for node in tree.iter()} <= allowed, html
    assert all(not key.startswith("on") for node in tree.iter() for key in node.attrs)
    assert all(node.attrs.get("href", "https:").startswith(("https:", "http:"))
               for node in tree.find_all("a")), html
    assert "admonition" not in html


# Fragments of markup, hostile or merely broken, that a post body may hold in any order.
PIECES = st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<em>", "</em>", "<blockquote>", "</blockquote>", "<ul>",
    "<ol>", "<li>", "</li>", "</ul>", "</ol>", "<pre>", "</pre>", "<code>", "</code>", "<div>",
    "</div>", "<h2>", "</h2>", "<table>", "<tr>", "<td>", "</td>", "</table>", "<br>", "<hr>",
    "<a href=\"javascript:x\">", "<a href=\"/rel\">", "<a href='https://x.org/a b(c)'>", "</a>",
    "<img src=x onerror=alert(1)>", "<script>", "</script>", "<x onclick=y>", "<span style=x>",
    "<iframe src='https://y.org/e'>", "</iframe>", "<del>", "<sup>", "<cite>", "</cite>",
    "\n", "\n\n", "text", " * ", "_", "`", "[", "]", "(", ")", "<", ">", "\"", "'", "# ", "> ",
    "- ", "1. ", "!!! ", "{: onclick=x}", "&lt;script&gt;", "&#60;b&#62;", "&amp;", "&#65",
    "[x](javascript:alert(1))", "![i](javascript:x)", "<!--more-->", "[caption]", "[/caption]",
    "[gallery]", "[x a=1]", "[/x]", "https://youtu.be/x",
])
SAFE_TAGS = {"p", "a", "br", "em", "strong", "blockquote", "code", "pre", "ul", "ol", "li", "h2",
             "hr", "table", "tr", "td", "th", "del", "sup", "sub"}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(PIECES, max_size=25).map("".join))
def test_no_post_body_becomes_markup_it_did_not_mean(body):
    html = rendered(body)
    tree = parse_html(html)
    assert {node.tag for node in tree.iter()} <= SAFE_TAGS, html
    for node in tree.iter():
        assert not any(k.startswith("on") or k in ("style", "class", "id") for k in node.attrs)
    for link in tree.find_all("a"):
        assert link.attrs.get("href", "").startswith(("https://", "http://", "mailto:"))


def test_markdown_special_characters_stay_text():
    text = "5 * 3 _is_ 15 # not a heading [link](x) `code` \\ 1. one"
    html = rendered(f"<p>{text}</p>\n\n<p># line start</p>\n\n<p>- dash</p>\n\n<p>1984. A year</p>")
    paragraphs = [p.text() for p in parse_html(html).find_all("p")]
    assert paragraphs == [text, "# line start", "- dash", "1984. A year"]


def test_code_lists_and_headings_use_the_sites_markdown():
    md = convert("<h2>Part two</h2><ol><li>first</li><li>second<ul><li>inner</li></ul></li>"
                 "</ol><pre>x = [1]\n\n  *y* &lt; 2</pre>").markdown
    assert "## Part two" in md
    html = markdown.markdown(md, extensions=EXTENSIONS)
    tree = parse_html(html)
    # The code is the same text, blank line and indentation included, though it follows a
    # list (where an indented code block would join the last item).
    assert tree.find("pre").find("code").children == ["x = [1]\n \n  *y* < 2"]
    assert tree.find("ol").find("ul").find("li").text() == "inner"  # nested by four spaces


def test_autop_wraps_only_loose_text():
    assert autop("one\ntwo\n\nthree") == "<p>one<br />\ntwo</p>\n<p>three</p>\n"
    assert autop("<p>kept</p>") == "<p>kept</p>"
    assert autop("<blockquote>a\n\nb</blockquote>") == \
        "<blockquote><p>a</p>\n<p>b</p>\n</blockquote>"
    assert autop("<ul><li>item</li></ul>") == "<ul><li>item</li></ul>"


def test_more_marker_only_once_and_on_its_own_line():
    md = convert("Intro <!--more--> rest.\n\nMore <!--more--> again.").markdown
    assert md.count("<!-- more -->") == 1
    assert "\n<!-- more -->\n" in md


# -- authors.yml merging ----------------------------------------------------------------------

def test_authors_merge_keeps_comments_indentation_and_entries():
    existing = ("# Our writers\nauthors:\n    alex:   # the editor\n        name: Alex\n"
                "        description: Edits.\n")
    merged = merged_authors_text(existing, {"jdoe": {"name": "Jane Doe"},
                                            "alex": {"name": "Someone else"}}, "authors.yml")
    assert merged.startswith(existing)
    assert yaml.safe_load(merged)["authors"]["alex"] == {"name": "Alex", "description": "Edits."}
    assert yaml.safe_load(merged)["authors"]["jdoe"] == {"name": "Jane Doe"}
    assert merged_authors_text(existing, {}, "authors.yml") is None


def test_authors_merge_into_an_unusual_layout_or_no_file():
    flow = "authors: {alex: {name: Alex}}\n"
    merged = yaml.safe_load(merged_authors_text(flow, {"jdoe": {"name": "Jane"}}, "a.yml"))
    assert merged == {"authors": {"alex": {"name": "Alex"}, "jdoe": {"name": "Jane"}}}
    fresh = merged_authors_text(None, {"jdoe": {"name": "Jane"}}, "a.yml")
    assert yaml.safe_load(fresh) == {"authors": {"jdoe": {"name": "Jane"}}}
    with pytest.raises(ImportFailure, match="a.yml: has no `authors:` mapping"):
        merged_authors_text("- a list\n", {"jdoe": {"name": "Jane"}}, "a.yml")
