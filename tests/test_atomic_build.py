"""Atomic builds (`make build`): site/ is replaced only by a build that succeeded.

A failed build must leave the previous site exactly as it was, and neither a failed nor a
good build may leave staging folders behind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.build_site import build
from conftest import SAMPLE_NOW, copy_sample_project

pytestmark = pytest.mark.slow

ARTICLE = "docs/articles/2014/why-we-curate.md"


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


def leftovers(site: Path) -> list[str]:
    """Anything next to the site folder that the build made (staging or old copies)."""
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}-"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_NOW", SAMPLE_NOW)
    return copy_sample_project(tmp_path / "project")


def test_a_good_build_writes_the_site_and_leaves_nothing_behind(project):
    site = project / "site"
    assert build(site, project / "mkdocs.yml") == 0
    assert (site / "index.html").is_file()
    assert (site / "404.html").is_file()
    assert site.stat().st_mode & 0o777 == 0o755  # servable, not mkdtemp's private 0700
    assert leftovers(site) == []


def test_a_failed_build_leaves_the_previous_site_untouched(project, capfd):
    site = project / "site"
    assert build(site, project / "mkdocs.yml") == 0
    before = snapshot(site)
    assert before

    broken = project / ARTICLE
    assert broken.is_file(), f"the sample site no longer has {ARTICLE}; pick another article"
    broken.write_text("---\ntitle: [unclosed\ndate: 2014-06-01\n---\n\nBody.\n",
                      encoding="utf-8")
    capfd.readouterr()

    assert build(site, project / "mkdocs.yml") != 0
    output = "".join(capfd.readouterr())
    assert "why-we-curate.md" in output  # it failed because of the broken article
    assert "left as it was" in output
    assert snapshot(site) == before
    assert leftovers(site) == []


def test_a_good_build_replaces_the_whole_previous_site(project):
    site = project / "site"
    assert build(site, project / "mkdocs.yml") == 0
    stale = site / "stale-from-an-old-build.html"
    stale.write_text("old", encoding="utf-8")
    pages_before = {p: b for p, b in snapshot(site).items() if p.endswith(".html")}

    article = project / ARTICLE
    assert article.is_file(), f"the sample site no longer has {ARTICLE}; pick another article"
    article.write_text(article.read_text(encoding="utf-8") + "\nA sentence added for the test.\n",
                       encoding="utf-8")
    assert build(site, project / "mkdocs.yml") == 0

    assert not stale.exists()
    changed = [p for p, b in snapshot(site).items()
               if p.endswith(".html") and b"A sentence added for the test." in b]
    assert changed and all(p in pages_before for p in changed)
    assert leftovers(site) == []
