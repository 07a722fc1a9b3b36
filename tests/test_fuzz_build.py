"""Property-based fuzzing: random front matter, through the real pipeline.

Hypothesis writes 1–4 articles with random front matter — well-shaped values full of hostile
text (markup, `</script>`, `<!--`, `]]>`, control characters, bidi marks, huge strings),
values of the wrong type, impossible dates, `javascript:` URLs, random keys — next to one
fixed valid article, and runs them through:

- the core, for many examples (cheap): `build_catalog`, then the listings, every article's
  template view (share links, SEO, JSON-LD) and every feed, rendered;
- a real `mkdocs build --strict` of a small site, for a few examples (expensive).

The properties: input is refused only through `path:line: field: …` problems, never a
crash; the fixed article is always there; a catalog without problems always builds; and a
built site is inert and well-formed: no element, attribute or script from metadata, valid
JSON-LD, well-formed feeds.

Profiles: `HYPOTHESIS_PROFILE=long` runs many more examples (minutes); the default keeps
the module well under a minute for `make test`.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from broadsheet import feeds, listings, reader, views
from broadsheet.catalog import build_catalog
from broadsheet.networks import NETWORK_IDS
from broadsheet.problems import ProblemList
from broadsheet.settings import settings_from_options
from broadsheet.validation import absolute_http_url
from sitekit import NOW, article_text, make_site, parse_html

# -- profiles ------------------------------------------------------------------------------

_COMMON = {"deadline": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example]}
settings.register_profile("fuzz-default", **_COMMON)
settings.register_profile("fuzz-long", **_COMMON)
PROFILE = "fuzz-long" if os.environ.get("HYPOTHESIS_PROFILE") == "long" else "fuzz-default"
# (core examples, site builds): builds cost about a second each, the core a few ms.
EXAMPLES = {"fuzz-default": (150, 12), "fuzz-long": (3000, 150)}[PROFILE]
CORE = settings(settings.get_profile(PROFILE), max_examples=EXAMPLES[0])
BUILD = settings(settings.get_profile(PROFILE), max_examples=EXAMPLES[1])

# -- the site ------------------------------------------------------------------------------

SITE_NAME = "Test Broadsheet"
SITE_URL = "https://news.example.org/"
# A zone with a half-hour offset, so naive dates and offsets really are converted.
PLUGIN_OPTIONS = {"timezone": "Asia/Kolkata",
                  "newsletter": {"provider": "buttondown", "username": "fuzz",
                                 "placement": ["article", "home"]}}
AUTHORS_YML = b"authors:\n  alex:\n    name: Alex Morgan\n    description: Editor.\n" \
              b"  priya:\n    name: Priya Raman\n"
AUTHOR_IDS = ("alex", "priya")
FIXED_PATH = "articles/fixed.md"
FIXED_TITLE = "The fixed article"
FIXED = article_text({"title": FIXED_TITLE, "date": "2024-06-25", "author": "alex",
                      "tags": ["energy"]}).encode()
# The same body for every fuzzed article: Markdown may hold HTML by design, so the body is
# not what this test fuzzes. The quote gets the source's attribution (excerpts.py).
BODY = "An introduction.\n\n> A quoted excerpt from the source.\n\nAnd a closing line.\n"
SETTINGS = settings_from_options(PLUGIN_OPTIONS, SITE_NAME, SITE_URL, NOW)

# -- strategies ----------------------------------------------------------------------------

PROBE = "xss-probe"
"""A made-up element and attribute name: seen as markup, it means metadata went unescaped."""

HOSTILE = [
    f"<{PROBE}>", f'"><{PROBE} data-{PROBE}="1">', f"'><{PROBE} data-{PROBE}=1 onclick=alert(1)>",
    "</script><script>alert(1)</script>", f"<img src=x onerror=alert(1) data-{PROBE}>",
    f"<svg/onload=alert(1)><{PROBE}>", "<!--", "-->", "]]>", "<![CDATA[", "&amp;", "&lt;", "&#60;",
    "&", "<", ">", '"', "'", "`", "\\", "\u202e", "\u200f", "\u200e", "\u2066", "\u2028",
    "\u2029", "\ufeff", "\u00a0", "\u0301", "\u200b", "\ufffe", "\uffff", "\U0001f4f0", "\x00",
    "\x07", "\x1b", "\x7f", "\x85", "\r", "\t", "\n", "javascript:alert(1)",
    "data:text/html,<b>x</b>", "{{ 7 * 7 }}", "{% endautoescape %}", "{#", "%s", "{}", "{0}",
    "{name}", "C++", "C#", "#tag", "@handle", "..", "/", "?", "%00", "%2F", "--", "***", "_",
    " ", ": ", " #", "- ", "|", "*alias", "&anchor", "!!python/object:os.system", "~", "null",
    "yes", "1e3", "2024-02-30", "Россия", "日本語", "עברית", "العربية",
]
CONTROL = {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}


def texts(max_pieces: int = 6, *, printable: bool = False) -> st.SearchStrategy[str]:
    """Text made of hostile pieces and random unicode; `printable`: no control characters
    or lone surrogates (what validation accepts)."""
    chars = st.characters(blacklist_categories=("Cc", "Cs")) if printable else st.characters()
    pieces = [p for p in HOSTILE if not (printable and any(c in CONTROL for c in p))]
    piece = st.one_of(st.sampled_from(pieces), st.text(chars, max_size=10))
    return st.lists(piece, max_size=max_pieces).map("".join)


LONG = st.builds(lambda unit, n: unit * n,
                 st.sampled_from(["x", "é", "<", "&", "\U0001f4f0", "a ", "\u202e"]),
                 st.sampled_from([100, 299, 300, 301, 500, 501, 2000, 2001, 20_000]))

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts(), LONG)
ANY = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3),
    st.dictionaries(st.one_of(texts(2), st.integers(), st.booleans()), inner, max_size=3)),
    max_leaves=8)
"""Any YAML value: what an editor might paste anywhere."""


def _offset(minutes: int):
    return timezone(timedelta(minutes=minutes))


MOMENTS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))
OFFSETS = st.integers(-(23 * 60 + 59), 23 * 60 + 59).map(_offset)


def _date_text(moment: datetime, style: int, offset) -> str:
    if style == 0:
        return moment.date().isoformat()
    if style == 1:
        return moment.isoformat(sep=" ", timespec="minutes")
    if style == 2:
        return moment.replace(tzinfo=offset).isoformat()
    return moment.isoformat(timespec="seconds") + "Z"


GOOD_DATES = st.builds(_date_text, MOMENTS, st.integers(0, 3), OFFSETS)
RECENT_DATES = st.builds(_date_text, st.datetimes(datetime(1990, 1, 1), datetime(2030, 1, 1)),
                         st.integers(0, 3), OFFSETS)
BAD_DATES = st.one_of(
    st.sampled_from(["2024-02-30", "2023-13-01", "2024-00-10", "2024-06-31 25:00", "2024-6-5",
                     "24-06-25", "2024/06/25", "tomorrow", "", " ", "2024-06-25T10:00+24:00",
                     "0000-01-01", "10000-01-01", "2024-06-25T10:00:00+99:99",
                     "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59"]),
    st.integers(), st.floats(), st.booleans(), ANY)
DATES = st.one_of(GOOD_DATES, BAD_DATES)

HOSTS = st.one_of(
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.sampled_from(["例え.jp", "xn--e1afmkfd.xn--p1ai", "localhost", "user:pass@a.example",
                     "a.example:8080", "ÉXAMPLE.COM"]))
URL_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"),
                          blacklist_characters="\u0085\u180e\u200b\ufeff")
GOOD_URLS = st.builds(
    lambda scheme, host, path, query, fragment: f"{scheme}://{host}/{path}{query}{fragment}",
    st.sampled_from(["https", "http", "HTTPS"]), HOSTS,
    st.text(URL_CHARS, max_size=20).map(lambda s: s.replace("#", "").replace("?", "")),
    st.one_of(st.just(""), st.text(URL_CHARS, max_size=15).map(lambda s: "?" + s.replace("#", ""))),
    st.one_of(st.just(""), st.text(URL_CHARS, max_size=10).map("#".__add__)))
BAD_URLS = st.one_of(st.sampled_from([
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x", "/local/page",
    "relative/page", "../up", "#frag", "?q=1", "mailto:a@b.example", "https://", "https://[::1]/",
    "https://a.example:99999/", "https://exa mple.com/", "https://a.example/\u0000",
    f'https://a.example/"><{PROBE}>', "http://nodot/"]), texts(), ANY)
URLS = st.one_of(GOOD_URLS, BAD_URLS)

HASHTAGS = st.from_regex(r"#?\w{1,15}", fullmatch=True)
NETWORKS = st.lists(st.sampled_from(NETWORK_IDS), unique=True, max_size=len(NETWORK_IDS))


def _not_blank(text: str) -> str:
    return text if text.strip() else text + "x"


@st.composite
def good_title(draw, index: int) -> str:
    # Words first make the slug non-empty and keep two fuzzed articles' URLs apart (slugs
    # are cut at 80 characters); the length keeps it under the title limit.
    return f"Story {index} {draw(texts(8, printable=True))[:250]}"


@st.composite
def good_front_matter(draw, index: int = 0) -> dict:
    """Front matter the documentation calls valid, made of hostile (printable) text."""
    text = texts(4, printable=True)
    data = {"title": draw(good_title(index)), "date": draw(RECENT_DATES)}
    if draw(st.booleans()):
        data["author"] = draw(st.sampled_from(AUTHOR_IDS))
    else:
        data["authors"] = draw(st.lists(st.sampled_from(AUTHOR_IDS), min_size=1, unique=True))
    if draw(st.booleans()):
        data["tags"] = draw(st.lists(texts(3, printable=True).map(_not_blank), max_size=5))
    if draw(st.booleans()):
        source = {"name": draw(text.map(_not_blank)),
                  "url": draw(GOOD_URLS)}
        for key in ("title", "author"):
            if draw(st.booleans()):
                source[key] = draw(text)
        if draw(st.booleans()):
            source["published"] = draw(GOOD_DATES)
        data["source"] = source
    for key in ("excerpt", "description"):
        if draw(st.booleans()):
            data[key] = draw(text)
    if draw(st.booleans()):
        data["image"] = draw(st.one_of(GOOD_URLS, st.sampled_from(
            ["images/photo.jpg", "assets/a-b.png", "x.png"])))
        data["image_alt"] = draw(text.map(_not_blank))
    if draw(st.booleans()):
        data["draft"] = draw(st.booleans())
    if draw(st.booleans()):
        share = {}
        if draw(st.booleans()):
            share["text"] = draw(text)
        if draw(st.booleans()):
            share["hashtags"] = draw(st.lists(HASHTAGS, max_size=4))
        if draw(st.booleans()):
            share["networks"] = draw(NETWORKS)
        data["share"] = share
    return data


BAD_VALUES = {
    "title": st.one_of(ANY, LONG, texts()),
    "date": DATES, "updated": DATES,
    "author": st.one_of(st.sampled_from(AUTHOR_IDS), texts(2), ANY),
    "authors": st.one_of(st.lists(st.sampled_from(AUTHOR_IDS + ("nobody",))), ANY),
    "tags": st.one_of(st.lists(st.one_of(texts(), LONG, ANY), max_size=60), ANY),
    "source": st.one_of(st.fixed_dictionaries({}, optional={
        "name": st.one_of(texts(), ANY), "url": URLS, "title": st.one_of(texts(), ANY),
        "author": st.one_of(texts(), ANY), "published": DATES, "extra": ANY}), ANY),
    "excerpt": st.one_of(texts(), LONG, ANY), "description": st.one_of(texts(), LONG, ANY),
    "image": st.one_of(URLS, st.sampled_from(["../../etc/passwd", "/abs.png", "a\\b.png"])),
    "image_alt": st.one_of(texts(), ANY),
    "draft": ANY, "slug": st.one_of(texts(2), st.from_regex(r"[a-z0-9-]{1,90}", fullmatch=True),
                                    ANY),
    "share": st.one_of(st.fixed_dictionaries({}, optional={
        "text": st.one_of(texts(), LONG, ANY),
        "hashtags": st.one_of(st.lists(st.one_of(HASHTAGS, texts(2), ANY), max_size=12), ANY),
        "networks": st.one_of(st.lists(st.one_of(st.sampled_from(NETWORK_IDS), texts(1)),
                                       max_size=12), ANY),
        "extra": ANY}), ANY),
}


@st.composite
def any_front_matter(draw, index: int = 0) -> dict:
    """A valid article with some fields replaced, removed or added: anything goes."""
    data = draw(good_front_matter(index))
    for key in draw(st.lists(st.sampled_from(sorted(BAD_VALUES)), max_size=4, unique=True)):
        data[key] = draw(BAD_VALUES[key])
    for key in draw(st.lists(st.sampled_from(sorted(data)), max_size=2, unique=True)):
        if draw(st.booleans()):
            del data[key]
    data.update(draw(st.dictionaries(texts(2), ANY, max_size=2)))
    return data


def dump(front: dict) -> str:
    return yaml.safe_dump(front, sort_keys=False, allow_unicode=True)


@st.composite
def article_file(draw, index: int, valid: bool) -> bytes:
    if valid:
        return article_text(dump(draw(good_front_matter(index))), BODY).encode()
    how = draw(st.integers(0, 5))
    if how == 0:  # bytes that may not even be text
        return draw(st.binary(max_size=300))
    if how == 1:  # front matter as random text
        front = draw(texts(12))
    elif how == 2:  # valid YAML with a random piece pasted somewhere in it
        front = dump(draw(good_front_matter(index)))
        at = draw(st.integers(0, len(front)))
        front = front[:at] + draw(texts(2)) + front[at:]
    else:
        front = dump(draw(any_front_matter(index)))
    return article_text(front, BODY).encode("utf-8", "surrogatepass")


@st.composite
def article_set(draw, max_bad: int = 4) -> list[tuple[str, bytes]]:
    """1–4 fuzzed article files (at most `max_bad` of them from the anything-goes
    strategy), plus the fixed valid one."""
    count = draw(st.integers(1, 4))
    bad = draw(st.integers(0, min(max_bad, count)))
    files = [(f"articles/fuzz-{i}.md", draw(article_file(i, valid=i >= bad)))
             for i in range(count)]
    return files + [(FIXED_PATH, FIXED)]


# -- the core ------------------------------------------------------------------------------

PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+\.(?:md|yml))(?::(?P<line>\d+))?: (?P<field>.+?): .")


def check_problems(catalog, files: list[tuple[str, bytes]]) -> None:
    sizes = {path: data.count(b"\n") + 1 for path, data in files}
    for problem in catalog.problems:
        text = str(problem)
        assert "Traceback" not in text, text
        assert PROBLEM_LINE.match(text), f"not a path:line: field: problem: {text!r}"
        assert problem.path in sizes or problem.path == SETTINGS.authors_file, text
        if problem.line is not None and problem.path in sizes:
            assert 1 <= problem.line <= sizes[problem.path], f"line out of the file: {text!r}"
        assert problem.field and problem.message, text


def check_article(article) -> None:
    """What validation promises about an article it accepts."""
    assert article.title and article.title == " ".join(article.title.split())
    assert len(article.title) <= 300
    assert not any(c in CONTROL for c in article.title)
    assert re.fullmatch(r"\d{4}/\d{2}/[a-z0-9]+(-[a-z0-9]+)*/", article.url), article.url
    assert article.date.tzinfo is not None
    assert len(set(article.tags)) == len(article.tags)
    assert set(article.authors) <= set(AUTHOR_IDS)
    if article.source:
        assert absolute_http_url(article.source.url) is None, article.source.url
    if article.image:
        assert not article.image.lower().startswith(("javascript:", "data:", "//", "/"))
        assert article.image_alt


def render_core(catalog) -> None:
    """Everything the build computes from the catalog that does not need MkDocs: listings,
    each article's view (share links, SEO tags, JSON-LD) and every feed."""
    built = listings.build_listings(catalog, SETTINGS.per_page)
    for page in built.pages:
        json.dumps(page.view)  # plain data only
    for article in catalog.articles:
        view = views.article_view(article, catalog, neighbours=built.neighbours.get(article.path))
        seo = view["seo"]
        data = json.loads(seo["json_ld"])
        assert not set("<>&") & set(seo["json_ld"]), "JSON-LD could close its <script>"
        assert data["@type"]
        for link in (view["share"] or {}).get("links", []):
            assert link["href"].startswith(("https://", "mailto:", "#")), link["href"]
    renderer = feeds.FeedRenderer(SETTINGS, "en")
    entries = {}
    for spec in feeds.plan_feeds(catalog, SETTINGS.feed_size):
        for article in spec.articles:
            if article.path not in entries:
                entries[article.path] = feeds.article_entry(
                    article, catalog, "<p>Body &amp; more</p>", SITE_URL + article.url)
        data = renderer.render(spec, [entries[a.path] for a in spec.articles])
        if spec.format == "json":
            document = json.loads(data)
            titles = [item["title"] for item in document["items"]]
        else:
            root = ET.fromstring(data)
            titles = [e.text for e in root.iter() if e.tag.endswith("}title") or e.tag == "title"]
        for article in spec.articles:
            assert feeds.xml_safe(article.title) in titles, (spec.path, article.title)


