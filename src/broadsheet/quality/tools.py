"""Finding the external tools the gate drives; a missing one is reported, never guessed around.

`scripts/install-system-deps.sh` installs them all (Debian chromium, Java and Node, `npm ci`
for axe-core, vnu-jar and Lighthouse); the paths can be overridden with environment variables.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


class MissingTool(Exception):
    """A tool the gate needs is not installed; the message says which and how to get it."""


def _node_module(*parts: str) -> Path:
    # The repo's node_modules (editable install), else the one in the current folder.
    default = REPO / "node_modules"
    if not default.is_dir():
        default = Path.cwd() / "node_modules"
    return Path(os.environ.get("BROADSHEET_NODE_MODULES", default), *parts)


def java() -> str:
    found = shutil.which(os.environ.get("BROADSHEET_JAVA", "java"))
    if not found:
        raise MissingTool("java not found (apt-get install default-jre-headless, or "
                          "make system-deps)")
    return found


def vnu_jar() -> Path:
    jar = Path(os.environ.get("BROADSHEET_VNU_JAR",
                              _node_module("vnu-jar", "build", "dist", "vnu.jar")))
    if not jar.is_file():
        raise MissingTool(f"the Nu Html Checker is not at {jar} (npm ci, or make system-deps)")
    return jar


def chromium() -> str:
    path = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        raise MissingTool(f"Chromium not found at {path} (apt-get install chromium, or "
                          "make system-deps)")
    return path


def axe_js() -> Path:
    path = _node_module("axe-core", "axe.min.js")
    if not path.is_file():
        raise MissingTool(f"axe-core is not at {path} (npm ci, or make system-deps)")
    return path


def node() -> str:
    found = shutil.which(os.environ.get("BROADSHEET_NODE", "node"))
    if not found:
        raise MissingTool("node not found (apt-get install nodejs, or make system-deps)")
    return found


def lighthouse_cli() -> Path:
    path = _node_module("lighthouse", "cli", "index.js")
    if not path.is_file():
        raise MissingTool(f"Lighthouse is not at {path} (npm ci, or make system-deps)")
    return path
