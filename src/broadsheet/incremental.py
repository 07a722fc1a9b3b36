"""Warm builds: `make build` after a small change renders again only what the change made
stale, and still writes exactly what a clean build would.

A build (build_site.py) starts from a hard-linked copy of the previous site: copying no
bytes, so it takes a fraction of a second even for thousands of pages. The adapter then
removes every output whose page shows something that changed (freshness.py decides, from
the signatures the previous build left in its `BuildState`), and MkDocs' `--dirty` mode
renders exactly the pages that have no output. Two rules keep the previous site intact
while that happens, so that a failed build still leaves `site/` as it was:

- an output about to be written again is unlinked first (`detach`), so the new bytes go to
  a new file instead of through the link into the previous site;
- after the build, anything the build did not produce is removed (`sweep`): the page of a
  deleted article, its share card, a tag nobody uses any more.

Plain files and data; no MkDocs here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic

STATE_VERSION = 2

PREVIOUS_STATE_ENV = "BROADSHEET_PREVIOUS_BUILD"
"""Path of the previous build's state: set by build_site.py for a warm build only."""
NEXT_STATE_ENV = "BROADSHEET_NEXT_BUILD"
"""Where this build leaves its state (build_site.py keeps it once the site is swapped in)."""
PREVIOUS_SITE_ENV = "BROADSHEET_PREVIOUS_SITE"
"""The previous build's site folder, for the build to copy (SiteCopy) into its own."""


@dataclass
class BuildState:
    """What one build leaves for the next."""

    site: str
    """Signature of everything every page depends on (settings, templates, versions)."""
    pages: dict[str, str]
    """Output path -> signature of what that page showed (freshness.Freshness.pages)."""
    sources: frozenset[str]
    """Source paths of the documentation pages built. A page that went may have been
    linked from pages that did not change, whose links MkDocs checks only when it renders
    them: then nothing of the previous build is reused."""
    article_html: dict[str, str] = field(default_factory=dict)
    """The rendered text of the articles the feeds carry (a feed shows an article's HTML,
    which an unchanged article does not render again)."""
    hash_seed: str = ""
    """PYTHONHASHSEED of the build: signatures are compared across processes."""
    search_input: dict[str, str] = field(default_factory=dict)
    """What each part of the site's search bundle was made from (its folder -> a digest;
    see search_input.index_articles): none when it cannot be told."""
    version: int = STATE_VERSION


def load_state(path: str | os.PathLike | None) -> BuildState | None:
    """The previous build's state, or None when there is none we can trust."""
    if not path:
        return None
    try:
        with open(path, "rb") as source:
            state = pickle.load(source)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            TypeError, ValueError):
        return None
    if (not isinstance(state, BuildState) or state.version != STATE_VERSION
            or state.hash_seed != current_hash_seed()):
        return None
    return state


def save_state(path: str | os.PathLike, state: BuildState) -> None:
    atomic.write_bytes(path, pickle.dumps(state, protocol=5))


def current_hash_seed() -> str:
    """The process's hash seed if fixed; "" if random (then no state can be compared)."""
    seed = os.environ.get("PYTHONHASHSEED", "")
    return "" if seed in ("", "random") else seed


def clone_tree(source: Path, target: Path) -> None:
    """Recreate `source` under `target` (an existing empty folder) with hard links."""
    source_text = str(source)
    for folder, dirs, names in os.walk(source, onerror=_raise):
        relative = os.path.relpath(folder, source_text)
        here = target if relative == "." else target / relative
        for name in dirs:
            os.mkdir(here / name)
        for name in names:
            origin = os.path.join(folder, name)
            if os.path.islink(origin):
                os.symlink(os.readlink(origin), here / name)
            else:
                os.link(origin, here / name)


def _raise(error: OSError) -> None:
    raise error  # a folder that cannot be listed: the copy would be missing its pages


class SiteCopy:
    """clone_tree in a thread: the build reads its settings and articles meanwhile (making
    thousands of folders takes half a second on a slow disk) and waits for the copy only
    before it first looks at its site folder."""

    def __init__(self, source: str | os.PathLike, target: str | os.PathLike):
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._copy, args=(Path(source), Path(target)),
                                        name="broadsheet-site-copy", daemon=True)
        self._thread.start()

    def _copy(self, source: Path, target: Path) -> None:
        try:
            clone_tree(source, target)
        except OSError as err:  # e.g. another file system: the build starts from nothing
            self._error = err

    def wait(self) -> OSError | None:
        """Wait for the copy; the error that stopped it, if any."""
        self._thread.join()
        return self._error


def detach(path: str) -> None:
    """Unlink an output before it is written again (see the module's first rule)."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def sweep(site_dir: str, expected: Iterable[str], kept_folders: Iterable[str] = ()) -> list[str]:
    """Remove every file under `site_dir` that is not `expected` (site-relative, '/'-separated)
    nor inside one of `kept_folders`, then the folders left empty. Returns what was removed."""
    expected = set(expected)
    kept = tuple(folder.rstrip("/") + "/" for folder in kept_folders)
    removed = []
    for folder, dirs, names in os.walk(site_dir, topdown=False):
        relative = os.path.relpath(folder, site_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        if prefix.startswith(kept):
            continue
        for name in names:
            path = prefix + name
            if path not in expected:
                os.unlink(os.path.join(folder, name))
                removed.append(path)
        if prefix and not os.listdir(folder):
            os.rmdir(folder)
    return sorted(removed)
