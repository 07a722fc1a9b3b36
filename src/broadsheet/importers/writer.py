"""Writing what an import produced: article files, authors.yml, the list of images.

Nothing an editor changed is ever overwritten without `--force`, and a file whose bytes
would not change is not touched at all, so running the same import twice writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .. import atomic
from ..authors import load_authors
from ..model import Author
from ..problems import ProblemList
from ..reader import read_document
from ..settings import Settings
from ..validation import validate_article
from . import ImportFailure

WRITTEN, UNCHANGED, DIFFERS, REPLACED = "written", "unchanged", "differs", "replaced"


def article_text(meta: dict, body: str, comment: str = "") -> str:
    """A Markdown file: front matter dumped by PyYAML (so any title is quoted as YAML needs),
    then the body."""
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    lines = [f"# {line}" for line in comment.splitlines() if line.strip()]
    header = "".join(line + "\n" for line in lines)
    body = body.strip("\n")
    return f"---\n{header}{front}---\n" + (f"\n{body}\n" if body else "")


def problems_in(relative: str, text: str, settings: Settings,
                authors: dict[str, Author]) -> list[str]:
    """What `broadsheet check` would say about this file; empty when it is valid."""
    problems = ProblemList(relative)
    raw = read_document(relative, text.encode("utf-8"), problems)
    if raw is not None:
        validate_article(relative, raw, problems, settings, authors)
    return [str(p) for p in problems]


def write_if_changed(path: Path, data: bytes, force: bool) -> str:
    """WRITTEN (new file), UNCHANGED (same bytes already there), DIFFERS (left alone, no
    --force) or REPLACED (--force)."""
    try:
        return _write_if_changed(path, data, force)
    except OSError as err:
        raise ImportFailure(f"{path}: cannot be written ({err.strerror or err}) — check the "
                            "folder's permissions; files already written are kept, and running "
                            "the import again skips them") from None


def _write_if_changed(path: Path, data: bytes, force: bool) -> str:
    if path.exists():
        if path.is_file() and path.read_bytes() == data:
            return UNCHANGED
        if not force:
            return DIFFERS
        if not path.is_file() or path.is_symlink():
            raise ImportFailure(f"{path}: is not a regular file — move it away first")
        atomic.write_bytes(path, data)  # mkdocs serve never reads half a file
        return REPLACED
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_bytes(path, data)  # mkdocs serve never reads half a file
    return WRITTEN


# -- authors.yml ---------------------------------------------------------------------------

AUTHORS_HEADER = ("# Who writes for the publication. Articles name an author by id "
                  "(`author: alex`).\n")


def merged_authors_text(existing: str | None, additions: dict[str, dict],
                        where: str) -> str | None:
    """authors.yml with `additions` appended; None when there is nothing to add.

    Existing entries are never changed. The new ones are appended as text with the file's
    own indentation, so its comments and layout stay; if that cannot give the right data
    (an unusual layout), the file is rewritten from its data and the comments are lost.
    """
    if not additions:
        return None
    if existing is None or not existing.strip():
        return AUTHORS_HEADER + yaml.safe_dump({"authors": additions}, allow_unicode=True,
                                               sort_keys=False)
    try:
        data = yaml.safe_load(existing)
        node = yaml.compose(existing)
    except yaml.YAMLError as err:
        raise ImportFailure(f"{where}: is not valid YAML ({err}) — fix it (broadsheet check "
                            "says where) and import again") from None
    if not isinstance(data, dict) or not isinstance(data.get("authors") or {}, dict):
        raise ImportFailure(f"{where}: has no `authors:` mapping — fix it (broadsheet check "
                            "says how) and import again")
    current = dict(data.get("authors") or {})
    additions = {k: v for k, v in additions.items() if k not in current}
    if not additions:
        return None
    wanted = {**current, **additions}
    indent = 2
    for key, value in node.value:
        if key.value == "authors" and isinstance(value, yaml.MappingNode) and value.value:
            indent = value.value[0][0].start_mark.column
    block = yaml.safe_dump(additions, allow_unicode=True, sort_keys=False, indent=indent)
    appended = existing.rstrip("\n") + "\n" + "".join(
        " " * indent + line + "\n" if line else "\n" for line in block.splitlines())
    try:
        if yaml.safe_load(appended).get("authors") == wanted:
            return appended
    except (yaml.YAMLError, AttributeError):
        pass
    rest = {k: v for k, v in data.items() if k != "authors"}
    return AUTHORS_HEADER + yaml.safe_dump({"authors": wanted, **rest}, allow_unicode=True,
                                           sort_keys=False)


def authors_after(text: str | None, where: str) -> dict[str, Author]:
    """The authors `broadsheet check` will see once `text` is the authors file."""
    authors, _problems = load_authors(where, text.encode("utf-8") if text is not None else None)
    return authors
