"""A WordPress post's HTML as Markdown for Python-Markdown with the site's extensions.

In order: `<!--more-->` and shortcodes are handled in the raw text (WordPress expands them
before any HTML exists), bare embed URLs become links, blank-line paragraphs become <p> (the
classic editor stores text the way `wpautop` expects), then `markdownify` converts the HTML.
The converter is told the site's dialect: four-space list indents (Python-Markdown's rule);
code blocks and tables stay HTML with inert text (the site has no fenced_code or tables
extension, and an indented block's meaning depends on what precedes it); and text is escaped
so that it can never become raw HTML, attributes or an admonition.

Images are never fetched and never loaded from the old site at run time (a reader's browser
must not request another host): each becomes a link to the old address, and its address is
listed so that an editor can download it and put the picture back.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter, chomp

from .markdown_text import escape_text

# Placeholders that survive conversion unchanged (letters only: nothing to escape).
MORE_TOKEN = "BSIMPORTMOREQZ"
NOTE_TOKEN = "BSIMPORTNOTEQZ{}X"
_NOTE_TOKEN_RE = re.compile(r"BSIMPORTNOTEQZ(\d+)X")

_MORE_RE = re.compile(r"<!--\s*more\b.*?-->", re.IGNORECASE | re.DOTALL)
_NEXTPAGE_RE = re.compile(r"<!--\s*nextpage\s*-->", re.IGNORECASE)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.IGNORECASE | re.DOTALL)
_SCRIPT_RE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)

# Shortcodes WordPress itself defines: always shortcodes, even written bare as `[gallery]`.
CORE_SHORTCODES = {"caption", "wp_caption", "embed", "gallery", "audio", "video", "playlist"}
_CAPTION_RE = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]",
                         re.IGNORECASE | re.DOTALL)
_EMBED_RE = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)
_OPEN_RE = re.compile(r"\[(\[?)([A-Za-z][\w-]*)((?:\s[^\[\]]*?)?)(/?)\](\]?)")
_ATTR_CAPTION_RE = re.compile(r"""\bcaption=(["'])(.*?)\1""", re.DOTALL)
_CAPTION_IMAGE_RE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$",
                               re.IGNORECASE | re.DOTALL)
_BARE_URL_RE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)

_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg")
_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", '"': "%22",
               "\\": "%5C", "`": "%60", "[": "%5B", "]": "%5D", "{": "%7B", "}": "%7D",
               "\n": "", "\t": "", "\r": ""}


@dataclass
class Converted:
    markdown: str
    shortcodes: list[str] = field(default_factory=list)
    """What was done with each shortcode, e.g. '[gallery] removed (note in the file)'."""
    images: list[str] = field(default_factory=list)
    """Addresses of images to download, in order of appearance, without repeats."""
    notes: list[str] = field(default_factory=list)
    """Other things the editor should know (iframes turned into links, a table simplified)."""


class _Context:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.result = Converted("")
        self.comments: list[str] = []

    def note_in_file(self, text: str) -> str:
        """A placeholder that becomes `<!-- import: text -->` in the Markdown: inline where
        the shortcode was inline, a block of its own where it stood alone."""
        self.comments.append(text)
        # An element, not bare text: the text after it is then a text node of its own and is
        # escaped as one ('# x' right after a note must not become a heading).
        return f'<bsimportnote n="{len(self.comments) - 1}"></bsimportnote>'

    def image(self, url: str) -> None:
        if url not in self.result.images:
            self.result.images.append(url)

    def url(self, raw: str | None, *, images_only: bool = False) -> str | None:
        """An absolute http(s)/mailto address safe inside Markdown's (…), or None."""
        raw = html.unescape((raw or "").strip())
        if not raw:
            return None
        if raw.startswith("#"):
            # A jump within the post (footnotes): the ids it targets are not kept.
            return None
        try:
            absolute = urljoin(self.base_url, raw) if self.base_url else raw
            parts = urlsplit(absolute)
        except ValueError:
            return None
        allowed = ("http", "https") if images_only else ("http", "https", "mailto")
        scheme = parts.scheme.lower()
        if scheme not in allowed or (scheme != "mailto" and not parts.netloc):
            return None
        return _markdown_url(absolute)


