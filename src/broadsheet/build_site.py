"""Atomic site builds: `site/` is replaced only by a build that succeeded.

MkDocs writes straight into its site_dir, so a failed or interrupted build leaves a
half-written site. We build into a fresh sibling folder and swap it in with renames.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def build(site_dir: Path, config_file: Path, strict: bool = True,
          extra_args: list[str] | None = None) -> int:
    site_dir = site_dir.resolve()
    parent = site_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=parent))
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--config-file",
               str(config_file), "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    command += extra_args or []
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed: {site_dir} was left as it was", file=sys.stderr)
        return result.returncode
    staging.chmod(0o755)  # mkdtemp makes it private; a site folder is for serving
    old = parent / f".{site_dir.name}-old-{os.getpid()}"
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    print(f"site written to {site_dir}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config-file", "-f", default="mkdocs.yml")
    parser.add_argument("--strict", action="store_true")
    args, rest = parser.parse_known_args(argv)
    return build(Path(args.site_dir), Path(args.config_file), args.strict, rest)


if __name__ == "__main__":
    sys.exit(main())
