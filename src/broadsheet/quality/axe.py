"""axe-core in headless Chromium over one sample of every kind of page, light and dark.

Which pages: the home page, the 404 page, then as few pages as cover every *kind* found in
the site, where a page's kinds are the shape of its address (`#/#/*` for a dated article,
`tags/*` for a tag page…) and each of our component blocks it shows (`bs-share`,
`bs-author`…). New page types (tag, author, archive pages) are therefore picked up without
this list being edited, and a site of a thousand articles still costs a handful of pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from . import tools
from .serve import serve
from .findings import Finding
from .pages import Page

SCHEMES = ("light", "dark")
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")
_RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""

RunAxe = Callable[[object], list]  # (Playwright page) -> list of violation dicts


def page_shape(path: str) -> str:
    """The shape of a page's address: numbers become `#`, names after the first become `*`;
    a page directly under the root is a plain `page` (so slug-only article URLs don't make
    every article a kind of its own)."""
    parts = path.split("/")
    parts = parts[:-1] if parts[-1] == "index.html" else parts[:-1] + [parts[-1][:-5]]
    if not parts:
        return "home"
    if parts == ["404"]:
        return "404"
    if len(parts) == 1 and not parts[0].isdigit():
        return "page"
    return "/".join("#" if part.isdigit() else part if i == 0 else "*"
                    for i, part in enumerate(parts))


def page_kinds(page: Page) -> set[str]:
    return {"shape:" + page_shape(page.path)} | {"block:" + b for b in page.blocks}


def sample_pages(pages: dict[str, Page], sizes: dict[str, int] | None = None) -> list[str]:
    """Home, 404, then greedily the page covering most kinds not yet covered (ties: the
    bigger page, then the first by path), until every kind found in the site is covered."""
    sizes = sizes or {}
    chosen = [path for path in ("index.html", "404.html") if path in pages]
    covered = set().union(*(page_kinds(pages[p]) for p in chosen))
    wanted = set().union(*(page_kinds(p) for p in pages.values()))
    while covered < wanted:
        best = min((p for p in pages if p not in chosen),
                   key=lambda p: (-len(page_kinds(pages[p]) - covered), -sizes.get(p, 0), p))
        chosen.append(best)
        covered |= page_kinds(pages[best])
    return chosen


def sample_site_pages(site: Path, pages: dict[str, Page]) -> list[str]:
    return sample_pages(pages, {path: (site / path).stat().st_size for path in pages})


def url_for(path: str) -> str:
    """The URL path a reader would use: `a/b/index.html` is served as `a/b/`."""
    return path[: -len("index.html")] if path.endswith("index.html") else path


def check_pages(browser, base_url: str, paths: Sequence[str], run_axe: RunAxe,
                schemes: Sequence[str] = SCHEMES) -> list[Finding]:
    """axe violations (and requests to other hosts) on each page in each colour scheme."""
    return [finding for scheme in schemes for path in paths
            for finding in _check_page(browser, base_url, path, scheme, run_axe)]


def _check_page(browser, base_url: str, path: str, scheme: str, run_axe: RunAxe) -> list[Finding]:
    own_host = urlsplit(base_url).hostname
    foreign: list[str] = []

    def route(route):
        url = route.request.url
        if urlsplit(url).hostname == own_host or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    # A fresh context per page and scheme: nothing (storage, palette choice) carries over.
    context = browser.new_context(color_scheme=scheme)
    try:
        context.route("**/*", route)
        page = context.new_page()
        response = page.goto(base_url + url_for(path), wait_until="load")
        if response is None or (response.status >= 400 and path != "404.html"):
            status = response.status if response else "no response"
            return [Finding(path, "axe", f"{scheme}: could not load the page ({status})")]
        findings = []
        for violation in run_axe(page):
            nodes = "; ".join(" ".join(node.split()) for node in violation["nodes"][:5])
            findings.append(Finding(path, "axe", f"{scheme}: {violation['id']} "
                                    f"({violation['impact']}) {violation['help']}: {nodes}"))
        return findings + [Finding(path, "foreign", f"{scheme}: the page requested {url}")
                           for url in foreign]
    finally:
        context.close()


def axe_runner(axe_source: str, tags: Sequence[str] = AXE_TAGS) -> RunAxe:
    def run(page) -> list:
        page.add_script_tag(content=axe_source)
        return page.evaluate(_RUN_AXE, list(tags))
    return run


CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic"]


def check_site(site: Path, pages: dict[str, Page]) -> list[Finding]:
    """The whole axe check with its own server and browser (for the command line).
    Raises tools.MissingTool when Chromium, Playwright or axe-core is missing."""
    chromium, axe_source = tools.chromium(), tools.axe_js().read_text(encoding="utf-8")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        raise tools.MissingTool("the playwright Python package is not installed "
                                "(pip install -e '.[test]')") from err
    paths = sample_site_pages(site, pages)
    with serve(site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            return check_pages(browser, base_url, paths, axe_runner(axe_source))
        finally:
            browser.close()
