"""Plain text made safe to put in Python-Markdown: it renders as the same text, never as
markup, HTML or attributes.

Python-Markdown passes raw HTML through, and the site enables `attr_list` (`{: onclick=…}`)
and `admonition` (`!!! note`), so imported text must not be able to start any of them.
"""

from __future__ import annotations

import re
import unicodedata

# Characters Python-Markdown's backslash escape accepts (its ESCAPED_CHARS) that start inline
# markup wherever they stand.
_INLINE_RE = re.compile(r"([\\`*_{}\[\]])")
# Python-Markdown reads '&name;' and '&#65' (even without ';') as character references.
_ENTITY_RE = re.compile(r"&(?=#|[0-9A-Za-z]+;)")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])")
# At the start of a line: a heading, quote, list item, admonition or ordered list.
_LINE_START_RE = re.compile(r"(^|\n)([ \t]*)([#>+!-])")
_ORDERED_RE = re.compile(r"(^|\n)([ \t]*\d+)\.")
_SETEXT_RE = re.compile(r"(^|\n)([ \t]*)(=+[ \t]*)(?=\n|$)")


def escape_text(text: str) -> str:
    """'<b>*x*</b> # y' -> '&lt;b>\\*x\\*&lt;/b> # y'; letters and punctuation otherwise kept."""
    text = _INLINE_RE.sub(r"\\\1", text)
    text = _ENTITY_RE.sub("&amp;", text)
    text = _TAG_RE.sub("&lt;", text)

    text = _LINE_START_RE.sub(r"\1\2\\\3", text)
    text = _ORDERED_RE.sub(r"\1\2\\.", text)  # "1984. A year" is not a list item
    # '=' has no backslash escape; a line of them would underline the line above.
    return _SETEXT_RE.sub(lambda m: m.group(1) + m.group(2) + "&#61;" + m.group(3)[1:], text)


def clean_text(text: str, *, newlines: bool = False) -> str:
    """Without control characters (the validator refuses them in front matter); whitespace
    collapsed unless `newlines`, in which case line breaks are kept."""
    if not newlines:
        text = " ".join(text.split())
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text
                   if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cs"))
    return text.strip()
