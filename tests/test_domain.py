"""domain: the `cname:` option (a custom domain for GitHub Pages) and the CNAME file it writes."""

from __future__ import annotations

import pytest

from broadsheet.domain import parse_cname, site_url_notes
from broadsheet.settings import SettingsError, settings_from_options
from sitekit import make_site, meta, mkdocs_yml


def cname_error(value) -> str:
    with pytest.raises(SettingsError) as caught:
        parse_cname(value)
    return str(caught.value)


# -- the option ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, host", [
    ("news.example.org", "news.example.org"),
    ("  News.Example.ORG  ", "news.example.org"),
    ("news.example.org.", "news.example.org"),        # a fully qualified name
    ("my-site.co.uk", "my-site.co.uk"),
    ("bücher.example", "xn--bcher-kva.example"),      # DNS's ASCII form
])
def test_a_bare_host_name_is_accepted_and_normalised(value, host):
    assert parse_cname(value) == host


@pytest.mark.parametrize("value", [None, "", "   "])
def test_no_value_means_no_custom_domain(value):
    assert parse_cname(value) is None


@pytest.mark.parametrize("value, says", [
    ("https://news.example.org", "without 'https://'"),
    ("https://news.example.org/blog/", "`cname: news.example.org`"),
    ("//news.example.org", "without '//'"),
    ("news.example.org/blog", "has a path"),
    ("news.example.org?x=1", "has a path"),
    ("news.example.org:8080", "no port"),
    ("me@news.example.org", "not a bare host name"),
    ("localhost", "at least two dot-separated parts"),
    ("-news.example.org", "letters, digits and inner hyphens"),
    ("news_room.example.org", "letters, digits and inner hyphens"),
    ("news..example.org", "not a valid host name"),
    ("a" * 64 + ".example.org", "not a valid host name"),
    ("192.0.2.7", "IP address"),
    (5, "is a number, not a host name"),
    (["news.example.org"], "is a list, not a host name"),
])
def test_anything_else_is_refused_with_what_to_write(value, says):
    message = cname_error(value)
    assert message.startswith("cname: ")
    assert says in message
    assert "— " in message and "`cname: " in message.split("— ", 1)[1]  # shows the fix


def test_settings_carry_the_checked_domain_for_build_and_cli_alike():
    settings = settings_from_options({"cname": "News.Example.org"}, "Site",
                                     "https://news.example.org/")
    assert settings.cname == "news.example.org"
    assert settings_from_options({}, "Site", "").cname is None
    with pytest.raises(SettingsError, match="cname: 'https://x.example.org' is an address"):
        settings_from_options({"cname": "https://x.example.org"}, "Site", "")


# -- cname against site_url ------------------------------------------------------------------

@pytest.mark.parametrize("site_url", ["https://news.example.org/", "https://NEWS.example.org",
                                      "http://news.example.org/"])
def test_no_note_when_site_url_is_on_the_domain_at_its_root(site_url):
    assert site_url_notes("news.example.org", site_url) == []


@pytest.mark.parametrize("site_url, says", [
    ("https://example.github.io/news/", "cname is news.example.org but site_url is "
                                        "https://example.github.io/news/"),
    ("https://news.example.org/news/", "has the path '/news/'"),
    ("", "site_url is not set"),
])
def test_a_note_says_what_site_url_should_be(site_url, says):
    notes = site_url_notes("news.example.org", site_url)
    assert len(notes) == 1
    assert says in notes[0]
    assert "site_url: https://news.example.org/" in notes[0]


# -- end to end: the CNAME file --------------------------------------------------------------


@pytest.mark.slow
def test_the_build_writes_cname_at_the_site_root(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "News.Example.org"})
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.site_dir / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"
    # site_url (sitekit's default) is on that domain: nothing to say about it.
    assert "cname is" not in result.stderr


@pytest.mark.slow
def test_no_cname_option_no_cname_file(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()})
    assert site.build().returncode == 0
    assert not (site.site_dir / "CNAME").exists()


@pytest.mark.slow
def test_a_site_url_on_another_host_is_reported_but_does_not_fail_strict(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "news.example.org"})
    site.config.write_text(mkdocs_yml({"cname": "news.example.org"},
                                      site_url="https://example.github.io/news/"),
                           encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr  # --strict: the note is INFO, not WARNING
    line = next(l for l in result.stderr.splitlines() if "cname is news.example.org" in l)
    assert line.startswith("INFO")
    assert "set `site_url: https://news.example.org/`" in line
    assert (site.site_dir / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"


@pytest.mark.slow
def test_a_bad_cname_stops_the_build_with_the_fix(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "https://news.example.org/"})
    result = site.build()
    assert result.returncode != 0
    assert "cname: 'https://news.example.org/' is an address" in result.stderr
    assert "`cname: news.example.org`" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site.site_dir / "CNAME").exists()


@pytest.mark.slow
def test_broadsheet_check_refuses_a_bad_cname_too(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "news.example.org/blog"})
    result = site.cli("check")
    assert result.returncode != 0
    assert "cname: 'news.example.org/blog' has a path" in result.stdout + result.stderr


@pytest.mark.slow
def test_a_docs_cname_that_disagrees_is_an_error(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "news.example.org"})
    site.write("CNAME", "old.example.org\n")
    result = site.build()
    assert result.returncode != 0
    assert "cname is news.example.org but docs/CNAME says old.example.org" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_docs_cname_that_agrees_is_published_as_it_is(tmp_path):
    site = make_site(tmp_path, articles={"a.md": meta()},
                     plugin_options={"cname": "news.example.org"})
    site.write("CNAME", "NEWS.example.org\n")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert (site.site_dir / "CNAME").read_text(encoding="utf-8") == "NEWS.example.org\n"
