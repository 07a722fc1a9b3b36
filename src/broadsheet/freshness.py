"""Which pages of a preview are stale: the part of `mkdocs serve --dirty` MkDocs gets wrong.

MkDocs' dirty rebuild re-renders a page only when its own source file is newer than its
output. A Broadsheet page also shows other articles (listings, related, newer/older), its
authors and the site's settings, so an edit to one file can make many pages stale, and a
renamed or deleted article leaves its old page behind. This module keeps a signature of
everything each page shows and tells the adapter, after each rebuild's catalog is made,
which outputs to remove (so MkDocs renders them again) and which pages are gone.

Plain data in, plain data out; the adapter does the file operations.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field


def signature(*parts: object) -> str:
    """A short digest of plain data (frozen dataclasses, dicts, …), stable within a process.

    Pickled rather than repr'd: several times faster on the nested views of thousands of
    listing pages, and a preview session is one process."""
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


@dataclass
class Freshness:
    """Signatures from the previous rebuild of one preview session."""

    site: str | None = None
    pages: dict[str, str] = field(default_factory=dict)
    """Output path (site-relative) -> signature of what that page shows."""

    def update(self, site: str, pages: dict[str, str]) -> tuple[bool, set[str]]:
        """Record this rebuild's signatures.

        Returns (everything_stale, stale_outputs): everything is stale when site-wide inputs
        (settings, templates) changed; otherwise the outputs whose signature changed or whose
        page no longer exists. Outputs new to this rebuild need nothing: MkDocs renders a page
        that has no output yet.
        """
        previous_site, previous = self.site, self.pages
        self.site, self.pages = site, dict(pages)
        if previous_site is None:
            return False, set()
        if previous_site != site:
            return True, set()
        stale = {path for path, sig in pages.items()
                 if path in previous and previous[path] != sig}
        stale |= set(previous) - set(pages)
        return False, stale
