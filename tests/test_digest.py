"""`broadsheet digest`: the email issue's HTML and text, the articles it picks, its errors.

Golden files: tests/golden/digest.html and digest.txt are the issue of GOLDEN_SITE at the
pinned NOW. After an intended change to the email (template, CSS, strings), regenerate them
and review the diff before committing:

    BROADSHEET_UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_digest.py -q
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from broadsheet.catalog import read_site
from broadsheet.dates import DATE_HINT
from broadsheet.digest import select_articles
from broadsheet.quality import nu, tools
from broadsheet.site_config import load_site_config
from broadsheet.summary import card_excerpt
from conftest import require_tools
from sitekit import NOW, REPO, make_site, meta, mkdocs_yml, parse_html

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("BROADSHEET_UPDATE_GOLDEN") == "1"
SITE_URL = "https://news.example.org/"

SOURCED = meta(
    title="Japan and Russia find common ground", date="2026-11-20 09:00",
    author=None, authors=["alex", "priya"], tags=["geopolitics"],
    source={"name": "The Asia Times", "url": "https://asiatimes.example/2026/11/rapprochement",
            "title": "Japan and Russia seek rapprochement"})
SOURCED_BODY = ("Old rivals are looking to each other. The Asia Times reveals the pragmatism "
                "behind it:\n\n> Spooked by China's assertiveness at sea, Japan and Russia "
                "are seeking rapprochement.\n")
ORIGINAL = meta(title="Why we curate, and how we choose", date="2026-11-10")
ORIGINAL_BODY = ("Most of what is published every day does not need **your** attention.\n\n"
                 "<!-- more -->\n\nThe rest of the piece.\n")
UNTITLED_SOURCE = meta(title="Gas prices, explained", date="2026-10-01", author="priya",
                       source={"name": "Energy Desk", "url": "https://energy.example/lng"})
UNTITLED_BODY = ("A [liquefied natural gas](https://energy.example/lng) terminal changes who "
                 "can buy Russian gas, and at what price. " * 4)
OLDER = meta(title="An older story", date="2025-03-01")
DRAFT = meta(title="A draft never sent", date="2026-11-01", draft=True)
SCHEDULED = meta(title="A scheduled story", date="2026-12-15")


def golden_site(root: Path):
    site = make_site(root, articles={"2025/older.md": OLDER, "2026/draft.md": DRAFT,
                                     "2026/scheduled.md": SCHEDULED})
    site.article("2026/sourced.md", SOURCED, SOURCED_BODY)
    site.article("2026/original.md", ORIGINAL, ORIGINAL_BODY)
    site.article("2026/untitled-source.md", UNTITLED_SOURCE, UNTITLED_BODY)
    return site


PUBLISHED_TITLES = [SOURCED["title"], ORIGINAL["title"], UNTITLED_SOURCE["title"],
                    OLDER["title"]]
"""GOLDEN_SITE's published articles, newest first."""




@pytest.fixture
def issue(tmp_path, run):
    """The golden site's issue with --out: (html, text, stdout, stderr)."""
    site = golden_site(tmp_path / "site")
    status, out, err = run(site.root, "digest", "--out", "issue.html")
    assert status == 0, err
    html = (site.root / "issue.html").read_text(encoding="utf-8")
    text = (site.root / "issue.txt").read_text(encoding="utf-8")
    return html, text, out, err


def titles(html: str) -> list[str]:
    return [h2.text() for h2 in parse_html(html).find_all("h2")]


# -- golden files ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["digest.html", "digest.txt"])
def test_issue_matches_the_golden_file(issue, name):
    html, text, _, _ = issue
    actual = html if name.endswith(".html") else text
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with BROADSHEET_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"the issue differs from {path}: if the change is intended, regenerate it with "
        "BROADSHEET_UPDATE_GOLDEN=1 and review the diff")


# -- the HTML part --------------------------------------------------------------------------

def test_html_is_self_contained_with_inlined_css(issue):
    html, _, _, _ = issue
    doc = parse_html(html)
    assert "<style" not in html.lower()
    assert not doc.find_all("style")
    assert not doc.find_all("link")
    assert not doc.find_all("script")
    # Nothing is loaded: no element refers to a resource on another host (nor on ours).
    site_host = urlsplit(SITE_URL).hostname
    for node in doc.iter():
        for attribute in ("src", "srcset", "background", "poster", "data"):
            value = node.attrs.get(attribute)
            if value is not None:
                assert urlsplit(value).hostname == site_host, f"{node} loads {value}"
    assert "@import" not in html and "url(" not in html
    # The CSS did arrive, inlined: the classes' rules are in style attributes.
    container = doc.find("table", cls="container")
    assert "max-width: 600px" in container.attrs["style"]
    assert doc.find("body").attrs.get("style")


