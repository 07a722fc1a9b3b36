"""Small repairs to Material's own markup so every page passes axe and the HTML checker.

Each fix is a pure string function over a whole page; the adapter applies them after
rendering (pages and the 404 template alike). A fix that no longer matches (Material
changed) simply does nothing, and the site-quality gate (`broadsheet.quality`) then says so.
"""

from __future__ import annotations

import re

_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'

# An <input> start tag of type checkbox or radio carrying autocomplete="off".
_TOGGLE_AUTOCOMPLETE = re.compile(
    r'(<input\b(?=[^>]*\btype="(?:checkbox|radio)")[^>]*?)\s+autocomplete="off"([^>]*>)')


def label_search_dialog(html: str, label: str = "Search") -> str:
    """Material's search overlay is a role=dialog without an accessible name (axe:
    aria-dialog-name)."""
    return html.replace(
        _SEARCH_DIALOG,
        _SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)


def drop_toggle_autocomplete(html: str) -> str:
    """Material's drawer and search toggles are checkboxes with autocomplete="off", which
    HTML allows only on text-like inputs (Nu Html Checker error). Material put it there so
    that Firefox does not restore a toggle's state on reload; without it, Firefox may reopen
    the drawer or search after a reload, which the reader closes again: a small cost for
    valid markup that every other browser treats the same."""
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1\2", html)


_TOC_TITLE = re.compile(r'<label class="md-nav__title" for="__toc">(.*?)</label>', re.S)


def unlabel_missing_toc_toggle(html: str) -> str:
    """On pages outside the nav (every article) Material prints the table of contents'
    title as <label for="__toc"> but not the __toc checkbox it toggles (Nu: "for" must name
    a form control). Without the checkbox the label does nothing: make it a plain title."""
    if 'id="__toc"' in html:
        return html
    return _TOC_TITLE.sub(r'<div class="md-nav__title">\1</div>', html)


def fix_page(html: str) -> str:
    return unlabel_missing_toc_toggle(drop_toggle_autocomplete(label_search_dialog(html)))
