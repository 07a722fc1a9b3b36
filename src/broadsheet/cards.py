"""Share cards: the 1200×630 PNG that sharers show for an article without its own `image`.

A card shows the title (wrapped and sized to fit), "via <source>" when the article excerpts
one, and the site name. Cards are cached on disk under a name that hashes everything drawn
on them, so a rebuild draws only cards whose text changed; the PNG bytes are deterministic
(for one compressor: see png.py).
Pillow is imported only when a card is actually drawn.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import atomic, png
from .glyphs import Glyphs
from .model import Article
from .settings import Settings, SettingsError

WIDTH, HEIGHT = 1200, 630
DESIGN_VERSION = 3
"""Bump whenever the drawing changes, so that cached cards are redrawn."""
CARDS_URI = "assets/cards"
"""Where cards are published in the site."""
DEFAULT_CACHE_DIR = ".cache/broadsheet/cards"
"""Relative to the folder of mkdocs.yml."""
DEFAULT_VIA = "via {source}"

# Liberation fonts (SIL Open Font License 1.1, see fonts/OFL.txt) ship with the package: no
# system font can be assumed, and Pillow's built-in font lacks é, ñ, — and the like.
FONTS_DIR = Path(__file__).parent / "fonts"
TITLE_FONT = FONTS_DIR / "LiberationSerif-Bold.ttf"
TEXT_FONT = FONTS_DIR / "LiberationSans-Regular.ttf"

# The design: newsprint paper, ink title, the theme's indigo for the top bar and site name.
PAPER, INK, ACCENT = "#f7f5f0", "#1b1b1f", "#3f51b5"
MUTED_LEVEL = 88
"""How far "via …" is faded from ink towards paper (0-255): about 5:1 contrast on paper."""
MARGIN = 80
TOP_BAR = (0, 0, WIDTH, 14)
TITLE_SIZES = range(84, 42, -6)
"""Title font sizes tried, largest first, until the title fits its box."""
TITLE_MAX_LINES = 5
TITLE_BOX_TOP, TITLE_BOX_BOTTOM = 70, 470
VIA_SIZE = 34
SITE_SIZE = 34
RULE_Y = 512
SITE_BOX = (MARGIN, RULE_Y + 8, WIDTH - MARGIN, HEIGHT)
"""The strip below the rule, where only the site name (in the accent colour) is drawn."""
FOOTER_TOP = RULE_Y - 8
"""The rows from here down (the rule, the site's name) are the same on every card; the
title and "via …" are drawn above."""


@dataclass(frozen=True)
class CardText:
    """Everything drawn on a card: two articles with the same text share one card."""

    title: str
    via: str | None
    site_name: str

    @cached_property
    def key(self) -> str:
        import PIL  # the font rendering may change between Pillow versions

        data = [DESIGN_VERSION, PIL.__version__, self.title, self.via, self.site_name]
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()[:24]

    @property
    def uri(self) -> str:
        return f"{CARDS_URI}/{self.key}.png"

    @property
    def alt(self) -> str:
        """The card's text, for readers who cannot see it."""
        return " — ".join(part for part in (self.title, self.via, self.site_name) if part)


@dataclass(frozen=True)
class CardOptions:
    enabled: bool = True
    cache_dir: Path = Path(DEFAULT_CACHE_DIR)


@dataclass(frozen=True)
class Card:
    uri: str
    """Site-relative path of the published card, e.g. 'assets/cards/<hash>.png'."""
    path: Path
    """The cached PNG file."""


def parse_cards_config(options: dict, config_dir: str, docs_dir: str) -> CardOptions:
    """Check the site's `cards:` options (`enabled`, `cache_dir`)."""
    unknown = sorted(set(options) - {"enabled", "cache_dir"})
    if unknown:
        raise SettingsError(f"cards.{unknown[0]}: unknown option — use `enabled` or `cache_dir`")
    enabled = options.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SettingsError("cards.enabled: must be true or false")
    cache_dir = options.get("cache_dir", DEFAULT_CACHE_DIR)
    if not isinstance(cache_dir, str) or not cache_dir.strip():
        raise SettingsError("cards.cache_dir: must be a folder path, e.g. "
                            f"'{DEFAULT_CACHE_DIR}'")
    path = Path(config_dir, cache_dir).resolve()
    docs = Path(docs_dir).resolve()
    if path == docs or docs in path.parents:
        # Inside docs/ every card written would be a new page asset, and `serve` would
        # rebuild for ever.
        raise SettingsError("cards.cache_dir: must be outside the docs folder — e.g. "
                            f"'{DEFAULT_CACHE_DIR}'")
    return CardOptions(enabled=enabled, cache_dir=path)


def card_text(article: Article, settings: Settings) -> CardText:
    via = None
    if article.source:
        via = settings.strings.get("card_via", DEFAULT_VIA).format(source=article.source.name)
    return CardText(title=article.title, via=via, site_name=settings.site_name)


def plan_cards(articles: Iterable[Article], settings: Settings,
               cache_dir: Path, memo: CardMemo | None = None
               ) -> tuple[dict[str, Card], list[CardText]]:
    """The card of every article without its own image, by article path, and the texts
    whose PNG is not in the cache yet (draw them with draw_missing before they are copied)."""
    memo = memo or CardMemo()
    texts = {a.path: memo.text(a, settings) for a in articles if not a.image}
    made = {path: memo.card(text, cache_dir) for path, text in texts.items()}
    missing = {text.key: text for path, text in texts.items()
               if not memo.in_cache(made[path].path)}
    return made, list(missing.values())


class CardMemo:
    """What a preview worked out at its previous rebuild: an unchanged article (the same
    object, see catalog.ParseCache) keeps its card text and key, and a card found in the
    cache once is not looked for again (the cache only grows)."""

    def __init__(self) -> None:
        self._texts: dict[str, tuple[Article, tuple, CardText]] = {}
        self._cards: dict[tuple[CardText, Path], Card] = {}
        self._present: set[Path] = set()

    def card(self, text: CardText, cache_dir: Path) -> Card:
        card = self._cards.get((text, cache_dir))
        if card is None:
            card = self._cards[(text, cache_dir)] = Card(uri=text.uri,
                                                         path=cache_dir / f"{text.key}.png")
        return card

    def text(self, article: Article, settings: Settings) -> CardText:
        context = (settings.site_name, settings.strings.get("card_via"))
        known = self._texts.get(article.path)
        if known is not None and known[0] is article and known[1] == context:
            return known[2]
        text = card_text(article, settings)
        self._texts[article.path] = (article, context, text)
        return text

    def in_cache(self, path: Path) -> bool:
        if path in self._present:
            return True
        if path.is_file():
            self._present.add(path)
            return True
        return False


def draw_missing(missing: list[CardText], cache_dir: Path, threads: int | None = None) -> None:
    """Draw cards into the cache. `threads`: at most this many (default: one per core; the
    compression releases the GIL). A full build draws its cards in a forked process instead,
    one at a time (draw_into; see the adapter)."""
    if not missing:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    workers = min(8, threads or os.cpu_count() or 1, len(missing))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for text, data in zip(missing, pool.map(draw_card, missing)):
            _write_card(cache_dir, text, data)


def draw_into(text: CardText, cache_dir: Path) -> bool:
    """Draw one card into the cache (which exists). True once written; raises OSError."""
    _write_card(cache_dir, text, draw_card(text))
    return True


def _write_card(cache_dir: Path, text: CardText, data: bytes) -> None:
    # Builds may run side by side (tests, serve + build): never half a PNG.
    atomic.write_bytes(cache_dir / f"{text.key}.png", data)


def cards_for(articles: Iterable[Article], settings: Settings, cache_dir: Path) -> dict[str, Card]:
    """The card of every article without its own image, by article path; draws missing ones."""
    made, missing = plan_cards(articles, settings, cache_dir)
    draw_missing(missing, cache_dir)
    return made


def draw_card(text: CardText) -> bytes:
    """The card as PNG bytes: the same text always gives the same bytes (no timestamps)."""
    # Only the rows with text are drawn and compressed for each card; the bar, the paper
    # between the lines and the footer are the same on every card of the site, and png.py
    # compresses them once per process.
    pieces: list[png.Fresh | png.Kept] = [png.Kept(_row(ACCENT_INDEX), TOP_BAR[3])]
    drawn_to = TOP_BAR[3]
    for top, bottom, band_texts in _bands(card_texts(text), drawn_to, FOOTER_TOP):
        if top > drawn_to:
            pieces.append(png.Kept(_row(PAPER_INDEX), top - drawn_to))
        pieces.append(png.Fresh(_band(top, bottom, band_texts)))
        drawn_to = bottom
    if FOOTER_TOP > drawn_to:
        pieces.append(png.Kept(_row(PAPER_INDEX), FOOTER_TOP - drawn_to))
    pieces.append(png.Kept(_footer(text.site_name)))
    return png.palette_png(WIDTH, _PALETTE, pieces)


def card_texts(text: CardText) -> list[tuple[int, Glyphs, str, int]]:
    """(y, font, line, palette index) of each line drawn above the footer: the title,
    fitted, then "via …", centred together in the title box."""
    width = WIDTH - 2 * MARGIN
    via_font = _font(TEXT_FONT, VIA_SIZE)
    via = _ellipsize(text.via, via_font, width) if text.via else None
    via_height = VIA_SIZE * 2 if via else 0
    title_font, lines = fit_title(text.title, width,
                                   TITLE_BOX_BOTTOM - TITLE_BOX_TOP - via_height)
    line_height = _line_height(title_font.size)
    block = len(lines) * line_height + via_height
    # Short titles don't hug the top.
    y = TITLE_BOX_TOP + max(0, (TITLE_BOX_BOTTOM - TITLE_BOX_TOP - block) // 2)
    texts = []
    for line in lines:
        texts.append((y, title_font, line, INK_INDEX))
        y += line_height
    if via:
        texts.append((y + VIA_SIZE // 2, via_font, via, MUTED_INDEX))
    return texts


def _bands(texts, top_limit: int, bottom_limit: int):
    """(top, bottom, texts) of each band of rows where text is drawn, top to bottom: texts
    whose glyphs share a row share a band, and bands stay between the limits."""
    bands: list[list] = []
    for y, font, line, fill in sorted(texts, key=lambda t: t[0]):
        first, after = font.rows(line)
        if first == after:
            continue  # nothing to draw
        top, bottom = max(top_limit, y + first), min(bottom_limit, y + after)
        if top >= bottom:
            continue
        if bands and top < bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], bottom)
            bands[-1][2].append((y, font, line, fill))
        else:
            bands.append([top, bottom, [(y, font, line, fill)]])
    return bands


def _band(top: int, bottom: int, texts) -> bytes:
    from PIL import Image

    # Drawn straight in palette indices: the palette is a ramp from ink to paper (0-127) and
    # one from accent to paper (128-255), so text antialiased in ink on paper (127) lands on
    # its ramp, and the rows need no conversion to be saved.
    band = Image.new("L", (WIDTH, bottom - top), PAPER_INDEX)
    for y, font, line, fill in texts:
        font.draw(band, (MARGIN, y - top), line, fill=fill)
    return band.tobytes()


def _row(index: int) -> bytes:
    return _rows.setdefault(index, bytes([index]) * WIDTH)


def _footer(site_name: str) -> bytes:
    """The rule and the site's name (in accent on the accent ramp's paper), as rows."""
    footer = _footers.get(site_name)
    if footer is None:
        from PIL import Image, ImageDraw

        image = Image.new("L", (WIDTH, HEIGHT - FOOTER_TOP), PAPER_INDEX)
        draw = ImageDraw.Draw(image)
        site_top = SITE_BOX[1] - FOOTER_TOP
        draw.rectangle((SITE_BOX[0], site_top, SITE_BOX[2] - 1, SITE_BOX[3] - FOOTER_TOP - 1),
                       fill=ACCENT_PAPER_INDEX)  # corners inclusive
        rule = RULE_Y - FOOTER_TOP
        draw.line((MARGIN, rule, WIDTH - MARGIN, rule), fill=INK_INDEX, width=2)
        site_font = _font(TITLE_FONT, SITE_SIZE)
        site_font.draw(image, (MARGIN, site_top + 22),
                       _ellipsize(site_name, site_font, WIDTH - 2 * MARGIN), fill=ACCENT_INDEX)
        footer = _footers[site_name] = image.tobytes()
    return footer


def _ramp(start: str, end: str, steps: int) -> bytes:
    a, b = bytes.fromhex(start[1:]), bytes.fromhex(end[1:])
    return b"".join(bytes(round(x + (y - x) * i / (steps - 1)) for x, y in zip(a, b))
                    for i in range(steps))


_PALETTE = _ramp(INK, PAPER, 128) + _ramp(ACCENT, PAPER, 128)
INK_INDEX, PAPER_INDEX = 0, 127
ACCENT_INDEX, ACCENT_PAPER_INDEX = 128, 255
MUTED_INDEX = round(MUTED_LEVEL * 127 / 255)
_fonts = threading.local()
_rows: dict[int, bytes] = {}
_footers: dict[str, bytes] = {}
"""By site name: a process draws the cards of one site, or a few in tests."""


def _font(path: Path, size: int) -> Glyphs:
    # One set per thread: a FreeType face must not be used by two threads at once. Glyphs
    # renders each character once: a card's text is drawn from glyphs already rendered.
    cache = _fonts.__dict__.setdefault("by_key", {})
    if (path, size) not in cache:
        from PIL import ImageFont

        # The basic layout engine renders the same on every machine, with or without raqm.
        cache[path, size] = Glyphs(ImageFont.truetype(str(path), size,
                                                      layout_engine=ImageFont.Layout.BASIC))
    return cache[path, size]


def _line_height(size: int) -> int:
    return round(size * 1.18)


def fit_title(title: str, width: int, height: int):
    """The largest font size at which the title fits; at the smallest, cut with '…'."""
    for size in TITLE_SIZES:
        font = _font(TITLE_FONT, size)
        lines = wrap(title, font, width)
        max_lines = min(TITLE_MAX_LINES, height // _line_height(size))
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    lines[-1] = _ellipsize(lines[-1] + " …", font, width, force=True)
    return font, lines


def wrap(text: str, font, width: int) -> list[str]:
    """Greedy word wrap by measured width; a word wider than a line is broken."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            cut = _longest_prefix(word, font, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]


def _longest_prefix(word: str, font, width: int) -> int:
    cut = max(1, len(word) - 1)
    while cut > 1 and font.getlength(word[:cut]) > width:
        cut -= 1
    return cut


def _ellipsize(text: str, font, width: int, force: bool = False) -> str:
    """`text` cut on a word boundary and ended with '…' if it is wider than `width`."""
    if not force and font.getlength(text) <= width:
        return text
    words = text.removesuffix(" …").split()
    while words:
        candidate = " ".join(words).rstrip(" ,;:—–-") + "…"
        if font.getlength(candidate) <= width:
            return candidate
        if len(words) == 1:
            words[0] = words[0][:-1]
            if not words[0]:
                break
        else:
            words.pop()
    return "…"
