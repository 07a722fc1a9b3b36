"""A full build converts part of the articles' Markdown and renders part of its pages in a
second process (forked_render.py; adapter `_convert_markdown_aside`, `_render_pages_aside`):
the site must be byte-identical to one made by a single process, and the second process must
really have done both (else this test proves nothing)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml

from sitekit import env, make_site, meta
from test_deterministic import differences, tree

from broadsheet import forked_render
from broadsheet.search_input import cut_down

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not forked_render.available(), reason="needs os.fork")]


def test_pages_rendered_by_a_second_process_equal_those_of_a_single_process(tmp_path):
    # Spread over 2024-2025 (before the tests' pinned clock), with excerpts cited from sources.
    articles = {f"s{n:02d}.md": meta(title=f"Story {n}",
                                     date=f"{2024 + n // 50}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                                     tags=["energy", "trade"][: 1 + n % 2],
                                     author="priya" if n % 3 else "alex",
                                     source={"name": "Example Times",
                                             "url": f"https://example.com/{n}"})
                for n in range(100)}
    site = make_site(tmp_path / "site", plugin_options={"per_page": 2})
    for number, (path, front) in enumerate(articles.items()):
        # Headings make a table of contents and anchors, which the child hands back too.
        site.article(path, front, f"Opening of story {number}.\n\n## Background {number}\n\n"
                     f"Text, and [the last story](s99.md#background-99).\n\n"
                     f"> An excerpt from the source.\n")
    # MkDocs checks links to anchors (strict: a missing one fails the build) with the
    # anchors each page's conversion found: s99 is converted by the child.
    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["validation"] = {"anchors": "warn"}
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    # A first build: the share cards are drawn in a third process meanwhile.
    result = site.build("--verbose")
    assert result.returncode == 0, result.stderr
    # 55 of the 100 article pages and no listing page: the child is gone before Pagefind
    # starts (the build renders the listings meanwhile).
    assert "55 article page(s) rendered by a second process" in result.stderr
    assert "converted by a second process" in result.stderr
    assert len(list((site.root / ".cache" / "broadsheet" / "cards").glob("*.png"))) == 100
    together = tree(site.site_dir)
    # What Pagefind read: each article page cut down, half of them by the child.
    assert "article page(s) cut down for Pagefind by the second process" in result.stderr
    cut_pages = site.root / ".cache" / "broadsheet" / "search-input" / "pages"
    articles_written = [uri for uri in together
                        if uri.startswith("202") and uri.endswith("/index.html")]
    assert len(articles_written) == 100
    for uri in articles_written:
        expected = cut_down(together[uri].decode("utf-8")).encode("utf-8")
        assert (cut_pages / uri).read_bytes() == expected, uri
    # Without --verbose MkDocs records links to anchors (it skips that when debugging).
    result = site.build()
    assert result.returncode == 0, result.stderr

    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["plugins"][0]["broadsheet"]["second_process"] = False
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.rmtree(site.site_dir)
    result = site.build("--verbose")
    assert result.returncode == 0, result.stderr
    assert "by a second process" not in result.stderr
    alone = tree(site.site_dir)

    assert len(together) > 100 and "page/10/index.html" in together
    found = differences(together, alone)
    assert not found, "the two builds differ:\n" + "\n".join(found)

    # And a broken link to an anchor, in an article the child converts, still fails --strict.
    config["plugins"][0]["broadsheet"]["second_process"] = True
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    site.article("s98.md", articles["s98.md"], "Text, and [nowhere](s99.md#no-such-part).\n")
    result = site.build()
    assert result.returncode != 0 and "no-such-part" in result.stderr


def test_no_second_process_when_another_plugin_takes_part_in_the_page_events(tmp_path):
    # MkDocs' own search plugin collects every page's text in on_page_context: pages the
    # child rendered would be missing from its index, so templates are all rendered by the
    # build itself. (Markdown may still be converted aside: no plugin but ours sees it.)
    site = make_site(tmp_path / "site", plugin_options={"per_page": 2}, articles={
        f"s{n:02d}.md": meta(title=f"Story {n}", date=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                             tags=["energy"]) for n in range(100)})
    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["plugins"].insert(0, "search")
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert site.build(strict=False).returncode == 0  # share cards drawn
    result = site.build("--verbose", strict=False)
    assert result.returncode == 0, result.stderr
    assert "rendered by a second process" not in result.stderr
    assert "converted by a second process" in result.stderr
    index = (site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert all(f"Story {n}" in index for n in range(100))


DROP_EVERY_OTHER_RESULT = """
import atexit, collections, sys
from broadsheet import forked_render, search_input
from mkdocs.__main__ import cli

taken = []
original = forked_render.ForkedRenderer.output

def output(self, key):
    result = original(self, key)
    taken.append(key)
    return None if len(taken) % 2 else result  # as if the child had failed on it

forked_render.ForkedRenderer.output = output

cuts = collections.Counter()
original_cut = search_input.IndexInput.cut

def cut(self, dest_uri, page_html):
    cuts[dest_uri] += 1
    return original_cut(self, dest_uri, page_html)

search_input.IndexInput.cut = cut
atexit.register(lambda: print(f"pages cut: {len(cuts)}, cut twice: "
                              f"{sum(1 for n in cuts.values() if n > 1)}", file=sys.stderr))
cli(sys.argv[1:])
"""


def test_pages_the_second_process_could_not_do_are_done_by_the_build_the_same(tmp_path):
    # Half of what the child converted or rendered is refused (as when it fails or warns):
    # the build converts and renders those pages itself, and the site is still the same.
    site = make_site(tmp_path / "site", plugin_options={"per_page": 2})
    for n in range(100):
        site.article(f"s{n:02d}.md", meta(title=f"Story {n}",
                                          date=f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}",
                                          tags=["energy"],
                                          source={"name": "Example Times",
                                                  "url": f"https://example.com/{n}"}),
                     f"Opening {n}.\n\n## Part {n}\n\n> Quoted from the source.\n")
    assert site.build().returncode == 0  # share cards drawn
    assert site.build().returncode == 0
    expected = tree(site.site_dir)
    shutil.rmtree(site.site_dir)
    result = subprocess.run(
        [sys.executable, "-c", DROP_EVERY_OTHER_RESULT, "build", "--clean", "--strict",
         "--verbose", "--config-file", str(site.config), "--site-dir", str(site.site_dir)],
        cwd=site.root, env=env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "converted by a second process" in result.stderr
    assert "rendered by a second process" in result.stderr
    # Each page the build rendered in the child's place was cut down for Pagefind once.
    assert re.search(r"pages cut: [1-9][0-9]*, cut twice: 0\n", result.stderr), result.stderr
    found = differences(expected, tree(site.site_dir))
    assert not found, "the builds differ:\n" + "\n".join(found)