def _markdown_url(url: str) -> str:
    return "".join(_URL_UNSAFE.get(c, c) for c in url)


_MARKUP_CHARS = set("&<>\"'[]()*_`!#{}|~+-.:=\\")


def _inert(code: str) -> str:
    """Code as text no Markdown or HTML parser will read anything into; blank lines and
    leading spaces kept as references so that no paragraph ends inside the code."""
    lines = []
    for line in code.split("\n"):
        body = line.lstrip(" ")
        lead = "&#32;" * (len(line) - len(body))
        lines.append(lead + "".join(f"&#{ord(c)};" if c in _MARKUP_CHARS else c for c in body)
                     or "&#32;")
    return "\n".join(lines)


def _is_image_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(_IMAGE_EXTENSIONS)


# -- shortcodes ------------------------------------------------------------------------------

def _shortcode_text(match: re.Match) -> str:
    return " ".join(match.group(0).split())[:80]


def _replace_captions(text: str, ctx: _Context) -> str:
    def caption(match: re.Match) -> str:
        inner = match.group(3)
        found = _CAPTION_IMAGE_RE.match(inner)
        image, words = (found.group(1), found.group(2)) if found else ("", inner)
        if not words.strip():
            attr = _ATTR_CAPTION_RE.search(match.group(2))
            words = attr.group(2) if attr else ""
        ctx.result.shortcodes.append(f"[{match.group(1).lower()}] → image and caption text")
        parts = [f"<p>{image.strip()}</p>" if image else "", f"<p>{words.strip()}</p>"
                 if words.strip() else ""]
        return "\n\n" + "\n\n".join(p for p in parts if p) + "\n\n"
    return _CAPTION_RE.sub(caption, text)


def _link_html(url: str) -> str:
    url = html.escape(html.unescape(url.strip()), quote=True)
    return f'<p><a href="{url}">{url}</a></p>'


def _replace_embeds(text: str, ctx: _Context) -> str:
    def embed(match: re.Match) -> str:
        ctx.result.shortcodes.append("[embed] → link")
        return "\n\n" + _link_html(match.group(1)) + "\n\n"
    return _EMBED_RE.sub(embed, text)


def _replace_other_shortcodes(text: str, ctx: _Context) -> str:
    """Unknown shortcodes are removed with a note in the file; their enclosed text is kept.

    A bracketed word with no attributes and no closing tag (`[sic]`, `[1]`) is ordinary
    text, unless it is one of WordPress's own shortcodes.
    """
    out: list[str] = []
    position = 0
    for match in _OPEN_RE.finditer(text):
        if match.start() < position:
            continue
        escaped, name, attrs, self_closing, escaped_end = match.groups()
        lowered = name.lower()
        if escaped and escaped_end:  # [[name]] is WordPress's way to write a literal [name]
            out.append(text[position:match.start()] + match.group(0)[1:-1])
            position = match.end()
            continue
        closing = re.search(r"\[/" + re.escape(name) + r"\]", text[match.end():])
        if not (lowered in CORE_SHORTCODES or attrs.strip() or self_closing or closing):
            continue
        out.append(text[position:match.start()])
        shown = _shortcode_text(match)
        if closing and not self_closing:
            inner_end = match.end() + closing.start()
            out.append(ctx.note_in_file(f"{shown} … [/{name}] removed, its text kept"))
            out.append(text[match.end():inner_end])
            position = match.end() + closing.end()
            ctx.result.shortcodes.append(f"[{lowered}] removed, its text kept (note in the file)")
        else:
            what = ("WordPress galleries are not converted: add the pictures by hand"
                    if lowered == "gallery" else "not converted")
            out.append(ctx.note_in_file(f"{shown} removed — {what}"))
            position = match.end()
            ctx.result.shortcodes.append(f"[{lowered}] removed (note in the file)")
    out.append(text[position:])
    return "".join(out)


# -- paragraphs (a small wpautop) ---------------------------------------------------------------

_BLOCK_TAGS = ("address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
               "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
               "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
               "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "iframe")
_BLOCK_SPLIT_RE = re.compile(r"(</?(?:{})\b[^>]*>)".format("|".join(_BLOCK_TAGS)),
                             re.IGNORECASE)
_TAG_NAME_RE = re.compile(r"</?([a-zA-Z0-9]+)")
# Text directly inside these (or at the top) is made of paragraphs.
_PARAGRAPH_CONTAINERS = {None, "blockquote", "div", "section", "article", "aside", "header",
                         "footer", "main", "figure", "details", "dd", "form", "fieldset"}
_VOID_BLOCKS = {"hr"}


def autop(text: str) -> str:
    """Wrap blank-line-separated text in <p> where it is not inside a paragraph already, and
    turn single newlines in it into <br>: what WordPress does when it shows a post."""
    out: list[str] = []
    stack: list[str] = []
    for piece in _BLOCK_SPLIT_RE.split(text):
        if _BLOCK_SPLIT_RE.fullmatch(piece):
            name = _TAG_NAME_RE.match(piece).group(1).lower()
            if piece.startswith("</"):
                if name in stack:
                    while stack and stack.pop() != name:
                        pass
            elif name not in _VOID_BLOCKS and not piece.endswith("/>"):
                stack.append(name)
            out.append(piece)
        elif (stack[-1] if stack else None) in _PARAGRAPH_CONTAINERS:
            for paragraph in re.split(r"\n[ \t]*\n", piece):
                if paragraph.strip():
                    lines = [line.strip() for line in paragraph.strip().split("\n")]
                    out.append("<p>" + "<br />\n".join(lines) + "</p>\n")
        else:
            out.append(piece)
    return "".join(out)


# -- HTML to Markdown --------------------------------------------------------------------------

class _Converter(MarkdownConverter):
    def __init__(self, ctx: _Context):
        super().__init__(heading_style="atx", bullets="-", escape_asterisks=False,
                         escape_underscores=False, escape_misc=False, autolinks=False)
        self.ctx = ctx

    def escape(self, text, parent_tags):
        return escape_text(text) if text else ""

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = chomp(text)
        if not text:
            return ""
        if text.startswith("[Image") and el.find("img") is not None \
                and len(el.find_all(True)) == 1:
            return prefix + text + suffix  # convert_img already linked the picture
        href = self.ctx.url(el.get("href"))
        return f"{prefix}[{text}]({href}){suffix}" if href else prefix + text + suffix

    def convert_img(self, el, text, parent_tags):
        alt = " ".join((el.get("alt") or "").split())
        src = self.ctx.url(el.get("src"), images_only=True)
        parent = el.parent
        if parent is not None and parent.name == "a" and len(parent.find_all(True)) == 1:
            # WordPress links a resized picture to the full-size file: keep the larger one.
            full = self.ctx.url(parent.get("href"), images_only=True)
            if full and _is_image_url(full):
                src = full
        if "_inline" in parent_tags:
            return escape_text(alt)
        if not src:
            if el.get("src"):
                self.ctx.result.notes.append("an image with an unusable address was dropped")
            return escape_text(alt)
        self.ctx.image(src)
        label = escape_text(alt) if alt else escape_text(src.rsplit("/", 1)[-1] or "image")
        return f"[Image: {label}]({src})"

    def _embed_link(self, el, what: str, parent_tags):
        src = el.get("src") or ""
        if not src:
            source = el.find("source", src=True)
            src = source.get("src") if source else ""
        url = self.ctx.url(src)
        if not url:
            return ""
        self.ctx.result.notes.append(f"{what} → link to {url}")
        host = urlsplit(url).netloc or url
        link = f"[{what.capitalize()}: {escape_text(host)}]({url})"
        return link if "_inline" in parent_tags else f"\n\n{link}\n\n"

    def convert_iframe(self, el, text, parent_tags):
        return self._embed_link(el, "embedded content", parent_tags)

    def convert_video(self, el, text, parent_tags):
        return self._embed_link(el, "video", parent_tags)

    def convert_audio(self, el, text, parent_tags):
        return self._embed_link(el, "audio", parent_tags)

    def convert_embed(self, el, text, parent_tags):
        return self._embed_link(el, "embedded content", parent_tags)

    def convert_object(self, el, text, parent_tags):
        return ""

    def convert_hr(self, el, text, parent_tags):
        return "\n\n* * *\n\n"

    def convert_pre(self, el, text, parent_tags):
        code = el.get_text().strip("\n")
        if not code.strip():
            return ""
        # Not an indented code block: after a list item one is read as part of the item, and
        # inside a paragraph or quote its indentation is stripped and the code read as
        # Markdown. HTML with every meaningful character as a reference means the same
        # wherever it lands.
        return "\n\n<pre><code>" + _inert(code) + "</code></pre>\n\n"

    def convert_code(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        # A code span is one line: a blank line inside (an unclosed <code> swallowing a
        # paragraph) would end it and leave its text as live Markdown.
        return super().convert_code(el, " ".join(text.split()), parent_tags)

    convert_kbd = convert_code
    convert_samp = convert_code

    def convert_del(self, el, text, parent_tags):
        prefix, suffix, text = chomp(text)
        return f"{prefix}<del>{text}</del>{suffix}" if text else ""

    convert_s = convert_del
    convert_strike = convert_del

    def convert_sub(self, el, text, parent_tags):
        return f"<sub>{text}</sub>" if text.strip() else ""

    def convert_sup(self, el, text, parent_tags):
        return f"<sup>{text}</sup>" if text.strip() else ""

    def convert_li(self, el, text, parent_tags):
        # Python-Markdown wants nested blocks indented by four spaces.
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = str(parent.get("start") or "1")
            number = (int(start) if start.isdigit() else 1) + len(el.find_previous_siblings("li"))
            bullet = f"{number}."
        else:
            bullet = "-"
        bullet = bullet.ljust(4) if len(bullet) < 4 else bullet + " "
        indent = " " * len(bullet)
        lines = text.split("\n")
        body = "\n".join([lines[0]] + [indent + line if line else "" for line in lines[1:]])
        return f"{bullet}{body}\n"

    def convert_table(self, el, text, parent_tags):
        """A plain HTML table of the cells' text: the site has no tables extension, and the
        original markup's attributes are not to be trusted."""
        # Raw HTML is left alone only as a block of its own; nested in a list or quote it is
        # read as inline Markdown, so every meaningful character is a reference.
        rows = []
        for row in el.find_all("tr"):
            cells = "".join(
                f"<{cell.name}>{_inert(' '.join(cell.get_text(' ').split()))}</{cell.name}>"
                for cell in row.find_all(["td", "th"]))
            rows.append(f"<tr>{cells}</tr>")
        if not rows:
            return ""
        self.ctx.result.notes.append("a table was kept as plain HTML (formatting and links in "
                                     "its cells dropped)")
        return "\n\n<table>\n" + "\n".join(rows) + "\n</table>\n\n"

    def convert_bsimportnote(self, el, text, parent_tags):
        return NOTE_TOKEN.format(el.get("n", ""))

    def convert_cite(self, el, text, parent_tags):
        container = el.parent
        if container is not None and container.name == "p" \
                and container.get_text(strip=True) == el.get_text(strip=True):
            container = container.parent  # autop put the attribution in a paragraph
        if container is not None and container.name == "blockquote" and text.strip():
            return f"— {text.strip()}"  # the block editor's quote attribution
        return text

    def convert_caption(self, el, text, parent_tags):
        return ""

    def process_tag(self, node, parent_tags=None):
        # Whole forms, buttons and scripts carry no article text worth keeping.
        if isinstance(node, Tag) and node.name in ("form", "button", "noscript", "template"):
            return ""
        return super().process_tag(node, parent_tags)


def _place_notes(line: str, comments: list[str]) -> str:
    """Note placeholders become `<!-- import: … -->`: where they stood when alone on the line,
    at the end of the line otherwise. A comment that starts a line makes Python-Markdown read
    what follows it on that line as raw HTML."""
    found = _NOTE_TOKEN_RE.findall(line)
    if not found:
        return line
    notes = " ".join("<!-- import: {} -->".format(
        comments[int(n)].replace("--", "- -").replace(">", "›")) for n in found)
    rest = _NOTE_TOKEN_RE.sub("", line)
    if not rest.strip(" >"):
        return rest + notes
    hard_break = "  " if rest.endswith("  ") else ""
    return f"{rest.rstrip()} {notes}{hard_break}"


def convert(content: str, base_url: str = "") -> Converted:
    """Markdown for a post's `content:encoded`, with what the editor must know about it."""
    ctx = _Context(base_url.rstrip("/") + "/" if base_url else "")
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(c for c in text if c in "\n\t" or not (ord(c) < 32 or 127 <= ord(c) < 160))
    text = _SCRIPT_RE.sub("", text)
    more = _MORE_RE.search(text)
    if more:
        # Only the first marker counts; WordPress ignores the others too.
        after = _MORE_RE.sub("", text[more.end():])
        text = text[:more.start()] + f"\n\n<p>{MORE_TOKEN}</p>\n\n" + after
    if _NEXTPAGE_RE.search(text):
        ctx.result.notes.append("<!--nextpage--> page breaks removed: the article is one page")
    text = _COMMENT_RE.sub("", text)  # block-editor markers and the like
    # Declarations and marked sections (<!DOCTYPE, <![CDATA[) mean nothing in a post, and
    # the HTML parser raises on malformed ones.
    text = text.replace("<!", "&lt;!")

    # <pre> is left alone by everything that follows.
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n<pre>BSIMPORTPREQZ{len(kept) - 1}X</pre>\n\n"
    text = _PRE_RE.sub(keep, text)
    text = _replace_captions(text, ctx)
    text = _replace_embeds(text, ctx)
    text = _replace_other_shortcodes(text, ctx)

    def bare_url(match: re.Match) -> str:
        ctx.result.shortcodes.append("embed URL on its own line → link")
        return "\n\n" + _link_html(match.group(1)) + "\n\n"
    text = _BARE_URL_RE.sub(bare_url, text)
    text = autop(text)
    text = re.sub(r"<pre>BSIMPORTPREQZ(\d+)X</pre>", lambda m: kept[int(m.group(1))], text)

    try:
        markdown = _Converter(ctx).convert(text)
    except (RecursionError, AssertionError, ValueError):
        # Markup nested thousands deep, or broken past what the parser copes with: the text
        # is kept, the formatting is not.
        ctx.result.notes.append("the HTML could not be converted; kept as plain text")
        words = html.unescape(re.sub(r"<[^>]*>", " ", text))
        markdown = "\n\n".join(escape_text(" ".join(p.split()))
                               for p in re.split(r"\n\s*\n", words) if p.strip())
    markdown = re.sub(rf"^[ \t]*{MORE_TOKEN}[ \t]*$", "<!-- more -->", markdown,
                      count=1, flags=re.MULTILINE).replace(MORE_TOKEN, "")

    markdown = "\n".join(_place_notes(line, ctx.comments) for line in markdown.split("\n"))
    markdown = re.sub(r"[ \t]+$", lambda m: m.group(0) if m.group(0) == "  " else "",
                      markdown, flags=re.MULTILINE)
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip("\n")
    ctx.result.markdown = markdown + "\n" if markdown else ""
    return ctx.result


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment (an excerpt): tags dropped, entities decoded."""
    soup = BeautifulSoup(fragment, "html.parser")
    return " ".join(soup.get_text(" ").split())

