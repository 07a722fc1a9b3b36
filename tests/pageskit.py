"""Helpers for tests of a site published the way GitHub Pages publishes a project site: under
a sub-path (https://<user>.github.io/<repo>/), with 404.html served for every missing address.

`subpath_sample` is the repo's sample site with `site_url` on such a sub-path, plus one article
that uses what the sample's own articles do not (an `image:`, an image and a link to another
article in its body); `pages_server` serves a folder holding the built site under the same
sub-path, answering a missing address with the site's 404.html and status 404, as GitHub
Pages does.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from broadsheet.quality.serve import running

from sitekit import Site, article_text, copy_sample_site

SUBPATH = "/broadsheet-demo/"
PUBLIC_URL = "https://example.github.io" + SUBPATH
"""Where the test site says it lives (its site_url)."""
PUBLIC_HOST = urlsplit(PUBLIC_URL).netloc
INERT_SCHEMES = ("mailto:", "tel:", "sms:", "data:", "javascript:", "blob:", "about:")

EXTRA_ARTICLE = "articles/2014/harbour-in-pictures.md"
EXTRA_IMAGE = "images/harbour.png"


def _png() -> bytes:
    from PIL import Image  # Pillow is a dependency of Broadsheet (share cards)

    buffer = io.BytesIO()
    Image.new("RGB", (16, 9), "#3f51b5").save(buffer, "PNG")
    return buffer.getvalue()


def subpath_sample(root: Path, site_url: str = PUBLIC_URL) -> Site:
    """The sample site (not built) with `site_url` set to a GitHub Pages project address, and
    two articles a page so that listings have later pages and pagination links."""
    site = copy_sample_site(root)
    config = yaml.safe_load(site.config.read_text(encoding="utf-8"))
    config["site_url"] = site_url
    plugin = next(p for p in config["plugins"] if isinstance(p, dict) and "broadsheet" in p)
    plugin["broadsheet"]["per_page"] = 2
    site.config.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")
    site.write(EXTRA_IMAGE, _png())
    site.write(EXTRA_ARTICLE, article_text(
        {"title": "The harbour in pictures", "slug": "harbour-in-pictures",
         "date": "2014-07-10 12:00", "author": "priya",
         "tags": ["energy"], "image": EXTRA_IMAGE, "image_alt": "The harbour at dawn"},
        "The terminal from the water, a week after our "
        "[explainer](lng-vladivostok-explained.md).\n\n"
        "![The harbour at dawn](../../images/harbour.png)\n"))
    return site


def publish(site_dir: Path, root: Path) -> Path:
    """Copy a built site to <root>/<sub-path>/, as GitHub Pages serves a project site."""
    target = root / SUBPATH.strip("/")
    shutil.copytree(site_dir, target)
    return target


class _PagesHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing address under a site's sub-path with that
    site's 404.html (status 404), and a folder without index.html with it too."""

    sites: dict[str, Path] = {}  # sub-path -> folder of the site published there

    def log_message(self, *args):  # keep test output readable
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and urlsplit(self.path).path.endswith("/"):
            path = path / "index.html"
        if path.exists():
            return super().send_head()  # a file, or a folder to redirect to with its "/"
        request_path = unquote(urlsplit(self.path).path)
        for prefix, folder in self.sites.items():
            page = folder / "404.html"
            if (request_path + "/").startswith(prefix) and page.is_file():
                body = page.read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                return io.BytesIO(body)
        self.send_error(404)
        return None


@contextlib.contextmanager
def pages_server(root: Path):
    """Serve `root` (which holds the site at <root>/<sub-path>/); yields the server's base
    URL with the sub-path, e.g. http://127.0.0.1:PORT/broadsheet-demo/."""
    handler = type("Handler", (_PagesHandler,), {
        "sites": {SUBPATH: root / SUBPATH.strip("/")},
        "__init__": lambda self, *a, **k: _PagesHandler.__init__(self, *a, directory=str(root), **k),
    })
    with running(handler) as base:
        yield base.rstrip("/") + SUBPATH


@dataclass(frozen=True)
class Response:
    url: str
    """The final address, after redirects."""
    status: int
    body: bytes


def fetch(url: str) -> Response:
    """GET a URL of the local server, following redirects; a 4xx/5xx is returned, not raised."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return Response(response.geturl(), response.status, response.read())
    except urllib.error.HTTPError as error:
        return Response(error.geturl() or url, error.code, error.read())


def to_server(url: str, server: str) -> str:
    """A public address of the site -> the same address on the local server."""
    assert url.startswith(PUBLIC_URL), url
    return server + url[len(PUBLIC_URL):]


class Crawler:
    """Resolves and fetches URLs the way a browser would, collecting what does not work."""

    def __init__(self, server: str):
        self.server = server
        self.origin = server[: -len(SUBPATH)]
        self.status: dict[str, int] = {}
        self.failures: list[str] = []

    def local(self, url: str, base: str) -> str | None:
        """The local-server URL that `url` (written in a document at `base`) points to;
        None for another site's address or a URL that loads nothing."""
        if url.lower().startswith(INERT_SCHEMES):
            return None
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        if parts.netloc == PUBLIC_HOST:
            if not absolute.startswith(PUBLIC_URL):
                self.failures.append(f"{base}: {url!r} is on the site's host but outside "
                                     f"{PUBLIC_URL}")
                return None
            return to_server(absolute.split("#")[0], self.server)
        if absolute.startswith(self.origin):
            if not parts.path.startswith(SUBPATH):
                self.failures.append(f"{base}: {url!r} resolves to {parts.path}, outside the "
                                     f"sub-path {SUBPATH}")
                return None
            return absolute.split("#")[0]
        return None  # another site: not ours to check here

    def check(self, url: str, base: str) -> None:
        target = self.local(url, base)
        if target is None:
            return
        if target not in self.status:
            response = fetch(target)
            ok = response.status == 200 and urlsplit(response.url).path.startswith(SUBPATH)
            self.status[target] = response.status if ok else -response.status
        if self.status[target] != 200:
            self.failures.append(f"{base}: {url!r} -> {target} answered "
                                 f"{abs(self.status[target])}")
