"""Warm builds (`make build` after a change): only what changed is rendered again, the
result is byte for byte what a clean build makes, and the previous site is never written
through (its files are shared with the new one by hard links)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from broadsheet import incremental
from broadsheet.build_site import build
from conftest import SAMPLE_NOW, build_site, copy_sample_project

pytestmark = pytest.mark.slow

ARTICLE = "docs/articles/2014/why-we-curate.md"


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def inodes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino
            for p in site.rglob("*") if p.is_file()}


def differences(warm: Path, clean: Path) -> list[str]:
    a, b = files_of(warm), files_of(clean)
    return ([f"only in the warm build: {p}" for p in sorted(set(a) - set(b))]
            + [f"only in the clean build: {p}" for p in sorted(set(b) - set(a))]
            + [f"differs: {p}" for p in sorted(set(a) & set(b)) if a[p] != b[p]])


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The sample site, plus a quiet corner of articles that an edit elsewhere leaves alone."""
    monkeypatch.setenv("BROADSHEET_NOW", SAMPLE_NOW)
    root = copy_sample_project(tmp_path / "project")
    author = _any_author(root)
    for month in range(1, 9):
        path = root / f"docs/articles/2019/quiet-{month}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: Quiet story {month}\ndate: 2019-{month:02d}-10\n"
                        f"author: {author}\ntags: [quiet-corner]\n---\n\nNothing new.\n",
                        encoding="utf-8")
    return root


def keep_links(site: Path, holding: Path) -> dict[str, bytes]:
    """Hard links to every file of the site as it is now, and their bytes: if a later build
    wrote through a shared file, the bytes behind these links would change."""
    shutil.rmtree(holding, ignore_errors=True)
    holding.mkdir()
    incremental.clone_tree(site, holding)
    return files_of(holding)


def warm_then_clean(project: Path, tmp_path: Path, capfd) -> str:
    site, clean = project / "site", tmp_path / "clean-site"
    holding = tmp_path / "holding"
    before = keep_links(site, holding)
    capfd.readouterr()
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    log = "".join(capfd.readouterr())
    assert files_of(holding) == before, "the warm build wrote through the previous site"
    build_site(project, clean)  # plain `mkdocs build --strict`, as if nothing came before
    assert differences(site, clean) == []
    shutil.rmtree(clean)
    return log


def test_warm_builds_equal_clean_builds_after_every_kind_of_edit(project, tmp_path, capfd):
    site = project / "site"
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    first = inodes(site)

    # Nothing changed: no page is rendered again (same files, shared with the last site),
    # and the search bundle, made from the same pages, is kept rather than made again.
    log = warm_then_clean(project, tmp_path, capfd)
    assert "building every page" not in log
    now = inodes(site)
    article_pages = [p for p in first if p.startswith("2019/") and p.endswith("index.html")]
    assert article_pages and all(now[p] == first[p] for p in article_pages)
    assert "article(s) kept: no article's indexed text changed" in log
    bundle = [p for p in first if p.startswith("pagefind/")]
    assert bundle and all(now[p] == first[p] for p in bundle)

    # A retitled article: its page, its neighbours', the listings and feeds change.
    article = project / ARTICLE
    assert article.is_file(), f"the sample site no longer has {ARTICLE}; pick another article"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("title:", "title: Retitled —", 1), encoding="utf-8")
    before = inodes(site)
    log = warm_then_clean(project, tmp_path, capfd)
    assert "building every page" not in log
    assert "article(s) written" in log  # its title is indexed: Pagefind runs
    after = inodes(site)
    reused = {p for p in before if p in after and after[p] == before[p]}
    assert "tags/quiet-corner/index.html" in reused, "a warm build rendered every page again"
    assert "2019/05/quiet-story-5/index.html" in reused

    # A new article with a new tag; then an edited author.
    (project / "docs/articles/2026").mkdir(parents=True, exist_ok=True)
    (project / "docs/articles/2026/a-new-one.md").write_text(
        "---\ntitle: A new one\ndate: 2026-01-05\nauthor: "
        f"{_any_author(project)}\ntags: [brand-new-tag]\n---\n\nFresh text.\n", encoding="utf-8")
    assert "building every page" not in warm_then_clean(project, tmp_path, capfd)
    assert (site / "tags/brand-new-tag/index.html").is_file()
    authors = project / "docs/authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8").replace(
        "description:", "description: Edited.", 1), encoding="utf-8")
    warm_then_clean(project, tmp_path, capfd)

    # A deleted article (its page, card and now-empty tag go); a changed template and
    # setting (every page is built again: still equal).
    (project / "docs/articles/2026/a-new-one.md").unlink()
    warm_then_clean(project, tmp_path, capfd)
    assert not (site / "tags/brand-new-tag").exists()
    card = project / "templates/partials/card.html"
    card.write_text(card.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    log = warm_then_clean(project, tmp_path, capfd)
    assert "building every page" in log
    assert "article(s) kept" in log, log  # every page rendered again, none indexed differently
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "primary: indigo", "primary: teal", 1), encoding="utf-8")
    assert "building every page" in warm_then_clean(project, tmp_path, capfd)
    assert b"teal" in (site / "index.html").read_bytes()


