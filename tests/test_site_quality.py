"""The site-quality gate (`broadsheet.quality`, `scripts/check_site.py`).

First the checker itself, on tiny hand-written sites, so it is known to catch what it claims
to catch; then the gate on the sample site: valid HTML (Nu Html Checker), no broken links or
fragments, no resources from other hosts, no axe violations light or dark. Missing tools skip
these tests locally and fail them in CI.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.quality import axe, links, nu, tools
from broadsheet.quality.__main__ import main, run_checks
from broadsheet.quality.pages import parse_page, read_pages, srcset_urls
from conftest import require_tools
from sitekit import write_files

ORIGIN = links.SiteOrigin.from_url("https://news.example.org/")


def require(tool):
    """The tool's path, or skip (locally) / fail (CI) naming what is missing."""
    return require_tools(tool)[0]


def html(body: str, head: str = "") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title>'
            f'{head}</head><body>{body}</body></html>\n')


def link_findings(site: Path) -> list[str]:
    return [str(f) for f in links.check_links(site, ORIGIN)]


# -- internal links and fragments -----------------------------------------------------------

def test_links_that_resolve_pass(tmp_path):
    site = write_files(tmp_path, {
        "index.html": html('<h1 id="top-story">x</h1><a href="2024/06/story/">story</a>'
                           '<a href="2024/06/story">no slash</a><a href="#top-story">here</a>'
                           '<a href="#">top</a><a href="./?q=1">self</a>'
                           '<a href="2024/06/story/#part%202">part</a>'
                           '<a href="mailto:a@b.c">mail</a>'),
        "2024/06/story/index.html": html('<h2 id="part 2">p</h2><a href="../../..">home</a>'
                                         '<a href="/">root</a><img src="../../../a.png" alt="">'
                                         '<a href="https://news.example.org/#top-story">abs</a>'),
        "a.png": "",
    })
    assert link_findings(site) == []


def test_a_link_to_a_missing_page_is_reported_with_file_and_line(tmp_path):
    site = write_files(tmp_path, {"index.html": html('\n<a href="gone/">gone</a>')})
    assert link_findings(site) == [
        "index.html:2: [link] <a href> 'gone/': no such file gone/index.html"]


def test_a_missing_fragment_is_reported(tmp_path):
    site = write_files(tmp_path, {
        "index.html": html('<a href="other.html#nowhere">x</a><a href="#also-missing">y</a>'),
        "other.html": html('<p id="somewhere">'),
    })
    found = link_findings(site)
    assert len(found) == 2
    assert any("other.html has no element with id 'nowhere'" in f for f in found)
    assert any("index.html has no element with id 'also-missing'" in f for f in found)


def test_missing_assets_in_src_srcset_and_css_are_reported(tmp_path):
    site = write_files(tmp_path, {
        "index.html": html('<img src="a.png" alt="" srcset="a.png 1x, b.png 2x">'
                           '<div style="background: url(c.png)"></div>',
                           head='<link rel="stylesheet" href="s.css">'
                                '<style>p { background: url("d.png") }</style>'),
        "a.png": "",
        "s.css": "body { background: url(../e.png) }\n.x { background: url('f.svg') }",
    })
    found = "\n".join(link_findings(site))
    for missing in ("b.png", "c.png", "d.png", "f.svg"):
        assert f"no such file {missing}" in found
    assert "s.css:1: [link] url('../e.png') points outside the site" in found
    assert "a.png'" not in found


def test_a_link_climbing_out_of_the_site_is_reported(tmp_path):
    site = write_files(tmp_path, {"index.html": html('<a href="../elsewhere/">x</a>')})
    assert "points outside the site" in link_findings(site)[0]


def test_root_relative_links_respect_the_sites_base_path(tmp_path):
    site = write_files(tmp_path, {"index.html": html('<a href="/news/page/">a</a>'
                                                    '<a href="/other/">b</a>'),
                                 "page/index.html": html("")})
    origin = links.SiteOrigin.from_url("https://example.org/news/")
    found = [str(f) for f in links.check_links(site, origin)]
    assert len(found) == 1 and "'/other/' points outside the site" in found[0]


def test_the_sites_origin_comes_from_the_home_pages_canonical_link(tmp_path):
    site = write_files(tmp_path, {"index.html": html(
        "", head='<link rel="canonical" href="https://Example.org/news/">')})
    assert links.guess_origin(read_pages(site)) == links.SiteOrigin("example.org", "/news/")


# -- resources from other hosts -------------------------------------------------------------