def test_html_is_valid_for_the_nu_checker(tmp_path, issue):
    """Valid HTML but for `mso-hide`, the property that hides the preheader in Outlook's
    Word engine (the checker knows only standard CSS)."""
    require_tools(tools.java, tools.vnu_jar)
    folder = tmp_path / "checked"
    folder.mkdir()
    (folder / "issue.html").write_text(issue[0], encoding="utf-8")
    findings = [f for f in nu.check_html(folder) if "mso-hide" not in f.message]
    assert findings == []


def test_html_is_a_presentation_table_at_most_600px_wide(issue):
    html, _, _, _ = issue
    doc = parse_html(html)
    tables = doc.find_all("table")
    assert tables and all(t.attrs.get("role") == "presentation" for t in tables)
    for table in tables:
        width = table.attrs.get("width", "")
        assert width == "100%" or int(width) <= 600
    assert doc.find("table", cls="container").attrs["width"] == "600"


def test_html_declares_both_colour_schemes_and_a_preheader(issue):
    html, _, _, _ = issue
    doc = parse_html(html)
    assert doc.find("meta", name="color-scheme").attrs["content"] == "light dark"
    assert doc.find("meta", name="supported-color-schemes").attrs["content"] == "light dark"
    assert doc.find("html").attrs["lang"] == "en"
    preheader = doc.find("div", cls="preheader")
    assert "display: none" in preheader.attrs["style"]
    assert preheader.text().startswith(SOURCED["title"])
    # It comes first in the body, where inboxes take their preview text from.
    assert doc.find("body").find("div") is preheader


def test_masthead_names_and_links_the_site(issue):
    html, _, _, _ = issue
    heading = parse_html(html).find("h1")
    assert heading.text() == "Test Broadsheet"
    assert heading.find("a").attrs["href"] == SITE_URL


def test_each_article_has_its_title_date_authors_excerpt_and_links(tmp_path, issue, monkeypatch):
    html, _, _, _ = issue
    monkeypatch.setenv("BROADSHEET_NOW", NOW)
    config = load_site_config(tmp_path / "site" / "mkdocs.yml")
    catalog = read_site(config.docs_dir, config.settings)
    cells = parse_html(html).find_all("td", cls="item")
    assert [c.find("h2").text() for c in cells] == PUBLISHED_TITLES
    by_title = {a.title: a for a in catalog.published}
    for cell in cells:
        article = by_title[cell.find("h2").text()]
        page = SITE_URL + article.url
        assert cell.find("h2").find("a").attrs["href"] == page
        links = {a.text(): a.attrs["href"] for a in cell.find("p", cls="links").find_all("a")}
        assert links["Read on Test Broadsheet"] == page
        # The same excerpt as the article's card on the listing pages.
        assert cell.find("p", cls="excerpt").text() == " ".join(card_excerpt(article).split())
        if article.source:
            assert links["Continue to the full article…"] == article.source.url
        else:
            assert "Continue to the full article…" not in links
            assert cell.find("p", cls="source-line") is None

    sourced, original, untitled, _ = cells
    assert sourced.find("p", cls="meta").text() == "20 November 2026 · By Alex Morgan, Priya Raman"
    assert sourced.find("time").attrs["datetime"].startswith("2026-11-20T09:00")
    assert (sourced.find("p", cls="source-line").text()
            == "From The Asia Times: “Japan and Russia seek rapprochement”")
    assert untitled.find("p", cls="source-line").text() == "From Energy Desk"
    assert untitled.find("p", cls="meta").text() == "1 October 2026 · By Priya Raman"
    # Markdown is not shown as marks: the excerpt is the card's plain text.
    assert original.find("p", cls="excerpt").text() == (
        "Most of what is published every day does not need your attention.")
    # A long first paragraph is cut at a word, as on the cards.
    untitled_excerpt = untitled.find("p", cls="excerpt").text()
    assert untitled_excerpt.startswith("A liquefied natural gas terminal changes")
    assert untitled_excerpt.endswith("…") and "[" not in untitled_excerpt


# -- the text part --------------------------------------------------------------------------

def test_text_part_has_every_article_with_its_links(tmp_path, issue, monkeypatch):
    html, text, _, _ = issue
    monkeypatch.setenv("BROADSHEET_NOW", NOW)
    config = load_site_config(tmp_path / "site" / "mkdocs.yml")
    catalog = read_site(config.docs_dir, config.settings)
    flat = " ".join(text.split())
    lines = text.splitlines()
    assert [a.title for a in catalog.published] == PUBLISHED_TITLES
    for article in catalog.published:
        assert article.title in flat
        assert SITE_URL + article.url in lines, "each URL stands on a line of its own"
        assert " ".join(card_excerpt(article).split()) in flat
        if article.source:
            assert article.source.url in lines
    assert max(len(line) for line in lines if "://" not in line) <= 72
    assert "<" not in text and "&amp;" not in text


