"""A local HTTP server over a built site, compressing text the way any real host does.

Lighthouse measures what a reader downloads: served raw, Material's stylesheet and script
weigh four times what they do from any production web server, and the page is judged for a
cost no reader pays. Threaded (a browser opens several connections at once), HTTP/1.1
keep-alive, gzip for text types when the client asks for it, the site's 404.html for a
missing page; nothing else (no caching headers: lab scores do not depend on them).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml",
                "application/rss+xml", "application/atom+xml", "application/feed+json",
                "application/manifest+json", "image/svg+xml")


def compressible(content_type: str) -> bool:
    return content_type.startswith(COMPRESSIBLE)


def accepts_gzip(header: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (`gzip;q=0` refuses it)."""
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
            try:
                return float(quality) > 0
            except ValueError:
                return False
    return False


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int, size: int) -> bytes:
    # Keyed by modification time and size, so a rebuilt file is compressed again.
    with open(path, "rb") as source:
        return gzip.compress(source.read(), compresslevel=6, mtime=0)


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many requests

    def log_message(self, *args):  # keep test and gate output readable
        pass

    def end_headers(self):
        # Every response may differ by Accept-Encoding; caches must know that.
        self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def send_head(self):
        path = self._file_path()
        if path is None:
            return super().send_head()  # directory redirects, missing files, listings
        content_type = self.guess_type(path)
        if not (compressible(content_type) and accepts_gzip(self.headers.get("Accept-Encoding"))):
            return super().send_head()
        stat = os.stat(path)
        data = _gzipped(path, stat.st_mtime_ns, stat.st_size)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.end_headers()
        return io.BytesIO(data)

    def send_error(self, code, message=None, explain=None):
        # A missing page gets the site's own 404 page, as on any static host.
        not_found = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _file_path(self) -> str | None:
        """The file a GET would send as it is, or None when the parent class must decide."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return None  # the parent redirects to the slash form
            path = os.path.join(path, "index.html")
        return path if os.path.isfile(path) else None


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def running(handler, host: str = "127.0.0.1") -> Iterator[str]:
    """Any request handler served on a free port, in a background thread, for as long as
    the block runs; yields the base URL (http://host:port/). The one local server that the
    quality gate, the scripts and the tests use."""
    server = _Server((host, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def serve(site: Path, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve the site folder for as long as the block runs; yields the base URL."""
    with running(functools.partial(CompressingHandler, directory=str(site)), host) as base:
        yield base
