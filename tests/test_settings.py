"""settings and site_config: the site-wide options, read the same way by build and CLI."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from broadsheet.dates import parse_date
from broadsheet.settings import (
    DEFAULT_URL_FORMAT,
    Settings,
    SettingsError,
    check_url_format,
    parse_timezone,
    settings_from_options,
)
from broadsheet.site_config import load_site_config
from broadsheet.strings import DEFAULT_STRINGS


def settings(**options) -> Settings:
    return settings_from_options(options, "Site", "https://news.example.org/")


def error_of(**options) -> str:
    with pytest.raises(SettingsError) as caught:
        settings(**options)
    return str(caught.value)


def test_defaults():
    result = settings()
    assert result.url_format == DEFAULT_URL_FORMAT == "{yyyy}/{mm}/{slug}/"
    assert result.timezone == timezone.utc and result.timezone_name == "UTC"
    assert result.articles_dir == "articles" and result.authors_file == "authors.yml"
    assert result.strings == DEFAULT_STRINGS
    assert result.site_name == "Site" and result.site_url == "https://news.example.org/"
    assert result.now.tzinfo is not None


# -- timezone ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, offset", [
    ("2024-01-15", "+00:00"), ("2024-07-15", "+01:00"), ("2024-03-31 03:00", "+01:00"),
    ("2024-10-27 03:00", "+00:00"),
])
def test_europe_london_gives_naive_dates_their_offset(value, offset):
    tz = settings(timezone="Europe/London").timezone
    assert parse_date(value, tz).isoformat().endswith(offset)


def test_timezone_name_is_kept():
    assert settings(timezone="America/New_York").timezone_name == "America/New_York"
    assert parse_timezone("UTC") is timezone.utc


@pytest.mark.parametrize("name, hint", [
    ("Europe/Lndon", "did you mean 'Europe/London'?"),
    ("europe/london", "did you mean 'Europe/London'?"),
    ("Mars/Olympus", "use an IANA name such as 'Europe/London' or 'America/New_York'"),
    ("../../etc/passwd", "use an IANA name such as 'Europe/London' or 'America/New_York'"),
    ("", "use an IANA name such as 'Europe/London' or 'America/New_York'"),
])
def test_bad_timezone(name, hint):
    assert error_of(timezone=name) == f"timezone: unknown timezone {name!r} — {hint}"


# -- url_format ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url_format", ["{yyyy}/{mm}/{slug}/", "{yyyy}/{mm}/{dd}/{slug}/",
                                        "{slug}/", "news/{yyyy}/{slug}/"])
def test_good_url_formats(url_format):
    assert check_url_format(url_format) == url_format
    assert settings(url_format=url_format).url_format == url_format


@pytest.mark.parametrize("url_format, expected", [
    ("{year}/{slug}/", "url_format: unknown placeholder {year} — use {yyyy}, {mm}, {dd}, {slug}"),
    ("{yyyy}/{mm}/", "url_format: must contain {slug} so that every article has its own URL — "
                     "e.g. '{yyyy}/{mm}/{slug}/'"),
    ("/{yyyy}/{slug}/", "url_format: must be relative to the site, without '/' at the start or "
                        "'..' — e.g. '{yyyy}/{mm}/{slug}/'"),
    ("../{slug}/", "url_format: must be relative to the site, without '/' at the start or "
                   "'..' — e.g. '{yyyy}/{mm}/{slug}/'"),
    ("{yyyy}\\{slug}/", "url_format: '{yyyy}\\\\{slug}/' contains '\\' — separate the parts "
                        "of a URL with '/', e.g. '{yyyy}/{mm}/{slug}/'"),
    ("{yyyy}/{slug}", "url_format: '{yyyy}/{slug}' must end with '/' — e.g. '{yyyy}/{slug}/'"),
    ("{yyyy}/{slug}.html", "url_format: '{yyyy}/{slug}.html' must end with '/' — e.g. "
                           "'{yyyy}/{slug}.html/'"),
    ("{yyyy/{slug}/", "url_format: '{yyyy/{slug}/' is not a valid format (unexpected '{' in "
                      "field name) — write placeholders as {yyyy}, {mm}, {dd}, {slug}"),
])
def test_bad_url_format(url_format, expected):
    assert error_of(url_format=url_format) == expected


# -- strings ---------------------------------------------------------------------------------------

def test_strings_override_defaults():
    result = settings(strings={"share_heading": "Partager cet article"})
    assert result.strings["share_heading"] == "Partager cet article"
    assert result.strings["copy_link"] == DEFAULT_STRINGS["copy_link"]


@pytest.mark.parametrize("strings, expected", [
    ({"share_heding": "x"}, "strings.share_heding: unknown string — did you mean "
                            "'share_heading'?"),
    ({"zzz": "x"}, "strings.zzz: unknown string — see the README for the list"),
    ({"share_heading": 5}, "strings.share_heading: must be text"),
    ({"months": "Jan Feb"}, "strings.months: must list twelve month names separated by spaces"),
    ("Partager", "strings: is text, not a mapping — write `strings:` then indented "
                 "`name: value` lines"),
])
def test_bad_strings(strings, expected):
    assert error_of(strings=strings) == expected


@pytest.mark.parametrize("key", ["share", "newsletter"])
def test_share_and_newsletter_must_be_mappings(key):
    assert error_of(**{key: ["x"]}).startswith(f"{key}: is a list, not a mapping")


# -- now -------------------------------------------------------------------------------------------

def test_now_option_and_override():
    assert settings(now="2026-01-02").now == datetime(2026, 1, 2, tzinfo=timezone.utc)
    result = settings_from_options({"now": "2026-01-02", "timezone": "Europe/London"}, "S", "",
                                   now_override="2026-07-01 12:00")
    assert result.now == datetime(2026, 7, 1, 12, tzinfo=ZoneInfo("Europe/London"))


def test_bad_now():
    assert error_of(now="2026-02-30") == (
        "now: '2026-02-30' is not a date or is impossible — write it as YYYY-MM-DD or "
        "'YYYY-MM-DD HH:MM'")


# -- site_config (the CLI's reading of mkdocs.yml) ---------------------------------------------------

def write_config(tmp_path, text: str):
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_site_config_reads_plugin_options(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_NOW", "2026-11-27")
    path = write_config(tmp_path, (
        "site_name: My news\nsite_url: https://n.example/\ndocs_dir: content\n"
        "extra:\n  secret: !ENV [SECRET, none]\n"
        "plugins:\n  - search\n  - broadsheet:\n      timezone: Europe/London\n"
        "      url_format: '{yyyy}/{slug}/'\n      articles_dir: /news/\n"))
    config = load_site_config(path)
    assert config.docs_dir == tmp_path / "content"
    assert config.settings.site_name == "My news"
    assert config.settings.timezone_name == "Europe/London"
    assert config.settings.url_format == "{yyyy}/{slug}/"
    assert config.settings.articles_dir == "news"
    assert config.settings.now == datetime(2026, 11, 27, tzinfo=ZoneInfo("Europe/London"))


@pytest.mark.parametrize("plugins", ["[broadsheet]", "{broadsheet: {}}", "[{broadsheet: null}]"])
def test_site_config_plugin_spellings(tmp_path, plugins):
    config = load_site_config(write_config(tmp_path, f"site_name: S\nplugins: {plugins}\n"))
    assert config.settings.url_format == DEFAULT_URL_FORMAT
    assert config.docs_dir == tmp_path / "docs"


@pytest.mark.parametrize("text, expected", [
    ("site_name: S\nplugins: [search]\n",
     "the broadsheet plugin is not enabled — add '- broadsheet' under 'plugins:'"),
    ("site_name: S\nplugins: [search\n", "is not valid YAML"),
    ("plugins:\n  - broadsheet:\n      timezone: Europe/Lndon\n",
     "timezone: unknown timezone 'Europe/Lndon' — did you mean 'Europe/London'?"),
])
def test_site_config_errors(tmp_path, text, expected):
    with pytest.raises(SettingsError) as caught:
        load_site_config(write_config(tmp_path, text))
    assert expected in str(caught.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(SettingsError) as caught:
        load_site_config(tmp_path / "mkdocs.yml")
    assert "not found — run the command in the site's folder or pass --config" in str(caught.value)


@pytest.mark.parametrize("key, value, message", [
    ("more_from", "Plus de {nom}", "strings.more_from: unknown placeholder {nom} in 'Plus de {nom}' — its placeholders are {name}"),
    ("reading_time", "{minutes min", "strings.reading_time: '{minutes min' has an unpaired brace"),
    ("share_heading", "Partager {0}", "strings.share_heading: unknown placeholder {0}"),
])
def test_string_overrides_may_only_use_the_defaults_placeholders(key, value, message):
    from broadsheet.strings import resolve_strings
    with pytest.raises(SettingsError) as err:
        resolve_strings({key: value})
    assert str(err.value).startswith(message)


def test_string_overrides_may_drop_or_reorder_placeholders():
    from broadsheet.strings import resolve_strings
    strings = resolve_strings({"feed_title_tag": "{tag} — {site}", "more_from": "Plus {{"})
    assert strings["feed_title_tag"].format(site="S", tag="T") == "T — S"
    assert strings["more_from"].format(name="x") == "Plus {"


def test_date_option_defaults_to_now_and_names_the_option():
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    from broadsheet.dates import date_option
    london = ZoneInfo("Europe/London")
    now = datetime(2026, 7, 1, 12, tzinfo=timezone.utc)
    assert date_option(None, london, now) == now and date_option(None, london, now).utcoffset()
    assert date_option("2026-07-02 09:00", london, now).isoformat() == "2026-07-02T09:00:00+01:00"
    with pytest.raises(ValueError, match=r"^--since: '2026-02-30' is not a date or is impossible — write"):
        date_option("2026-02-30", london, now, "--since")