@CORE
@given(files=article_set())
def test_any_front_matter_gives_articles_or_problems_never_a_crash(files):
    catalog = build_catalog(files, AUTHORS_YML, SETTINGS)
    assert FIXED_PATH in catalog.by_path, "random input cost the valid article its place"
    check_problems(catalog, files)
    for path, _ in files:
        assert (path in catalog.by_path) != (path in catalog.invalid), path
        assert (path in catalog.invalid) == bool(catalog.problems_for(path)), path
    for article in catalog.articles:
        check_article(article)
    render_core(catalog)


@CORE
@given(data=st.data(), count=st.integers(1, 4))
def test_valid_front_matter_is_accepted_whatever_its_text(data, count):
    fronts = [data.draw(good_front_matter(i)) for i in range(count)]
    files = [(f"articles/fuzz-{i}.md", article_text(dump(front), BODY).encode())
             for i, front in enumerate(fronts)] + [(FIXED_PATH, FIXED)]
    catalog = build_catalog(files, AUTHORS_YML, SETTINGS)
    note("\n".join(str(p) for p in catalog.problems))
    assert not catalog.problems, [str(p) for p in catalog.problems]
    for (path, _), front in zip(files, fronts):
        article = catalog.by_path[path]
        assert article.title == " ".join(front["title"].split())
        check_article(article)
    render_core(catalog)