def _any_author(project: Path) -> str:
    return next(iter(yaml.safe_load(
        (project / "docs/authors.yml").read_text("utf-8"))["authors"]))


def test_a_failed_warm_build_leaves_the_site_and_its_state(project, tmp_path, capfd):
    site = project / "site"
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    before = files_of(site)
    article = project / ARTICLE
    original = article.read_text(encoding="utf-8")
    article.write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    assert build(site, project / "mkdocs.yml", strict=True) != 0
    assert files_of(site) == before
    # The next good build is still warm, and right.
    article.write_text(original.replace("title:", "title: Fixed —", 1), encoding="utf-8")
    assert "building every page" not in warm_then_clean(project, tmp_path, capfd)


def test_a_site_folder_changed_by_hand_is_built_from_nothing(project, tmp_path, capfd):
    site = project / "site"
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    (site / "left-by-hand.html").write_text("x", encoding="utf-8")
    capfd.readouterr()
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    assert not (site / "left-by-hand.html").exists()
    assert "building every page" not in "".join(capfd.readouterr())  # a clean build: silent


def test_the_replaced_site_is_deleted_by_the_next_build_and_nothing_else(project):
    from broadsheet.build_site import BUILD_CACHE, TRASH

    site = project / "site"
    trash = project / BUILD_CACHE / TRASH
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    assert not trash.exists() or not any(trash.iterdir())
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    # The site it replaced waits in the cache (nothing beside site/ in the project) ...
    replaced = list(trash.iterdir())
    assert len(replaced) == 1 and (replaced[0] / "index.html").is_file()
    (replaced[0] / "mark-of-the-second-build").write_text("x", encoding="utf-8")
    assert not [p.name for p in project.iterdir() if p.name.startswith(".site")]
    # ... and the next build deletes it while it works (leaving the one it replaced).
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    replaced = list(trash.iterdir())
    assert len(replaced) == 1 and not (replaced[0] / "mark-of-the-second-build").exists()
    assert (site / "index.html").is_file()


# -- incremental.py on its own ------------------------------------------------------------

def test_sweep_removes_what_was_not_made_and_empty_folders(tmp_path):
    for path in ("index.html", "old/index.html", "keep/a.js", "assets/x.css", "assets/y.css"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)
    removed = incremental.sweep(str(tmp_path), {"index.html", "assets/x.css"}, ["keep"])
    assert removed == ["assets/y.css", "old/index.html"]
    assert not (tmp_path / "old").exists()
    assert (tmp_path / "keep/a.js").is_file() and (tmp_path / "assets/x.css").is_file()


def test_clone_tree_shares_files_and_detach_unshares_them(tmp_path):
    source, copy = tmp_path / "a", tmp_path / "b"
    (source / "x").mkdir(parents=True)
    (source / "x/page.html").write_text("old")
    copy.mkdir()
    incremental.clone_tree(source, copy)
    assert (copy / "x/page.html").stat().st_ino == (source / "x/page.html").stat().st_ino
    incremental.detach(str(copy / "x/page.html"))
    (copy / "x/page.html").write_text("new")
    assert (source / "x/page.html").read_text() == "old"


def test_a_site_copy_runs_aside_and_reports_what_stopped_it(tmp_path):
    source = tmp_path / "site"
    (source / "x").mkdir(parents=True)
    (source / "x/page.html").write_text("old")
    for name in ("copy", "clash", "none"):
        (tmp_path / name).mkdir()
    assert incremental.SiteCopy(source, tmp_path / "copy").wait() is None
    assert (tmp_path / "copy/x/page.html").stat().st_ino == (source / "x/page.html").stat().st_ino
    (tmp_path / "clash/x").mkdir()
    assert isinstance(incremental.SiteCopy(source, tmp_path / "clash").wait(), FileExistsError)
    # A previous site that has gone is an error, not an empty copy (its pages would be lost).
    missing = incremental.SiteCopy(tmp_path / "gone", tmp_path / "none").wait()
    assert isinstance(missing, FileNotFoundError)


