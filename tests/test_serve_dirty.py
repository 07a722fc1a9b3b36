"""`mkdocs serve --dirty` (what `make serve` runs) re-renders only what changed, and the
result equals a clean build of the same files after every kind of edit: a retitled article
(its neighbours, listings and feeds change), a moved tag, a new article, a deleted one, a
new source, an edited author."""

from __future__ import annotations

import difflib
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from sitekit import Site, make_site, meta
from test_serve import free_port, running_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

SETTLE_TIMEOUT = 40
SKIPPED = ("pagefind/",)  # indexed in the background in preview; not part of a rebuild


def strip_livereload(body: bytes) -> bytes:
    """The preview server adds its reload script before </body>; a built file has none."""
    end = body.rfind(b"</body>")
    start = body.rfind(b"<script>", 0, end)
    if end < 0 or start < 0 or b"livereload(" not in body[start:end]:
        return body
    return body[:start] + body[end:]


def clean_build(site, tmp_path: Path, port: int) -> Path:
    """A clean build of the site's current files, with the preview's site_url."""
    copy = tmp_path / f"clean-{time.monotonic_ns()}"
    shutil.copytree(site.root, copy, ignore=shutil.ignore_patterns("site", "serve.log"))
    config = yaml.safe_load((copy / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = f"http://127.0.0.1:{port}/"
    (copy / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    clone = Site(copy)
    result = clone.build()
    assert result.returncode == 0, result.stderr
    return clone.site_dir


def fetch_bytes(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, b""


def differences(base: str, built: Path, gone: list[str]) -> list[str]:
    found = []
    for path in sorted(built.rglob("*")):
        relative = path.relative_to(built).as_posix()
        if path.is_dir() or relative.startswith(SKIPPED):
            continue
        url = relative[:-len("index.html")] if relative.endswith("index.html") else relative
        status, served = fetch_bytes(base + url)
        if status != 200:
            found.append(f"{relative}: HTTP {status} in the preview")
            continue
        if strip_livereload(served) != path.read_bytes():
            diff = difflib.unified_diff(
                path.read_text(encoding="utf-8", errors="replace").splitlines(),
                strip_livereload(served).decode("utf-8", "replace").splitlines(),
                "clean build", "preview", n=0, lineterm="")
            found.append(f"{relative}: differs from a clean build\n"
                         + "\n".join(list(diff)[2:8]))
    for url in gone:
        status, _ = fetch_bytes(base + url)
        if status != 404:
            found.append(f"{url}: still served (HTTP {status}) after its article went")
    return found


def settle(base: str, site, tmp_path: Path, port: int, gone: list[str] = ()) -> None:
    """Wait until the preview equals a clean build; fail with the differences if it never does."""
    built = clean_build(site, tmp_path, port)
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while True:
        found = differences(base, built, list(gone))
        if not found:
            return
        if time.monotonic() > deadline:
            pytest.fail("preview differs from a clean build:\n" + "\n".join(found[:30]))
        time.sleep(0.5)


def test_dirty_preview_equals_a_clean_build_after_every_kind_of_edit(tmp_path):
    site = make_site(tmp_path / "site", articles={
        "a.md": meta(title="Alpha story", date="2026-11-01", tags=["energy", "trade"]),
        "b.md": meta(title="Bravo story", date="2026-11-02", tags=["energy"], author="priya"),
        "c.md": meta(title="Charlie story", date="2026-11-03", tags=["trade"]),
        "d.md": meta(title="Delta story", date="2026-11-04", tags=["energy", "C++"]),
        "e.md": meta(title="Echo story", date="2026-11-05", tags=["trade"],
                     source={"name": "Example Times", "url": "https://example.com/e"}),
    })
    port = free_port()
    with running_server(site, port=port, dirty=True) as (base, _):
        settle(base, site, tmp_path, port)

        # The commonest save: text further down an article. Listings are reused as they were
        # (ListingsCache); its page and the feeds that carry its text must still change.
        site.article("e.md", meta(title="Echo story", date="2026-11-05", tags=["trade"],
                                  source={"name": "Example Times",
                                          "url": "https://example.com/e"}),
                     "Some text.\n\nA second paragraph, added in the preview.\n")
        settle(base, site, tmp_path, port)
        # Its first paragraph is the excerpt on every card that lists it.
        site.article("e.md", meta(title="Echo story", date="2026-11-05", tags=["trade"],
                                  source={"name": "Example Times",
                                          "url": "https://example.com/e"}),
                     "A new opening.\n\nA second paragraph, added in the preview.\n")
        settle(base, site, tmp_path, port)

        # A retitle: its own page, the neighbours' "newer/older" and related, listings, feeds.
        site.article("a.md", meta(title="Alpha story, retold", date="2026-11-01",
                                  tags=["energy", "trade"]))
        settle(base, site, tmp_path, port)

        # A tag moves: the article leaves one tag page and joins another; counts change.
        site.article("b.md", meta(title="Bravo story", date="2026-11-02", tags=["trade"],
                                  author="priya"))
        settle(base, site, tmp_path, port)

        # A new article, and a deleted one (its page must go).
        site.article("f.md", meta(title="Foxtrot story", date="2026-11-06", tags=["energy"]))
        (site.docs / "articles" / "d.md").unlink()
        settle(base, site, tmp_path, port, gone=["2026/11/delta-story/"])

        # An article gains a source; an author is renamed (every page naming them changes).
        # (Drafts are left out here: a preview shows them and a build never does, by design.)
        site.article("c.md", meta(title="Charlie story", date="2026-11-03", tags=["trade"],
                                  source={"name": "Harbour Review",
                                          "url": "https://example.org/c"}))
        authors = yaml.safe_load((site.docs / "authors.yml").read_text(encoding="utf-8"))
        authors["authors"]["priya"]["name"] = "Priya R. Raman"
        site.authors(authors["authors"])
        settle(base, site, tmp_path, port)


def test_dirty_preview_of_paginated_listings_equals_a_clean_build(tmp_path):
    """Numbered listing pages and share cards are kept from one rebuild to the next (the
    same File and Page objects): adding, retitling and deleting articles on a site whose
    listings span several pages must still give what a clean build gives."""
    def story(number: int, **extra) -> dict:
        return meta(title=f"Story {number}", date=f"2026-10-{number:02d}",
                    tags=["energy"] if number % 2 else ["energy", "trade"], **extra)

    site = make_site(tmp_path / "site", plugin_options={"per_page": 2},
                     articles={f"s{n:02d}.md": story(n) for n in range(1, 10)})
    port = free_port()
    with running_server(site, port=port, dirty=True) as (base, _):
        settle(base, site, tmp_path, port)
        # The newest article: front pages change, numbered pages stay.
        site.article("s10.md", story(10))
        settle(base, site, tmp_path, port)
        # A retitled article on a numbered page, and one in the middle published later.
        site.article("s03.md", story(3) | {"title": "Story three, retold"})
        site.article("s05.md", story(5) | {"date": "2026-10-20"})
        settle(base, site, tmp_path, port)
        # A deleted article shifts every page after it; a page of the home listing goes.
        (site.docs / "articles" / "s01.md").unlink()
        (site.docs / "articles" / "s02.md").unlink()
        settle(base, site, tmp_path, port, gone=["2026/10/story-1/", "2026/10/story-2/", "page/4/"])
