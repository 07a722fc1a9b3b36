"""`broadsheet new`: a valid article file in the shape of the editor's example page."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.cli import main
from broadsheet.problems import ProblemList
from broadsheet.reader import read_document
from sitekit import NOW, make_site, meta, parse_html


@pytest.fixture
def new(monkeypatch, capsys):
    """Run `broadsheet new ARGS` in the site's folder: (exit status, stdout, stderr)."""
    monkeypatch.setenv("BROADSHEET_NOW", NOW + " 10:15")

    def run(site, *args: str):
        monkeypatch.chdir(site.root)
        status = main(["new", *args])
        out, err = capsys.readouterr()
        return status, out, err
    return run


def front_matter(path: Path) -> dict:
    problems = ProblemList(str(path))
    raw = read_document(str(path), path.read_bytes(), problems)
    assert list(problems) == []
    return raw


def test_new_article_with_a_source(tmp_path, new):
    site = make_site(tmp_path)
    status, out, err = new(site, "Russia finds an unexpected ally", "--author", "priya",
                           "--source-url", "https://asiatimes.com/2014/07/story/",
                           "--source-name", "The Asia Times", "--tag", "russia", "--tag", "japan")
    assert (status, err) == (0, "")
    path = site.docs / "articles/2026/russia-finds-an-unexpected-ally.md"
    assert out.strip() == "docs/articles/2026/russia-finds-an-unexpected-ally.md"
    raw = front_matter(path)
    assert raw.meta == {
        "title": "Russia finds an unexpected ally", "date": "2026-11-27 10:15",
        "author": "priya", "tags": ["russia", "japan"],
        "source": {"name": "The Asia Times", "url": "https://asiatimes.com/2014/07/story/"},
    }
    # The body follows the example page: an introduction that names the source and ends in
    # "…reveals…:", then the excerpt as a block quote.
    body = raw.body.strip().split("\n\n")
    assert "The Asia Times reveals…:" in body[0]
    assert body[1].startswith("> ")
    assert all(line.startswith(">") for line in body[1].splitlines())


def test_new_original_article_has_no_source(tmp_path, new):
    site = make_site(tmp_path)
    status, out, _ = new(site, "Why we curate", "--author", "alex")
    assert status == 0
    raw = front_matter(site.docs / out.strip().removeprefix("docs/"))
    assert "source" not in raw.meta and raw.body.strip()


def test_only_author_is_the_default(tmp_path, new):
    site = make_site(tmp_path, authors={"solo": {"name": "Solo Writer"}})
    status, out, _ = new(site, "A piece")
    assert status == 0
    assert front_matter(site.root / out.strip()).meta["author"] == "solo"


@pytest.mark.parametrize("args, message", [
    (["T"], "broadsheet: --author: several authors exist, choose one: alex, priya"),
    (["T", "--author", "bob"],
     "broadsheet: --author: unknown author 'bob' — known: alex, priya; add authors to "
     "authors.yml"),
    (["T", "--author", "alex", "--source-url", "https://x.org/a"],
     "broadsheet: --source-url and --source-name go together — give both, or neither for an "
     "original piece"),
    (["T", "--author", "alex", "--source-url", "x.org/a", "--source-name", "X"],
     "broadsheet: --source-url: must start with https:// or http:// (got 'x.org/a') — give the "
     "full address, starting https://"),
    (["   ", "--author", "alex"], "broadsheet: title: is empty — give the article a headline"),
    (["!!!", "--author", "alex"],
     "broadsheet: title: has no letters or digits to make a URL from"),
    (["T", "--author", "alex", "--date", "2026-02-30"],
     "broadsheet: --date: '2026-02-30' is not a date or is impossible — write it as "
     "YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or with an offset, e.g. 2024-06-25 or "
     "'2024-06-25 09:30:00+02:00'"),
])
def test_refusals_exit_2_and_write_nothing(tmp_path, new, args, message):
    site = make_site(tmp_path)
    before = site.snapshot()
    status, out, err = new(site, *args)
    assert (status, out) == (2, "")
    assert err.strip() == message
    assert site.snapshot() == before


def test_no_authors_at_all(tmp_path, new):
    site = make_site(tmp_path, authors=None)
    status, _, err = new(site, "T")
    assert status == 2
    assert err.strip() == "broadsheet: --author: no authors defined — add one to authors.yml"


def test_refuses_to_overwrite(tmp_path, new):
    site = make_site(tmp_path)
    existing = site.write("articles/2026/my-title.md", "---\nnot: valid\n---\nmine\n")
    status, _, err = new(site, "My title", "--author", "alex")
    assert status == 2
    assert err.strip() == f"broadsheet: {existing}: already exists — choose another title or " \
                          "edit that file"
    assert existing.read_text() == "---\nnot: valid\n---\nmine\n"


def test_refuses_a_title_whose_url_is_taken(tmp_path, new):
    site = make_site(tmp_path, articles={"2026/11/older.md": meta(title="My title",
                                                                  date="2026-11-02")})
    status, _, err = new(site, "My title!", "--author", "alex")
    assert status == 2
    assert err.strip() == ("broadsheet: title: articles/2026/11/older.md already has the URL "
                           "'2026/11/my-title/' — choose another title, or edit that article")


def test_date_with_an_offset_is_written_in_the_site_timezone(tmp_path, new):
    site = make_site(tmp_path, plugin_options={"timezone": "Europe/London"})
    status, out, _ = new(site, "T", "--author", "alex", "--date", "2026-07-01T09:00+09:00")
    assert status == 0
    assert front_matter(site.root / out.strip()).meta["date"] == "2026-07-01 01:00"


def test_transliterated_title_and_tricky_yaml(tmp_path, new, monkeypatch, capsys):
    site = make_site(tmp_path)
    title = 'Café: Россия & "Japan" #1 — yes'
    status, out, _ = new(site, title, "--author", "alex", "--tag", "no", "--tag", "null")
    assert status == 0
    path = site.root / out.strip()
    assert path.name == "cafe-rossiia-japan-1-yes.md"
    raw = front_matter(path)
    assert raw.meta["title"] == title
    assert raw.meta["tags"] == ["no", "null"]  # quoted, so still text
    monkeypatch.chdir(site.root)
    assert main(["check"]) == 0
    capsys.readouterr()


def test_round_trip_new_check_build(tmp_path, new):
    """What `new` writes passes `broadsheet check` and builds with --strict."""
    site = make_site(tmp_path)
    status, out, _ = new(site, "Japan and Russia: a rapprochement", "--author", "alex",
                         "--source-url", "https://asiatimes.com/a?b=1&c=2",
                         "--source-name", "The Asia Times", "--tag", "asia",
                         "--date", "2026-11-20 08:00")
    assert status == 0
    checked = site.cli("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = site.build()
    assert built.returncode == 0, built.stderr
    html = parse_html(site.page("2026/11/japan-and-russia-a-rapprochement/"))
    assert html.find("h1").text() == "Japan and Russia: a rapprochement"
    assert html.find("a", href="https://asiatimes.com/a?b=1&c=2") is not None
    assert "The Asia Times reveals…:" in html.find(cls="bs-article-body").text()
    assert html.find("blockquote") is not None
