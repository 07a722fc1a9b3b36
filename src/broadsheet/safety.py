"""Files that must not be published: links that lead out of the docs folder.

MkDocs follows symbolic links when it collects docs/, so `docs/notes.md -> ~/.ssh/id_rsa`
would be copied into the public site. Every such file is refused with a clear problem.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from .problems import Problem


def escaping_links(files: Iterable[tuple[str, str]], docs_dir: str) -> list[Problem]:
    """Problems for (src_uri, abs_path) pairs whose real path is outside `docs_dir`."""
    root = os.path.realpath(docs_dir)
    inside = os.path.join(root, "")  # with the separator: docs2/ is not inside docs/
    problems = []
    folders: dict[str, str] = {}  # a site has thousands of files in few folders
    for src_uri, abs_path in files:
        folder, name = os.path.split(abs_path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        real = (os.path.realpath(abs_path) if os.path.islink(abs_path)
                else os.path.join(folders[folder], name))
        if real != root and not real.startswith(inside):
            problems.append(Problem(
                src_uri, None, "file",
                "is a link to a file outside docs/ and would be published",
                "copy the file into docs/ instead of linking to it, or delete the link"))
    return problems