@st.composite
def yaml_texts(draw) -> str:
    """Front matter text: dumped values or random text, sometimes with a piece pasted in."""
    text = draw(st.one_of(st.builds(dump, st.one_of(any_front_matter(), ANY)), texts(12)))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(texts(2)) + text[at:]
    # As reader.decode hands it over: text read from UTF-8 holds no lone surrogate.
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@CORE
@given(text=yaml_texts())
def test_fast_and_careful_yaml_parsers_agree(text):
    """reader.py parses with libyaml when it can and falls back to pure Python, whose
    messages editors see: the fast path must never accept what the careful one refuses, nor
    read a value differently."""
    if reader._FastFrontMatterLoader is None:
        pytest.skip("PyYAML without libyaml: one parser only")
    fast = reader._compose_fast(text)
    careful = reader._compose_careful(text, 2, ProblemList("a.md"), "front matter")
    if fast is not None:
        assert careful is not None, f"only the fast parser accepts {text!r}"
        assert _same(fast[1], careful[1]), (fast[1], careful[1])


def _same(a, b) -> bool:
    # NaN is not equal to itself; everything else must match exactly, types included.
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    return a == b


# -- real builds ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory):
    """One small site, its articles replaced for each example (a build cleans site/)."""
    site = make_site(tmp_path_factory.mktemp("fuzz") / "project", plugin_options=PLUGIN_OPTIONS)
    site.write("authors.yml", AUTHORS_YML.decode())
    return site