def test_resources_from_other_hosts_are_reported(tmp_path):
    site = write_files(tmp_path, {
        "index.html": html('<img src="https://cdn.example.com/a.png" alt="">'
                           '<script src="//cdn.example.com/x.js"></script>'
                           '<iframe src="https://video.example.com/e" title="v"></iframe>',
                           head='<link rel="stylesheet" href="https://fonts.example.com/f.css">'
                                '<link rel="icon" href="http://cdn.example.com/i.png">'),
        "s.css": '@import "https://fonts.example.com/x.css";\n'
                 'body { background: url(https://cdn.example.com/bg.png) }',
    })
    found = link_findings(site)
    assert sum("[foreign]" in f for f in found) == 7, found
    assert any("s.css:2: [foreign] url('https://cdn.example.com/bg.png')" in f for f in found)


def test_links_to_other_hosts_and_own_host_resources_are_fine(tmp_path):
    site = write_files(tmp_path, {
        "index.html": html('<a href="https://elsewhere.example.com/story">read</a>'
                           '<img src="https://news.example.org/a.png" alt="">'
                           '<img src="data:image/png;base64,AAAA" alt="">',
                           head='<link rel="me" href="https://social.example.com/@us">'
                                '<link rel="canonical" href="https://news.example.org/">'),
        "a.png": "",
        "s.css": "a { background: url(\"data:image/svg+xml;utf8,<svg xmlns='http://"
                 "www.w3.org/2000/svg'/>\") }",
    })
    assert link_findings(site) == []


def test_own_host_urls_must_resolve_too(tmp_path):
    site = write_files(tmp_path, {"index.html": html(
        "", head='<link rel="canonical" href="https://news.example.org/missing/">'
                 '<meta property="og:image" content="https://news.example.org/cards/x.png">'
                 '<meta property="og:image" content="https://images.example.com/y.png">'
                 '<meta property="og:title" content="https://news.example.org/not-a-link">')})
    found = link_findings(site)
    assert len(found) == 2
    assert "no such file missing/index.html" in found[0]
    assert "<meta og:image> 'https://news.example.org/cards/x.png': no such file" in found[1]


# -- parsing --------------------------------------------------------------------------------

def test_srcset_is_split_like_browsers_do():
    assert srcset_urls("a.png 1x, b.png 2x") == ["a.png", "b.png"]
    assert srcset_urls("a.png 480w,b.png 800w") == ["a.png", "b.png"]
    assert srcset_urls("one.png") == ["one.png"]


def test_a_page_knows_its_ids_anchors_and_component_blocks():
    page = parse_page("x.html", '<div id="a" class="bs-share bs-share__icon md-x">'
                                '<a name="b"></a><p class="bs-share--wide bs-author"></p>')
    assert page.ids == {"a", "b"}
    assert page.blocks == {"bs-share", "bs-author"}


# -- which pages axe visits -----------------------------------------------------------------

def test_page_shapes():
    assert axe.page_shape("index.html") == "home"
    assert axe.page_shape("404.html") == "404"
    assert axe.page_shape("2014/07/a-story/index.html") == "#/#/*"
    assert axe.page_shape("tags/energy/index.html") == "tags/*"
    assert axe.page_shape("archive/2014/index.html") == "archive/#"
    assert axe.page_shape("about/index.html") == "page"
    assert axe.page_shape("a-slug-only-article/index.html") == "page"


def test_axe_samples_home_404_and_one_page_per_kind():
    def page(path, blocks=""):
        return parse_page(path, "".join(f'<p class="{b}"></p>' for b in blocks.split()))
    pages = {p.path: p for p in [
        page("index.html"), page("404.html"),
        page("2014/07/a/index.html", "bs-share bs-author"),
        page("2014/07/b/index.html", "bs-share bs-author"),
        page("2014/08/c/index.html", "bs-share bs-author bs-continue"),
        page("tags/energy/index.html", "bs-listing"), page("tags/trade/index.html", "bs-listing"),
        page("authors/alex/index.html", "bs-author"),
    ]}
    chosen = axe.sample_pages(pages)
    assert chosen[:2] == ["index.html", "404.html"]
    assert "2014/08/c/index.html" in chosen  # covers the most kinds of articles
    assert "2014/07/a/index.html" not in chosen and "2014/07/b/index.html" not in chosen
    assert sum(p.startswith("tags/") for p in chosen) == 1
    assert "authors/alex/index.html" in chosen
    assert len(chosen) == 5


# -- the Nu Html Checker --------------------------------------------------------------------

def test_nu_report_becomes_findings(tmp_path):
    report = {"messages": [
        {"type": "error", "url": (tmp_path / "a" / "index.html").as_uri(), "lastLine": 3,
         "message": "Stray end tag “div”.", "extract": "</p>\n</div>"},
        {"type": "info", "subType": "warning", "url": "x", "message": "just a warning"},
    ]}
    found = nu.findings_from_report(report, tmp_path)
    assert [str(f) for f in found] == [
        "a/index.html:3: [nu] Stray end tag “div”. — in: </p> </div>"]


