"""cards.py: share cards are 1200×630 PNGs, deterministic, fitted, cached by their text."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from dataclasses import replace
from io import BytesIO

import pytest
import yaml
from PIL import Image

from broadsheet import cards
from broadsheet.cards import CardText
from broadsheet.catalog import build_catalog
from broadsheet.settings import SettingsError, settings_from_options
from sitekit import AUTHORS, NOW, article_text, meta

SEED = CardText("Russia finds an unexpected economic and military ally", "via The Asia Times",
                "Broadsheet")


def open_png(data: bytes) -> Image.Image:
    image = Image.open(BytesIO(data))
    image.load()
    return image


def test_a_card_is_a_1200_by_630_png():
    image = open_png(cards.draw_card(SEED))
    assert image.format == "PNG"
    assert image.size == (cards.WIDTH, cards.HEIGHT) == (1200, 630)


def test_a_card_uses_the_designs_colours():
    colours = {colour for _, colour in open_png(cards.draw_card(SEED)).convert("RGB").getcolors(256)}
    for name in ("PAPER", "INK", "ACCENT"):
        hex_colour = getattr(cards, name)
        assert tuple(bytes.fromhex(hex_colour[1:])) in colours, name


def test_the_title_is_drawn_between_the_margins():
    image = open_png(cards.draw_card(CardText("W" * 200, None, "S"))).convert("L")
    ink = Image.eval(image, lambda v: 255 if v < 128 else 0)  # dark pixels
    left, top, right, bottom = ink.crop((0, 20, cards.WIDTH, cards.RULE_Y - 4)).getbbox()
    assert left >= cards.MARGIN - 5 and right <= cards.WIDTH - cards.MARGIN + 5


def test_the_same_text_gives_the_same_bytes_even_in_another_process():
    here = hashlib.sha256(cards.draw_card(SEED)).hexdigest()
    code = ("import hashlib; from broadsheet.cards import CardText, draw_card; "
            f"print(hashlib.sha256(draw_card(CardText({SEED.title!r}, {SEED.via!r}, "
            f"{SEED.site_name!r}))).hexdigest())")
    there = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert here == there


@pytest.mark.parametrize("other", [
    CardText(SEED.title + "!", SEED.via, SEED.site_name),
    CardText(SEED.title, "via The Times", SEED.site_name),
    CardText(SEED.title, None, SEED.site_name),
    CardText(SEED.title, SEED.via, "Another Site"),
])
def test_different_text_gives_a_different_card_and_key(other):
    assert cards.draw_card(other) != cards.draw_card(SEED)
    assert other.key != SEED.key


def test_the_key_changes_with_the_design_version(monkeypatch):
    before = replace(SEED).key
    monkeypatch.setattr(cards, "DESIGN_VERSION", cards.DESIGN_VERSION + 1)
    assert replace(SEED).key != before


def test_a_title_that_would_overflow_is_shrunk_then_cut():
    width = cards.WIDTH - 2 * cards.MARGIN
    height = cards.TITLE_BOX_BOTTOM - cards.TITLE_BOX_TOP
    short_font, short = cards.fit_title("A short title", width, height)
    long_title = " ".join(["Considerable"] * 60)
    long_font, long = cards.fit_title(long_title, width, height)
    assert short == ["A short title"]
    assert long_font.size < short_font.size == max(cards.TITLE_SIZES)
    assert len(long) <= cards.TITLE_MAX_LINES
    assert long[-1].endswith("…")
    assert all(long_font.getlength(line) <= width for line in long)
    assert len(long) * round(long_font.size * 1.18) <= height


def test_wrap_breaks_words_wider_than_a_line():
    font = cards._font(cards.TITLE_FONT, 60)
    lines = cards.wrap("a " + "x" * 80 + " b", font, 500)
    assert all(font.getlength(line) <= 500 for line in lines)
    assert "".join(lines).replace(" ", "") == "a" + "x" * 80 + "b"


# -- the cache ------------------------------------------------------------------------------

def articles(*fronts: dict):
    settings = settings_from_options({}, "Test Broadsheet", "https://news.example.org/", NOW)
    files = [(f"articles/a{i}.md", article_text(front).encode()) for i, front in enumerate(fronts)]
    authors = yaml.safe_dump({"authors": AUTHORS}).encode()
    catalog = build_catalog(files, authors, settings)
    assert not catalog.problems, [str(p) for p in catalog.problems]
    return catalog.articles, settings


def counting_draw(monkeypatch) -> list[CardText]:
    drawn: list[CardText] = []
    real = cards.draw_card

    def draw(text):
        drawn.append(text)
        return real(text)

    monkeypatch.setattr(cards, "draw_card", draw)
    return drawn


def test_cards_are_drawn_once_then_served_from_the_cache(tmp_path, monkeypatch):
    source = {"name": "The Asia Times", "url": "https://example.com/a"}
    found, settings = articles(meta(title="First", date="2024-06-01", source=source),
                               meta(title="Second", date="2024-06-02"))
    drawn = counting_draw(monkeypatch)
    first = cards.cards_for(found, settings, tmp_path / "cache")
    assert sorted(t.title for t in drawn) == ["First", "Second"]
    assert {c.uri for c in first.values()} == {f"assets/cards/{c.path.stem}.png"
                                               for c in first.values()}
    for card in first.values():
        assert card.path.parent == tmp_path / "cache"
        assert open_png(card.path.read_bytes()).size == (1200, 630)
    first_card = first[next(a.path for a in found if a.title == "First")]
    assert first_card.path.read_bytes() == cards.draw_card(
        CardText("First", "via The Asia Times", settings.site_name))

    drawn.clear()
    again = cards.cards_for(found, settings, tmp_path / "cache")
    assert drawn == [] and again == first
    assert not list((tmp_path / "cache").glob(".card-*")), "temporary files left behind"

    changed, settings = articles(meta(title="First, revised", date="2024-06-01", source=source),
                                 meta(title="Second", date="2024-06-02"))
    cards.cards_for(changed, settings, tmp_path / "cache")
    assert [t.title for t in drawn] == ["First, revised"]


def test_articles_with_their_own_image_get_no_card(tmp_path, monkeypatch):
    found, settings = articles(meta(title="Pictured", image="img/a.jpg", image_alt="A"))
    drawn = counting_draw(monkeypatch)
    assert cards.cards_for(found, settings, tmp_path) == {}
    assert drawn == []


def test_articles_with_the_same_text_share_one_card(tmp_path, monkeypatch):
    found, settings = articles(meta(title="Same", date="2024-06-01", slug="one"),
                               meta(title="Same", date="2024-06-02", slug="two"))
    drawn = counting_draw(monkeypatch)
    result = cards.cards_for(found, settings, tmp_path)
    assert len(drawn) == 1 and len({c.uri for c in result.values()}) == 1 and len(result) == 2


def test_cards_drawn_side_by_side_match_cards_drawn_alone(tmp_path):
    fronts = [meta(title=f"Title number {i} about ports", date=f"2024-06-{i + 1:02d}")
              for i in range(6)]
    found, settings = articles(*fronts)
    result = cards.cards_for(found, settings, tmp_path)
    for article in found:
        expected = cards.draw_card(cards.card_text(article, settings))
        assert result[article.path].path.read_bytes() == expected


def test_the_via_text_comes_from_the_strings():
    settings = settings_from_options({}, "Site", "", NOW)
    found, _ = articles(meta(source={"name": "Le Monde", "url": "https://example.com/a"}))
    assert cards.card_text(found[0], settings).via == "via Le Monde"
    french = replace(settings, strings={**settings.strings, "card_via": "d’après {source}"})
    assert cards.card_text(found[0], french).via == "d’après Le Monde"


# -- options --------------------------------------------------------------------------------

def test_cards_options(tmp_path):
    docs = tmp_path / "docs"
    default = cards.parse_cards_config({}, str(tmp_path), str(docs))
    assert default.enabled and default.cache_dir == (tmp_path / cards.DEFAULT_CACHE_DIR).resolve()
    custom = cards.parse_cards_config({"cache_dir": "build/cards", "enabled": False},
                                      str(tmp_path), str(docs))
    assert not custom.enabled and custom.cache_dir == (tmp_path / "build/cards").resolve()


@pytest.mark.parametrize("options, message", [
    ({"cache": "x"}, "cards.cache: unknown option"),
    ({"enabled": "yes"}, "cards.enabled: must be true or false"),
    ({"cache_dir": ""}, "cards.cache_dir: must be a folder path"),
    ({"cache_dir": "docs/cards"}, "cards.cache_dir: must be outside the docs folder"),
])
def test_bad_cards_options_are_refused_with_a_fix(tmp_path, options, message):
    with pytest.raises(SettingsError, match="^" + message):
        cards.parse_cards_config(options, str(tmp_path), str(tmp_path / "docs"))


def test_fonts_ship_with_their_licence():
    for font in (cards.TITLE_FONT, cards.TEXT_FONT):
        assert font.is_file()
    licence = (cards.FONTS_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


# -- a preview's card plan, kept between rebuilds (CardMemo) --------------------------------

def test_a_preview_keeps_an_unchanged_article_s_card_text_and_checks_the_cache_once(tmp_path):
    from dataclasses import replace

    from broadsheet.cards import CardMemo, plan_cards
    from broadsheet.model import Article
    from broadsheet.settings import settings_from_options
    from datetime import datetime, timezone

    settings = settings_from_options({}, "Test site", "https://news.example.org/", "2026-11-27")
    article = Article(path="articles/a.md", title="Gas on the Pacific",
                      date=datetime(2024, 1, 1, tzinfo=timezone.utc), authors=("alex",),
                      slug="gas", url="2024/01/gas/")
    memo = CardMemo()
    made, missing = plan_cards([article], settings, tmp_path, memo)
    assert [t.title for t in missing] == ["Gas on the Pacific"]  # not drawn yet
    made[article.path].path.write_bytes(b"png")
    again, missing = plan_cards([article], settings, tmp_path, memo)
    assert missing == [] and again == made
    assert memo.text(article, settings) is memo.text(article, settings)
    # A retitled article (a new object) gets a new card; nothing stale is reused.
    retitled = replace(article, title="Gas on the Pacific, updated")
    made2, missing = plan_cards([retitled], settings, tmp_path, memo)
    assert made2[article.path].uri != made[article.path].uri
    assert [t.title for t in missing] == ["Gas on the Pacific, updated"]


def test_published_cards_are_readable_by_the_web_server(tmp_path):
    """Cards are hard-linked from the cache into the site: a cache file made private (as
    mkstemp makes it) would be a private file in the published site."""
    from broadsheet import atomic
    from sitekit import make_site
    site = make_site(tmp_path, articles={"a.md": meta(slug="a")})
    assert site.build().returncode == 0
    published = list((site.site_dir / "assets/cards").glob("*.png"))
    assert published
    for card in published:
        assert card.stat().st_mode & 0o777 == atomic.normal_file_mode(), oct(card.stat().st_mode)


def test_a_private_card_left_in_an_old_cache_is_published_readable(tmp_path):
    from broadsheet import atomic
    from sitekit import make_site
    site = make_site(tmp_path, articles={"a.md": meta(slug="a")})
    assert site.build().returncode == 0
    for cached in (tmp_path / ".cache/broadsheet/cards").glob("*.png"):
        cached.chmod(0o600)  # as the cache of an earlier release wrote it
    assert site.build().returncode == 0
    published = list((site.site_dir / "assets/cards").glob("*.png"))
    assert published
    assert all(c.stat().st_mode & 0o777 == atomic.normal_file_mode() for c in published)


@pytest.mark.slow
@pytest.mark.parametrize("count", [3, 30])  # drawn by the build itself / by a worker process
def test_a_build_that_cannot_write_its_cards_stops_and_says_where(tmp_path, count):
    from sitekit import make_site

    site = make_site(tmp_path / "site", plugin_options={"cards": {"cache_dir": "blocked/cards"}},
                     articles={f"a{n}.md": meta(title=f"Story {n}") for n in range(count)})
    (site.root / "blocked").write_text("a file where the cache's folder would be\n")
    result = site.build()
    assert result.returncode != 0
    assert "cannot write share cards in" in result.stderr and "blocked" in result.stderr
    assert "cards: cache_dir:" in result.stderr


@pytest.mark.slow
def test_cards_drawn_by_a_worker_are_all_in_the_site(tmp_path):
    from sitekit import make_site

    site = make_site(tmp_path / "site",
                     articles={f"a{n}.md": meta(title=f"Story number {n}") for n in range(30)})
    result = site.build("--verbose")
    assert result.returncode == 0, result.stderr
    assert "30 share card(s) drawn by a forked process" in result.stderr
    published = sorted(p.name for p in (site.site_dir / cards.CARDS_URI).glob("*.png"))
    cached = sorted(p.name for p in (site.root / cards.DEFAULT_CACHE_DIR).glob("*.png"))
    assert len(published) == 30 and published == cached
    for name in published:
        assert (site.site_dir / cards.CARDS_URI / name).read_bytes() == (
            site.root / cards.DEFAULT_CACHE_DIR / name).read_bytes()


CHILD_FAILS_ON_ODD_TITLES = """
import os, sys
from broadsheet import cards
from mkdocs.__main__ import cli

