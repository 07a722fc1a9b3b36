"""The Nu Html Checker (vnu.jar) over every HTML page of a site, in one Java run."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import tools
from .findings import Finding


def _site_path(url: str, site: Path) -> str:
    """vnu names files by `file:` URL; the report names them relative to the site."""
    path = Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)
    try:
        return path.resolve().relative_to(site.resolve()).as_posix()
    except ValueError:
        return url


def findings_from_report(report: dict, site: Path) -> list[Finding]:
    findings = []
    for message in report.get("messages", []):
        if message.get("type") == "info":  # warnings; --errors-only leaves none anyway
            continue
        extract = " ".join(message.get("extract", "").split())
        text = message.get("message", "").strip()
        if extract:
            text += f" — in: {extract[:160]}"
        findings.append(Finding(_site_path(message.get("url", ""), site), "nu", text,
                                message.get("lastLine")))
    return findings


def check_html(site: Path) -> list[Finding]:
    """Errors the Nu Html Checker finds in the site's HTML files (none is the goal).
    Raises tools.MissingTool when Java or vnu.jar is not installed."""
    command = [tools.java(), "-jar", str(tools.vnu_jar()), "--errors-only", "--format", "json",
               "--stdout", "--skip-non-html", str(site)]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout or "{}")
    except json.JSONDecodeError:
        report = None
    if report is None or (result.returncode not in (0, 1)) or (
            result.returncode == 1 and not report.get("messages")):
        # The checker itself failed (bad Java, corrupt jar…): that is a finding, not a pass.
        detail = (result.stderr or result.stdout).strip()[-600:]
        return [Finding(".", "nu", f"the Nu Html Checker did not run (exit "
                        f"{result.returncode}): {detail}")]
    return sorted(findings_from_report(report, site),
                  key=lambda f: (f.path, f.line or 0, f.message))
