"""`python -m broadsheet.quality SITE_DIR`: run the site-quality gate, print a report, exit
1 on any finding (2 when the site folder is missing)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import axe, lighthouse, links, nu, tools
from .findings import Finding
from .pages import read_pages

CHECKS = ("links", "nu", "axe", "lighthouse")
REPORT_DIR = Path("test-artifacts")


def run_checks(site: Path, checks=CHECKS, site_url: str | None = None,
               pages: dict | None = None, report_dir: Path | None = None) -> list[Finding]:
    """`report_dir`: where checks that measure (Lighthouse) write their figures."""
    pages = read_pages(site) if pages is None else pages
    origin = links.SiteOrigin.from_url(site_url) if site_url else links.guess_origin(pages)
    findings: list[Finding] = []
    for check in checks:
        try:
            if check == "links":
                findings += links.check_links(site, origin, pages)
            elif check == "nu":
                findings += nu.check_html(site)
            elif check == "axe":
                findings += axe.check_site(site, pages)
            elif check == "lighthouse":
                findings += lighthouse.check_site(site, pages, report_dir)
        except tools.MissingTool as missing:
            # A gate that quietly skips a check is a gate that passes anything.
            findings.append(Finding(".", "tool", f"{check}: {missing}"))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check_site", description=(
        "Check a built site: HTML validity (Nu Html Checker), internal links and fragments, "
        "no resources from other hosts, accessibility (axe-core, light and dark), "
        f"Lighthouse (mobile; every category at least {lighthouse.MIN_SCORE})."))
    parser.add_argument("site_dir", type=Path)
    parser.add_argument("--only", choices=CHECKS, action="append",
                        help="run only this check (may be repeated)")
    parser.add_argument("--site-url", help="the site's own URL (default: the home page's "
                        "canonical link)")
    parser.add_argument("--report-dir", type=Path, default=REPORT_DIR,
                        help="where Lighthouse's figures go (default: %(default)s)")
    args = parser.parse_args(argv)
    site = args.site_dir
    if not (site / "index.html").is_file():
        print(f"check_site: {site} is not a built site (no index.html); run `make build`",
              file=sys.stderr)
        return 2
    checks = tuple(args.only or CHECKS)
    pages = read_pages(site)
    if "axe" in checks:
        print(f"check_site: axe samples {', '.join(axe.sample_site_pages(site, pages))}",
              file=sys.stderr)
    if "lighthouse" in checks:
        print("check_site: Lighthouse (mobile) on "
              f"{', '.join(lighthouse.pages_to_audit(site, pages))}; figures to "
              f"{args.report_dir / 'lighthouse.md'}", file=sys.stderr)
    findings = run_checks(site, checks, args.site_url, pages, args.report_dir)
    for finding in findings:
        print(finding)
    if findings:
        print(f"check_site: {len(findings)} finding(s) in {site} ({', '.join(checks)})",
              file=sys.stderr)
        return 1
    print(f"check_site: {site} passed ({', '.join(checks)}; {len(pages)} pages)",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
