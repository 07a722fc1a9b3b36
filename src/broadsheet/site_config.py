"""Read Broadsheet's settings from mkdocs.yml without importing MkDocs.

The CLI must agree with the build about timezone, folders and URLs, so it reads the same
file; it only needs the data, not the engine.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .settings import Settings, SettingsError, settings_from_options
from .site_options import check_site_options


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name: read them as plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _any_tag)


@dataclass(frozen=True)
class SiteConfig:
    root: Path
    docs_dir: Path
    settings: Settings
    plugin_options: dict
    language: str = "en"
    """theme.language: the lang of pages and emails."""
    site_description: str = ""


def plugin_options(raw: dict) -> dict | None:
    for entry in raw.get("plugins") or []:
        if entry == "broadsheet":
            return {}
        if isinstance(entry, dict) and "broadsheet" in entry:
            return dict(entry["broadsheet"] or {})
    if isinstance(raw.get("plugins"), dict) and "broadsheet" in raw["plugins"]:
        return dict(raw["plugins"]["broadsheet"] or {})
    return None


def load_site_config(config_file: Path) -> SiteConfig:
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except FileNotFoundError:
        raise SettingsError(f"{config_file}: not found — run the command in the site's folder "
                            "or pass --config path/to/mkdocs.yml") from None
    except yaml.YAMLError as err:
        raise SettingsError(f"{config_file}: is not valid YAML: {err}") from None
    options = plugin_options(raw)
    if options is None:
        raise SettingsError(f"{config_file}: the broadsheet plugin is not enabled — add "
                            "'- broadsheet' under 'plugins:'")
    settings = settings_from_options(options, str(raw.get("site_name", "Broadsheet")),
                                     str(raw.get("site_url") or ""),
                                     os.environ.get("BROADSHEET_NOW"))
    root = config_file.resolve().parent
    docs_dir = root / str(raw.get("docs_dir", "docs"))
    try:
        check_site_options(settings, options.get("cards") or {}, str(root), str(docs_dir))
    except SettingsError as err:
        raise SettingsError(f"{config_file}: {err}") from None
    theme = raw.get("theme") if isinstance(raw.get("theme"), dict) else {}
    description = raw.get("site_description")
    return SiteConfig(root=root, docs_dir=docs_dir, settings=settings, plugin_options=options,
                      language=str(theme.get("language") or "en"),
                      site_description=description if isinstance(description, str) else "")

