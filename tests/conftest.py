"""Shared fixtures: the sample site built once, local HTTP servers, headless Chromium.

Browser tests use Debian's Chromium through Playwright's Python client. Locally a missing
browser skips them; in CI (CI=true) it fails them, because a skipped browser test in CI is a
test that does not exist.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from broadsheet.quality.serve import serve

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
SAMPLE_NOW = "2026-11-27"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_tool(reason: str):
    """Skip locally; fail in CI, where every tool must have been installed by the project."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: tools are installed by scripts/install-system-deps.sh)")
    pytest.skip(reason)


def require_tools(*tools):
    """Each quality tool's path (broadsheet.quality.tools.java, …), or skip (locally) / fail
    (CI) naming what is missing."""
    from broadsheet.quality.tools import MissingTool

    try:
        return [tool() for tool in tools]
    except MissingTool as missing:
        missing_tool(str(missing))


def build_site(project: Path, site_dir: Path, *extra: str, now: str = SAMPLE_NOW,
               check: bool = True) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project folder, in a subprocess like an editor runs it."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=now)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
         str(project / "mkdocs.yml"), "--site-dir", str(site_dir), *extra],
        env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stdout}\n{result.stderr}")
    return result


def copy_sample_project(dest: Path) -> Path:
    """The repo's own sample site (mkdocs.yml, docs/, templates/), copied for a test."""
    from sitekit import copy_sample_site
    return copy_sample_site(dest).root


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample site built once per session (strict), for tests that only read it."""
    root = tmp_path_factory.mktemp("sample")
    project = copy_sample_project(root / "project")
    site = root / "site"
    build_site(project, site)
    return site


@pytest.fixture
def serve_site():
    """serve_site(path) -> base URL of a local HTTP server over a built site folder."""
    with contextlib.ExitStack() as servers:
        yield lambda path: servers.enter_context(serve(path))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing_tool(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("the playwright Python package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context_args():
    """Override in a test module to pass options (viewport, color_scheme, permissions…)."""
    return {}


@pytest.fixture
def page(browser, browser_context_args):
    """A fresh page that refuses, records and fails on any request off this machine."""
    context = browser.new_context(**browser_context_args)
    foreign: list[str] = []

    def route(route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:", "about:")) or host in (
                "127.0.0.1", "localhost"):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    yield page
    context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        missing_tool("axe-core not installed (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def run_axe(axe_source):
    """run_axe(page) -> the list of axe-core violations on the page as it is now."""

    def run(page, *, tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")) -> list:
        page.add_script_tag(content=axe_source)
        return page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
            }""", list(tags))

    return run


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def run(monkeypatch, capsys):
    """Run `broadsheet ARGS` in-process in a folder; return (exit status, stdout, stderr)."""
    from broadsheet.cli import main
    from sitekit import NOW

    monkeypatch.setenv("BROADSHEET_NOW", NOW)

    def run_in(folder: Path, *args: str):
        monkeypatch.chdir(folder)
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err
    return run_in
