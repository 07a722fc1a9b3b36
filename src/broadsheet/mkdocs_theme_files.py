"""The theme's files without a walk through Material's 14,000 icons: part of the MkDocs adapter.

At every build (every save, in a preview) MkDocs lists every file of every theme folder to
find the theme's static files, then drops each name that is hidden or under a hidden folder.
Material keeps its icons in `templates/.icons`: about 14,000 SVG files walked and matched
against MkDocs' patterns one by one, then all dropped — a tenth of a second or more of
every preview rebuild on any site.

MkDocs makes the Jinja environment (and with it the listing) inside its build, after the
last event a plugin could use to hand it another environment, so the adapter gives the
theme object a subclass (`use_quick_listing`) whose environment's loader does not descend
into hidden folders. That gives MkDocs the same list of theme files: every name it skips
would have been dropped by its own '.*' and '*/.*' patterns. Templates are found as before
(`{% include ".icons/…" %}` reads a file by name; only the listing is pruned).
"""

from __future__ import annotations

import os

import jinja2
from mkdocs.theme import Theme


class _VisibleFilesLoader(jinja2.FileSystemLoader):
    """Lists only files whose path has no hidden part; finds templates like its parent."""

    def list_templates(self) -> list[str]:
        found = set()
        for folder in self.searchpath:
            for dirpath, dirnames, filenames in os.walk(folder, followlinks=self.followlinks):
                dirnames[:] = [name for name in dirnames if not name.startswith(".")]
                relative = os.path.relpath(dirpath, folder)
                prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
                found.update(prefix + name for name in filenames if not name.startswith("."))
        return sorted(found)


class _QuickListingTheme(Theme):
    def get_env(self) -> jinja2.Environment:
        env = super().get_env()
        loader = env.loader
        if type(loader) is jinja2.FileSystemLoader:
            env.loader = _VisibleFilesLoader(loader.searchpath, encoding=loader.encoding,
                                             followlinks=loader.followlinks)
        return env


def use_quick_listing(theme) -> None:
    """Make `theme` (MkDocs' own Theme object, else nothing is done) list its files quickly."""
    if type(theme) is Theme:
        theme.__class__ = _QuickListingTheme