@pytest.fixture(scope="module")
def baseline_scripts(fuzz_site) -> set[str]:
    """The inline scripts of a site whose only article is the fixed one: Material's own.
    A fuzzed build may show no inline script that is not one of these."""
    _write_articles(fuzz_site, [(FIXED_PATH, FIXED)])
    result = fuzz_site.build()
    assert result.returncode == 0, result.stdout + result.stderr
    scripts = set()
    for page in fuzz_site.site_dir.rglob("*.html"):
        for script in parse_html(page.read_text(encoding="utf-8")).find_all("script"):
            if not script.attrs.get("src") and not script.attrs.get("type"):
                scripts.add(_normalise_script(script))
    assert scripts, "the baseline has no inline script: the check would prove nothing"
    return scripts


def _write_articles(site, files) -> None:
    articles = site.docs / "articles"
    shutil.rmtree(articles, ignore_errors=True)
    articles.mkdir(parents=True)
    for path, data in files:
        site.write(path, data)


def _script_text(node) -> str:
    return "".join(c for c in node.children if isinstance(c, str))


def _normalise_script(node) -> str:
    # Material's inline scripts name the page's way back to the site root.
    return re.sub(r'new URL\("[^"]*",location\)', 'new URL("",location)', _script_text(node))


_URL_ATTRS = ("href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcdoc")
_SCRIPT_TYPES = {"application/ld+json", "application/json"}


