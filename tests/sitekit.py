"""Helpers that write small Broadsheet sites into a temporary folder and build or check them.

Tests describe a site as data (authors, articles as dicts or raw text) so that each test
shows exactly the input it is about; the build runs the real `mkdocs` in a subprocess, the
way editors run it.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "templates"
NOW = "2026-11-27"
"""The pinned 'now' of every build in the tests (BROADSHEET_NOW), so drafts and scheduled
articles do not change with the calendar."""

AUTHORS = {
    "alex": {"name": "Alex Morgan", "description": "Editor of the test site."},
    "priya": {"name": "Priya Raman", "description": "Covers energy and trade."},
}


def env(**extra: str) -> dict[str, str]:
    """The environment for subprocesses: pinned clock, no MkDocs 2 banner."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=NOW,
                PYTHONDONTWRITEBYTECODE="1", **extra)


def meta(**fields) -> dict:
    """Front matter of a valid article, with `fields` changed; a field set to None is left out."""
    data = {"title": "A valid article", "date": "2024-06-25", "author": "alex"}
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def article_text(front: dict | str, body: str = "Some text for the article.\n") -> str:
    """A Markdown file: `front` is a dict (dumped as YAML) or the raw front matter text."""
    if isinstance(front, dict):
        front = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{front.rstrip(chr(10))}\n---\n\n{body}"


def mkdocs_yml(plugin_options: dict | None = None, custom_dir: Path = TEMPLATES,
               site_url: str = "https://news.example.org/") -> str:
    config = {
        "site_name": "Test Broadsheet",
        "site_url": site_url,
        "theme": {"name": "material", "custom_dir": str(custom_dir), "font": False},
        "nav": [{"Home": "index.md"}],
        "not_in_nav": "/articles/\n",
        "markdown_extensions": ["attr_list", "md_in_html", "admonition"],
        "plugins": [{"broadsheet": dict(plugin_options or {})}],
    }
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write each relative path below `root` (text as UTF-8), making folders as needed."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


@dataclass
class Site:
    root: Path

    @property
    def docs(self) -> Path:
        return self.root / "docs"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, content: str | bytes) -> Path:
        """Write a file below docs/."""
        write_files(self.docs, {relative: content})
        return self.docs / relative

    def article(self, relative: str, front: dict | str, body: str = "Some text.\n") -> Path:
        """Write docs/articles/<relative>."""
        return self.write(f"articles/{relative}", article_text(front, body))

    def authors(self, authors: dict | str) -> Path:
        text = authors if isinstance(authors, str) else yaml.safe_dump(
            {"authors": authors}, sort_keys=False, allow_unicode=True)
        return self.write("authors.yml", text)

    def build(self, *extra: str, strict: bool = True) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--config-file",
                   str(self.config), "--site-dir", str(self.site_dir)]
        if strict:
            command.append("--strict")
        return subprocess.run(command + list(extra), cwd=self.root, env=env(),
                              capture_output=True, text=True, timeout=120)

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        """Run the installed `broadsheet` command in the site's folder."""
        command = [sys.executable, "-m", "broadsheet.cli", *args]
        return subprocess.run(command, cwd=self.root, env=env(), capture_output=True,
                              text=True, timeout=60)

    def page(self, url: str) -> str:
        """The built HTML of a site-relative URL such as '2024/06/my-title/'."""
        return (self.site_dir / url / "index.html").read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        """Every file below docs/, to show that a failed build or check changed nothing."""
        return {p.relative_to(self.docs).as_posix(): p.read_bytes()
                for p in sorted(self.docs.rglob("*")) if p.is_file()}


def make_site(root: Path, *, articles: dict[str, dict | str] | None = None,
              authors: dict | str | None = AUTHORS, plugin_options: dict | None = None,
              index: str = "---\ntitle: Home\n---\n\n# Home\n") -> Site:
    """A small site: mkdocs.yml using the repo's templates, an index page, authors, articles.

    `articles` maps paths below docs/articles/ to front matter dicts (given the default
    body) or to a file's whole text.
    """
    site = Site(root)
    root.mkdir(parents=True, exist_ok=True)
    site.config.write_text(mkdocs_yml(plugin_options), encoding="utf-8")
    site.write("index.md", index)
    if authors is not None:
        site.authors(authors)
    for relative, content in (articles or {}).items():
        if isinstance(content, dict):
            site.article(relative, content)
        else:
            site.write(f"articles/{relative}", content)
    return site


def stop_process(process: subprocess.Popen) -> None:
    """Stop a server started by a test as an editor does, with Ctrl-C (`mkdocs serve` then
    deletes its temporary site and the plugin its stub files, which a plain terminate
    would leave in /tmp); kill it if it will not stop."""
    for stop in (lambda: process.send_signal(signal.SIGINT), process.kill):
        stop()
        try:
            process.wait(timeout=10)
            return
        except subprocess.TimeoutExpired:
            continue
    process.wait(timeout=10)


def copy_sample_site(root: Path) -> Site:
    """The repo's own sample site (mkdocs.yml, docs/, templates/) copied to `root`."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copytree(REPO / "templates", root / "templates")
    return Site(root)


# -- what a built site offers to search and to crawlers -------------------------------------------

def search_documents(site_dir: Path) -> list[tuple[str, str]]:
    """(site-relative URL, indexed text) of every document in the site's search indexes:
    Material's `search/search_index.json` and Broadsheet's Pagefind fragments, whichever
    the site has. Fails when it has neither, so a test cannot pass by finding no index."""
    documents = []
    material = site_dir / "search" / "search_index.json"
    if material.is_file():
        for doc in json.loads(material.read_text(encoding="utf-8"))["docs"]:
            documents.append((doc["location"].split("#")[0], f"{doc['title']} {doc['text']}"))
    fragments = sorted((site_dir / "pagefind" / "fragment").glob("*.pf_fragment"))
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        doc = json.loads(data)
        documents.append((doc["url"].lstrip("/"), json.dumps(doc, ensure_ascii=False)))
    if not material.is_file() and not fragments:
        raise AssertionError(f"{site_dir} has no search index")
    return documents


def sitemap_paths(site_dir: Path) -> set[str]:
    """Site-relative paths of the URLs in sitemap.xml."""
    text = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    return {urlsplit(loc).path.lstrip("/") for loc in re.findall(r"<loc>(.*?)</loc>", text)}


# -- a small DOM on the standard library's HTML parser ---------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node | str] = []

    def iter(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, cls: str | None = None,
                 **attrs: str) -> list[Node]:
        """Elements by tag, by one class name, and by exact attribute values."""
        found = []
        for node in self.iter():
            if tag and node.tag != tag:
                continue
            if cls and cls not in (node.attrs.get("class") or "").split():
                continue
            if any(not _attr_matches(node, k.rstrip("_").replace("_", "-"), v)
                   for k, v in attrs.items()):
                continue
            found.append(node)
        return found

    def find(self, tag: str | None = None, **kwargs) -> Node | None:
        found = self.find_all(tag, **kwargs)
        return found[0] if found else None

    def text(self) -> str:
        parts = []
        for child in self.children:
            parts.append(child.text() if isinstance(child, Node) else child)
        return " ".join("".join(parts).split())

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        # Close up to the matching open element; a stray end tag is ignored.
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def _attr_matches(node: Node, name: str, value: str) -> bool:
    """Exact value, except `rel`, a set of tokens in HTML (rel=" alternate" is alternate)."""
    actual = node.attrs.get(name)
    if name == "rel":
        return actual is not None and value in actual.split()
    return actual == value


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root
