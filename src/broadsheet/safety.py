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
    # A site has thousands of files in few folders: each folder is resolved and listed once
    # (a listing says which entries are links) instead of asking about every file.
    folders: dict[str, str] = {}
    links: dict[str, set[str] | None] = {}
    for src_uri, abs_path in files:
        folder, name = os.path.split(abs_path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
            links[folder] = _links_in(folder)
        in_folder = links[folder]
        is_link = os.path.islink(abs_path) if in_folder is None else name in in_folder
        real = os.path.realpath(abs_path) if is_link else os.path.join(folders[folder], name)
        if real != root and not real.startswith(inside):
            problems.append(Problem(
                src_uri, None, "file",
                "is a link to a file outside docs/ and would be published",
                "copy the file into docs/ instead of linking to it, or delete the link"))
    return problems


def _links_in(folder: str) -> set[str] | None:
    """Names of the symbolic links in `folder`; None if it cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_symlink()}
    except OSError:
        return None
