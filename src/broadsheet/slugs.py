"""Slugs for URLs: transliterated, ASCII, stable for the same input."""

from __future__ import annotations

import re

from slugify import slugify as _slugify

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 80


def slugify(text: str) -> str:
    """'Café au lait: Россия & Japan' -> 'cafe-au-lait-rossiia-japan'."""
    return _slugify(text, max_length=MAX_SLUG_LENGTH, word_boundary=True, save_order=True)


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text)) and len(text) <= MAX_SLUG_LENGTH
