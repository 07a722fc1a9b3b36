"""Files written whole, with the permissions `open` would give them.

A build, a preview and an import may run side by side: a reader must never see half a file,
so each file is written beside its place and renamed over it. `tempfile.mkstemp` makes that
file private (0600); the result is set to what `open` would have made, because share cards
are hard-linked from their cache into the published site, which a web server must read.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` whole (the folder must exist). Raises OSError."""
    write_with(path, lambda out: out.write(data))


def write_with(path: str | os.PathLike, write: Callable[[BinaryIO], object]) -> None:
    """Write `path` whole with `write(file)` (what it writes need not be in memory all at
    once). The folder must exist. Raises OSError, and whatever `write` raises."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(temporary, normal_file_mode())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@functools.lru_cache(maxsize=1)
def normal_file_mode() -> int:
    """0o666 less the process's umask. Read once: reading the umask means setting it, which
    is not safe while other threads (the preview server's) create files."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask
