"""The authors file (``docs/authors.yml``): who writes for the publication."""

from __future__ import annotations

from .model import Author
from .problems import ProblemList, kind
from .reader import read_yaml_mapping
from .validation import absolute_http_url, control_character, did_you_mean, image_reference_problem

AUTHOR_KEYS = ("name", "description", "avatar", "url", "links")
_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_.")


def load_authors(path: str, data: bytes | None) -> tuple[dict[str, Author], ProblemList]:
    """Parse the authors file; a missing file means no authors (and articles will say so)."""
    problems = ProblemList(path)
    if data is None:
        return {}, problems
    parsed = read_yaml_mapping(path, data, problems)
    if parsed is None:
        return {}, problems
    top, lines = parsed
    for key in top:
        if key != "authors":
            problems.add(lines.get(str(key)), str(key), "unknown key",
                         "the file has one key, `authors:`, with one entry per author id")
    entries = top.get("authors")
    if entries is None and "authors" in top:
        problems.add(lines.get("authors"), "authors", "is empty",
                     "indent one entry per author id under it, e.g. `  jane: {name: Jane Doe}`")
        return {}, problems
    if entries is None:
        problems.add(1, "authors", "is missing",
                     "start the file with `authors:` and indent one entry per author id")
        return {}, problems
    if not isinstance(entries, dict):
        problems.add(lines.get("authors"), "authors", "is not a mapping of author ids",
                     "write `authors:` then `  jane: {name: Jane Doe, description: ...}`")
        return {}, problems
    authors: dict[str, Author] = {}
    for author_id, entry in entries.items():
        author = _author(str(author_id), entry, lines, problems)
        if author:
            authors[author.id] = author
    return authors, problems


def _author(author_id: str, entry: object, lines: dict[str, int],
            problems: ProblemList) -> Author | None:
    field = f"authors.{author_id}"
    id_line = lines.get(field)

    def add(key: str | None, message: str, hint: str) -> None:
        """Report at the line of `field.key` (the author's id line when YAML has none)."""
        where = f"{field}.{key}" if key else field
        problems.add(lines.get(where, id_line), where, message, hint)

    if not author_id or not set(author_id) <= _ID_CHARS:
        add(None, "is not a valid author id",
                     "use lowercase letters, digits, '-', '_' or '.'")
        return None
    if not isinstance(entry, dict):
        add(None, f"is {kind(entry)}, not a mapping",
            "give at least `name:` and `description:` under the id")
        return None
    before = len(problems)
    for key in entry:
        if key not in AUTHOR_KEYS:
            add(str(key), "unknown key",
                did_you_mean(str(key), AUTHOR_KEYS) or "known: " + ", ".join(AUTHOR_KEYS))

    def text(key: str, required: bool = False, limit: int = 2000) -> str | None:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                add(key, "is missing" if value is None else "is empty", f"add `{key}: ...`")
            return None
        if not isinstance(value, str):
            add(key, f"is {kind(value)}, not text", "write plain text")
            return None
        if control_character(value, allow_newlines=True):
            add(key, "contains a control character", "delete it")
            return None
        if len(value) > limit:
            add(key, f"is over {limit:,} characters", "shorten it")
            return None
        return value.strip()

    name = text("name", required=True, limit=200)
    description = text("description") or ""
    avatar = text("avatar")
    if avatar and (why := image_reference_problem(avatar)):
        add("avatar", why, "use a path inside docs/, e.g. "
            "assets/authors/jane.jpg, or an https:// address")
        avatar = None
    url = text("url")
    if url and (why := absolute_http_url(url)):
        add("url", why, "use a full https:// address")
        url = None
    links: list[tuple[str, str]] = []
    raw_links = entry.get("links")
    if raw_links is not None:
        if not isinstance(raw_links, dict):
            add("links", f"is {kind(raw_links)}, not a mapping",
                "write `links:` then `  Mastodon: https://...` lines")
        else:
            for label, href in raw_links.items():
                if not isinstance(href, str) or (why := absolute_http_url(href)):
                    add(f"links.{label}",
                        why if isinstance(href, str) else f"is {kind(href)}, not text",
                        "use a full https:// address")
                elif control_character(str(label)):
                    add("links", "a label has a control character", "delete it")
                else:
                    links.append((str(label), href))
    if len(problems) > before or not name:
        return None
    return Author(id=author_id, name=name, description=description, avatar=avatar, url=url,
                  links=tuple(links))