build = os.getpid()
real = cards.draw_into

def draw_into(text, cache_dir):
    if os.getpid() != build and text.title[-1] in "13579":
        with open(os.environ["REFUSED_LOG"], "a") as log:
            log.write(text.key + "\\n")
        raise OSError("the drawing process could not write this one")
    return real(text, cache_dir)

cards.draw_into = draw_into
cli(sys.argv[1:])
"""


@pytest.mark.slow
def test_cards_the_drawing_process_failed_on_are_drawn_by_the_build(tmp_path):
    from sitekit import env, make_site

    site = make_site(tmp_path / "site",
                     articles={f"a{n}.md": meta(title=f"Story number {n}") for n in range(30)})
    result = subprocess.run(
        [sys.executable, "-c", CHILD_FAILS_ON_ODD_TITLES, "build", "--clean", "--strict",
         "--config-file", str(site.config), "--site-dir", str(site.site_dir)],
        cwd=site.root, env=env(REFUSED_LOG=str(tmp_path / "refused")), capture_output=True,
        text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    refused = set((tmp_path / "refused").read_text().split())
    assert len(refused) == 15  # the drawing process did fail on half of them
    published = {path.stem: path for path in (site.site_dir / cards.CARDS_URI).glob("*.png")}
    assert len(published) == 30 and refused <= published.keys()
    for key, path in published.items():
        assert path.read_bytes() == (site.root / cards.DEFAULT_CACHE_DIR / path.name).read_bytes()
        open_png(path.read_bytes())  # a whole PNG


def reference_card(text: CardText) -> Image.Image:
    """The card drawn the plain way: one canvas, Pillow's own text drawing, no pieces."""
    from PIL import ImageDraw, ImageFont

    canvas = Image.new("L", (cards.WIDTH, cards.HEIGHT), cards.PAPER_INDEX)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, 0, cards.WIDTH - 1, cards.TOP_BAR[3] - 1), fill=cards.ACCENT_INDEX)
    for y, font, line, fill in cards.card_texts(text):
        draw.text((cards.MARGIN, y), line, font=font.font, fill=fill)
    site_box = cards.SITE_BOX
    draw.rectangle((site_box[0], site_box[1], site_box[2] - 1, site_box[3] - 1),
                   fill=cards.ACCENT_PAPER_INDEX)
    draw.line((cards.MARGIN, cards.RULE_Y, cards.WIDTH - cards.MARGIN, cards.RULE_Y),
              fill=cards.INK_INDEX, width=2)
    site_font = ImageFont.truetype(str(cards.TITLE_FONT), cards.SITE_SIZE,
                                   layout_engine=ImageFont.Layout.BASIC)
    draw.text((cards.MARGIN, site_box[1] + 22), text.site_name, font=site_font,
              fill=cards.ACCENT_INDEX)
    return canvas


