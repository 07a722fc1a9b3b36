"""authors: reading docs/authors.yml into Author records, or into precise problems."""

from __future__ import annotations

import pytest

from broadsheet.authors import load_authors
from broadsheet.model import Author

FILE = "authors.yml"


def load(text: str):
    authors, problems = load_authors(FILE, text.encode())
    return authors, [str(p) for p in problems]


def the_problem(text: str) -> str:
    authors, problems = load(text)
    assert len(problems) == 1, problems
    return problems[0]


def test_full_entry():
    authors, problems = load(
        "# comment\n"
        "authors:\n"
        "  alex:\n"
        "    name: Alex Morgan\n"
        "    description: >-\n      Editor. Reads the\n      world's press.\n"
        "    avatar: assets/authors/alex.svg\n"
        "    url: https://example.org/alex\n"
        "    links:\n      Mastodon: https://mastodon.social/@alex\n"
        "      Site: https://alex.example\n"
        "  priya:\n    name: Priya Raman\n")
    assert problems == []
    assert authors == {
        "alex": Author(id="alex", name="Alex Morgan", description="Editor. Reads the world's press.",
                       avatar="assets/authors/alex.svg", url="https://example.org/alex",
                       links=(("Mastodon", "https://mastodon.social/@alex"),
                              ("Site", "https://alex.example"))),
        "priya": Author(id="priya", name="Priya Raman"),
    }


def test_missing_file_means_no_authors_and_no_problem():
    authors, problems = load_authors(FILE, None)
    assert authors == {} and list(problems) == []


@pytest.mark.parametrize("text, expected", [
    ("", "authors.yml: file: is empty — see the README for the file's format"),
    ("authors:\n", "authors.yml:1: authors: is empty — indent one entry per author id under "
                   "it, e.g. `  jane: {name: Jane Doe}`"),
    ("authors: [alex]\n", "authors.yml:1: authors: is not a mapping of author ids — write "
                          "`authors:` then `  jane: {name: Jane Doe, description: ...}`"),
    ("- alex\n", "authors.yml:1: file: is a list, not a mapping of keys — write one "
                 "`key: value` per line, e.g. `title: My article`"),
    ("authors:\n  Alex Morgan:\n    name: A\n",
     "authors.yml:2: authors.Alex Morgan: is not a valid author id — use lowercase letters, "
     "digits, '-', '_' or '.'"),
    ("authors:\n  alex: Alex Morgan\n",
     "authors.yml:2: authors.alex: is text, not a mapping — give at least `name:` and "
     "`description:` under the id"),
    ("authors:\n  alex:\n    description: Editor\n",
     "authors.yml:2: authors.alex.name: is missing — add `name: ...`"),
    ("authors:\n  alex:\n    name: ''\n", "authors.yml:3: authors.alex.name: is empty — add "
                                         "`name: ...`"),
    ("authors:\n  alex:\n    name: 42\n", "authors.yml:3: authors.alex.name: is a number, not "
                                         "text — write plain text"),
    ("authors:\n  alex:\n    name: A\n    nmae: B\n",
     "authors.yml:4: authors.alex.nmae: unknown key — did you mean 'name'?"),
    ("authors:\n  alex:\n    name: A\n    twitter: x\n",
     "authors.yml:4: authors.alex.twitter: unknown key — known: name, description, avatar, "
     "url, links"),
    ("authors:\n  alex:\n    name: A\n    avatar: /img/a.png\n",
     "authors.yml:4: authors.alex.avatar: must be a path inside docs/ without '/' at the start "
     "or '..' — use a path inside docs/, e.g. assets/authors/jane.jpg, or an https:// address"),
    ("authors:\n  alex:\n    name: A\n    url: alex.example\n",
     "authors.yml:4: authors.alex.url: must start with https:// or http:// (got "
     "'alex.example') — use a full https:// address"),
    ("authors:\n  alex:\n    name: A\n    links: [https://x.org]\n",
     "authors.yml:4: authors.alex.links: is a list, not a mapping — write `links:` then "
     "`  Mastodon: https://...` lines"),
    ("authors:\n  alex:\n    name: A\n    links:\n      Mastodon: '@alex'\n",
     "authors.yml:5: authors.alex.links.Mastodon: must start with https:// or http:// (got "
     "'@alex') — use a full https:// address"),
    ("authors:\n  alex:\n    name: A\n    links:\n      Mastodon: 5\n",
     "authors.yml:5: authors.alex.links.Mastodon: is a number, not text — use a full https:// "
     "address"),
    ("authors:\n  alex:\n    name: \"A\\u0007\"\n",
     "authors.yml:3: authors.alex.name: contains a control character — delete it"),
    (f"authors:\n  alex:\n    name: {'n' * 201}\n",
     "authors.yml:3: authors.alex.name: is over 200 characters — shorten it"),
    ("authors:\n  alex:\n    name: A\n  alex:\n    name: B\n",
     "authors.yml:4: authors.alex: is given twice (first on line 2) — keep one of the two "
     "lines"),
    ("authors:\n  alex: {name: [A\n",
     "authors.yml:3: file: is not valid YAML: expected ',' or ']', but got '<stream end>' "
     "(while parsing a flow sequence that starts on line 2) — check indentation, colons and quotes; a value "
     "with ': ' or ' #' in it needs quotes"),
])
def test_authors_file_problems(text, expected):
    assert the_problem(text) == expected


def test_an_invalid_entry_is_left_out_and_the_others_kept():
    authors, problems = load("authors:\n  alex:\n    name: A\n    url: nope\n"
                             "  priya:\n    name: Priya\n")
    assert list(authors) == ["priya"]
    assert len(problems) == 1 and problems[0].startswith("authors.yml:4: authors.alex.url:")


def test_wrong_top_key():
    authors, problems = load("people:\n  alex:\n    name: A\n")
    assert authors == {}
    assert problems == [
        "authors.yml:1: people: unknown key — the file has one key, `authors:`, with one entry "
        "per author id",
        "authors.yml:1: authors: is missing — start the file with `authors:` and indent one "
        "entry per author id"]


def test_undecodable_authors_file():
    data = b"authors:\n  alex:\n    name: \xff\n"
    authors, problems = load_authors(FILE, data)
    offset = data.index(b"\xff")
    assert authors == {}
    assert [str(p) for p in problems] == [
        f"authors.yml:3: file: is not valid UTF-8 (byte {offset}) — save the file as UTF-8 in your "
        "editor"]
