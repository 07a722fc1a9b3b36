"""`broadsheet check`: exit status, the problem lines, and the JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sitekit import env, make_site, meta




def good_site(tmp_path):
    return make_site(tmp_path, articles={
        "2024/a.md": meta(title="Published"),
        "2026/draft.md": meta(title="Draft", date="2026-11-01", draft=True),
        "2026/later.md": meta(title="Later", date="2027-01-01"),
    })


def test_check_passes_a_valid_site(tmp_path, run):
    site = good_site(tmp_path)
    status, out, err = run(site.root, "check")
    assert status == 0
    assert out == ""
    assert err.strip() == "3 articles OK: 1 published, 1 draft, 1 scheduled"


def test_check_lists_every_problem_and_fails(tmp_path, run):
    site = good_site(tmp_path)
    site.article("2024/bad.md", meta(title="Bad", autor="alex", author=None, date="2024-02-30"))
    site.write("articles/2024/empty.md", "")
    status, out, err = run(site.root, "check")
    assert status == 1
    assert out.splitlines() == [
        "articles/2024/bad.md:3: date: '2024-02-30' is not a date or is impossible — write it "
        "as YYYY-MM-DD, 'YYYY-MM-DD HH:MM' or with an offset, e.g. 2024-06-25 or "
        "'2024-06-25 09:30:00+02:00'",
        "articles/2024/bad.md:4: autor: unknown key — did you mean 'author'?",
        "articles/2024/empty.md: file: is empty — add front matter between '---' lines and the "
        "article text, or run `broadsheet new \"Title\"`",
    ]
    assert err.strip() == "3 problems in 2 files (5 article files read)"


def test_check_json(tmp_path, run):
    site = good_site(tmp_path)
    site.article("2024/bad.md", meta(title="Bad", author="bob"))
    status, out, _ = run(site.root, "check", "--format", "json")
    assert status == 1
    report = json.loads(out)
    assert report == {
        "ok": False, "articles": 4, "published": 1, "drafts": 1, "scheduled": 1,
        "problems": [{"path": "articles/2024/bad.md", "line": 4, "field": "author",
                      "message": "unknown author 'bob'",
                      "hint": "add 'bob' to authors.yml (known: alex, priya)"}],
    }


def test_check_json_of_a_valid_site(tmp_path, run):
    status, out, _ = run(good_site(tmp_path).root, "check", "--format", "json")
    assert status == 0
    assert json.loads(out)["ok"] is True and json.loads(out)["problems"] == []


def test_check_reports_authors_file_problems(tmp_path, run):
    site = good_site(tmp_path)
    site.authors("authors:\n  alex:\n    name: Alex\n  priya:\n    name: Priya\n    url: x\n")
    status, out, _ = run(site.root, "check")
    assert status == 1
    assert "authors.yml:6: authors.priya.url: must start with https:// or http:// (got 'x') — " \
           "use a full https:// address" in out.splitlines()


def test_config_option_from_another_folder(tmp_path, run):
    site = good_site(tmp_path / "site")
    status, _, _ = run(tmp_path, "--config", str(site.config), "check")
    assert status == 0


@pytest.mark.parametrize("options, message", [
    ({"timezone": "Europe/Lndon"},
     "broadsheet: timezone: unknown timezone 'Europe/Lndon' — did you mean 'Europe/London'?"),
    ({"url_format": "{year}/{slug}/"},
     "broadsheet: url_format: unknown placeholder {year} — use {yyyy}, {mm}, {dd}, {slug}"),
    ({"strings": {"share_heding": "x"}},
     "broadsheet: strings.share_heding: unknown string — did you mean 'share_heading'?"),
])
def test_bad_settings_exit_2_with_the_message(tmp_path, run, options, message):
    site = make_site(tmp_path, plugin_options=options)
    status, out, err = run(site.root, "check")
    assert status == 2
    assert err.strip() == message


@pytest.mark.parametrize("options, message", [
    ({"share": {"networks": ["mastodn"]}}, "share.networks: unknown network 'mastodn'"),
    ({"newsletter": {"provider": "buttondonw"}}, "newsletter.provider: unknown provider"),
    ({"cards": {"enabld": True}}, "cards.enabld: unknown option"),
])
def test_check_validates_option_blocks_like_the_build(tmp_path, run, options, message):
    site = make_site(tmp_path, plugin_options=options)
    status, out, err = run(site.root, "check")
    assert status == 2
    assert message in err


def test_missing_config_exits_2(tmp_path, run):
    status, _, err = run(tmp_path, "check")
    assert status == 2
    assert err.startswith("broadsheet: mkdocs.yml: not found")


def test_installed_command_runs(tmp_path):
    site = good_site(tmp_path)
    site.article("2024/bad.md", meta(title="Bad", date=20240101))
    command = Path(sys.executable).parent / "broadsheet"
    result = subprocess.run([str(command), "check"], cwd=site.root, env=env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stdout.startswith("articles/2024/bad.md:3: date: is a number, not a date — ")
    assert "Traceback" not in result.stderr