@pytest.mark.parametrize("text", [
    SEED,
    CardText("Short", None, "Broadsheet"),
    CardText("Ports, bread and banks: " * 12, "via Un journal très long à lire", "Site"),
    # Ǻ reaches above its line's box, into the line above (whose descenders come close).
    CardText("Quietly jumping yaks ǺǾȬḜ Ǻngström " * 3, "via Qjy", "Gy"),
])
def test_a_card_is_what_one_canvas_would_show(text):
    card = open_png(cards.draw_card(text))
    assert card.tobytes() == reference_card(text).tobytes()


def test_a_line_reaching_into_the_line_above_is_drawn_whole():
    texts = cards.card_texts(CardText("Quietly jumping yaks ǺǾȬḜ Ǻngström " * 3, None, "S"))
    reaching = [line for _, font, line, _ in texts[1:] if font.rows(line)[0] < 0]
    assert reaching  # else the test above proves nothing about it


def test_bands_hold_every_line_once_and_merge_lines_that_touch():
    font = cards._font(cards.TITLE_FONT, 60)
    texts = [(100, font, "Apart", 0), (300, font, "Qy̰̰̰", 0), (340, font, "Ǻ touches", 0),
             (50, font, " ", 0)]
    bands = cards._bands(texts, 14, 500)
    assert [len(lines) for _, _, lines in bands] == [1, 2]  # the space draws nothing
    (top1, bottom1, _), (top2, bottom2, _) = bands
    assert 14 <= top1 < bottom1 <= top2 < bottom2 <= 500
    first, after = font.rows("Apart")
    assert (top1, bottom1) == (100 + first, 100 + after)


def test_a_card_still_being_drawn_is_put_in_the_site_when_the_plugin_says(tmp_path):
    # MkDocs copies static files before it renders pages; a first build's cards are drawn
    # meanwhile, so the copy of one not drawn yet must wait (the plugin links it at the end).
    from broadsheet.mkdocs_plugin import _CardFile

    cached = tmp_path / "cache" / "card.png"
    cached.parent.mkdir()
    # What File.generated makes (it may be called only during a build's events).
    card = _CardFile(f"{cards.CARDS_URI}/card.png", None, str(tmp_path / "site"), True)
    card.abs_src_path = str(cached)
    waiting: list = []
    card.deferred_to = waiting
    card.copy_file()  # MkDocs' copy, while the card is being drawn (not in the cache yet)
    assert waiting == [card] and not (tmp_path / "site" / cards.CARDS_URI).exists()
    cached.write_bytes(cards.draw_card(SEED))  # drawn
    card.deferred_to = None
    card.copy_file()  # the plugin's, once the drawing is done
    published = tmp_path / "site" / cards.CARDS_URI / "card.png"
    assert published.read_bytes() == cached.read_bytes()
