"""validation: every rule of the article contract, and the exact message each one gives.

Messages are `path:line: field: what is wrong — how to fix it`; the line is that of the
offending key. Front matter is written as text so each case shows the lines it refers to.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from broadsheet.dates import DATE_HINT
from broadsheet.model import Author, ShareOptions, Source
from broadsheet.problems import ProblemList
from broadsheet.reader import read_document
from broadsheet.settings import Settings
from broadsheet.validation import (
    absolute_http_url,
    article_url,
    did_you_mean,
    image_reference_problem,
    validate_article,
)

PATH = "articles/2024/x.md"
AUTHORS = {"alex": Author("alex", "Alex Morgan"), "priya": Author("priya", "Priya Raman")}
VALID = "title: A headline\ndate: 2024-06-25\nauthor: alex\n"
"""Three lines (2-4 of the file) of a valid article; cases add lines 5 onwards."""


def validate(front: str, *, settings: Settings | None = None, authors=AUTHORS,
             body: str = "Body text.\n"):
    problems = ProblemList(PATH)
    raw = read_document(PATH, f"---\n{front}---\n{body}".encode(), problems)
    article = validate_article(PATH, raw, problems, settings or Settings(), authors) \
        if raw else None
    return article, [str(p) for p in problems]


def problems_of(front: str, **kwargs) -> list[str]:
    article, problems = validate(front, **kwargs)
    assert article is None, "an article with problems must not be published"
    return problems


def the_problem(front: str, **kwargs) -> str:
    problems = problems_of(front, **kwargs)
    assert len(problems) == 1, problems
    return problems[0]


# -- a valid article ---------------------------------------------------------------------------

def test_full_article_becomes_a_frozen_article():
    article, problems = validate(
        "title: '  Russia finds   an ally '\n"
        "date: 2024-06-25 09:30\n"
        "updated: 2024-06-26\n"
        "authors: [priya, alex]\n"
        "tags: [energy, Russia, energy]\n"
        "source:\n"
        "  name: The Asia Times\n"
        "  url: https://asiatimes.com/2014/07/story/\n"
        "  title: Japan and Russia seek rapprochement\n"
        "  author: A. Writer\n"
        "  published: 2024-06-24\n"
        "excerpt: |\n  First line.\n  Second line.\n"
        "description: One sentence.\n"
        "image: images/photo.jpg\n"
        "image_alt: A harbour at dawn\n"
        "draft: false\n"
        "share:\n  text: Read this\n  hashtags: ['#LNG', energy]\n  networks: [x, email]\n",
        body="Intro.\n\n> Quote.\n")
    assert problems == []
    assert article.title == "Russia finds an ally"
    assert article.date == datetime(2024, 6, 25, 9, 30, tzinfo=timezone.utc)
    assert article.updated == datetime(2024, 6, 26, tzinfo=timezone.utc)
    assert article.authors == ("priya", "alex")
    assert article.tags == ("energy", "Russia")
    assert article.source == Source(
        name="The Asia Times", url="https://asiatimes.com/2014/07/story/",
        title="Japan and Russia seek rapprochement", author="A. Writer",
        published=datetime(2024, 6, 24, tzinfo=timezone.utc))
    assert article.excerpt == "First line.\nSecond line."
    assert article.description == "One sentence."
    assert (article.image, article.image_alt) == ("images/photo.jpg", "A harbour at dawn")
    assert article.draft is False
    assert article.share == ShareOptions(text="Read this", hashtags=("LNG", "energy"),
                                         networks=("x", "email"))
    assert article.slug == "russia-finds-an-ally"
    assert article.url == "2024/06/russia-finds-an-ally/"
    assert article.body == "Intro.\n\n> Quote.\n"
    assert article.path == PATH


def test_minimal_article_has_defaults():
    article, problems = validate(VALID)
    assert problems == []
    assert article.authors == ("alex",)
    assert article.tags == () and article.source is None and article.draft is False
    assert article.share == ShareOptions()
    assert article.url == "2024/06/a-headline/"


# -- every problem in one run ------------------------------------------------------------------

def test_every_problem_of_a_file_is_reported_in_one_run():
    problems = problems_of("titel: Oops\ndate: 2024-02-30\nauthor: bob\ntags: solo\n"
                           "draft: maybe\nsource:\n  url: ftp://x.org\n")
    fields = [p.split(": ")[1] for p in problems]
    assert fields == ["titel", "date", "author", "tags", "source.name", "source.url", "draft"]
    assert all(p.startswith(f"{PATH}:") for p in problems)
    assert all(" — " in p for p in problems), "every message says how to fix it"


# -- unknown keys ---------------------------------------------------------------------------------

@pytest.mark.parametrize("key, hint", [
    ("autor", "did you mean 'author'?"),
    ("tag", "did you mean 'tags'?"),
    ("imagealt", "did you mean 'image_alt'?"),
    ("drafts", "did you mean 'draft'?"),
])
def test_unknown_key_suggests_the_known_one(key, hint):
    problems = problems_of(f"title: T\ndate: 2024-06-25\n{key}: x\n")
    assert f"{PATH}:4: {key}: unknown key — {hint}" in problems


def test_misspelt_author_reports_the_typo_with_its_hint():
    problems = problems_of("title: T\ndate: 2024-06-25\nautor: alex\n")
    # One typo, one line: 'author' is not also reported missing.
    assert problems == [f"{PATH}:4: autor: unknown key — did you mean 'author'?"]


@pytest.mark.parametrize("typo, meant", [("titel", "title"), ("dtae", "date"),
                                         ("authros", "authors")])
def test_a_typo_of_a_required_key_is_reported_once(typo, meant):
    front = {"title": "title: T\n", "date": "date: 2024-06-25\n", "authors": "author: alex\n"}
    front[meant] = f"{typo}: x\n"
    problems = problems_of("".join(front.values()))
    assert [p.split(": ")[1] for p in problems] == [typo]
    assert problems[0].endswith(f"did you mean '{meant}'?")


def test_unknown_key_without_a_close_match_lists_the_known_keys():
    problem = the_problem(VALID + "colour: blue\n")
    assert problem == (f"{PATH}:5: colour: unknown key — known keys: title, date, updated, "
                       "author, authors, tags, source, excerpt, description, image, image_alt, "
                       "draft, slug, share")


def test_key_given_twice_makes_the_article_invalid():
    assert the_problem(VALID + "title: Another\n") == (
        f"{PATH}:5: title: is given twice (first on line 2) — keep one of the two lines")


def test_missing_front_matter():
    problems = ProblemList(PATH)
    raw = read_document(PATH, b"# A page\n\nText.\n", problems)
    assert validate_article(PATH, raw, problems, Settings(), AUTHORS) is None
    assert [str(p) for p in problems] == [
        f"{PATH}:1: front matter: is missing — start the file with '---', then 'title:', "
        "'date:' and 'author:' lines, then '---'"]


def test_empty_front_matter_lists_each_required_field():
    problems = problems_of("")
    assert [p.split(": ")[1:3] for p in problems] == [
        ["title", "is missing — add a line `title"], ["date", "is missing — add a line `date"],
        ["author", "is missing — add `author"]]


# -- title ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("front, expected", [
    ("date: 2024-06-25\nauthor: alex\n",
     "2: title: is missing — add a line `title: Your headline`"),
    ("title:\ndate: 2024-06-25\nauthor: alex\n", "2: title: is empty — give the title a value"),
    ("title: '   '\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: is empty — give the title a value"),
    ("title: [a, b]\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: is a list, not text — write title as plain text, in quotes if it has a colon"),
    ("title: {a: 1}\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: is a mapping, not text — write title as plain text, in quotes if it has a colon"),
    ("title: yes\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: is true/false, not text — write title as plain text, in quotes if it has a colon"),
    ("title: \"Bell\\a\"\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: contains the control character U+0007 — delete it"),
    (f"title: {'x' * 301}\ndate: 2024-06-25\nauthor: alex\n",
     "2: title: is 301 characters long, over the 300 limit — shorten it"),
])
def test_title_rules(front, expected):
    assert the_problem(front) == f"{PATH}:{expected}"


def test_numeric_title_is_text():
    article, problems = validate("title: 1984\ndate: 2024-06-25\nauthor: alex\n")
    assert problems == [] and article.title == "1984" and article.slug == "1984"


# -- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "2023-02-29", "2024-06-25 25:00",
                                   "25/06/2024", "yesterday"])
def test_impossible_or_malformed_date(value):
    assert the_problem(f"title: T\ndate: {value}\nauthor: alex\n") == (
        f"{PATH}:3: date: {value!r} is not a date or is impossible — {DATE_HINT}")


@pytest.mark.parametrize("value, what", [("12345", "a number"), ("[2024]", "a list"),
                                         ("true", "true/false")])
def test_date_of_the_wrong_type(value, what):
    assert the_problem(f"title: T\ndate: {value}\nauthor: alex\n") == (
        f"{PATH}:3: date: is {what}, not a date — {DATE_HINT}")


def test_empty_date():
    assert the_problem("title: T\ndate: ''\nauthor: alex\n") == (
        f"{PATH}:3: date: is empty — {DATE_HINT}")


def test_missing_date():
    assert the_problem("title: T\nauthor: alex\n") == (
        f"{PATH}:2: date: is missing — add a line `date: YYYY-MM-DD`")


@pytest.mark.parametrize("value, expected", [
    ("2024-06-25", datetime(2024, 6, 25, tzinfo=timezone.utc)),
    ("2024-06-25 09:30", datetime(2024, 6, 25, 9, 30, tzinfo=timezone.utc)),
    ("2024-06-25T09:30:00Z", datetime(2024, 6, 25, 9, 30, tzinfo=timezone.utc)),
    ("'2024-06-25 09:30:00+02:00'",
     datetime(2024, 6, 25, 9, 30, tzinfo=timezone(timedelta(hours=2)))),
])
def test_dates_are_timezone_aware(value, expected):
    article, problems = validate(f"title: T\ndate: {value}\nauthor: alex\n")
    assert problems == []
    assert article.date == expected
    assert article.date.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("value, offset", [("2024-01-15", "+00:00"),
                                           ("2024-07-15 12:00", "+01:00")])
def test_naive_dates_are_read_in_the_site_timezone(value, offset):
    settings = Settings(timezone=ZoneInfo("Europe/London"))
    article, problems = validate(f"title: T\ndate: {value}\nauthor: alex\n", settings=settings)
    assert problems == []
    assert article.date.isoformat().endswith(offset)


def test_explicit_offset_wins_over_the_site_timezone():
    settings = Settings(timezone=ZoneInfo("Europe/London"))
    article, _ = validate("title: T\ndate: '2024-07-15 12:00+09:00'\nauthor: alex\n",
                          settings=settings)
    assert article.date.utcoffset() == timedelta(hours=9)


def test_url_uses_the_date_as_written():
    # 00:30 in Tokyo is the previous day in UTC; the URL follows the editor's date.
    article, _ = validate("title: T\ndate: '2024-07-01 00:30+09:00'\nauthor: alex\n")
    assert article.url == "2024/07/t/"


def test_updated_before_date():
    assert the_problem(VALID + "updated: 2024-06-24\n") == (
        f"{PATH}:5: updated: is before date — an update cannot precede publication; fix the "
        "date or remove 'updated'")


def test_impossible_updated():
    assert the_problem(VALID + "updated: 2024-06-31\n") == (
        f"{PATH}:5: updated: '2024-06-31' is not a date or is impossible — {DATE_HINT}")


# -- authors -------------------------------------------------------------------------------------

@pytest.mark.parametrize("front, expected", [
    ("title: T\ndate: 2024-06-25\nauthor: bob\n",
     "4: author: unknown author 'bob' — add 'bob' to authors.yml (known: alex, priya)"),
    ("title: T\ndate: 2024-06-25\nauthor: alx\n",
     "4: author: unknown author 'alx' — did you mean 'alex'?"),
    ("title: T\ndate: 2024-06-25\nauthors: [alex, priyaa]\n",
     "4: authors: unknown author 'priyaa' — did you mean 'priya'?"),
    ("title: T\ndate: 2024-06-25\nauthor: [alex, priya]\n",
     "4: author: is a list — use `authors:` for several authors"),
    ("title: T\ndate: 2024-06-25\nauthor: alex\nauthors: [priya]\n",
     "5: authors: is given together with 'author' — keep one: `author: id` or "
     "`authors: [id1, id2]`"),
    ("title: T\ndate: 2024-06-25\nauthor:\n",
     "4: author: is empty — name at least one author id (known: alex, priya)"),
    ("title: T\ndate: 2024-06-25\nauthors: []\n",
     "4: authors: is empty — name at least one author id (known: alex, priya)"),
    ("title: T\ndate: 2024-06-25\nauthors: alex\n",
     "4: authors: is a single value, not a list — write a list: authors: [alex] or one "
     "'- item' per line"),
    ("title: T\ndate: 2024-06-25\n",
     "2: author: is missing — add `author: <id>` with an id from authors.yml (known: alex, "
     "priya)"),
])
def test_author_rules(front, expected):
    assert the_problem(front) == f"{PATH}:{expected}"


def test_every_unknown_author_is_named():
    problems = problems_of("title: T\ndate: 2024-06-25\nauthors: [bob, alex, carol]\n")
    assert [p.split(": ", 2)[2].split(" — ")[0] for p in problems] == [
        "unknown author 'bob'", "unknown author 'carol'"]


def test_no_authors_defined_yet():
    assert the_problem("title: T\ndate: 2024-06-25\nauthor: alex\n", authors={}) == (
        f"{PATH}:4: author: unknown author 'alex' — add 'alex' to authors.yml (none defined "
        "yet in authors.yml)")


def test_authors_file_setting_is_named_in_hints():
    settings = Settings(authors_file="people.yml")
    assert "add 'bob' to people.yml" in the_problem(
        "title: T\ndate: 2024-06-25\nauthor: bob\n", settings=settings)


# -- tags -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("energy", "5: tags: is a single value, not a list — write a list: tags: [energy] or one "
               "'- item' per line"),
    ("{a: 1}", "5: tags: is a mapping, not a list — write a list: tags: [first, second]"),
    ("[ok, [nested]]", "5: tags[1]: is a list, not text — write tags[1] as plain text, in "
                       "quotes if it has a colon"),
    (f"[{'x' * 101}]", "5: tags[0]: is 101 characters long, over the 100 limit — shorten it"),
    ("[" + ", ".join(f"t{i}" for i in range(51)) + "]",
     "5: tags: has 51 items, over the 50 limit — remove some"),
])
def test_tag_rules(value, expected):
    assert the_problem(VALID + f"tags: {value}\n") == f"{PATH}:{expected}"


def test_tags_keep_their_order_without_duplicates_or_blanks():
    article, problems = validate(VALID + "tags:\n  - b\n  - a\n  - b\n  - ''\n  - 2024\n")
    assert problems == [] and article.tags == ("b", "a", "2024")


# -- source ---------------------------------------------------------------------------------------

SOURCE = VALID + "source:\n"  # `source:` is line 5, its keys 6 onwards


@pytest.mark.parametrize("lines, expected", [
    ("  url: https://example.com/a\n",
     "5: source.name: is missing — add the publication's name, e.g. `name: The Asia Times`"),
    ("  name: X\n",
     "5: source.url: is missing — add the address of the original article, e.g. "
     "`url: https://example.com/story`"),
    ("  name: X\n  url: ftp://example.com/a\n",
     "7: source.url: must start with https:// or http:// (got 'ftp://example.com/a') — give "
     "the full address of the original article, starting with https://"),
    ("  name: X\n  url: /2024/story\n",
     "7: source.url: must start with https:// or http:// (got '/2024/story') — give the full "
     "address of the original article, starting with https://"),
    ("  name: X\n  url: example.com/story\n",
     "7: source.url: must start with https:// or http:// (got 'example.com/story') — give the "
     "full address of the original article, starting with https://"),
    ("  name: X\n  url: 'javascript:alert(1)'\n",
     "7: source.url: must start with https:// or http:// (got 'javascript:alert(1)') — give "
     "the full address of the original article, starting with https://"),
    ("  name: X\n  url: https://intranet/story\n",
     "7: source.url: has no valid host name — give the full address of the original article, "
     "starting with https://"),
    ("  name: X\n  url: https:///story\n",
     "7: source.url: has no valid host name — give the full address of the original article, "
     "starting with https://"),
    ("  name: X\n  url: 'https://example.com/a b'\n",
     "7: source.url: contains spaces or control characters — give the full address of the "
     "original article, starting with https://"),
    ("  name: X\n  url: 'https://example.com:99999/a'\n",
     "7: source.url: has an invalid port number — give the full address of the original "
     "article, starting with https://"),
    ("  name: X\n  url: 'http://[::1'\n",
     "7: source.url: is not a URL — give the full address of the original article, starting "
     "with https://"),
    ("  name: X\n  url: https://example.com/a\n  titel: T\n",
     "8: source.titel: unknown key — did you mean 'title'?"),
    ("  name: X\n  url: https://example.com/a\n  published: 2024-06-31\n",
     f"8: source.published: '2024-06-31' is not a date or is impossible — {DATE_HINT}"),
    ("  name: [X]\n  url: https://example.com/a\n",
     "6: source.name: is a list, not text — write source.name as plain text, in quotes if it "
     "has a colon"),
    ("  name: ''\n  url: https://example.com/a\n",
     "6: source.name: is empty — give the source.name a value"),
])
def test_source_rules(lines, expected):
    assert the_problem(SOURCE + lines) == f"{PATH}:{expected}"


@pytest.mark.parametrize("typo, meant", [("nmae", "name"), ("ulr", "url")])
def test_a_typo_in_source_is_reported_once(typo, meant):
    lines = {"name": "  name: X\n", "url": "  url: https://example.com/a\n"}
    lines[meant] = f"  {typo}: x\n"
    problems = problems_of(SOURCE + "".join(lines.values()))
    assert len(problems) == 1
    assert problems[0].endswith(f"source.{typo}: unknown key — did you mean '{meant}'?")


@pytest.mark.parametrize("value, what", [("https://example.com", "text"), ("[a]", "a list")])
def test_source_must_be_a_mapping(value, what):
    assert the_problem(VALID + f"source: {value}\n") == (
        f"{PATH}:5: source: is {what}, not a mapping — write `source:` then indented `name:` "
        "and `url:` lines")


def test_overlong_source_url():
    url = "https://example.com/" + "a" * 2000
    assert the_problem(SOURCE + f"  name: X\n  url: {url}\n") == (
        f"{PATH}:7: source.url: is {len(url):,} characters long, over the 2,000 limit — "
        "shorten it")


@pytest.mark.parametrize("url", ["https://example.com/a?b=1&c=2#x", "http://localhost:8000/a",
                                 "HTTPS://Example.COM/Ünïcode"])
def test_accepted_source_urls(url):
    article, problems = validate(SOURCE + f"  name: X\n  url: '{url}'\n")
    assert problems == [] and article.source.url == url


def test_absolute_http_url_accepts_only_absolute_http():
    assert absolute_http_url("https://example.com/x") is None
    assert absolute_http_url("mailto:someone@example.com") is not None
    assert absolute_http_url("//example.com/x") is not None


# -- excerpt, description ---------------------------------------------------------------------------

def test_excerpt_keeps_paragraphs_and_description_is_one_line():
    article, problems = validate(VALID + "excerpt: |\n  One.\n\n  Two.\n"
                                 "description: >\n  Folded\n  text\n")
    assert problems == []
    assert article.excerpt == "One.\n\nTwo."
    assert article.description == "Folded text"


def test_description_limit():
    assert the_problem(VALID + f"description: {'d' * 501}\n") == (
        f"{PATH}:5: description: is 501 characters long, over the 500 limit — shorten it")


def test_excerpt_of_the_wrong_type():
    assert the_problem(VALID + "excerpt: {a: 1}\n") == (
        f"{PATH}:5: excerpt: is a mapping, not text — write excerpt as plain text, in quotes "
        "if it has a colon")


# -- image ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, expected", [
    ("image: images/a.jpg\n", "5: image_alt: is missing — describe the image for readers who "
                              "cannot see it: `image_alt: ...`"),
    ("image_alt: A harbour\n", "5: image_alt: is given without an image — add `image:` or "
                               "remove it"),
    ("image: ../secret.jpg\nimage_alt: x\n",
     "5: image: must be a path inside docs/ without '/' at the start or '..' — use an https:// "
     "address or a path inside docs/, e.g. images/photo.jpg"),
    ("image: /abs.jpg\nimage_alt: x\n",
     "5: image: must be a path inside docs/ without '/' at the start or '..' — use an https:// "
     "address or a path inside docs/, e.g. images/photo.jpg"),
    ("image: 'javascript:alert(1)'\nimage_alt: x\n",
     "5: image: must start with https:// or http:// (got 'javascript:alert(1)') — use an "
     "https:// address or a path inside docs/, e.g. images/photo.jpg"),
    ("image: 'my photo.jpg'\nimage_alt: x\n",
     "5: image: contains spaces or control characters — use an https:// address or a path "
     "inside docs/, e.g. images/photo.jpg"),
])
def test_image_rules(lines, expected):
    assert the_problem(VALID + lines) == f"{PATH}:{expected}"


@pytest.mark.parametrize("image", ["images/a.jpg", "https://cdn.example.com/a.jpg"])
def test_accepted_images(image):
    article, problems = validate(VALID + f"image: {image}\nimage_alt: A harbour\n")
    assert problems == [] and article.image == image and article.image_alt == "A harbour"


def test_image_reference_problem_rejects_backslashes():
    assert image_reference_problem("images\\a.jpg") is not None


# -- draft ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [("true", True), ("false", False), ("", False)])
def test_draft_values(value, expected):
    article, problems = validate(VALID + f"draft: {value}\n")
    assert problems == [] and article.draft is expected


@pytest.mark.parametrize("value, shown", [("'yes please'", "'yes please'"), ("1", "1"),
                                          ("'true'", "'true'")])
def test_draft_must_be_true_or_false(value, shown):
    assert the_problem(VALID + f"draft: {value}\n") == (
        f"{PATH}:5: draft: is {shown}, not true or false — write `draft: true` or "
        "`draft: false`")


# -- slug and URL -----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("Russia finds an unexpected economic and military ally",
     "russia-finds-an-unexpected-economic-and-military-ally"),
    ("Café au lait: Россия & Japan", "cafe-au-lait-rossiia-japan"),
    ("Ünïcödé — and “quotes”!", "unicode-and-quotes"),
    ("日本とロシア", "ri-ben-torosia"),
])
def test_slug_is_transliterated_ascii_from_the_title(title, slug):
    article, problems = validate(f"title: '{title}'\ndate: 2024-06-25\nauthor: alex\n")
    assert problems == []
    assert article.slug == slug
    assert article.slug.isascii()
    assert article.url == f"2024/06/{slug}/"


def test_slug_is_stable_and_bounded():
    front = f"title: {'word ' * 40}\ndate: 2024-06-25\nauthor: alex\n"
    first, _ = validate(front)
    second, _ = validate(front)
    assert first.slug == second.slug
    assert len(first.slug) <= 80 and not first.slug.endswith("-")


def test_given_slug_wins():
    article, problems = validate(VALID + "slug: my-words-2\n")
    assert problems == [] and article.url == "2024/06/my-words-2/"


@pytest.mark.parametrize("value, hint", [
    ("My Words", "use lowercase letters, digits and hyphens, e.g. `slug: my-words`"),
    ("a/b", "use lowercase letters, digits and hyphens, e.g. `slug: a-b`"),
    ("'---'", "use lowercase letters, digits and hyphens"),
])
def test_bad_slug_suggests_one(value, hint):
    shown = repr(value.strip("'"))
    assert the_problem(VALID + f"slug: {value}\n") == (
        f"{PATH}:5: slug: {shown} is not a URL slug — {hint}")


def test_title_without_letters_needs_a_slug():
    assert the_problem("title: '!!!'\ndate: 2024-06-25\nauthor: alex\n") == (
        f"{PATH}:2: slug: gives an empty URL slug (no letters or digits) — add `slug: "
        "some-words` to choose the article's URL")


@pytest.mark.parametrize("url_format, expected", [
    ("{yyyy}/{mm}/{slug}/", "2024/06/my-slug/"),
    ("{yyyy}/{mm}/{dd}/{slug}/", "2024/06/05/my-slug/"),
    ("news/{slug}/", "news/my-slug/"),
])
def test_url_format(url_format, expected):
    date = datetime(2024, 6, 5, tzinfo=timezone.utc)
    assert article_url(url_format, date, "my-slug") == expected
    article, _ = validate("title: My slug\ndate: 2024-06-05\nauthor: alex\n",
                          settings=Settings(url_format=url_format))
    assert article.url == expected


# -- share ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lines, expected", [
    ("share: yes\n", "5: share: is true/false, not a mapping — write `share:` then indented "
                     "`text:`, `hashtags:` or `networks:`"),
    ("share:\n  txt: Hi\n", "6: share.txt: unknown key — did you mean 'text'?"),
    ("share:\n  networks: [twiter]\n",
     "6: share.networks: unknown network 'twiter' — known: x, facebook, linkedin, reddit, "
     "bluesky, mastodon, whatsapp, telegram, hackernews, email"),
    ("share:\n  networks: [linkedn]\n",
     "6: share.networks: unknown network 'linkedn' — did you mean 'linkedin'?"),
    ("share:\n  networks: x\n",
     "6: share.networks: is a single value, not a list — write a list: share: [x] or one "
     "'- item' per line"),
    ("share:\n  hashtags: ['two words']\n",
     "6: share.hashtags: 'two words' is not a hashtag — use letters, digits and underscores "
     "only"),
    (f"share:\n  text: {'t' * 501}\n",
     "6: share.text: is 501 characters long, over the 500 limit — shorten it"),
])
def test_share_rules(lines, expected):
    assert the_problem(VALID + lines) == f"{PATH}:{expected}"


def test_share_networks_can_be_empty_to_hide_sharing():
    article, problems = validate(VALID + "share:\n  networks: []\n")
    assert problems == [] and article.share.networks == ()


# -- helpers ----------------------------------------------------------------------------------------

def test_did_you_mean():
    assert did_you_mean("autor", ["author", "authors"]) == "did you mean 'author'?"
    assert did_you_mean("zzz", ["author"]) == ""
