"""One problem found in a built site, printable as `path:line: [check] what is wrong`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the site folder, "/"-separated
    check: str  # "link", "fragment", "foreign", "nu", "axe", "tool"
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.check}] {self.message}"