def check_page(path: Path, site_dir: Path, baseline: set[str]) -> None:
    text = path.read_text(encoding="utf-8")
    where = path.relative_to(site_dir).as_posix()
    tree = parse_html(text)
    for node in tree.iter():
        assert node.tag != PROBE, f"{where}: metadata became an element"
        for name, value in node.attrs.items():
            assert PROBE not in name, f"{where}: metadata became an attribute: {node!r}"
            assert not name.startswith("on"), f"{where}: event handler attribute {node!r}"
            if name in _URL_ATTRS and value:
                scheme = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:text")), \
                    f"{where}: {node!r}"
        if node.tag in ("iframe", "object", "embed", "base", "frame"):
            raise AssertionError(f"{where}: unexpected <{node.tag}>")
        if node.tag == "script":
            check_script(node, where, site_dir, path, baseline)


def check_script(node, where: str, site_dir: Path, page: Path, baseline: set[str]) -> None:
    src, kind = node.attrs.get("src"), node.attrs.get("type")
    if src:
        assert "://" not in src and not src.startswith("//"), f"{where}: script from {src}"
        target = (page.parent / src.split("?")[0]).resolve() if not src.startswith("/") \
            else (site_dir / src.lstrip("/")).resolve()
        assert target.is_file() and site_dir.resolve() in target.parents, \
            f"{where}: script {src} is not a file of the site"
        assert not _script_text(node).strip(), f"{where}: script with src and a body"
    elif kind in _SCRIPT_TYPES:
        body = _script_text(node)
        json.loads(body)
        if kind == "application/ld+json":
            assert not set("<>") & set(body), f"{where}: JSON-LD holds < or >"
    else:
        assert kind in (None, "text/javascript", "module"), f"{where}: script type {kind}"
        assert _normalise_script(node) in baseline, \
            f"{where}: an inline script the templates do not write: {_script_text(node)[:300]}"


