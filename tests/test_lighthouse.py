"""Lighthouse in the site-quality gate (`broadsheet.quality.lighthouse`, `serve`).

First the parts that need no browser: the compressing server the gate serves the site with,
and how a Lighthouse result is read (scores, the audits that cost points, the median of
three performance runs, the report). Then Lighthouse itself on the sample site: mobile,
every category at least 95. A missing Node, Lighthouse or Chromium skips that test locally
and fails it in CI.
"""

from __future__ import annotations

import gzip
import json
import urllib.error
import urllib.request

import pytest

from broadsheet.quality import lighthouse, tools
from broadsheet.quality.__main__ import main
from broadsheet.quality.pages import read_pages
from broadsheet.quality.serve import accepts_gzip, serve
from conftest import require_tools
from sitekit import write_files

ARTICLE = '<header class="bs-article-header"><h1>x</h1></header>'


def fetch(url: str, encoding: str | None = "gzip") -> tuple[int, dict, bytes]:
    headers = {"Accept-Encoding": encoding} if encoding else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# -- the server ------------------------------------------------------------------------------

@pytest.mark.parametrize("header, accepted", [
    ("gzip", True), ("gzip, deflate, br", True), ("br;q=1.0, gzip;q=0.8", True), ("*", True),
    ("GZIP", True), ("gzip;q=0", False), ("br", False), ("", False), (None, False),
    ("identity", False), ("gzip;q=nonsense", False),
])
def test_accept_encoding_is_read_like_a_browser_sends_it(header, accepted):
    assert accepts_gzip(header) is accepted