def test_without_out_the_html_alone_goes_to_stdout(tmp_path, run, issue):
    html, _, _, _ = issue
    before = sorted(p.name for p in (tmp_path / "site").iterdir())
    status, out, err = run(tmp_path / "site", "digest")
    assert status == 0, err
    assert out == html
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == before


def test_out_prints_the_two_files_written(issue):
    _, _, out, err = issue
    assert out.splitlines() == ["issue.html", "issue.txt"]
    assert "4 articles" in err


# -- what the issue holds -------------------------------------------------------------------

def test_last_takes_the_newest_published_articles(tmp_path, run):
    site = golden_site(tmp_path)
    status, out, err = run(site.root, "digest", "--last", "2")
    assert status == 0, err
    assert titles(out) == PUBLISHED_TITLES[:2]


def test_default_is_the_five_newest(tmp_path, run):
    site = make_site(tmp_path, articles={
        f"2026/a{day}.md": meta(title=f"Story of day {day}", date=f"2026-11-{day:02d}")
        for day in range(1, 8)})
    status, out, err = run(site.root, "digest")
    assert status == 0, err
    assert titles(out) == [f"Story of day {day}" for day in range(7, 2, -1)]


def test_since_takes_every_article_from_that_date_on(tmp_path, run):
    site = golden_site(tmp_path)
    status, out, err = run(site.root, "digest", "--since", "2026-11-10")
    assert status == 0, err
    # 10 November is included (midnight in the site's timezone); the draft of 1 November
    # and the article scheduled for December are not, though both are after 1 October.
    assert titles(out) == PUBLISHED_TITLES[:2]
    status, out, err = run(site.root, "digest", "--since", "2020-01-01")
    assert titles(out) == PUBLISHED_TITLES


@pytest.mark.parametrize("args", [[], ["--since", "2000-01-01"], ["--last", "100"]])
def test_drafts_and_scheduled_articles_never_appear(tmp_path, run, args):
    site = golden_site(tmp_path)
    status, out, err = run(site.root, "digest", "--out", "issue.html", *args)
    assert status == 0, err
    for name in ("issue.html", "issue.txt"):
        content = (site.root / name).read_text(encoding="utf-8")
        assert DRAFT["title"] not in content
        assert SCHEDULED["title"] not in content


