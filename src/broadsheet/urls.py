"""Public addresses: one rule for pages, feeds, metadata and emails alike."""

from __future__ import annotations

from urllib.parse import urljoin


def absolute_url_from(site_url: str, path: str) -> str:
    """`path` (site-relative) under `site_url`, keeping a sub-path such as /repo/."""
    base = site_url or "/"
    return urljoin(base if base.endswith("/") else base + "/", path)


def absolute_url(settings, path: str) -> str:
    """The public address of a site-relative path (needs `settings.site_url`)."""
    return absolute_url_from(settings.site_url, path)
