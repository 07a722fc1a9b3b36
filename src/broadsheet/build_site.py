"""Atomic site builds: `site/` is replaced only by a build that succeeded.

MkDocs writes straight into its site_dir, so a failed or interrupted build leaves a
half-written site. We build into a fresh sibling folder and swap it in with renames.

Builds are warm: when the previous `make build` succeeded, the new one starts from a
hard-linked copy of its site and renders again only the pages that changed
(incremental.py); the result is what a clean build makes. `--clean` builds from nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from . import incremental

BUILD_CACHE = Path(".cache", "broadsheet", "build")
"""Beside mkdocs.yml: the previous build's state, and which site folder it describes."""
TRASH = "replaced"
"""Inside BUILD_CACHE: sites replaced by a build, deleted by the next one."""


def _site_identity(site_dir: Path) -> str:
    """Changes when anything but a build of ours replaces or rewrites the site folder."""
    info = site_dir.stat()
    return f"{info.st_dev}:{info.st_ino}:{info.st_mtime_ns}"


def _warm_state(cache: Path, site_dir: Path, strict: bool) -> Path | None:
    """The previous build's state, if the site folder is still the one it describes (and
    that build was as strict: only a strict build has checked every page's links)."""
    state = cache / "state.pickle"
    try:
        record = json.loads((cache / "site.json").read_text(encoding="utf-8"))
        identity = _site_identity(site_dir)
    except (OSError, ValueError):
        return None
    if not state.is_file() or record.get("site") != identity or (strict and not record.get(
            "strict")) or record.get("path") != str(site_dir):
        return None
    return state


def build(site_dir: Path, config_file: Path, strict: bool = True,
          extra_args: list[str] | None = None, clean: bool = False) -> int:
    site_dir = site_dir.resolve()
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    cache = config_file.resolve().parent / BUILD_CACHE
    previous = None if clean else _warm_state(cache, site_dir, strict)
    # The sites earlier builds replaced, deleted while this one runs (on the core MkDocs
    # leaves idle at first) instead of at the end of each build.
    emptying = threading.Thread(target=shutil.rmtree, args=(cache / TRASH,),
                                kwargs={"ignore_errors": True}, daemon=True)
    emptying.start()
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
               # Page signatures are compared across builds: hashing must not vary.
               PYTHONHASHSEED=incremental.current_hash_seed() or "0")
    # The plugin writes this build's state there only if the build gets that far.
    next_state: str | None = str(cache / f"next-{os.getpid()}.pickle")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        Path(next_state).unlink(missing_ok=True)
        env[incremental.NEXT_STATE_ENV] = next_state
    except OSError:
        next_state = None  # no cache folder: every build is clean
    if previous is not None:
        # The build copies the previous site into `staging` while it starts (SiteCopy).
        env[incremental.PREVIOUS_STATE_ENV] = str(previous)
        env[incremental.PREVIOUS_SITE_ENV] = str(site_dir)
    # Always --dirty: without a previous state the plugin builds every page (and empties
    # the folder first), so the result is the same as --clean.
    command = [sys.executable, "-m", "mkdocs", "build", "--dirty", "--config-file",
               str(config_file), "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    command += extra_args or []
    try:
        returncode = subprocess.run(command, env=env).returncode
    except BaseException:  # interrupted (Ctrl-C): leave nothing half-made behind
        returncode = None
        raise
    finally:
        emptying.join()
        if returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            if next_state:
                Path(next_state).unlink(missing_ok=True)
    if returncode != 0:
        print(f"build failed: {site_dir} was left as it was", file=sys.stderr)
        return returncode
    staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for serving
    old = parent / f".{site_dir.name}-old-{os.getpid()}"
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    _discard(old, cache / TRASH)
    _keep_state(cache, next_state, site_dir, strict)
    print(f"site written to {site_dir}", file=sys.stderr)
    return 0


def _discard(folder: Path, trash: Path) -> None:
    """Put a replaced site where the next build deletes it (moments, against seconds for
    the thousands of files of a big site); delete it now if it cannot go there."""
    if not folder.exists():
        return
    try:
        trash.mkdir(parents=True, exist_ok=True)
        folder.rename(trash / folder.name)
    except OSError:  # another file system, say
        shutil.rmtree(folder, ignore_errors=True)


def _keep_state(cache: Path, next_state: str | None, site_dir: Path, strict: bool) -> None:
    """Record this build's state for the next one; without it, the next build is clean."""
    record = cache / "site.json"
    record.unlink(missing_ok=True)
    if not next_state or not os.path.isfile(next_state):
        (cache / "state.pickle").unlink(missing_ok=True)
        return
    os.replace(next_state, cache / "state.pickle")
    record.write_text(json.dumps({"site": _site_identity(site_dir), "path": str(site_dir),
                                  "strict": strict}), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config-file", "-f", default="mkdocs.yml")
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--clean", action="store_true",
                        help="build every page, reusing nothing of the previous build")
    args, rest = parser.parse_known_args(argv)
    return build(Path(args.site_dir), Path(args.config_file), args.strict, rest, args.clean)


if __name__ == "__main__":
    sys.exit(main())
