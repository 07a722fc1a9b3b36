"""The theme's static files, listed without walking hidden folders, are exactly MkDocs' own."""

from __future__ import annotations

import shutil

from mkdocs.config import load_config
from mkdocs.structure.files import Files
from mkdocs.theme import Theme

from broadsheet.mkdocs_theme_files import use_quick_listing
from sitekit import TEMPLATES, make_site, mkdocs_yml


def theme_files(config) -> list[tuple[str, str]]:
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return sorted((f.src_uri, f.abs_src_path) for f in files)


def test_the_theme_files_are_mkdocs_own_list(tmp_path):
    custom = tmp_path / "templates"
    shutil.copytree(TEMPLATES, custom)
    # A custom folder with hidden files and folders, a nested visible one, and a file that
    # overrides one of Material's: all must be treated as MkDocs treats them.
    (custom / ".secret").mkdir()
    (custom / ".secret" / "key.txt").write_text("no")
    (custom / "assets" / ".cache").mkdir(parents=True, exist_ok=True)
    (custom / "assets" / ".cache" / "x.css").write_text("")
    (custom / "assets" / ".hidden.css").write_text("")
    (custom / "assets" / "deep" / "er").mkdir(parents=True)
    (custom / "assets" / "deep" / "er" / "site.css").write_text("body{}")
    (custom / "assets" / "javascripts").mkdir(parents=True, exist_ok=True)
    (custom / "assets" / "javascripts" / "bundle.js").write_text("// override")
    site = make_site(tmp_path / "site")
    site.config.write_text(mkdocs_yml(custom_dir=custom), encoding="utf-8")

    config = load_config(config_file=str(site.config))
    assert type(config.theme) is Theme
    expected = theme_files(config)
    use_quick_listing(config.theme)
    assert type(config.theme) is not Theme
    quick = theme_files(config)

    assert quick == expected
    names = {uri for uri, _ in quick}
    assert "assets/deep/er/site.css" in names
    assert not any(part.startswith(".") for uri in names for part in uri.split("/"))
    # Material's own files are there (its icons, hidden, are not); the override wins.
    assert any(uri.startswith("assets/stylesheets/main.") for uri in names)
    assert dict(quick)["assets/javascripts/bundle.js"] == str(
        custom / "assets" / "javascripts" / "bundle.js")


def test_templates_are_still_found_by_name_in_hidden_folders(tmp_path):
    site = make_site(tmp_path / "site")
    config = load_config(config_file=str(site.config))
    use_quick_listing(config.theme)
    env = config.theme.get_env()
    listed = env.list_templates()
    assert "main.html" in listed and not any(".icons" in name for name in listed)
    # Material includes its icons by name; only the listing skips them.
    assert "<svg" in env.get_template(".icons/material/magnify.svg").render()


def test_a_theme_object_of_another_kind_is_left_alone(tmp_path):
    site = make_site(tmp_path / "site")
    config = load_config(config_file=str(site.config))

    class Other(Theme):
        pass

    config.theme.__class__ = Other
    use_quick_listing(config.theme)
    assert type(config.theme) is Other
