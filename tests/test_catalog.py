"""catalog: all articles of a site validated together; URL clashes; drafts and scheduled."""

from __future__ import annotations

from datetime import datetime, timezone

import yaml

from broadsheet.catalog import build_catalog, is_article_path, read_site
from broadsheet.settings import Settings
from sitekit import AUTHORS, article_text, make_site, meta

AUTHORS_YML = yaml.safe_dump({"authors": AUTHORS}).encode()
NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)


def catalog_of(files: dict[str, dict | str | bytes], authors: bytes | None = AUTHORS_YML,
               settings: Settings | None = None):
    def data(value):
        if isinstance(value, bytes):
            return value
        return (article_text(value) if isinstance(value, dict) else value).encode()
    return build_catalog([(path, data(v)) for path, v in files.items()], authors,
                         settings or Settings(now=NOW))


def test_articles_are_sorted_newest_first_and_split_by_status():
    catalog = catalog_of({
        "articles/old.md": meta(title="Old", date="2020-01-01"),
        "articles/new.md": meta(title="New", date="2026-11-26"),
        "articles/draft.md": meta(title="Draft", date="2026-11-01", draft=True),
        "articles/later.md": meta(title="Later", date="2026-12-01"),
    })
    assert catalog.problems == ()
    assert [a.title for a in catalog.articles] == ["Later", "New", "Draft", "Old"]
    assert [a.title for a in catalog.published] == ["New", "Old"]
    assert [a.title for a in catalog.held_back] == ["Later", "Draft"]
    assert {a.title: a.status(NOW) for a in catalog.articles} == {
        "Later": "scheduled", "New": "published", "Draft": "draft", "Old": "published"}
    assert catalog.by_path["articles/old.md"].title == "Old"


def test_scheduled_is_decided_to_the_minute_in_the_site_timezone():
    settings = Settings(now=datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc))
    catalog = catalog_of({
        "articles/a.md": meta(title="Before", date="2026-11-27 08:59"),
        "articles/b.md": meta(title="After", date="2026-11-27 09:01"),
    }, settings=settings)
    assert [a.title for a in catalog.published] == ["Before"]
    assert [a.title for a in catalog.held_back] == ["After"]


def test_invalid_files_are_listed_and_valid_ones_kept():
    catalog = catalog_of({
        "articles/good.md": meta(title="Good"),
        "articles/bad.md": meta(title="Bad", author="nobody"),
        "articles/empty.md": b"",
        "articles/binary.md": b"\xff\xfe\x00",
    })
    assert [a.path for a in catalog.articles] == ["articles/good.md"]
    assert catalog.invalid == {"articles/bad.md", "articles/empty.md", "articles/binary.md"}
    assert [p.path for p in catalog.problems] == sorted(catalog.invalid)
    assert catalog.problems_for("articles/good.md") == []
    assert [p.field for p in catalog.problems_for("articles/bad.md")] == ["author"]


def test_a_key_given_twice_makes_the_file_invalid():
    catalog = catalog_of({"articles/a.md": "---\ntitle: A\ntitle: B\ndate: 2024-01-01\n"
                                           "author: alex\n---\nText\n"})
    assert catalog.articles == () and catalog.invalid == {"articles/a.md"}


def test_same_url_is_an_error_naming_both_files():
    catalog = catalog_of({
        "articles/2024/one.md": meta(title="Same title", date="2024-06-01"),
        "articles/2024/two.md": meta(title="Same Title!", date="2024-06-30"),
        "articles/2024/other.md": meta(title="Same title", date="2024-07-01"),
    })
    assert [a.path for a in catalog.articles] == ["articles/2024/other.md"]
    assert catalog.invalid == {"articles/2024/one.md", "articles/2024/two.md"}
    assert [str(p) for p in catalog.problems] == [
        "articles/2024/one.md: url: '2024/06/same-title/' is also the URL of "
        "articles/2024/two.md — give one of them a different `slug:` (or title)",
        "articles/2024/two.md: url: '2024/06/same-title/' is also the URL of "
        "articles/2024/one.md — give one of them a different `slug:` (or title)",
    ]


def test_same_url_by_slug_among_three_names_all_the_others():
    catalog = catalog_of({f"articles/{n}.md": meta(title=n, date="2024-06-01", slug="s")
                          for n in "abc"})
    assert catalog.articles == ()
    a_problem = catalog.problems_for("articles/a.md")[0]
    assert "articles/b.md, articles/c.md" in a_problem.message


def test_a_draft_clashing_with_a_published_article_is_an_error_too():
    catalog = catalog_of({
        "articles/a.md": meta(title="T", date="2024-06-01"),
        "articles/b.md": meta(title="T", date="2024-06-02", draft=True),
    })
    assert {p.path for p in catalog.problems} == {"articles/a.md", "articles/b.md"}


def test_authors_file_problems_are_in_the_catalog():
    catalog = catalog_of({"articles/a.md": meta()}, authors=b"authors:\n  alex: Alex\n")
    assert [(p.path, p.field) for p in catalog.problems] == [
        ("articles/a.md", "author"), ("authors.yml", "authors.alex")]


