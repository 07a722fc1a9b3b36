"""Hostile input: whatever an editor (or an imported file) puts in front matter or the
authors file either fails with a clear `path:line: field` problem or renders as inert text,
in bounded time, and never costs another article its place."""

from __future__ import annotations

import json
import os
import signal
import textwrap
from contextlib import contextmanager
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from broadsheet.catalog import build_catalog, read_site
from broadsheet.settings import Settings
from conftest import build_site, copy_sample_project

NOW = datetime(2026, 11, 27, tzinfo=timezone.utc)
SETTINGS = Settings(now=NOW)
AUTHORS = b"authors:\n  alex:\n    name: Alex Morgan\n    description: Editor.\n"
GOOD = b"---\ntitle: A good article\ndate: 2026-01-01\nauthor: alex\n---\nBody.\n"
MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&amp;<!--'


@contextmanager
def time_limit(seconds: int):
    def expire(*_):
        raise TimeoutError(f"took longer than {seconds}s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(hostile: bytes, authors: bytes = AUTHORS):
    files = [("articles/bad.md", hostile), ("articles/good.md", GOOD)]
    with time_limit(10):
        catalog = build_catalog(files, authors, SETTINGS)
    assert "articles/good.md" in catalog.by_path, "a hostile file cost a good article its place"
    return catalog


def fm(body: str) -> bytes:
    return ("---\n" + textwrap.dedent(body).strip("\n") + "\n---\nText.\n").encode()


BASE = "date: 2026-01-01\nauthor: alex\n"

REFUSED = [
    # (case id, file bytes, expected field, words expected in the message or hint)
    ("javascript-source-url", fm(f"title: T\n{BASE}source:\n  name: X\n  url: javascript:alert(1)"),
     "source.url", "https://"),
    ("data-source-url", fm(f"title: T\n{BASE}source:\n  name: X\n  url: 'data:text/html,<b>x</b>'"),
     "source.url", "https://"),
    ("relative-source-url", fm(f"title: T\n{BASE}source:\n  name: X\n  url: /local/page"),
     "source.url", "https://"),
    ("protocol-relative-url", fm(f"title: T\n{BASE}source:\n  name: X\n  url: //evil.example/x"),
     "source.url", "https://"),
    ("javascript-image", fm(f"title: T\n{BASE}image: javascript:alert(1)\nimage_alt: x"),
     "image", "https://"),
    ("image-leaves-docs", fm(f"title: T\n{BASE}image: ../../etc/passwd\nimage_alt: x"),
     "image", "inside docs/"),
    ("control-character", f"---\ntitle: \"bell\\a here\"\n{BASE}---\nx\n".encode(),
     "title", "control character"),
    ("title-is-a-list", fm(f"title: [a, b]\n{BASE}"), "title", "not text"),
    ("date-is-a-number", fm("title: T\ndate: 5\nauthor: alex"), "date", "YYYY-MM-DD"),
    ("impossible-date", fm("title: T\ndate: 2026-02-30\nauthor: alex"), "date", "impossible"),
    ("tags-mapping", fm(f"title: T\n{BASE}tags: {{a: b}}"), "tags", "list"),
    ("draft-text", fm(f"title: T\n{BASE}draft: 'maybe'"), "draft", "true or false"),
    ("huge-title", fm(f"title: {'x' * 100_000}\n{BASE}"), "title", "limit"),
    ("billion-laughs", (
        "---\ntitle: T\n" + BASE +
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "---\nx\n").encode(), "front matter", "aliases"),
    ("deep-nesting", ("---\ntitle: " + "[" * 50_000 + "\n---\nx\n").encode(),
     "front matter", "YAML"),
    ("invalid-utf8", b"---\ntitle: caf\xe9\n" + BASE.encode() + b"---\n", "file", "UTF-8"),
    ("empty-file", b"", "file", "empty"),
    ("only-whitespace", b" \n\n\t\n", "file", "empty"),
    ("unclosed-front-matter", b"---\ntitle: T\n", "front matter", "---"),
    ("front-matter-not-mapping", b"---\n- a\n- b\n---\nx\n", "front matter", "key: value"),
    ("unknown-author-markup", fm(f"title: T\ndate: 2026-01-01\nauthor: {json.dumps(MARKUP)}"),
     "author", "unknown author"),
]


@pytest.mark.parametrize("case, data, field, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_hostile_front_matter_is_refused_clearly(case, data, field, words):
    catalog = check(data)
    problems = catalog.problems_for("articles/bad.md")
    assert problems, f"{case}: accepted"
    matching = [p for p in problems if p.field == field]
    assert matching, f"{case}: no problem for field {field!r}: {[str(p) for p in problems]}"
    text = str(matching[0])
    assert text.startswith("articles/bad.md"), text
    assert words.lower() in text.lower(), text
    assert " — " in text, f"no hint in {text!r}"
    assert "Traceback" not in text


def test_bom_and_crlf_are_read_like_any_file():
    data = "\ufeff---\r\ntitle: Windows file\r\ndate: 2026-01-02\r\nauthor: alex\r\n---\r\nBody\r\n"
    catalog = check(data.encode("utf-8"))
    article = catalog.by_path["articles/bad.md"]
    assert article.title == "Windows file"
    assert "\r" not in article.body


@pytest.mark.parametrize("entry, field", [
    ("avatar: 'javascript:alert(1)'", "authors.eve.avatar"),
    ("url: 'javascript:alert(1)'", "authors.eve.url"),
    ("links: {Home: 'javascript:alert(1)'}", "authors.eve.links.Home"),
    ("name: [not, text]", "authors.eve.name"),
])
def test_hostile_authors_file_is_refused_clearly(entry, field):
    authors = AUTHORS + f"  eve:\n    name: Eve\n    {entry}\n".encode()
    if entry.startswith("name:"):
        authors = AUTHORS + f"  eve:\n    {entry}\n".encode()
    catalog = check(fm(f"title: Another article\n{BASE}"), authors)
    fields = [p.field for p in catalog.problems]
    assert field in fields, [str(p) for p in catalog.problems]
    assert "alex" in catalog.authors, "a bad entry cost a good author"


def test_symlink_out_of_docs_is_refused(tmp_path):
    project = copy_sample_project(tmp_path / "project")
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: Secret\ndate: 2026-01-01\nauthor: alex\n---\nkey\n")
    os.symlink(secret, project / "docs" / "articles" / "leak.md")
    os.symlink(secret, project / "docs" / "leak.txt")
    catalog = read_site(project / "docs", SETTINGS)
    assert [str(p) for p in catalog.problems if p.path == "articles/leak.md"]
    result = build_site(project, tmp_path / "site", check=False)
    assert result.returncode != 0
    log = result.stdout + result.stderr
    assert "leak.txt: file: is a link to a file outside docs/" in log
    assert "articles/leak.md: file: is a link to a file outside docs/" in log


# -- rendering: values that are allowed must come out as text, never markup ------------------

class PageScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.h1: list[str] = []
        self._in: str | None = None
        self._script_attrs: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("script", "h1"):
            self._in = tag
            self._script_attrs = attrs
            if tag == "script":
                self.scripts.append((attrs, ""))
            else:
                self.h1.append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in == "h1":
            self.h1[-1] += data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    project = copy_sample_project(root / "project")
    (project / "docs" / "authors.yml").write_text(
        "authors:\n"
        "  alex:\n"
        f"    name: {json.dumps('Alex ' + MARKUP)}\n"
        f"    description: {json.dumps('Bio ' + MARKUP)}\n"
        f"    links: {{{json.dumps(MARKUP)}: 'https://example.com/?a=1&b=\"2\"'}}\n"
        "  priya:\n    name: Priya\n", encoding="utf-8")
    title = "Hostile </script><script>alert(3)</script> " + MARKUP
    (project / "docs" / "articles" / "hostile.md").write_text(
        "---\n"
        f"title: {json.dumps(title)}\n"
        "date: 2026-01-05\nauthor: alex\n"
        f"tags: [{json.dumps(MARKUP)}, 'C++']\n"
        f"excerpt: {json.dumps('Excerpt ' + MARKUP)}\n"
        f"description: {json.dumps('Description ' + MARKUP)}\n"
        "source:\n"
        f"  name: {json.dumps('Source ' + MARKUP)}\n"
        "  url: 'https://example.com/story?x=1&y=\"><script>alert(4)</script>'\n"
        f"  title: {json.dumps('Headline ' + MARKUP)}\n"
        f"  author: {json.dumps('Reporter ' + MARKUP)}\n"
        "share:\n"
        f"  text: {json.dumps('Share &url=https://evil.example/#' + MARKUP)}\n"
        "---\n\nIntro.\n\n> Quoted.\n", encoding="utf-8")
    site = root / "site"
    build_site(project, site)
    return site, title


def _hostile_pages(site: Path):
    return [p for p in site.rglob("*.html") if "hostile" in p.read_text(encoding="utf-8").lower()]


def assert_inert(page: Path) -> PageScan:
    scan = PageScan()
    scan.feed(page.read_text(encoding="utf-8"))
    for tag, attrs in scan.tags:
        assert not any(name.startswith("on") for name in attrs), (page, tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x"), (page, attrs)
        for name in ("href", "src", "action", "formaction"):
            assert not (attrs.get(name) or "").strip().lower().startswith(
                ("javascript:", "data:text")), (page, tag, attrs)
    for attrs, text in scan.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(text)
        else:
            assert "alert(" not in text, (page, text[:200])
    return scan


def test_hostile_values_render_as_text(hostile_site):
    site, title = hostile_site
    page = next(site.glob("2026/01/*/index.html"))
    scan = assert_inert(page)
    assert scan.h1 == [title], scan.h1


def test_no_page_anywhere_carries_live_markup_from_metadata(hostile_site):
    # Listings, tag and author pages, related articles, feeds links, the 404 page: every
    # place that shows metadata of the hostile article or author.
    site, _ = hostile_site
    pages = _hostile_pages(site)
    assert len(pages) > 3, "the hostile article is missing from the build"
    for page in pages:
        assert_inert(page)
        assert "<script>alert(" not in page.read_text(encoding="utf-8"), page


def test_a_link_into_a_sibling_folder_with_a_longer_name_is_outside_docs(tmp_path):
    # docs2/ starts with "docs" but is not inside docs/: a prefix test must include the "/".
    from broadsheet.safety import escaping_links
    docs, sibling = tmp_path / "docs", tmp_path / "docs2"
    docs.mkdir()
    sibling.mkdir()
    (sibling / "secret.md").write_text("key\n")
    (docs / "inside.md").write_text("fine\n")
    os.symlink(sibling / "secret.md", docs / "leak.md")
    os.symlink(docs / "inside.md", docs / "alias.md")
    files = [(name, str(docs / name)) for name in ("inside.md", "leak.md", "alias.md")]
    assert [p.path for p in escaping_links(files, str(docs))] == ["leak.md"]