def test_select_articles_combines_since_and_last(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_NOW", NOW)
    site = golden_site(tmp_path)
    config = load_site_config(site.config)
    published = read_site(config.docs_dir, config.settings).published
    since = published[2].date
    assert select_articles(published, since=since) == published[:3]
    assert select_articles(published, since=since, last=1) == published[:1]
    assert select_articles(published, last=10) == published
    assert select_articles((), last=5) == ()


def test_sample_site_issue(run):
    status, out, err = run(REPO, "digest", "--last", "10")
    assert status == 0, err
    found = titles(out)
    assert "Russia finds an unexpected economic and military ally" in found
    # docs/articles/2026/11/: a draft and an article scheduled for 2031.
    assert "Arctic shipping lanes" not in out and "2031 energy outlook" not in out


# -- escaping -------------------------------------------------------------------------------

HOSTILE = '<script>alert(1)</script><img src=https://evil.example/x.png> & "quotes" <style>'


def test_hostile_text_stays_text(tmp_path, run):
    site = make_site(tmp_path, authors={"eve": {"name": HOSTILE, "description": "x"}},
                     articles={})
    site.article("2026/hostile.md", meta(
        title=HOSTILE, author="eve", excerpt=HOSTILE,
        source={"name": HOSTILE, "title": HOSTILE,
                "url": "https://evil.example/a?b=1&c=\"2\""}))
    status, out, err = run(site.root, "digest", "--out", "issue.html")
    assert status == 0, err
    html = (site.root / "issue.html").read_text(encoding="utf-8")
    doc = parse_html(html)
    assert not doc.find_all("script") and not doc.find_all("img") and not doc.find_all("style")
    assert "<style" not in html.lower()
    assert doc.find("h2").text() == " ".join(HOSTILE.split())
    assert doc.find("title").text().startswith("Test Broadsheet")
    assert HOSTILE in doc.find("p", cls="source-line").text()
    assert doc.find("p", cls="meta").text().endswith(" ".join(HOSTILE.split()))
    continue_link = doc.find("p", cls="links").find_all("a")[1]
    assert continue_link.attrs["href"] == "https://evil.example/a?b=1&c=\"2\""
    # The text part is not HTML: it shows the title as written, unescaped.
    text = (site.root / "issue.txt").read_text(encoding="utf-8")
    assert "&lt;" not in text and "<script>alert(1)</script>" in " ".join(text.split())


# -- errors ---------------------------------------------------------------------------------

def test_no_site_url_is_an_error(tmp_path, run):
    site = golden_site(tmp_path)
    site.config.write_text(mkdocs_yml(site_url=""), encoding="utf-8")
    status, out, err = run(site.root, "digest", "--out", "issue.html")
    assert status == 2
    assert out == ""
    assert err.startswith("broadsheet: site_url: is not set") and "absolute" in err
    assert not (site.root / "issue.html").exists() and not (site.root / "issue.txt").exists()


def test_bad_since_gets_the_house_date_message(tmp_path, run):
    site = golden_site(tmp_path)
    status, out, err = run(site.root, "digest", "--since", "2026-02-30")
    assert status == 2
    assert out == ""
    assert err.strip() == (f"broadsheet: --since: '2026-02-30' is not a date or is impossible "
                           f"— {DATE_HINT}")


def test_no_articles_in_range_writes_nothing(tmp_path, run):
    site = golden_site(tmp_path)
    status, out, err = run(site.root, "digest", "--since", "2026-11-26", "--out", "issue.html")
    assert status == 1
    assert out == ""
    assert err.strip() == "broadsheet: no published articles since 2026-11-26 — nothing written"
    assert not (site.root / "issue.html").exists() and not (site.root / "issue.txt").exists()


def test_a_site_with_only_drafts_has_no_issue(tmp_path, run):
    site = make_site(tmp_path, articles={"2026/draft.md": DRAFT})
    status, out, err = run(site.root, "digest")
    assert status == 1
    assert out == ""
    assert "no published articles" in err


@pytest.mark.parametrize("args, message", [
    (["--last", "0"], "--last"),
    (["--last", "many"], "--last"),
    (["--last", "2", "--since", "2026-01-01"], "not allowed with"),
])
def test_bad_options_are_usage_errors(tmp_path, run, capsys, args, message):
    site = golden_site(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        run(site.root, "digest", *args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("out, message", [
    ("issue.txt", "ends in .txt"),
    ("missing/issue.html", "does not exist"),
])
def test_bad_out_paths_are_refused(tmp_path, run, out, message):
    site = golden_site(tmp_path)
    status, stdout, err = run(site.root, "digest", "--out", out)
    assert status == 2
    assert message in err
    assert not list(site.root.glob("issue*")) and not (site.root / "missing").exists()


def test_articles_with_problems_are_left_out_with_a_warning(tmp_path, run):
    site = golden_site(tmp_path)
    site.article("2026/broken.md", meta(title="Broken", date="2026-11-25", author="nobody"))
    status, out, err = run(site.root, "digest")
    assert status == 0
    assert "Broken" not in titles(out)
    assert "run `broadsheet check`" in err


def test_strings_come_from_the_site_config(tmp_path, run):
    site = golden_site(tmp_path)
    site.config.write_text(mkdocs_yml({"strings": {"digest_read_on": "Lire sur {site}"}}),
                           encoding="utf-8")
    status, out, err = run(site.root, "digest", "--last", "1")
    assert status == 0, err
    assert "Lire sur Test Broadsheet" in parse_html(out).find("p", cls="links").text()

    site.config.write_text(mkdocs_yml({"strings": {"digest_read_on": "Lire sur {site"}}),
                           encoding="utf-8")
    status, out, err = run(site.root, "digest", "--last", "1")
    assert status == 2
    assert "strings.digest_read_on" in err and "{site}" in err


def test_installed_command_runs_in_a_real_process(tmp_path):
    site = golden_site(tmp_path)
    done = site.cli("digest", "--last", "1")
    assert done.returncode == 0, done.stderr
    assert titles(done.stdout) == PUBLISHED_TITLES[:1]
    done = site.cli("digest", "--since", "2027-01-01")
    assert done.returncode == 1 and done.stdout == ""


def test_written_files_are_ordinary_files_not_private_ones(tmp_path, run):
    site = golden_site(tmp_path / "site")
    status, _, err = run(site.root, "digest", "--out", "issue.html")
    assert status == 0, err
    mask = os.umask(0)
    os.umask(mask)
    for name in ("issue.html", "issue.txt"):
        assert (site.root / name).stat().st_mode & 0o777 == 0o666 & ~mask, name
