"""The thin adapter between MkDocs and Broadsheet's engine-independent core.

This is the only module that imports ``mkdocs``: everything it hands to templates is
computed by the core from plain data, so moving to another engine means rewriting this file.
"""

from __future__ import annotations

import html
import logging
import os

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import views
from .catalog import Catalog, build_catalog, is_article_path
from .problems import summarise
from .settings import DEFAULT_URL_FORMAT, Settings, SettingsError, settings_from_options

log = logging.getLogger("mkdocs.plugins.broadsheet")


class BroadsheetConfig(Config):
    articles_dir = c.Type(str, default="articles")
    authors_file = c.Type(str, default="authors.yml")
    url_format = c.Type(str, default=DEFAULT_URL_FORMAT)
    timezone = c.Type(str, default="UTC")
    now = c.Optional(c.Type(str))
    strings = c.Type(dict, default={})
    share = c.Type(dict, default={})
    newsletter = c.Type(dict, default={})
    """Pretend the build happens at this moment (ISO date); for reproducible builds and tests.
    The environment variable BROADSHEET_NOW does the same without editing mkdocs.yml."""


class BroadsheetPlugin(BasePlugin[BroadsheetConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.settings: Settings | None = None
        self.catalog: Catalog | None = None
        self.article_files: dict[str, File] = {}

    @property
    def previewing(self) -> bool:
        # Drafts and invalid articles stay visible in `serve` so editors can see and fix
        # them; a build must never publish them.
        return self.command == "serve"

    def on_startup(self, *, command, dirty) -> None:
        self.command = command

    def on_config(self, config):
        options = {key: value for key, value in self.config.items() if value is not None}
        try:
            self.settings = settings_from_options(options, config.site_name, config.site_url,
                                                  os.environ.get("BROADSHEET_NOW"))
        except SettingsError as err:
            raise PluginError(f"broadsheet: {err}") from err
        return config

    # Runs after other plugins have added or removed files, so the catalog sees the final set.
    @event_priority(-50)
    def on_files(self, files: Files, *, config) -> Files:
        settings = self.settings
        authors_file = files.get_file_from_path(settings.authors_file)
        authors_data = authors_file.content_bytes if authors_file else None
        if authors_file:
            # The authors file is data for the build, not a page or asset to publish.
            files.remove(authors_file)
        self.article_files = {f.src_uri: f for f in files.documentation_pages()
                              if is_article_path(f.src_uri, settings)}
        sources = [(uri, f.content_bytes) for uri, f in self.article_files.items()]
        self.catalog = catalog = build_catalog(sources, authors_data, settings)

        for problem in catalog.problems:
            log.error(str(problem))
        if catalog.problems and not self.previewing:
            raise PluginError(f"broadsheet: {summarise(list(catalog.problems))}; "
                              "fix them and build again (run `broadsheet check` to list them)")

        for article in catalog.articles:
            self._place(self.article_files[article.path], article.url, config)
        held = catalog.held_back
        if self.previewing:
            if held:
                log.info(f"broadsheet: previewing {len(held)} draft or scheduled article(s)")
        else:
            for article in held:
                files.remove(self.article_files.pop(article.path))
            drafts = sum(1 for a in held if a.draft)
            log.info(f"broadsheet: {len(catalog.published)} article(s) published, "
                     f"{len(held)} held back ({drafts} draft, {len(held) - drafts} scheduled)")
        return files

    @staticmethod
    def _place(file: File, url: str, config) -> None:
        # MkDocs derives dest_uri and url from the source path and caches them; an article's
        # address comes from its date and slug instead, so both are set before first use.
        file.dest_uri = url + "index.html" if config.use_directory_urls else url.rstrip("/") + ".html"
        file.url = url if config.use_directory_urls else file.dest_uri
        file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))

    def _article_for(self, page):
        if self.catalog is None or page.file.src_uri not in self.article_files:
            return None, None
        return self.catalog.by_path.get(page.file.src_uri), page.file.src_uri

    def on_page_markdown(self, markdown, *, page, config, files):
        article, path = self._article_for(page)
        if path is None:
            return markdown
        if article is None:
            # Invalid article in preview: show its text (MkDocs may not have split off broken
            # front matter) under the list of problems.
            page.meta = {"title": html.escape(os.path.basename(path))}
            return markdown
        # Front matter reaches templates only through the validated article; MkDocs' own
        # copy (raw, unescaped, unvalidated) is replaced so Material's templates can't show it.
        page.meta = {"title": html.escape(article.title)}
        return article.body

    # Late, so that other plugins' context (Material's blog, say) is already in place.
    @event_priority(-50)
    def on_page_context(self, context, *, page, config, nav):
        article, path = self._article_for(page)
        if path is None:
            return context
        context["strings"] = self.settings.strings
        if article is None:
            context["broadsheet_problems"] = [str(p) for p in self.catalog.problems_for(path)]
            return context
        context["article"] = views.article_view(article, self.catalog)
        return context
