"""`mkdocs serve`: drafts and scheduled articles are previewed with a marker, invalid articles
show their problems on their own page, valid ones keep being served, and edits are picked up.

One server runs for the module (starting it is the slow part); the fixture always stops it.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from sitekit import env, make_site, meta, parse_html, stop_process

# One worker for the module under `pytest -n 2 --dist loadgroup`: its tests share one server
# and run in order (an edit, then a fix).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

START_TIMEOUT = 60
CHANGE_TIMEOUT = 20
BAD_DATE = "---\ntitle: Broken date\ndate: 2024-02-30\nauthor: alex\n---\n\nStill here.\n"
BAD_DATE_LINE = ("articles/bad.md:3: date: '2024-02-30' is not a date or is impossible — write "
                 "it as YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or with an offset, e.g. 2024-06-25 or "
                 "'2024-06-25 09:30:00+02:00'")
OTHER_BAD = {
    # file below docs/articles/: (its text, the start of the problem line its page shows)
    "yaml.md": ("---\ntitle: Japan: a view\ndate: 2024-06-25\nauthor: alex\n---\nText\n",
                "articles/yaml.md:2: front matter: is not valid YAML: mapping values are not "
                "allowed here — check indentation"),
    "type.md": ("---\ntitle: T\ndate: 2024-06-25\nauthor: alex\ntags: {a: 1}\n---\nText\n",
                "articles/type.md:5: tags: is a mapping, not a list — write a list"),
    "who.md": ("---\ntitle: Who\ndate: 2024-06-25\nauthor: alx\n---\nText\n",
               "articles/who.md:4: author: unknown author 'alx' — did you mean 'alex'?"),
    "typo.md": ("---\ntitle: Typo\ndate: 2024-06-25\nautor: alex\n---\nText\n",
                "articles/typo.md:4: autor: unknown key — did you mean 'author'?"),
    "url.md": ("---\ntitle: Url\ndate: 2024-06-25\nauthor: alex\nsource:\n  name: X\n"
               "  url: www.example.com\n---\nText\n",
               "articles/url.md:7: source.url: must start with https:// or http://"),
    "twin-a.md": ("---\ntitle: Twins\ndate: 2024-06-25\nauthor: alex\n---\nText\n",
                  "articles/twin-a.md: url: '2024/06/twins/' is also the URL of "
                  "articles/twin-b.md — give one of them a different `slug:`"),
    "twin-b.md": ("---\ntitle: Twins\ndate: 2024-06-26\nauthor: alex\n---\nText\n",
                  "articles/twin-b.md: url: '2024/06/twins/' is also the URL of "
                  "articles/twin-a.md"),
    "empty.md": ("", "articles/empty.md: file: is empty — add front matter"),
    "open.md": ("---\ntitle: Open\n\nText\n", "articles/open.md:1: front matter: is not closed"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def wait_for(condition, timeout: float, what: str):
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = condition()
        except OSError:
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.2)


@contextlib.contextmanager
def running_server(site, port: int | None = None, dirty: bool = False):
    """Run `mkdocs serve --livereload` on `site`; yield (base URL, log reader); always stop it."""
    port = port or free_port()
    log_path = site.root / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr",
         f"127.0.0.1:{port}", "--config-file", str(site.config), *(["--dirty"] if dirty else [])],
        cwd=site.root, env=env(), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"

    def log_text() -> str:
        return log_path.read_text(encoding="utf-8", errors="replace")

    try:
        def up():
            if process.poll() is not None:
                pytest.fail(f"mkdocs serve exited with {process.returncode}:\n{log_text()}")
            return fetch(base)[0] == 200
        wait_for(up, START_TIMEOUT, "mkdocs serve to answer")
        yield base, log_text
    finally:
        stop_process(process)
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("serve"), articles={
        "live.md": meta(title="Live piece", date="2026-11-26"),
        "other.md": meta(title="Other live piece", date="2026-11-20", author="priya"),
        "draft.md": meta(title="Secret draft", date="2026-11-01", draft=True),
        "soon.md": meta(title="Future piece", date="2031-01-05 07:00"),
        "bad.md": BAD_DATE,
        **{name: text for name, (text, _) in OTHER_BAD.items()},
    })
    with running_server(site) as (base, log_text):
        yield site, base, log_text


def page(base: str, url: str):
    status, text = fetch(base + url)
    assert status == 200, f"{url}: HTTP {status}"
    return text, parse_html(text)


def test_valid_articles_are_served(server):
    site, base, _ = server
    for url, title in [("2026/11/live-piece/", "Live piece"),
                       ("2026/11/other-live-piece/", "Other live piece")]:
        _, html = page(base, url)
        assert html.find("h1").text() == title
        assert html.find(cls="bs-status") is None
        assert html.find(cls="bs-problems") is None


def test_draft_shows_the_draft_marker(server):
    _, base, _ = server
    _, html = page(base, "2026/11/secret-draft/")
    assert html.find("h1").text() == "Secret draft"
    marker = html.find(cls="bs-status")
    assert marker is not None and marker.text().startswith("Draft")


def test_scheduled_shows_when(server):
    _, base, _ = server
    _, html = page(base, "2031/01/future-piece/")
    marker = html.find(cls="bs-status")
    assert marker is not None
    assert marker.text().startswith("Scheduled for 5 January 2031")


def test_invalid_article_shows_its_problems_on_its_page(server):
    _, base, log_text = server
    _, html = page(base, "articles/bad/")
    box = html.find(cls="bs-problems")
    assert box is not None
    assert [code.text() for code in box.find_all("code")] == [BAD_DATE_LINE]
    assert "Still here." in html.text()
    assert BAD_DATE_LINE in log_text(), "the terminal shows the problem too"


@pytest.mark.parametrize("name", list(OTHER_BAD))
def test_every_kind_of_problem_is_shown_on_its_page(server, name):
    _, base, log_text = server
    _, html = page(base, "articles/" + name.removesuffix(".md") + "/")
    box = html.find(cls="bs-problems")
    assert box is not None
    lines = [code.text() for code in box.find_all("code")]
    assert len(lines) == 1 and lines[0].startswith(OTHER_BAD[name][1])
    assert lines[0] in log_text()


def test_livereload_script_is_injected(server):
    _, base, _ = server
    text, _ = page(base, "2026/11/live-piece/")
    assert "livereload" in text


def test_edits_are_picked_up(server):
    site, base, _ = server
    path = site.docs / "articles/live.md"
    path.write_text(path.read_text().replace("Some text.", "Freshly edited words."))
    wait_for(lambda: "Freshly edited words." in fetch(base + "2026/11/live-piece/")[1],
             CHANGE_TIMEOUT, "the edited article to be served")


def test_fixing_an_invalid_article_publishes_it_in_the_preview(server):
    site, base, _ = server
    (site.docs / "articles/bad.md").write_text(BAD_DATE.replace("2024-02-30", "2024-02-29"))
    _, html = wait_for(lambda: (lambda r: r[0] == 200 and r)(
        fetch(base + "2024/02/broken-date/")), CHANGE_TIMEOUT, "the fixed article's page")
    html = parse_html(html)
    assert html.find("h1").text() == "Broken date"
    assert html.find(cls="bs-problems") is None
    # ... and the others are still there.
    assert page(base, "2026/11/other-live-piece/")[1].find("h1").text() == "Other live piece"


def test_undecodable_article_does_not_stop_the_preview(tmp_path):
    site = make_site(tmp_path, articles={
        "live.md": meta(title="Live piece", date="2026-11-26"),
        "latin1.md": "---\ntitle: Caf\u00e9\ndate: 2024-06-25\nauthor: alex\n---\n".encode("latin-1"),
    })
    with running_server(site) as (base, log_text):
        _, html = page(base, "2026/11/live-piece/")
        assert html.find("h1").text() == "Live piece"
        _, html = page(base, "articles/latin1/")
        lines = [code.text() for code in html.find(cls="bs-problems").find_all("code")]
        assert lines[0].startswith("articles/latin1.md:2: file: is not valid UTF-8")


def test_an_edit_updates_every_listing_and_feed_it_appears_on(tmp_path):
    # The publication issue's preview check: retitle and retag an article while serving;
    # the home page, the tag it left, the tag it joined and the feed all follow.
    site = make_site(tmp_path, articles={
        "moving.md": meta(title="Original headline", date="2026-11-25", tags=["alpha"]),
        "staying.md": meta(title="Steady piece", date="2026-11-20", tags=["alpha"]),
    })
    with running_server(site) as (base, _):
        assert "Original headline" in page(base, "tags/alpha/")[0]
        (site.docs / "articles" / "moving.md").write_text(
            "---\ntitle: Rewritten headline\ndate: 2026-11-25\nauthor: alex\ntags: [beta]\n"
            "---\n\nNew text.\n", encoding="utf-8")

        def changed(url, present, absent=None):
            status, text = fetch(base + url)
            return status == 200 and present in text and (absent is None or absent not in text)

        wait_for(lambda: changed("", "Rewritten headline", "Original headline"),
                 CHANGE_TIMEOUT, "the home page to show the new title")
        assert changed("tags/beta/", "Rewritten headline")
        assert changed("tags/alpha/", "Steady piece", "headline")
        assert changed("feed.xml", "Rewritten headline", "Original headline")
        assert changed("tags/beta/feed.xml", "Rewritten headline")
        assert changed("authors/alex/", "Rewritten headline", "Original headline")
