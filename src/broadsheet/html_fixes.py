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


def fix_page(html: str) -> str:
    return drop_toggle_autocomplete(label_search_dialog(html))
