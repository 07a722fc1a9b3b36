"""Lighthouse on the home page and an article page: mobile, as most readers arrive.

The site is served with compression (`serve.py`), as any real host does, to Debian's
Chromium driven by the Lighthouse CLI (npm, pinned in package.json). Throttling is
Lighthouse's default *simulated* one (a slow 4G network and a 4× slower CPU, computed from
an unthrottled load), so the figures do not depend on this machine's network. They do
depend a little on its CPU: when a page's performance score falls short, it is measured
twice more and the median of the three counts, so that one noisy run on a busy machine
neither fails nor passes the gate on its own.

Each category (performance, accessibility, best practices, SEO) must score at least
`MIN_SCORE`; a shortfall is a finding naming the audits that cost the points. The figures
go to `lighthouse.json` and `lighthouse.md` in the report folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import tools
from .axe import url_for
from .findings import Finding
from .pages import Page
from .serve import serve

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LABELS = {"performance": "Performance", "accessibility": "Accessibility",
          "best-practices": "Best practices", "seo": "SEO"}
MIN_SCORE = 95
PERFORMANCE_RUNS = 3
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
ARTICLE_BLOCK = "bs-article-header"
"""The class every article page carries (templates/partials/article.html)."""
TIMEOUT = 180


class LighthouseError(Exception):
    """Lighthouse did not produce a report (Chrome failed to start, the page did not load)."""


@dataclass
class PageReport:
    path: str
    """The page's file in the site, e.g. 'index.html'."""
    scores: dict[str, int]
    """0–100 by category; performance is the median of `performance_runs`."""
    performance_runs: list[int] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    """The median run's lab metrics as Lighthouse displays them ("1.2 s")."""
    failing: dict[str, list[str]] = field(default_factory=dict)
    """By category below 100: the audits that cost points, biggest weight first."""
    foreign: list[str] = field(default_factory=list)
    """Requests the page made to other hosts (Lighthouse's network log): none is the rule."""
    error: str | None = None


# -- which pages ---------------------------------------------------------------------------

def article_page(site: Path, pages: dict[str, Page]) -> str | None:
    """The biggest article page: the one with the most to load and lay out."""
    articles = [path for path, page in pages.items() if ARTICLE_BLOCK in page.blocks]
    if not articles:
        return None
    return max(sorted(articles), key=lambda path: (site / path).stat().st_size)


def pages_to_audit(site: Path, pages: dict[str, Page]) -> list[str]:
    chosen = ["index.html"] if "index.html" in pages else []
    article = article_page(site, pages)
    return chosen + ([article] if article else [])


# -- reading a Lighthouse result (its JSON "LHR") --------------------------------------------

def score(lhr: dict, category: str) -> int:
    """0–100; a category Lighthouse could not score counts as 0."""
    value = lhr.get("categories", {}).get(category, {}).get("score")
    return round(value * 100) if value is not None else 0


def failing_audits(lhr: dict, category: str, limit: int = 8) -> list[str]:
    """The audits of a category that cost points (weighted ones first), as
    'id (score): title — displayed value'."""
    audits = lhr.get("audits", {})
    found = []
    for ref in lhr.get("categories", {}).get(category, {}).get("auditRefs", []):
        audit = audits.get(ref["id"], {})
        value = audit.get("score")
        if value is None or audit.get("scoreDisplayMode") in ("informative", "manual",
                                                               "notApplicable"):
            continue
        weighted = ref.get("weight", 0) > 0
        if (weighted and value < 1) or (not weighted and value < 0.9):
            shown = f": {audit['displayValue']}" if audit.get("displayValue") else ""
            found.append((-ref.get("weight", 0), value, ref["id"],
                          f"{ref['id']} ({round(value * 100)}){shown} — {audit.get('title', '')}"))
    return [text for *_, text in sorted(found)[:limit]]


def metrics(lhr: dict) -> dict[str, str]:
    audits = lhr.get("audits", {})
    return {name: audits[name].get("displayValue", "") for name in METRICS if name in audits}


def foreign_requests(lhr: dict, own_host: str) -> list[str]:
    items = lhr.get("audits", {}).get("network-requests", {}).get("details", {}).get("items", [])
    urls = (item.get("url", "") for item in items)
    return sorted({url for url in urls if url.startswith(("http:", "https:", "ws:", "wss:"))
                   and urlsplit(url).hostname != own_host})


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median (the lower middle for an even count)."""
    ordered = sorted(runs, key=lambda lhr: score(lhr, "performance"))
    return ordered[(len(ordered) - 1) // 2]


# -- running it ----------------------------------------------------------------------------

def run_lighthouse(url: str, categories: tuple[str, ...] = CATEGORIES) -> dict:
    """One Lighthouse run (mobile, simulated throttling) over `url`; its JSON result.
    Raises tools.MissingTool when Node, Lighthouse or Chromium is missing."""
    node, cli, chrome = tools.node(), tools.lighthouse_cli(), tools.chromium()
    with tempfile.TemporaryDirectory(prefix="broadsheet-lighthouse-",
                                     ignore_cleanup_errors=True) as tmp:
        output = Path(tmp) / "report.json"
        command = [node, str(cli), url, "--output=json", f"--output-path={output}", "--quiet",
                   "--form-factor=mobile", "--throttling-method=simulate",
                   "--no-enable-error-reporting",
                   f"--only-categories={','.join(categories)}",
                   f"--chrome-flags={' '.join(CHROME_FLAGS)}"]
        # TMPDIR: Chrome's throwaway profile goes in our temporary folder and goes with it.
        env = dict(os.environ, CHROME_PATH=chrome, TMPDIR=tmp)
        try:
            result = subprocess.run(command, capture_output=True, text=True, env=env,
                                    timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as err:
            raise LighthouseError(f"no result after {TIMEOUT}s") from err
        if result.returncode != 0 or not output.is_file():
            detail = (result.stderr or result.stdout).strip()[-600:]
            raise LighthouseError(f"exit {result.returncode}: {detail}")
        lhr = json.loads(output.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        error = lhr["runtimeError"]
        raise LighthouseError(f"{error.get('code')}: {error.get('message', '')}")
    return lhr


def audit_page(base_url: str, path: str, runs: int = PERFORMANCE_RUNS, run=None) -> PageReport:
    """Every category once; performance twice more if it falls short, keeping the median.
    `run(url, categories) -> LHR` is run_lighthouse unless a test says otherwise."""
    run = run or run_lighthouse
    url = base_url + url_for(path)
    try:
        first = run(url, CATEGORIES)
        lhrs = [first]
        if score(first, "performance") < MIN_SCORE:
            lhrs += [run(url, ("performance",)) for _ in range(runs - 1)]
    except LighthouseError as err:
        return PageReport(path, {}, error=str(err))
    middle = median_run(lhrs)
    scores = {category: score(first, category) for category in CATEGORIES}
    scores["performance"] = score(middle, "performance")
    failing = {category: failing_audits(middle if category == "performance" else first,
                                        category) for category in CATEGORIES}
    return PageReport(path, scores,
                      performance_runs=[score(lhr, "performance") for lhr in lhrs],
                      metrics=metrics(middle),
                      failing={c: audits for c, audits in failing.items() if audits},
                      foreign=foreign_requests(first, urlsplit(base_url).hostname))


def findings(reports: list[PageReport], min_score: int = MIN_SCORE) -> list[Finding]:
    found = []
    for report in reports:
        if report.error:
            found.append(Finding(report.path, "lighthouse", f"Lighthouse failed: {report.error}"))
            continue
        found += [Finding(report.path, "foreign", f"the page requested {url} (Lighthouse)")
                  for url in report.foreign]
        for category in CATEGORIES:
            value = report.scores.get(category, 0)
            if value < min_score:
                runs = (f" (median of runs {report.performance_runs})"
                        if category == "performance" and len(report.performance_runs) > 1
                        else "")
                audits = "; ".join(report.failing.get(category, [])) or "no audit named"
                found.append(Finding(report.path, "lighthouse", f"{LABELS[category]} "
                                     f"{value}{runs} is below {min_score}: {audits}"))
    return found


# -- the report ----------------------------------------------------------------------------

def lighthouse_version() -> str:
    try:
        package = tools.lighthouse_cli().parent.parent / "package.json"
        return json.loads(package.read_text(encoding="utf-8"))["version"]
    except (tools.MissingTool, OSError, ValueError, KeyError):
        return "unknown"


def report_markdown(reports: list[PageReport], version: str) -> str:
    lines = [f"# Lighthouse {version}: mobile, simulated throttling, served with gzip",
             "", (f"Each score must be at least {MIN_SCORE}. Performance is the median of "
                  f"{PERFORMANCE_RUNS} runs when the first falls short."), "",
             "| Page | " + " | ".join(LABELS[c] for c in CATEGORIES) + " |",
             "|---" * (len(CATEGORIES) + 1) + "|"]
    for report in reports:
        if report.error:
            lines.append(f"| `{report.path}` | " + " | ".join("error" for _ in CATEGORIES) + " |")
            continue
        cells = []
        for category in CATEGORIES:
            cell = str(report.scores.get(category, 0))
            if category == "performance" and len(report.performance_runs) > 1:
                cell += f" (runs {', '.join(map(str, report.performance_runs))})"
            cells.append(cell)
        lines.append(f"| `{report.path}` | " + " | ".join(cells) + " |")
    for report in reports:
        lines += ["", f"## `{report.path}`", ""]
        if report.error:
            lines.append(f"Lighthouse failed: {report.error}")
            continue
        lines.append("Metrics: " + ", ".join(f"{name} {value}"
                                             for name, value in report.metrics.items()))
        for category, audits in report.failing.items():
            lines.append(f"- {LABELS[category]}: " + "; ".join(audits))
    return "\n".join(lines) + "\n"


def write_report(reports: list[PageReport], report_dir: Path) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    version = lighthouse_version()
    data = {"lighthouse": version, "form_factor": "mobile", "throttling": "simulate",
            "compression": "gzip", "min_score": MIN_SCORE,
            "pages": [asdict(report) for report in reports]}
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    (report_dir / "lighthouse.json").write_text(text, encoding="utf-8")
    (report_dir / "lighthouse.md").write_text(report_markdown(reports, version),
                                              encoding="utf-8")


def check_site(site: Path, pages: dict[str, Page],
               report_dir: Path | None = None) -> list[Finding]:
    """Lighthouse over the home page and the biggest article page, with its own server.
    Raises tools.MissingTool when Node, Lighthouse or Chromium is missing."""
    tools.node(), tools.lighthouse_cli(), tools.chromium()  # fail before serving anything
    with serve(site) as base_url:
        reports = [audit_page(base_url, path) for path in pages_to_audit(site, pages)]
    if report_dir is not None:
        write_report(reports, report_dir)
    return findings(reports)