def check_feeds(site_dir: Path) -> None:
    xml_files = [p for p in site_dir.rglob("*.xml")]
    names = {p.name for p in xml_files}
    assert {"feed.xml", "atom.xml", "sitemap.xml"} <= names, names
    for path in xml_files:
        try:
            ET.fromstring(path.read_bytes())
        except ET.ParseError as err:
            raise AssertionError(f"{path.relative_to(site_dir)} is not well-formed: {err}")
    json.loads((site_dir / "feed.json").read_text(encoding="utf-8"))


def check_failed_build(output: str, catalog) -> None:
    assert "Traceback" not in output, output[-3000:]
    assert "Logging error" not in output, output[-3000:]
    assert catalog.problems, f"the build failed but the catalog found nothing:\n{output[-3000:]}"
    for problem in catalog.problems:
        assert str(problem) in output, f"{problem} is not in the build's output"


@BUILD
@given(files=article_set(max_bad=1))
def test_fuzzed_site_builds_or_fails_cleanly_and_is_inert(files, fuzz_site, baseline_scripts):
    _write_articles(fuzz_site, files)
    catalog = build_catalog(files, AUTHORS_YML, SETTINGS)
    result = fuzz_site.build()
    output = result.stdout + result.stderr
    note(output[-2000:])
    event("build refused" if result.returncode else "build succeeded")
    if result.returncode != 0:
        check_failed_build(output, catalog)
        return
    assert "Traceback" not in output
    assert not catalog.problems, "the build passed over problems the catalog reports"
    site_dir = fuzz_site.site_dir
    fixed = catalog.by_path[FIXED_PATH]
    assert parse_html(fuzz_site.page(fixed.url)).find("h1").text() == FIXED_TITLE
    for article in catalog.published:
        h1 = parse_html(fuzz_site.page(article.url)).find("h1")
        assert h1 is not None and h1.text() == " ".join(article.title.split()), \
            (article.path, article.title, h1 and h1.text())
    for page in site_dir.rglob("*.html"):
        check_page(page, site_dir, baseline_scripts)
    check_feeds(site_dir)


def test_the_probes_would_be_caught(tmp_path):
    """The page check fails on what it looks for (a check that cannot fail proves nothing)."""
    site_dir = tmp_path
    page = site_dir / "index.html"
    for bad in (f"<{PROBE}>", f'<p data-{PROBE}="1">', '<img src="a.png" onerror="x">',
                '<a href=" javascript:alert(1)">', "<script>alert(1)</script>",
                '<script src="https://cdn.example/x.js"></script>',
                '<script type="application/ld+json">{"a": </script>'):
        page.write_text(f"<!doctype html><html><body>{bad}</body></html>", encoding="utf-8")
        with pytest.raises((AssertionError, ValueError)):
            check_page(page, site_dir, {"var ok=1"})
    (site_dir / "feed.xml").write_text("<rss><title>a & b</title></rss>", encoding="utf-8")
    (site_dir / "atom.xml").write_text("<feed/>", encoding="utf-8")
    (site_dir / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    with pytest.raises(AssertionError):
        check_feeds(site_dir)
