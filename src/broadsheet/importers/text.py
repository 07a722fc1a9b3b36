"""A plain-text article copied from a page like the editor's example: the title on the first
line, the editor's introduction, a paragraph ending "The Asia Times reveals …:", the quoted
passage, then the page's chrome ("Continue to the full article…", "Share this article", …),
which is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import ImportFailure
from .markdown_text import clean_text, escape_text

# Paragraphs that belong to the page around the article, not to it. Everything from the
# first of them on is dropped.
CHROME = ("continue to the full article", "continue reading", "read the full article",
          "share this article", "about the author", "stay in the loop",
          "get our new articles", "share via", "copy link")
# "The Asia Times reveals the pragmatism …:" — the words before the verb name the source.
VERBS = ("reveals", "reports", "writes", "explains", "says", "notes", "argues", "observes",
         "describes", "details", "outlines", "explores", "examines", "suggests", "warns",
         "claims", "finds", "shows", "recounts", "points out", "looks at", "investigates",
         "analyses", "analyzes", "highlights", "asks", "tells", "reported", "wrote",
         "explained", "said", "revealed", "noted", "argued")
_SOURCE_RE = re.compile(r"^(?:As\s+|Here,?\s+)?(?P<name>.+?)\s+(?:{})\b".format(
    "|".join(re.escape(v) for v in VERBS)))
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+(?=[\"“‘'(\[]?[A-Z0-9])")
_BYLINE_RE = re.compile(r"^(?:by|posted by|written by)\s+\S", re.IGNORECASE)
MAX_SOURCE_WORDS = 8


@dataclass
class TextArticle:
    title: str
    intro: list[str]
    """The editor's paragraphs, the one that names the source last."""
    quote: list[str]
    """The quoted passage, one item per paragraph."""
    source_name: str | None
    dropped: list[str] = field(default_factory=list)
    """First lines of the page chrome that was left out."""
    warnings: list[str] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    text = clean_text(text, newlines=True).replace("\u00a0", " ")
    return [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _is_chrome(paragraph: str) -> bool:
    return paragraph.lower().lstrip("#*> ").startswith(CHROME)


def source_name(paragraph: str) -> str | None:
    """'… The Asia Times reveals the pragmatism …:' -> 'The Asia Times'."""
    sentence = _SENTENCE_END_RE.split(paragraph.strip())[-1]
    match = _SOURCE_RE.match(sentence)
    if not match:
        return None
    name = match.group("name").split(",")[-1].strip(" \"“”'‘’")
    words = name.split()
    # A publication has a capitalised word in its name ("the BBC"); "the ones who" has none.
    if not words or len(words) > MAX_SOURCE_WORDS or not any(
            w[0].isupper() or w[0].isdigit() for w in words):
        return None
    return name


def parse_text(text: str, where: str) -> TextArticle:
    lines = clean_text(text, newlines=True).split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ImportFailure(f"{where}: is empty — the first line should be the article's title")
    title = " ".join(lines[first].split())
    rest = "\n".join(lines[first + 1:])
    paragraphs = _paragraphs(rest)
    dropped: list[str] = []
    warnings: list[str] = []
    # A byline right under the title ("By Jane Doe") is the page's, not the article's.
    while paragraphs and _BYLINE_RE.match(paragraphs[0]) and len(paragraphs[0]) < 100:
        dropped.append(paragraphs.pop(0))
    cut = next((i for i, p in enumerate(paragraphs) if _is_chrome(p)), len(paragraphs))
    dropped += [p[:60] for p in paragraphs[cut:]]
    paragraphs = paragraphs[:cut]
    if not paragraphs:
        raise ImportFailure(f"{where}: has a title but no paragraphs — separate paragraphs "
                            "with an empty line")
    lead = next((i for i, p in enumerate(paragraphs) if p.rstrip().endswith(":")), None)
    if lead is None or lead == len(paragraphs) - 1:
        warnings.append("no paragraph ending in ':' is followed by a quoted passage, so the "
                        "article has no block quote and no source (the example's shape is "
                        "'… The Asia Times reveals …:' then the passage)")
        return TextArticle(title=title, intro=paragraphs, quote=[], source_name=None,
                           dropped=dropped, warnings=warnings)
    name = source_name(paragraphs[lead])
    if name is None:
        warnings.append("the paragraph before the quote does not say who is quoted (like "
                        "'The Asia Times reveals …:'), so the source is left out")
    return TextArticle(title=title, intro=paragraphs[:lead + 1], quote=paragraphs[lead + 1:],
                       source_name=name, dropped=dropped, warnings=warnings)


def markdown_body(article: TextArticle) -> str:
    """The introduction as paragraphs, then the passage as one block quote."""
    blocks = [escape_text(p) for p in article.intro]
    if article.quote:
        blocks.append("\n>\n".join("> " + escape_text(p) for p in article.quote))
    return "\n\n".join(blocks) + "\n"
