"""Built pages carry the metadata sharers and search engines read: each meta tag once, JSON-LD
that parses (and stays inert with hostile front matter), og:image pointing at a real file."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from PIL import Image

from sitekit import REPO, make_site, meta, parse_html

SEED = "2014/07/russia-finds-an-unexpected-economic-and-military-ally/"
SEED_FILE = REPO / "docs/articles/2014/russia-finds-an-unexpected-economic-and-military-ally.md"
SITE_URL = "https://broadsheet.example.org/"
TEST_SITE_URL = "https://news.example.org/"
HOSTILE = "</script><script>alert(1)</script> <!-- \"quoted\" & 'single'"

SINGLE_PROPERTIES = ["og:type", "og:title", "og:description", "og:url", "og:site_name",
                     "og:image", "og:image:alt", "og:image:width", "og:image:height",
                     "article:published_time", "article:modified_time"]
SINGLE_NAMES = ["description", "twitter:card", "twitter:title", "twitter:description",
                "twitter:image", "twitter:image:alt"]

pytestmark = pytest.mark.slow


class Head:
    """The <head> of a built page, by meta property/name."""

    def __init__(self, html: str):
        self.root = parse_html(html)
        self.head = self.root.find("head")

    def all(self, **attrs) -> list[str]:
        return [m.attrs.get("content") for m in self.head.find_all("meta", **attrs)]

    def one(self, **attrs) -> str:
        found = self.all(**attrs)
        assert len(found) == 1, (attrs, found)
        return found[0]

    def json_ld(self) -> dict:
        scripts = self.root.find_all("script", type="application/ld+json")
        assert len(scripts) == 1
        return json.loads(scripts[0].text())


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def built_file(site_dir: Path, url: str, site_url: str) -> Path:
    assert url.startswith(site_url), url
    return site_dir / url.removeprefix(site_url)


def png_size(path: Path) -> tuple[int, int]:
    image = Image.open(BytesIO(path.read_bytes()))
    assert image.format == "PNG"
    return image.size


# -- the sample site's seed article ------------------------------------------------------------

@pytest.fixture(scope="module")
def seed(sample_site) -> Head:
    return Head((sample_site / SEED / "index.html").read_text(encoding="utf-8"))


def test_seed_has_every_meta_tag_once(seed):
    for key in SINGLE_PROPERTIES:
        seed.one(property=key)
    for key in SINGLE_NAMES:
        seed.one(name=key)
    assert len(seed.head.find_all("link", rel="canonical")) == 1
    assert len(seed.head.find_all("title")) == 1


def test_seed_meta_values_agree_with_the_article(seed):
    front = front_matter(SEED_FILE)
    canonical = seed.head.find("link", rel="canonical").attrs["href"]
    assert canonical == SITE_URL + SEED == seed.one(property="og:url")
    assert seed.one(property="og:type") == "article"
    assert seed.one(property="og:title") == front["title"] == seed.one(name="twitter:title")
    assert seed.one(property="og:site_name") == "Broadsheet"
    description = seed.one(name="description")
    assert description == seed.one(property="og:description") == seed.one(
        name="twitter:description")
    # From the excerpt (the seed has no `description`), trimmed to a search result's length.
    assert " ".join(front["excerpt"].split()).startswith(description.removesuffix("…"))
    assert len(description) <= 160
    assert seed.all(property="article:tag") == front["tags"]
    assert seed.all(property="article:author") == [SITE_URL + f"authors/{front['author']}/"]
    assert seed.one(property="article:published_time").startswith("2014-07-02T09:00")
    assert seed.one(name="twitter:card") == "summary_large_image"


def test_seed_json_ld_parses_and_names_its_source(seed):
    front = front_matter(SEED_FILE)
    data = seed.json_ld()
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == front["title"]
    assert data["mainEntityOfPage"]["@id"] == seed.one(property="og:url")
    assert data["datePublished"] == seed.one(property="article:published_time")
    assert data["author"] == [{"@type": "Person", "name": "Alex Morgan",
                               "url": SITE_URL + "authors/alex/",
                               "sameAs": ["https://mastodon.social/@broadsheet"]}]
    assert data["publisher"] == {"@type": "Organization", "name": "Broadsheet", "url": SITE_URL}
    based_on = data["isBasedOn"]
    assert based_on["url"] == front["source"]["url"]
    assert based_on["headline"] == front["source"]["title"]
    assert based_on["publisher"] == {"@type": "Organization", "name": front["source"]["name"]}
    assert data["image"]["url"] == seed.one(property="og:image")


def test_seed_og_image_is_a_card_in_the_built_site(seed, sample_site):
    image = seed.one(property="og:image")
    assert image == seed.one(name="twitter:image")
    assert image.startswith(SITE_URL + "assets/cards/")
    assert png_size(built_file(sample_site, image, SITE_URL)) == (1200, 630)
    assert (seed.one(property="og:image:width"), seed.one(property="og:image:height")) == (
        "1200", "630")
    assert "via The Asia Times" in seed.one(property="og:image:alt")


def test_cards_are_published_for_published_articles_only(sample_site):
    referenced = set()
    for page in sample_site.glob("[0-9][0-9][0-9][0-9]/**/index.html"):
        head = Head(page.read_text(encoding="utf-8"))
        if head.all(property="og:type") == ["article"]:
            referenced.add(built_file(sample_site, head.one(property="og:image"), SITE_URL))
    published = set((sample_site / "assets/cards").glob("*.png"))
    # Drafts and scheduled articles are not built, and neither are their cards.
    assert len(referenced) == 3
    assert published == referenced


# -- small sites: hostile front matter, an article's own image, options ---------------------

@pytest.fixture(scope="module")
def small_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("seo-site")
    site = make_site(root, plugin_options={"cards": {"cache_dir": "card-cache"}}, articles={
        "hostile.md": meta(title=HOSTILE, slug="hostile", tags=[HOSTILE], excerpt=HOSTILE,
                           source={"name": HOSTILE, "url": "https://example.com/a",
                                   "title": HOSTILE}),
        "pictured.md": meta(title="Pictured", slug="pictured", image="images/photo.png",
                            image_alt="A photo of a port"),
    })
    buffer = BytesIO()
    Image.new("RGB", (40, 20), "navy").save(buffer, format="PNG")
    site.write("images/photo.png", buffer.getvalue())
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def test_hostile_front_matter_stays_text(small_site):
    html = small_site.page("2024/06/hostile/")
    head = Head(html)
    assert head.one(property="og:title") == HOSTILE
    assert head.all(property="article:tag") == [HOSTILE]
    # The excerpt is Markdown, so its HTML tags are dropped; the rest survives as text.
    description = head.one(name="description")
    assert description == head.one(property="og:description")
    assert description.endswith("<!-- \"quoted\" & 'single'")
    data = head.json_ld()
    assert data["headline"] == HOSTILE
    assert data["isBasedOn"]["publisher"]["name"] == HOSTILE
    # Nothing from the front matter became markup: no script but the page's own.
    for script in head.root.find_all("script"):
        assert not script.text().startswith("alert")
    assert "<!-- \"quoted\"" not in html


def test_an_articles_own_image_is_used_and_gets_no_card(small_site):
    head = Head(small_site.page("2024/06/pictured/"))
    image = head.one(property="og:image")
    assert image == TEST_SITE_URL + "images/photo.png"
    assert built_file(small_site.site_dir, image, TEST_SITE_URL).is_file()
    assert head.one(property="og:image:alt") == "A photo of a port"
    assert head.all(property="og:image:width") == []
    cards = list((small_site.site_dir / "assets/cards").glob("*.png"))
    assert len(cards) == 1  # the hostile article's, not the pictured one's


def test_cards_are_cached_in_the_configured_folder(small_site):
    cached = {p.name: p.read_bytes() for p in (small_site.root / "card-cache").glob("*.png")}
    built = {p.name: p.read_bytes()
             for p in (small_site.site_dir / "assets/cards").glob("*.png")}
    assert cached == built and len(built) == 1
    # Linked from the cache, not copied: thousands of cards are a tenth of a full build.
    (name,) = built
    cache_file = (small_site.root / "card-cache" / name).stat()
    site_file = (small_site.site_dir / "assets/cards" / name).stat()
    assert (cache_file.st_ino, cache_file.st_dev) == (site_file.st_ino, site_file.st_dev)


def test_cards_can_be_turned_off(tmp_path):
    site = make_site(tmp_path, plugin_options={"cards": {"enabled": False}},
                     articles={"a.md": meta(slug="a")})
    result = site.build()
    assert result.returncode == 0, result.stderr
    head = Head(site.page("2024/06/a/"))
    assert head.all(property="og:image") == []
    assert head.one(name="twitter:card") == "summary"
    assert not (site.site_dir / "assets/cards").exists()
    assert not (tmp_path / ".cache/broadsheet/cards").exists()


def test_a_bad_cards_option_fails_the_build_with_a_fix(tmp_path):
    site = make_site(tmp_path, plugin_options={"cards": {"cache_dir": "docs/cards"}},
                     articles={"a.md": meta(slug="a")})
    result = site.build()
    assert result.returncode != 0
    assert "cards.cache_dir: must be outside the docs folder" in result.stderr
    assert "Traceback" not in result.stderr
