"""Problems found in an editor's input, reported all at once.

Every entry point (``broadsheet check``, ``mkdocs build``, ``mkdocs serve``) prints the
same lines, so an editor learns one format: ``path:line: field: what is wrong — how to fix``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return asdict(self)


class ProblemList(list):
    """A list of problems for one file, with the file's path filled in once."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def add(self, line: int | None, field: str, message: str, hint: str = "") -> None:
        self.append(Problem(self.path, line, field, message, hint))


def kind(value: object) -> str:
    """What a YAML value is, in an editor's words ('a list'), for 'is X, not Y' messages."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (bytes, bytearray)):
        return "binary data"
    if hasattr(value, "year"):
        return "a date"
    return f"a {type(value).__name__}"


def summarise(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    where = "file" if files == 1 else "files"
    return f"{len(problems)} {noun} in {files} {where}"
