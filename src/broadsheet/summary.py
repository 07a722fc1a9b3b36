"""The short plain text a listing card shows for an article.

Where it comes from, first that exists: the `excerpt:` front matter, the body above a
`<!-- more -->` line, the first paragraph of the body. It is plain text (Markdown and HTML
stripped, entities decoded) because a card is not the place for the article's formatting
and the template escapes it; a first paragraph is cut at a word so a one-paragraph article
is never shown whole on a listing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache

from .model import Article

MAX_PARAGRAPH_CHARS = 300
"""A first paragraph longer than this is cut at a word and ends with '…'."""

_MORE_RE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.IGNORECASE | re.MULTILINE)
_FENCE_RE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# Blocks that are not running prose: headings, quotes, lists, tables, HTML blocks, rules,
# link definitions, admonitions, indented code.
_NOT_PROSE_RE = re.compile(
    r"^(?:[ \t]{0,3}(?:#|>|\||<|!!!|\?\?\?|\[[^\]]+\]:|[-*+][ \t]|\d+[.)][ \t]"
    r"|(?:[-*_][ \t]*){3,}$)|[ \t]{4}|\t)")

# (a character the pattern needs, pattern, replacement): most text has no Markdown at all,
# and a substring test is much cheaper than a regular expression.
_INLINE_RULES: tuple[tuple[str, re.Pattern, str], ...] = tuple(
    (needs, re.compile(pattern, flags), replacement)
    for needs, pattern, flags, replacement in (
        ("<!--", r"<!--.*?-->", re.DOTALL, ""),
        ("![", r"!\[[^\]]*\]\([^)]*\)", 0, ""),                     # images
        ("![", r"!\[[^\]]*\]\[[^\]]*\]", 0, ""),
        ("[^", r"\[\^[^\]]+\]", 0, ""),                              # footnote references
        ("](", r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)", 0, r"\1"),   # [text](url "title")
        ("][", r"\[([^\]]+)\]\[[^\]]*\]", 0, r"\1"),                 # [text][ref]
        ("<", r"<((?:https?|mailto):[^>\s]+)>", 0, r"\1"),          # <https://autolink>
        ("{", r"\{:?[ \t]*[#.][^}]*\}", 0, ""),                       # attr_list
        ("<", r"<[^>\n]+>", 0, ""),                                  # inline HTML tags
        ("`", r"(`+)(.+?)\1", re.DOTALL, r"\2"),                     # code spans
        ("*", r"(\*\*)(?=\S)(.+?)(?<=\S)\1", re.DOTALL, r"\2"),        # strong
        ("__", r"(__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL, r"\2"),
        ("*", r"\*(?=\S)(.+?)(?<=\S)\*", re.DOTALL, r"\1"),          # emphasis
        ("_", r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)", re.DOTALL, r"\1"), # not snake_case words
        ("~~", r"~~(.+?)~~", re.DOTALL, r"\1"),
    ))
# A backslash-escaped mark (\*) is literal: it is hidden from the rules above in a
# private-use character and given back at the end.
_ESCAPED_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")
_HIDDEN = 0xE000
_UNHIDE = {_HIDDEN + ord(c): c for c in "\\`*_{}[]()#+-.!<>|~"}
_LINE_MARKS_RE = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)+",
                            re.MULTILINE)
_TRAILING_HASHES_RE = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)


def markdown_to_text(markdown: str) -> str:
    """Plain text of a bit of Markdown: marks, links, images, HTML and entities removed."""
    text = markdown
    if "\\" in text:
        text = _ESCAPED_RE.sub(lambda m: chr(_HIDDEN + ord(m.group(1))), text)
    text = _LINE_MARKS_RE.sub("", text)
    text = _TRAILING_HASHES_RE.sub("", text)
    for needs, pattern, replacement in _INLINE_RULES:
        if needs in text:
            text = pattern.sub(replacement, text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.translate(_UNHIDE).split())


def blocks(markdown: str) -> Iterator[str]:
    """The body's blocks (split at blank lines), fenced code blocks dropped whole; lazily,
    as a card needs only the first paragraph of what may be a long article."""
    current: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines():
        match = _FENCE_RE.match(line)
        if fence:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            if current:
                yield "\n".join(current)
                current = []
            continue
        if line.strip():
            current.append(line)
        elif current:
            yield "\n".join(current)
            current = []
    if current:
        yield "\n".join(current)


def shorten(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit + 1].rsplit(" ", 1)[0] if " " in text[:limit + 1] else text[:limit]
    return cut.rstrip(" ,;:.–—-") + "…"


def first_paragraph(markdown: str) -> str:
    """The first block of prose, as plain text; failing that, the first block with text."""
    fallback = ""
    for block in blocks(markdown):
        if not _NOT_PROSE_RE.match(block):
            text = markdown_to_text(block)
            if text:
                return text
        elif not fallback:
            fallback = markdown_to_text(block)
    return fallback


@lru_cache(maxsize=20_000)
def card_excerpt(article: Article) -> str:
    # Cached: a preview rebuilds listings on every save, and an unchanged file keeps its
    # (frozen, hashable) Article, so its excerpt is not worked out again.
    if article.excerpt:
        return markdown_to_text(article.excerpt)
    more = _MORE_RE.search(article.body)
    if more:
        text = " ".join(markdown_to_text(b) for b in blocks(article.body[:more.start()]))
        if text.strip():
            return " ".join(text.split())
    text = first_paragraph(article.body)
    if text:
        return shorten(text)
    return markdown_to_text(article.description or "")
