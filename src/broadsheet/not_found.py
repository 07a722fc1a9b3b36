"""What the 404 page offers a reader who followed a dead link: the way home, to the archive
and to search. The page itself is templates/404.html.

MkDocs renders 404.html once, as a static template served for every missing address at any
depth, so its links are made root-relative from `site_url`'s path (MkDocs' `base_url` for
error pages): the template passes each site-relative URL here through the `| url` filter.
"""

from __future__ import annotations

HOME_URL = "."
ARCHIVE_URL = "archive/"
"""Site-relative, as listings.py publishes them."""


def not_found_view(strings: dict, search_page_url: str | None) -> dict:
    """Raw text and site-relative URLs; the template escapes the text and resolves the URLs.
    `search_page_url` is the search page's URL, or None when the site has no search."""
    search = None
    if search_page_url:
        search = {"url": search_page_url, "label": strings["not_found_search"],
                  "button": strings["not_found_search_button"]}
    return {
        "title": strings["not_found_title"],
        "text": strings["not_found_text"],
        "next": strings["not_found_next"],
        "links": [{"label": strings["not_found_home"], "url": HOME_URL, "rel": "home"},
                  {"label": strings["not_found_archive"], "url": ARCHIVE_URL, "rel": "archive"}],
        "search": search,
    }
