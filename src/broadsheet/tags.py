"""Tag identity and URLs: a tag *is* its slug, so 'Energy' and 'energy' are one tag, and
symbols that carry meaning are spelled out so that 'C++', 'C#' and 'C' stay apart."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from slugify import slugify as _slugify

# Spelled out before slugifying; otherwise they vanish and distinct tags collide.
_SYMBOLS = [("++", " plus plus "), ("+", " plus "), ("#", " sharp "), ("&", " and "),
            ("@", " at "), (".", " dot "), ("%", " percent ")]


@lru_cache(maxsize=10_000)
def tag_slug(tag: str) -> str:
    slug = _slugify(tag, replacements=_SYMBOLS, max_length=60, word_boundary=True)
    if slug:
        return slug
    # Nothing transliterates (emoji, symbols): a short stable hash keeps it addressable.
    return "tag-" + hashlib.sha1(tag.encode("utf-8")).hexdigest()[:8]
