"""Mark the source's excerpt as a quotation of it: `cite=` and a visible attribution.

In a sourced article every top-level blockquote is the editor quoting the source (the shape
of the example page), so each becomes a <figure> whose caption names the source.
"""

from __future__ import annotations

import re
from html import escape

_TAG_RE = re.compile(r"<(/?)blockquote\b([^>]*)>", re.IGNORECASE)


def attribution_html(source: dict, strings: dict) -> str:
    """'— From "Headline" by Author, Publication, 4 July 2014' with the headline linked."""
    name = escape(source["name"])
    url = escape(source["url"], quote=True)
    if source.get("title"):
        parts = [f'<a href="{url}"><cite>{escape(source["title"])}</cite></a>']
        if source.get("author"):
            parts.append(f'{escape(strings["source_by"])} {escape(source["author"])}')
        parts[-1] += ","
        parts.append(name)
    else:
        parts = [f'<a href="{url}"><cite>{name}</cite></a>']
        if source.get("author"):
            parts.append(f'{escape(strings["source_by"])} {escape(source["author"])}')
    text = " ".join(parts)
    if source.get("published_display"):
        text += (f', <time datetime="{escape(source["published_iso"], quote=True)}">'
                 f'{escape(source["published_display"])}</time>')
    return f"— {escape(strings['source_attribution'])} {text}"


def cite_excerpts(html: str, source: dict, strings: dict) -> str:
    """Wrap each top-level <blockquote> in a figure citing `source` (a views.source_view)."""
    caption = f'<figcaption>{attribution_html(source, strings)}</figcaption>'
    cite = escape(source["url"], quote=True)
    out: list[str] = []
    depth = 0
    position = 0
    for match in _TAG_RE.finditer(html):
        closing, attributes = match.group(1), match.group(2)
        out.append(html[position:match.start()])
        position = match.end()
        if not closing:
            if depth == 0:
                out.append(f'<figure class="bs-excerpt"><blockquote cite="{cite}"{attributes}>')
            else:
                out.append(match.group(0))
            depth += 1
        else:
            depth = max(depth - 1, 0)
            out.append(match.group(0))
            if depth == 0:
                out.append(caption + "</figure>")
    out.append(html[position:])
    return "".join(out)
