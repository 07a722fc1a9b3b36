"""Read one Markdown file into raw front matter, the line of every key, and the body.

Only syntax is judged here; what the values mean is ``validation``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from .problems import ProblemList, kind

MAX_FILE_BYTES = 2_000_000


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps and without aliases.

    Timestamps stay strings so that an impossible date ("2024-02-30") becomes a field error
    with a line number instead of a YAML crash, and so that naive values can be put in the
    site's timezone. Aliases are refused because a few of them expand to a huge document
    ("billion laughs") and no editor needs them in front matter.
    """

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "while reading front matter", None,
                "anchors and aliases (*name) are not allowed", event.start_mark,
            )
        return super().compose_node(parent, index)


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if hasattr(yaml, "CSafeLoader"):
    class _FastFrontMatterLoader(yaml.CSafeLoader):
        """The same rules with libyaml's C parser: about six times faster on valid front
        matter, which is what a site of thousands of articles is made of. Anything unusual
        (an error, an alias) is parsed again by _FrontMatterLoader, whose messages editors
        see, so both parsers always agree on what is accepted."""

    _FastFrontMatterLoader.yaml_implicit_resolvers = _FrontMatterLoader.yaml_implicit_resolvers
else:  # PyYAML built without libyaml
    _FastFrontMatterLoader = None


def _shares_nodes(root) -> bool:
    """True when a node appears twice in the tree: the composer's trace of an alias."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return True
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return False


def _compose_fast(text: str):
    """(node, data) from the C parser, or None when the careful parser must look instead."""
    if _FastFrontMatterLoader is None:
        return None
    if "\t" in text or "\ufeff" in text:
        # libyaml accepts a tab inside a plain value (`title: a<TAB>b`) that PyYAML refuses,
        # and skips a byte-order mark that PyYAML keeps as text: the careful parser decides,
        # so that a site builds the same with or without libyaml.
        return None
    loader = _FastFrontMatterLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and _shares_nodes(node):
            return None
        return node, (loader.construct_document(node) if node is not None else {})
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class RawDocument:
    meta: dict
    lines: dict[str, int] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    has_front_matter: bool = False


def decode(path: str, data: bytes, problems: ProblemList) -> str | None:
    if len(data) > MAX_FILE_BYTES:
        problems.add(None, "file", f"is {len(data):,} bytes, over the {MAX_FILE_BYTES:,} limit",
                     "split the article or move large media out of the Markdown file")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.add(line, "file", f"is not valid UTF-8 (byte {err.start})",
                     "save the file as UTF-8 in your editor")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_document(path: str, data: bytes, problems: ProblemList) -> RawDocument | None:
    """Split and parse one file; report syntax problems and return None when unusable."""
    text = decode(path, data, problems)
    if text is None:
        return None
    if not text.strip():
        problems.add(None, "file", "is empty",
                     "add front matter between '---' lines and the article text, "
                     "or run `broadsheet new \"Title\"`")
        return None
    lines_of_text = text.split("\n")
    if lines_of_text[0].rstrip() != "---":
        return RawDocument(meta={}, body=text, body_line=1, has_front_matter=False)
    closing = next((i for i, line in enumerate(lines_of_text[1:], start=1)
                    if line.rstrip() in ("---", "...")), None)
    if closing is None:
        problems.add(1, "front matter", "is not closed",
                     "end the front matter with a line of three dashes: ---")
        return None
    front = "\n".join(lines_of_text[1:closing])
    body = "\n".join(lines_of_text[closing + 1:])
    body_line = closing + 2
    # `front` starts on the file's second line: YAML's 0-based line + 2 is the file's line.
    parsed = _load_mapping(front, 2, problems, "front matter")
    if parsed is None:
        return None
    meta, lines = parsed
    return RawDocument(meta=meta, lines=lines, body=body, body_line=body_line,
                       has_front_matter=True)


def _load_mapping(text: str, first_line: int, problems: ProblemList,
                  field: str) -> tuple[dict, dict[str, int]] | None:
    """Parse YAML that must be a mapping; return it with the file line of each key.

    Keys of nested mappings are listed as 'parent.child' so that errors deep in a file
    (an author entry, say) still point at the right line.
    """
    fast = _compose_fast(text)
    if fast is not None:
        node, data = fast
    else:
        parsed = _compose_careful(text, first_line, problems, field)
        if parsed is None:
            return None
        node, data = parsed
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.add(first_line, field, f"is {kind(data)}, not a mapping of keys",
                     "write one `key: value` per line, e.g. `title: My article`")
        return None
    lines: dict[str, int] = {}
    _key_lines(node, "", first_line, lines, problems)
    return data, lines


def _compose_careful(text: str, first_line: int, problems: ProblemList, field: str):
    """(node, data) from the pure-Python parser, or None after reporting the problem."""
    try:
        loader = _FrontMatterLoader(text)
    except yaml.reader.ReaderError as err:
        # PyYAML looks for unprintable characters before it parses anything.
        line = text.count("\n", 0, err.position) + first_line
        problems.add(line, field, f"contains the control character U+{err.character:04X}",
                     "delete it (most editors do not show it)")
        return None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + first_line if mark else first_line
        what = err.problem or err.context
        # An unclosed quote fails at the end of the text; where it started is what helps.
        if err.problem and err.context and err.context_mark and mark \
                and err.context_mark.line != mark.line:
            what += f" ({err.context} that starts on line {err.context_mark.line + first_line})"
        problems.add(line, field, f"is not valid YAML: {what}",
                     "check indentation, colons and quotes; a value with ': ' or ' #' in it "
                     "needs quotes")
        return None
    except (yaml.YAMLError, RecursionError) as err:
        problems.add(first_line, field, f"is not valid YAML: {err}", "check the YAML syntax")
        return None
    finally:
        loader.dispose()
    return node, data


def _key_lines(node, prefix: str, first_line: int, lines: dict[str, int],
               problems: ProblemList, depth: int = 0) -> None:
    """Record the file line of every key of nested mappings, as 'parent.child' paths."""
    if not isinstance(node, yaml.MappingNode) or depth > 4:
        return
    for key_node, value_node in node.value:
        key = f"{prefix}{key_node.value}"
        # The keys under a repeated key would all repeat too; its own line is enough.
        if _note_line(lines, key, key_node.start_mark.line + first_line, problems):
            _key_lines(value_node, key + ".", first_line, lines, problems, depth + 1)


def key_label(name: object) -> str:
    """A key as a problem names it: as written, unless it is empty, has spaces around it or
    holds characters a terminal would act on (escapes, newlines, bidi controls); then quoted
    with those characters escaped, so the problem stays one readable line."""
    text = str(name)
    if text and text == text.strip() and text.isprintable():
        return text
    return repr(text)


def _note_line(lines: dict[str, int], key: str, line: int, problems: ProblemList) -> bool:
    """Remember the line of `key`; a key given twice is an error, because PyYAML silently
    keeps the last value and the editor's edit of the first one would do nothing."""
    if key in lines:
        problems.add(line, key_label(key), f"is given twice (first on line {lines[key]})",
                     "keep one of the two lines")
        return False
    lines[key] = line
    return True


def read_yaml_mapping(path: str, data: bytes,
                      problems: ProblemList) -> tuple[dict, dict[str, int]] | None:
    """Read a whole YAML file (such as authors.yml) that must hold a mapping."""
    text = decode(path, data, problems)
    if text is None:
        return None
    if not text.strip():
        problems.add(None, "file", "is empty", "see the README for the file's format")
        return None
    return _load_mapping(text, 1, problems, "file")
