"""A custom domain for GitHub Pages: the `cname:` option and the CNAME file it writes.

A site published from a branch (`mkdocs gh-deploy` pushes to gh-pages) keeps its custom
domain in a file named CNAME at the root of the published site (one line, the bare host):
GitHub's "Custom domain" setting only commits that file to the branch, so the next push of a
site without it drops the domain. Writing it from mkdocs.yml puts it in every build. (A site
published by GitHub Actions, .github/workflows/publish.yml, has its domain set in Settings →
Pages → Custom domain instead; there the CNAME file is ignored, and harmless.)

With a custom domain the site lives at the root of that host, so `site_url` should be
`https://<cname>/` (no sub-path): every absolute address (canonical links, feeds, sitemap,
share links) is made from `site_url`, not from the CNAME.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .problems import kind
from .settings import SettingsError

CNAME_FILE = "CNAME"
"""Where GitHub Pages looks for the custom domain: the root of the published site."""

# One DNS label (RFC 1123): letters, digits and inner hyphens, at most 63 characters.
_LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_EXAMPLE = "e.g. `cname: news.example.org`"


def parse_cname(value: object) -> str | None:
    """The host name of the `cname:` option, lower-cased; None when the option is not set.

    Raise SettingsError, saying what is wrong and how to write it, for anything that is not
    a bare host name (a URL, a path, a port, an address with one label)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise SettingsError(f"cname: is {kind(value)}, not a host name — {_EXAMPLE}")
    text = value.strip()
    if not text:
        return None
    parts = urlsplit(text if "//" in text else "//" + text)
    example = f"`cname: {parts.hostname}`" if parts.hostname else _EXAMPLE
    if "//" in text:
        raise SettingsError(f"cname: {text!r} is an address, not a host name — write the "
                            f"host alone, without '{parts.scheme + ':' if parts.scheme else ''}//' or a path: {example}")
    if any(mark in text for mark in "/?#"):
        raise SettingsError(f"cname: {text!r} has a path — a custom domain is a host name "
                            f"alone, and the site is served at its root: {example}")
    if ":" in text or "@" in text:
        raise SettingsError(f"cname: {text!r} is not a bare host name (no port or user "
                            f"name) — {_EXAMPLE}")
    host = text.rstrip(".").lower()  # "news.example.org." is the same fully qualified name
    try:
        # An internationalised name is published in its ASCII (xn--) form, which DNS uses.
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise SettingsError(f"cname: {text!r} is not a valid host name — {_EXAMPLE}") from None
    labels = host.split(".")
    if len(labels) < 2 or len(host) > 253 or not all(_LABEL_RE.match(l) for l in labels):
        raise SettingsError(f"cname: {text!r} is not a valid host name: it needs at least "
                            "two dot-separated parts of letters, digits and inner hyphens "
                            f"— {_EXAMPLE}")
    if labels[-1].isdigit():
        raise SettingsError(f"cname: {text!r} is an IP address; GitHub Pages serves a "
                            f"custom domain by name — {_EXAMPLE}")
    return host


def cname_file_content(host: str) -> str:
    return host + "\n"


def site_url_notes(host: str, site_url: str) -> list[str]:
    """What is off between `cname:` and `site_url` (nothing: an empty list).

    Not errors: a site may move to its domain in steps. But every absolute address in the
    site is made from site_url, so a mismatch sends readers and crawlers elsewhere."""
    wanted = f"https://{host}/"
    if not site_url:
        return [f"cname is {host} but site_url is not set: set `site_url: {wanted}` so that "
                "feeds, the sitemap, canonical and share links use the custom domain"]
    parts = urlsplit(site_url)
    notes = []
    if (parts.hostname or "").rstrip(".").lower() != host:
        notes.append(f"cname is {host} but site_url is {site_url}: canonical links, feeds, "
                     f"the sitemap and share links will point there — set `site_url: {wanted}`")
    elif parts.path not in ("", "/"):
        notes.append(f"site_url {site_url} has the path {parts.path!r}, but a custom domain "
                     f"serves the site at its root — set `site_url: {wanted}`")
    return notes
