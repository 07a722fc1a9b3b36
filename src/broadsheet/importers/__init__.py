"""`broadsheet import`: articles from a WordPress export or from a plain-text page.

`wordpress` reads the export, `wp_content` turns post HTML into Markdown, `text` reads a
plain-text article, `writer` writes files (never clobbering an editor's edits) and merges
authors.yml, and `commands` is the CLI glue that prints what was done.
"""

from __future__ import annotations


class ImportFailure(ValueError):
    """The import cannot go on; the message names the input, what is wrong and the fix."""


def run_wordpress(args) -> int:
    # Imported here so that `broadsheet check` does not load the HTML converter.
    from .commands import import_wordpress
    return import_wordpress(args)


def run_text(args) -> int:
    from .commands import import_text
    return import_text(args)