BROKEN_PAGE = "broken-on-purpose/index.html"


@pytest.fixture(scope="module")
def nu_over_sample_and_broken_page(sample_site, tmp_path_factory):
    """One Java run (it is the slow part) over a copy of the sample site plus a page that is
    invalid on purpose, so the same run shows the checker catches errors."""
    require(tools.java)
    require(tools.vnu_jar)
    site = tmp_path_factory.mktemp("nu") / "site"
    shutil.copytree(sample_site, site)
    write_files(site, {BROKEN_PAGE: html("<p><div>block in a paragraph</div></p>"),
                      "notes.txt": "<not html>"})
    return nu.check_html(site)


@pytest.mark.xdist_group("nu")  # both in one worker: one Java run
def test_nu_finds_invalid_html(nu_over_sample_and_broken_page):
    found = [f for f in nu_over_sample_and_broken_page if f.path == BROKEN_PAGE]
    assert found and all(f.check == "nu" and f.line == 1 for f in found)


@pytest.mark.xdist_group("nu")
def test_sample_site_is_valid_html(nu_over_sample_and_broken_page):
    found = [f for f in nu_over_sample_and_broken_page if f.path != BROKEN_PAGE]
    assert not found, "\n".join(map(str, found))


# -- the command line -----------------------------------------------------------------------

def test_the_command_exits_non_zero_and_prints_each_finding(tmp_path, capsys):
    site = write_files(tmp_path, {"index.html": html('<a href="gone.html">x</a>')})
    assert main([str(site), "--only", "links"]) == 1
    out = capsys.readouterr().out
    assert "index.html:1: [link] <a href> 'gone.html': no such file gone.html" in out


def test_the_command_passes_a_clean_site(tmp_path, capsys):
    site = write_files(tmp_path, {"index.html": html('<a href="#">x</a>')})
    assert main([str(site), "--only", "links"]) == 0
    assert "passed" in capsys.readouterr().err


def test_the_command_refuses_a_folder_that_is_not_a_site(tmp_path, capsys):
    assert main([str(tmp_path / "nothing")]) == 2
    assert "make build" in capsys.readouterr().err


def test_a_missing_tool_fails_the_gate_instead_of_skipping(tmp_path, monkeypatch):
    monkeypatch.setenv("BROADSHEET_VNU_JAR", str(tmp_path / "no-such.jar"))
    monkeypatch.setenv("BROADSHEET_CHROMIUM", str(tmp_path / "no-such-chromium"))
    site = write_files(tmp_path, {"index.html": html("")})
    found = run_checks(site, ("nu", "axe"))
    assert [f.check for f in found] == ["tool", "tool"]
    assert found[0].message.startswith("nu: ") and found[1].message.startswith("axe: ")
    assert "no-such-chromium" in found[1].message


# -- the gate on the sample site ------------------------------------------------------------

def test_sample_site_links_fragments_and_resources(sample_site):
    found = links.check_links(sample_site)
    assert links.guess_origin(read_pages(sample_site)).netloc  # own URLs are checked too
    assert not found, "\n".join(map(str, found))


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_axe_finds_violations_and_foreign_requests_on_a_bad_page(tmp_path, browser, serve_site, run_axe):
    site = write_files(tmp_path, {"index.html": "<!doctype html><html><body>"
                                               '<img src="x.png"><a href="#"></a>'
                                               '<img src="https://cdn.example.com/y.png" alt="y">'
                                               "</body></html>"})
    found = axe.check_pages(browser, serve_site(site), ["index.html"], run_axe,
                            schemes=("light",))
    ids = {f.message.split()[1] for f in found if f.check == "axe"}
    assert {"image-alt", "html-has-lang", "link-name"} <= ids
    assert [f.message for f in found if f.check == "foreign"] == [
        "light: the page requested https://cdn.example.com/y.png"]


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_sample_site_has_no_axe_violations_light_or_dark(sample_site, browser, serve_site,
                                                         run_axe):
    paths = axe.sample_site_pages(sample_site, read_pages(sample_site))
    assert {"index.html", "404.html"} <= set(paths)
    assert any(axe.page_shape(p) == "#/#/*" for p in paths)  # an article
    found = axe.check_pages(browser, serve_site(sample_site), paths, run_axe)
    assert not found, f"pages checked: {paths}\n" + "\n".join(map(str, found))


def test_check_site_script_runs_the_same_checks(tmp_path):
    site = write_files(tmp_path, {"index.html": html('<a href="gone/">x</a>')})
    script = Path(__file__).resolve().parent.parent / "scripts" / "check_site.py"
    result = subprocess.run([sys.executable, str(script), str(site), "--only", "links"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "no such file gone/index.html" in result.stdout
