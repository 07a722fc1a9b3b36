"""A full build renders part of its pages in a second process (forked_render.py, adapter
`_render_pages_aside`): the site must be byte-identical to one rendered by a single process,
and the second process must really have rendered pages (else this test proves nothing)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from sitekit import make_site, meta
from test_deterministic import differences, tree

from broadsheet import forked_render

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not forked_render.available(), reason="needs os.fork")]


def test_pages_rendered_by_a_second_process_equal_those_of_a_single_process(tmp_path):
    articles = {f"s{n:02d}.md": meta(title=f"Story {n}", date=f"2026-{1 + n // 28:02d}-"
                                     f"{1 + n % 28:02d}",
                                     tags=["energy", "trade"][: 1 + n % 2],
                                     author="priya" if n % 3 else "alex",
                                     source={"name": "Example Times",
                                             "url": f"https://example.com/{n}"})
                for n in range(45)}
    site = make_site(tmp_path / "site", plugin_options={"per_page": 2}, articles=articles)
    result = site.build("--verbose")
    assert result.returncode == 0, result.stderr
    assert "rendered by a second process" in result.stderr
    together = tree(site.site_dir)

    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["plugins"][0]["broadsheet"]["second_process"] = False
    site.config.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    shutil.rmtree(site.site_dir)
    result = site.build("--verbose")
    assert result.returncode == 0, result.stderr
    assert "rendered by a second process" not in result.stderr
    alone = tree(site.site_dir)

    assert len(together) > 100 and "page/10/index.html" in together
    found = differences(together, alone)
    assert not found, "the two builds differ:\n" + "\n".join(found)
