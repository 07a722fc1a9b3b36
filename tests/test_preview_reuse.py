"""What a preview keeps from one rebuild to the next (the adapter's memos), checked in a
separate Python process that rebuilds a small site the way `mkdocs serve --dirty` does:
MkDocs keeps a plugin that has on_startup across rebuilds, so a second process keeps these
tests from sharing a plugin with anything else. That the result equals a clean build is
test_serve_dirty's job; this checks that the work is really saved."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from sitekit import env, make_site, meta

SCRIPT = textwrap.dedent("""
    import gc, json, sys, time
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file, site_dir, new_article = sys.argv[1:]
    def rebuild():
        config = load_config(config_file=config_file, site_dir=site_dir)
        config.site_url = "http://127.0.0.1:8000/"
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        return config

    config = load_config(config_file=config_file, site_dir=site_dir)
    config.site_url = "http://127.0.0.1:8000/"
    config.plugins.on_startup(command="serve", dirty=True)
    plugin = config.plugins["broadsheet"]
    paused = []
    original_refresh = plugin._refresh
    def spy(*args):
        paused.append(not gc.isenabled())  # in the middle of a rebuild
        return original_refresh(*args)
    plugin._refresh = spy
    build(config, serve_url="http://127.0.0.1:8000/", dirty=True)

    def objects():
        return {"listings": {uri: id(plugin.generated_files._known.get(key))
                             for key in plugin.generated_files._known
                             for uri in [key[1]] if key[0] == "listing"},
                "cards": {key[1]: id(file) for key, file in plugin.generated_files._known.items()
                          if key[0] == "card"},
                "views": {page.src_uri: id(page) for page in plugin.listings.pages}}
    before = objects()
    open(new_article, "w", encoding="utf-8").write(
        "---\\ntitle: The newest story\\ndate: 2026-10-30\\nauthor: alex\\n"
        "tags: [energy]\\n---\\n\\nNew text.\\n")
    rebuild()
    after = objects()
    enabled_after = gc.isenabled()
    time.sleep(1.0)
    enabled_when_idle = gc.isenabled()
    config.plugins.on_shutdown()
    print(json.dumps({"before": before, "after": after, "paused": paused,
                      "enabled_after": enabled_after, "enabled_when_idle": enabled_when_idle}))
""")


def test_a_preview_rebuild_keeps_the_unchanged_listing_pages_and_cards(tmp_path):
    site = make_site(tmp_path / "site", plugin_options={"per_page": 2}, articles={
        f"s{n}.md": meta(title=f"Story {n}", date=f"2026-10-{n:02d}", tags=["energy"])
        for n in range(1, 21)})
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(site.config), str(tmp_path / "preview"),
         str(site.docs / "articles" / "newest.md")],
        cwd=site.root, env=env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    before, after = report["before"], report["after"]

    # Page 1 of the home page keeps its two oldest stories: the same File, Page and view.
    assert "page/1/index.md" in before["listings"]
    assert after["listings"]["page/1/index.md"] == before["listings"]["page/1/index.md"]
    assert after["views"]["page/1/index.md"] == before["views"]["page/1/index.md"]
    # The front page lists the new story: a new view (the file itself may stay).
    assert after["views"]["index.md"] != before["views"]["index.md"]
    # Every card of the twenty earlier stories is the same object; the new one is new.
    kept = {uri for uri in before["cards"] if after["cards"].get(uri) == before["cards"][uri]}
    assert len(kept) == 20 and len(after["cards"]) == 21
    # Python's collector is paused during each rebuild, stays off as the rebuild ends (else
    # it would collect there and then), and is back on once the preview is idle.
    assert report["paused"] and all(report["paused"])
    assert not report["enabled_after"]
    assert report["enabled_when_idle"]


def test_an_unchanged_source_is_not_read_again_and_any_write_is_seen(tmp_path):
    import os
    import time

    from mkdocs.structure.files import File

    from broadsheet.mkdocs_plugin import _SourceMemo

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_bytes(b"first text")
    memo = _SourceMemo()
    file = File("a.md", str(docs), str(tmp_path / "site"), True)
    first = memo.read(file)
    memo.forget_others()
    assert first == b"first text"
    assert memo.read(File("a.md", str(docs), str(tmp_path / "site"), True)) is first
    memo.forget_others()
    # Same size, and the modification time put back as it was: the change time still moves.
    before = os.stat(docs / "a.md")
    time.sleep(0.05)  # file times advance by clock ticks of a few milliseconds
    (docs / "a.md").write_bytes(b"other text")
    os.utime(docs / "a.md", ns=(before.st_atime_ns, before.st_mtime_ns))
    assert memo.read(File("a.md", str(docs), str(tmp_path / "site"), True)) == b"other text"


def test_a_feed_entry_is_made_again_when_its_article_or_html_changed():
    from broadsheet.mkdocs_plugin import _FeedMemo

    class Article:
        path = "articles/a.md"

    article, made = Article(), []

    def make(label):
        return lambda: made.append(label) or label

    memo = _FeedMemo()
    memo.start(("settings",))
    assert memo.entry(article, "<p>x</p>", "https://e.org/a/", make("first")) == "first"
    memo.finish()
    memo.start(("settings",))
    assert memo.entry(article, "<p>x</p>", "https://e.org/a/", make("again")) == "first"
    # The same article with other HTML (say, Markdown settings changed in mkdocs.yml).
    assert memo.entry(article, "<p>y</p>", "https://e.org/a/", make("html")) == "html"
    assert memo.entry(Article(), "<p>y</p>", "https://e.org/a/", make("new")) == "new"
    memo.finish()
    memo.start(("other settings",))
    assert memo.entry(article, "<p>y</p>", "https://e.org/a/", make("context")) == "context"
    assert made == ["first", "html", "new", "context"]