def test_no_authors_file():
    catalog = catalog_of({"articles/a.md": meta()}, authors=None)
    assert [str(p) for p in catalog.problems] == [
        "articles/a.md:4: author: unknown author 'alex' — add 'alex' to authors.yml (none "
        "defined yet in authors.yml)"]


def test_is_article_path():
    settings = Settings(articles_dir="articles")
    assert is_article_path("articles/2024/a.md", settings)
    assert not is_article_path("articles/2024/a.txt", settings)
    assert not is_article_path("index.md", settings)
    assert not is_article_path("articlesx/a.md", settings)
    assert is_article_path("news/a.md", Settings(articles_dir="news"))


def test_read_site_reads_markdown_below_the_articles_folder(tmp_path):
    site = make_site(tmp_path, articles={"2024/a.md": meta(title="A")})
    site.write("articles/.hidden/b.md", article_text(meta(title="B")))
    site.write("articles/notes.txt", "not an article")
    site.write("other/c.md", article_text(meta(title="C")))
    catalog = read_site(site.docs, Settings(now=NOW))
    assert catalog.problems == ()
    assert [a.path for a in catalog.articles] == ["articles/2024/a.md"]
    assert catalog.authors["alex"].name == "Alex Morgan"


def test_read_site_without_articles_folder(tmp_path):
    site = make_site(tmp_path)
    catalog = read_site(site.docs, Settings(now=NOW))
    assert catalog.articles == () and catalog.problems == ()


def test_a_parse_cache_saved_to_disk_is_reused_only_by_the_same_code(tmp_path, monkeypatch):
    from broadsheet import catalog as catalog_module
    files = [("articles/a.md", article_text(meta(title="A")).encode()),
             ("articles/b.md", article_text(meta(title="B", date="2024-06-26")).encode())]
    first = catalog_module.ParseCache()
    built = build_catalog(files, AUTHORS_YML, Settings(now=NOW), first)
    first.save(tmp_path / "parsed.pickle", code_version="v1")

    parsed = []
    real = catalog_module.read_document
    monkeypatch.setattr(catalog_module, "read_document",
                        lambda path, data, problems: parsed.append(path) or real(
                            path, data, problems))
    reloaded = catalog_module.ParseCache.load(tmp_path / "parsed.pickle", code_version="v1")
    edited = [files[0], ("articles/b.md", article_text(meta(title="B2")).encode())]
    again = build_catalog(edited, AUTHORS_YML, Settings(now=NOW), reloaded)
    assert parsed == ["articles/b.md"]  # only the edited file was read again
    assert again.by_path["articles/a.md"] == built.by_path["articles/a.md"]
    assert again.by_path["articles/b.md"].title == "B2"

    parsed.clear()
    other_code = catalog_module.ParseCache.load(tmp_path / "parsed.pickle", code_version="v2")
    build_catalog(files, AUTHORS_YML, Settings(now=NOW), other_code)
    assert sorted(parsed) == ["articles/a.md", "articles/b.md"]
    (tmp_path / "parsed.pickle").write_bytes(b"garbage")
    assert catalog_module.ParseCache.load(tmp_path / "parsed.pickle", "v1").get(*files[0]) is None


def test_a_build_reads_the_articles_the_last_build_parsed(tmp_path):
    """A clean `mkdocs build` too: the cache is keyed by each file's bytes, so an edited
    article is parsed again, and a problem in it is still reported."""
    site = make_site(tmp_path / "site", articles={
        "a.md": meta(title="First"), "b.md": meta(title="Second", date="2024-06-26")})
    first = site.build("--verbose")
    assert first.returncode == 0, first.stderr
    assert "0 of 2 article(s) as the last build parsed them" in first.stderr
    site.article("b.md", meta(title="Second, edited", date="2024-06-26"))
    again = site.build("--verbose")
    assert again.returncode == 0, again.stderr
    assert "1 of 2 article(s) as the last build parsed them" in again.stderr
    assert "Second, edited" in site.page("2024/06/second-edited/")
    site.article("a.md", meta(title="First", date="not a date"))
    broken = site.build()
    assert broken.returncode != 0 and "articles/a.md" in broken.stderr
    assert "date" in broken.stderr


def test_a_parse_cache_is_written_again_only_when_what_it_holds_changed(tmp_path):
    from broadsheet import catalog as catalog_module
    files = [("articles/a.md", article_text(meta(title="A")).encode()),
             ("articles/b.md", article_text(meta(title="B", date="2024-06-26")).encode())]
    target = tmp_path / "parsed.pickle"

    def run(given):
        cache = catalog_module.ParseCache.load(target, "v1")
        build_catalog(given, AUTHORS_YML, Settings(now=NOW), cache)
        before = target.stat().st_ino if target.exists() else None
        cache.save(target, "v1")
        return target.stat().st_ino != before  # written whole, then renamed into place

    assert run(files)  # nothing there yet
    assert not run(files)  # the same files: left as it is
    assert run(files[:1])  # a file gone
    assert run(files)  # a file new
    edited = [files[0], ("articles/b.md", article_text(meta(title="B2")).encode())]
    assert run(edited)
    assert not run(edited)
    reloaded = catalog_module.ParseCache.load(target, "v1")
    build_catalog(edited, AUTHORS_YML, Settings(now=NOW), reloaded)
    assert reloaded.loaded == 2