def test_a_warm_build_whose_copy_fails_builds_every_page(project, tmp_path):
    site = project / "site"
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    state = project / ".cache/broadsheet/build/state.pickle"
    assert state.is_file()
    staging = tmp_path / "staging"
    staging.mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
               PYTHONHASHSEED=incremental.current_hash_seed() or "0",
               **{incremental.PREVIOUS_STATE_ENV: str(state),
                  incremental.PREVIOUS_SITE_ENV: str(tmp_path / "no-such-site")})
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--dirty", "--strict",
                             "--config-file", str(project / "mkdocs.yml"),
                             "--site-dir", str(staging)], env=env, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    build_site(project, tmp_path / "clean")
    assert differences(staging, tmp_path / "clean") == []


def test_state_from_another_hash_seed_is_not_trusted(tmp_path, monkeypatch):
    path = tmp_path / "state.pickle"
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    incremental.save_state(path, incremental.BuildState(
        site="s", pages={}, sources=frozenset(), hash_seed="0"))
    assert incremental.load_state(path) is not None
    monkeypatch.setenv("PYTHONHASHSEED", "1")
    assert incremental.load_state(path) is None
    monkeypatch.delenv("PYTHONHASHSEED")
    assert incremental.load_state(path) is None
    path.write_bytes(b"not a pickle")
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    assert incremental.load_state(path) is None


def test_compiled_templates_are_cached_on_disk_and_follow_edits(project, tmp_path):
    build_site(project, tmp_path / "one")
    cached = list((project / ".cache/broadsheet/templates").glob("*.cache"))
    assert cached, "no compiled template was kept"
    card = project / "templates/partials/card.html"
    card.write_text(card.read_text(encoding="utf-8").replace(
        '<article class="bs-card', '<article data-edited class="bs-card', 1), encoding="utf-8")
    build_site(project, tmp_path / "two")
    assert "data-edited" in (tmp_path / "two/index.html").read_text(encoding="utf-8")


def test_an_edit_indexes_again_only_its_part_of_the_search_index(project, tmp_path, capfd):
    """Indexed four articles at a time, the project's search index has several parts: an
    edit to the newest article, then to the oldest, runs Pagefind on its part alone, and
    the bundle is still what a clean build makes."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - broadsheet:\n", "  - broadsheet:\n      search_part_size: 4\n", 1),
        encoding="utf-8")
    site = project / "site"
    capfd.readouterr()
    assert build(site, config, strict=True) == 0
    parts = len(json.loads((site / "pagefind/parts.json").read_text(encoding="utf-8"))["merge"])
    assert parts >= 2, "the project has too few articles for three parts of four"
    assert f"in {parts + 1} parts written" in "".join(capfd.readouterr())

    newest, oldest = "docs/articles/2019/quiet-8.md", ARTICLE  # of the published articles
    for edited in (project / newest, project / oldest):
        edited.write_text(edited.read_text(encoding="utf-8") + "\nA sentence more.\n",
                          encoding="utf-8")
        log = warm_then_clean(project, tmp_path, capfd)
        assert f"in {parts + 1} parts: 1 written, {parts} kept" in log, log


def test_a_warm_build_that_makes_no_search_index_keeps_none(project, tmp_path):
    """A page published at /search/ takes the search page's place (a warning, so only
    without --strict): that build writes no index, and must not keep the previous one."""
    site = project / "site"
    assert build(site, project / "mkdocs.yml", strict=True) == 0
    assert (site / "pagefind").is_dir()
    (project / "docs/search.md").write_text("# Our own search page\n", encoding="utf-8")
    assert build(site, project / "mkdocs.yml", strict=False) == 0
    clean = tmp_path / "clean"
    result = build_site(project, clean, check=False)  # --strict fails on the warning…
    assert result.returncode != 0
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f",  # …so without it
                    str(project / "mkdocs.yml"), "-d", str(clean)], check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert not (site / "pagefind").exists()
    assert differences(site, clean) == []


def test_a_new_page_in_an_automatic_nav_rebuilds_every_page(project, tmp_path, capfd):
    """Without `nav:` the sidebar lists the site's pages by title: a new or retitled page
    changes every page."""
    config = project / "mkdocs.yml"
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings.pop("nav", None)
    config.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    assert build(project / "site", config, strict=True) == 0
    (project / "docs/about.md").write_text("# About us\n\nWho we are.\n", encoding="utf-8")
    assert "building every page" in warm_then_clean(project, tmp_path, capfd)
    (project / "docs/about.md").write_text("# About the editors\n\nWho we are.\n",
                                           encoding="utf-8")
    assert "building every page" in warm_then_clean(project, tmp_path, capfd)