@pytest.fixture
def small_site(tmp_path):
    css = "body { color: #222; }\n" * 200
    return write_files(tmp_path, {
        "index.html": "<!doctype html><title>home</title>" + "<p>text</p>" * 200,
        "404.html": "<!doctype html><title>Not found</title><h1>Nothing here</h1>",
        "archive/index.html": "<!doctype html><title>archive</title>",
        "style.css": css,
        "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    })


def test_text_is_gzipped_for_clients_that_ask(small_site):
    with serve(small_site) as base:
        status, headers, body = fetch(base + "style.css")
        plain_status, plain_headers, plain = fetch(base + "style.css", encoding=None)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/css")
    assert int(headers["Content-Length"]) == len(body) < len(plain)
    assert gzip.decompress(body) == plain == (small_site / "style.css").read_bytes()
    assert plain_status == 200 and "Content-Encoding" not in plain_headers
    assert "Accept-Encoding" in headers["Vary"]


def test_pages_are_gzipped_at_their_folder_address(small_site):
    with serve(small_site) as base:
        status, headers, body = fetch(base)
        redirect_status, _, _ = fetch(base + "archive")  # urllib follows the redirect
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (small_site / "index.html").read_bytes()
    assert redirect_status == 200


def test_images_are_sent_as_they_are(small_site):
    with serve(small_site) as base:
        status, headers, body = fetch(base + "logo.png")
    assert status == 200 and "Content-Encoding" not in headers
    assert body == (small_site / "logo.png").read_bytes()


def test_a_missing_page_gets_the_sites_404_page(small_site):
    with serve(small_site) as base:
        status, _, body = fetch(base + "no/such/page/", encoding=None)
    assert status == 404
    assert b"Nothing here" in body


def test_a_rebuilt_file_is_compressed_again(small_site):
    with serve(small_site) as base:
        first = gzip.decompress(fetch(base + "style.css")[2])
        (small_site / "style.css").write_text("p { margin: 0 }\n", encoding="utf-8")
        second = gzip.decompress(fetch(base + "style.css")[2])
    assert first != second == b"p { margin: 0 }\n"


# -- reading Lighthouse results --------------------------------------------------------------

def lhr(performance=1.0, accessibility=1.0, best=1.0, seo=1.0, audits=None, refs=None) -> dict:
    """A Lighthouse result, shaped like the real one, with only what the gate reads."""
    audits = audits or {}
    refs = refs or {}
    categories = {}
    for category, value in (("performance", performance), ("accessibility", accessibility),
                            ("best-practices", best), ("seo", seo)):
        if value is not False:
            categories[category] = {"score": value, "auditRefs": refs.get(category, [])}
    return {"categories": categories, "audits": audits}


def test_scores_are_percentages_and_a_missing_category_is_zero():
    result = lhr(performance=0.874, seo=None)
    assert lighthouse.score(result, "performance") == 87
    assert lighthouse.score(result, "accessibility") == 100
    assert lighthouse.score(result, "seo") == 0
    assert lighthouse.score(lhr(best=False), "best-practices") == 0


def test_failing_audits_name_what_cost_points_heaviest_first():
    audits = {
        "color-contrast": {"score": 0, "scoreDisplayMode": "binary",
                           "title": "Contrast is too low"},
        "image-alt": {"score": 0, "scoreDisplayMode": "binary", "title": "Images lack alt"},
        "html-has-lang": {"score": 1, "scoreDisplayMode": "binary", "title": "Has lang"},
        "manual-check": {"score": 0, "scoreDisplayMode": "manual", "title": "Check by hand"},
        "largest-contentful-paint": {"score": 0.62, "scoreDisplayMode": "numeric",
                                     "displayValue": "4.1 s", "title": "LCP"},
        "unused-css-rules": {"score": 0.5, "scoreDisplayMode": "metricSavings",
                             "displayValue": "Potential savings of 18 KiB", "title": "Unused CSS"},
        "font-display": {"score": 0.95, "scoreDisplayMode": "metricSavings", "title": "Fonts"},
    }
    refs = {
        "accessibility": [{"id": "image-alt", "weight": 10},
                          {"id": "color-contrast", "weight": 7},
                          {"id": "html-has-lang", "weight": 7},
                          {"id": "manual-check", "weight": 0}],
        "performance": [{"id": "largest-contentful-paint", "weight": 25},
                        {"id": "unused-css-rules", "weight": 0},
                        {"id": "font-display", "weight": 0}],
    }
    result = lhr(accessibility=0.8, performance=0.7, audits=audits, refs=refs)
    assert lighthouse.failing_audits(result, "accessibility") == [
        "image-alt (0) — Images lack alt", "color-contrast (0) — Contrast is too low"]
    assert lighthouse.failing_audits(result, "performance") == [
        "largest-contentful-paint (62): 4.1 s — LCP",
        "unused-css-rules (50): Potential savings of 18 KiB — Unused CSS"]
    assert lighthouse.failing_audits(result, "seo") == []


class FakeLighthouse:
    """Stands in for run_lighthouse: hands out prepared results and records the calls."""

    def __init__(self, *results):
        self.results = list(results)
        self.calls = []

    def __call__(self, url, categories):
        self.calls.append((url, categories))
        return self.results.pop(0)


def test_a_page_that_passes_is_measured_once():
    run = FakeLighthouse(lhr(performance=0.97))
    report = lighthouse.audit_page("http://127.0.0.1:1/", "2024/06/a/index.html", run=run)
    assert run.calls == [("http://127.0.0.1:1/2024/06/a/", lighthouse.CATEGORIES)]
    assert report.scores == {"performance": 97, "accessibility": 100, "best-practices": 100,
                             "seo": 100}
    assert report.performance_runs == [97]
    assert lighthouse.findings([report]) == []


def test_a_short_performance_score_is_the_median_of_three_runs():
    run = FakeLighthouse(lhr(performance=0.90), lhr(performance=0.99, accessibility=False),
                         lhr(performance=0.96, accessibility=False))
    report = lighthouse.audit_page("http://h/", "index.html", run=run)
    assert [categories for _, categories in run.calls] == [
        lighthouse.CATEGORIES, ("performance",), ("performance",)]
    assert report.performance_runs == [90, 99, 96]
    assert report.scores["performance"] == 96
    assert report.scores["accessibility"] == 100  # from the full first run


def test_a_page_still_short_after_three_runs_is_a_finding_naming_the_audits():
    slow = {"audits": {"total-blocking-time": {"score": 0.3, "scoreDisplayMode": "numeric",
                                               "displayValue": "900 ms", "title": "TBT"}},
            "refs": {"performance": [{"id": "total-blocking-time", "weight": 30}]}}
    run = FakeLighthouse(*(lhr(performance=p, **slow) for p in (0.80, 0.85, 0.70)))
    report = lighthouse.audit_page("http://h/", "index.html", run=run)
    found = [str(f) for f in lighthouse.findings([report])]
    assert found == [("index.html: [lighthouse] Performance 80 (median of runs [80, 85, 70]) "
                      "is below 95: total-blocking-time (30): 900 ms — TBT")]


def test_other_categories_below_95_are_findings_too():
    run = FakeLighthouse(lhr(accessibility=0.94, seo=0.5))
    found = lighthouse.findings([lighthouse.audit_page("http://h/", "index.html", run=run)])
    assert [f.message.split(" is below")[0] for f in found] == ["Accessibility 94", "SEO 50"]


def test_requests_to_other_hosts_are_findings():
    requests = {"network-requests": {"details": {"items": [
        {"url": "http://127.0.0.1:9/"}, {"url": "http://127.0.0.1:9/a.css"},
        {"url": "data:image/png;base64,AAAA"}, {"url": "https://fonts.example/f.woff2"}]}}}
    run = FakeLighthouse(lhr(audits=requests))
    report = lighthouse.audit_page("http://127.0.0.1:9/", "index.html", run=run)
    assert [str(f) for f in lighthouse.findings([report])] == [
        "index.html: [foreign] the page requested https://fonts.example/f.woff2 (Lighthouse)"]


def test_a_lighthouse_failure_is_a_finding_not_a_pass():
    def broken(url, categories):
        raise lighthouse.LighthouseError("NO_FCP: the page did not paint")

    report = lighthouse.audit_page("http://h/", "index.html", run=broken)
    assert [str(f) for f in lighthouse.findings([report])] == [
        "index.html: [lighthouse] Lighthouse failed: NO_FCP: the page did not paint"]


def test_the_pages_audited_are_the_home_page_and_the_biggest_article(tmp_path):
    site = write_files(tmp_path, {
        "index.html": "<p>home</p>",
        "2024/06/short/index.html": ARTICLE,
        "2024/06/long/index.html": ARTICLE + "<p>more</p>" * 50,
        "tags/index.html": "<p>" + "tags " * 500 + "</p>",
    })
    assert lighthouse.pages_to_audit(site, read_pages(site)) == [
        "index.html", "2024/06/long/index.html"]
    bare = write_files(tmp_path / "bare", {"index.html": "<p>home</p>"})
    assert lighthouse.pages_to_audit(bare, read_pages(bare)) == ["index.html"]


def test_the_report_has_the_figures_as_json_and_a_table(tmp_path):
    reports = [
        lighthouse.audit_page("http://h/", "index.html",
                              run=FakeLighthouse(lhr(performance=0.9), lhr(performance=0.97),
                                                 lhr(performance=0.96))),
        lighthouse.PageReport("2024/06/a/index.html", {}, error="Chrome did not start"),
    ]
    lighthouse.write_report(reports, tmp_path / "out")
    data = json.loads((tmp_path / "out" / "lighthouse.json").read_text(encoding="utf-8"))
    assert data["form_factor"] == "mobile" and data["min_score"] == 95
    assert data["pages"][0]["scores"]["performance"] == 96
    assert data["pages"][0]["performance_runs"] == [90, 97, 96]
    assert data["pages"][1]["error"] == "Chrome did not start"
    table = (tmp_path / "out" / "lighthouse.md").read_text(encoding="utf-8")
    assert "| `index.html` | 96 (runs 90, 97, 96) | 100 | 100 | 100 |" in table
    assert "| `2024/06/a/index.html` | error | error | error | error |" in table


def test_check_site_only_lighthouse_runs_it_and_writes_the_report(tmp_path, monkeypatch,
                                                                   capsys):
    site = write_files(tmp_path / "site", {"index.html": "<p>home</p>"})
    run = FakeLighthouse(lhr(seo=0.8))
    monkeypatch.setattr(lighthouse, "run_lighthouse", run)
    monkeypatch.setattr(tools, "node", lambda: "/bin/true")
    monkeypatch.setattr(tools, "chromium", lambda: "/bin/true")
    monkeypatch.setattr(tools, "lighthouse_cli", lambda: tmp_path / "lighthouse/cli/index.js")
    assert main([str(site), "--only", "lighthouse", "--report-dir", str(tmp_path / "r")]) == 1
    assert "index.html: [lighthouse] SEO 80 is below 95" in capsys.readouterr().out
    assert len(run.calls) == 1
    assert (tmp_path / "r" / "lighthouse.md").is_file()


def test_a_missing_lighthouse_is_a_finding(tmp_path, monkeypatch, capsys):
    site = write_files(tmp_path / "site", {"index.html": "<p>home</p>"})
    monkeypatch.setenv("BROADSHEET_NODE_MODULES", str(tmp_path / "no_node_modules"))
    assert main([str(site), "--only", "lighthouse", "--report-dir", str(tmp_path / "r")]) == 1
    out = capsys.readouterr().out
    assert "[tool] lighthouse:" in out and "make system-deps" in out


# -- Lighthouse on the sample site -----------------------------------------------------------

@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_sample_site_scores_at_least_95_in_every_category_on_mobile(sample_site, artifacts_dir):
    require_tools(tools.node, tools.lighthouse_cli, tools.chromium)
    pages = read_pages(sample_site)
    found = lighthouse.check_site(sample_site, pages, artifacts_dir)
    report = json.loads((artifacts_dir / "lighthouse.json").read_text(encoding="utf-8"))
    audited = [page["path"] for page in report["pages"]]
    assert audited[0] == "index.html" and len(audited) == 2, audited
    assert "bs-article-header" in pages[audited[1]].blocks
    assert not found, "\n".join(map(str, found)) + "\n(see test-artifacts/lighthouse.md)"
    for page in report["pages"]:
        assert set(page["scores"]) == set(lighthouse.CATEGORIES)
        assert min(page["scores"].values()) >= 95, page
