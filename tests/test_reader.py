"""reader: splitting a Markdown file into front matter (with key lines) and body."""

from __future__ import annotations

import pytest

from broadsheet.problems import ProblemList
from broadsheet.reader import MAX_FILE_BYTES, read_document, read_yaml_mapping

PATH = "articles/x.md"


def read(data: str | bytes):
    problems = ProblemList(PATH)
    raw = read_document(PATH, data.encode() if isinstance(data, str) else data, problems)
    return raw, [str(p) for p in problems]


def test_splits_front_matter_and_body_with_key_lines():
    raw, problems = read("---\ntitle: Hello\ndate: 2024-06-25\nsource:\n  name: X\n"
                         "  url: https://x.org/a\n---\n\nBody **text**.\n")
    assert problems == []
    assert raw.has_front_matter
    assert raw.meta["title"] == "Hello"
    assert raw.lines["title"] == 2
    assert raw.lines["date"] == 3
    assert raw.lines["source"] == 4
    assert raw.lines["source.url"] == 6
    assert raw.body.strip() == "Body **text**."
    assert raw.body_line == 8


def test_dates_stay_strings_so_validation_can_judge_them():
    raw, _ = read("---\ndate: 2024-02-30\nupdated: 2024-06-25 10:00\n---\n")
    assert raw.meta == {"date": "2024-02-30", "updated": "2024-06-25 10:00"}


def test_dots_close_front_matter_too():
    raw, problems = read("---\ntitle: Hello\n...\nBody\n")
    assert problems == [] and raw.meta == {"title": "Hello"} and raw.body == "Body\n"


@pytest.mark.parametrize("data", [
    "\ufeff---\ntitle: Hello\n---\nBody\n",
    "---\r\ntitle: Hello\r\n---\r\nBody\r\n",
    "---\rtitle: Hello\r---\rBody\r",
], ids=["bom", "crlf", "cr"])
def test_byte_order_mark_and_windows_line_ends_are_accepted(data):
    raw, problems = read(data)
    assert problems == []
    assert raw.meta == {"title": "Hello"}
    assert raw.body == "Body\n"


def test_file_without_front_matter_is_handed_on_for_validation_to_reject():
    raw, problems = read("# Just Markdown\n")
    assert problems == [] and not raw.has_front_matter and raw.meta == {}


@pytest.mark.parametrize("data", ["", "  \n\n\t\n", "\ufeff"])
def test_empty_file(data):
    raw, problems = read(data)
    assert raw is None
    assert problems == [f"{PATH}: file: is empty — add front matter between '---' lines and "
                        "the article text, or run `broadsheet new \"Title\"`"]


def test_undecodable_file_names_the_line_of_the_bad_byte():
    data = b"---\ntitle: ok\nauthor: \xe9\xff\n---\n"
    raw, problems = read(data)
    assert raw is None
    offset = data.index(b"\xe9")
    assert problems == [f"{PATH}:3: file: is not valid UTF-8 (byte {offset}) — save the file as "
                        "UTF-8 in your editor"]


def test_oversized_file_is_refused_before_parsing():
    raw, problems = read(b"---\ntitle: x\n---\n" + b"a" * MAX_FILE_BYTES)
    assert raw is None
    assert len(problems) == 1 and "file: is " in problems[0] and "limit" in problems[0]


def test_unclosed_front_matter():
    raw, problems = read("---\ntitle: Hello\n\nBody with no closing line\n")
    assert raw is None
    assert problems == [f"{PATH}:1: front matter: is not closed — end the front matter with a "
                        "line of three dashes: ---"]


def test_yaml_syntax_error_points_at_the_offending_line():
    raw, problems = read("---\ntitle: Hello\ndate: 2024-06-25\nexcerpt: Japan: a view\n---\n")
    assert raw is None
    assert problems == [f"{PATH}:4: front matter: is not valid YAML: mapping values are not "
                        "allowed here — check indentation, colons and quotes; a value with "
                        "': ' or ' #' in it needs quotes"]


def test_unclosed_quote_says_where_the_quote_started():
    _, problems = read('---\ntitle: "Hello\ndate: 2024-06-25\nauthor: alex\n---\n')
    assert len(problems) == 1
    assert problems[0].startswith(f"{PATH}:4: front matter: is not valid YAML: ")
    assert "starts on line 2" in problems[0]


def test_tab_indentation_is_a_syntax_error_not_a_traceback():
    _, problems = read("---\ntitle: Hello\n\tauthor: alex\n---\n")
    assert len(problems) == 1 and problems[0].startswith(f"{PATH}:3: front matter: is not valid")


def test_aliases_are_refused():
    _, problems = read("---\ntags: &t [a, b]\nmore: *t\n---\n")
    assert len(problems) == 1
    assert problems[0].startswith(f"{PATH}:3: front matter: is not valid YAML: anchors and "
                                  "aliases (*name) are not allowed")


def test_python_tags_are_refused():
    _, problems = read("---\ntitle: !!python/object/apply:os.system [ls]\n---\n")
    assert len(problems) == 1 and "could not determine a constructor" in problems[0]


@pytest.mark.parametrize("front, what", [
    ("- a\n- b", "a list"), ("just text", "text"), ("42", "a number"),
])
def test_front_matter_must_be_a_mapping(front, what):
    raw, problems = read(f"---\n{front}\n---\n")
    assert raw is None
    assert problems == [f"{PATH}:2: front matter: is {what}, not a mapping of keys — write one "
                        "`key: value` per line, e.g. `title: My article`"]


def test_empty_front_matter_is_an_empty_mapping():
    raw, problems = read("---\n---\nBody\n")
    assert problems == [] and raw.meta == {} and raw.has_front_matter


def test_key_given_twice_is_reported_at_the_second_line():
    raw, problems = read("---\ntitle: First\ndate: 2024-06-25\ntitle: Second\n---\n")
    assert raw is not None  # validation still reports the rest of the file
    assert problems == [f"{PATH}:4: title: is given twice (first on line 2) — keep one of "
                        "the two lines"]


def test_nested_key_given_twice():
    _, problems = read("---\nsource:\n  name: A\n  name: B\n---\n")
    assert problems == [f"{PATH}:4: source.name: is given twice (first on line 3) — keep one "
                        "of the two lines"]


def test_yaml_file_reader_counts_lines_from_one():
    problems = ProblemList("authors.yml")
    parsed = read_yaml_mapping("authors.yml", b"# comment\nauthors:\n  alex:\n    name: A\n",
                               problems)
    data, lines = parsed
    assert problems == []
    assert lines == {"authors": 2, "authors.alex": 3, "authors.alex.name": 4}
    assert data == {"authors": {"alex": {"name": "A"}}}


def test_yaml_file_reader_reports_empty_and_broken_files():
    problems = ProblemList("authors.yml")
    assert read_yaml_mapping("authors.yml", b"\n", problems) is None
    assert read_yaml_mapping("authors.yml", b"authors:\n  alex: [\n", problems) is None
    assert [p.field for p in problems] == ["file", "file"]
    assert problems[0].message == "is empty"
    assert problems[1].message.startswith("is not valid YAML")
