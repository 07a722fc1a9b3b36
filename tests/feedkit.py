"""Checks shared by the feed tests: every feed must parse strictly and validate.

- XML feeds: `xml.etree.ElementTree.fromstring` (strict XML 1.0) and feedparser with no
  `bozo` (feedparser's flag for anything it had to forgive).
- JSON Feed: the JSON Feed 1.1 schema in fixtures/ (written from jsonfeed.org/version/1.1),
  with our own checkers for `date-time` (RFC 3339) and `uri` (absolute), because jsonschema
  skips formats whose optional libraries are not installed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import jsonschema

SCHEMA = Path(__file__).parent / "fixtures" / "jsonfeed-1.1.schema.json"
RFC3339_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

_format_checker = jsonschema.FormatChecker(formats=())


@_format_checker.checks("date-time")
def _is_rfc3339(value) -> bool:
    if not isinstance(value, str) or not RFC3339_RE.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises on 2014-02-30
    return True


@_format_checker.checks("uri")
def _is_absolute_uri(value) -> bool:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        return False
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme == "mailto")


@cache
def json_feed_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=_format_checker)


def check_json_feed(data: bytes) -> dict:
    document = json.loads(data.decode("utf-8"))
    errors = sorted(json_feed_validator().iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    return document


def check_xml_feed(data: bytes):
    """Parse strictly, then with feedparser; returns (root element, feedparser result)."""
    root = ET.fromstring(data)
    parsed = feedparser.parse(data)
    assert not parsed.bozo, f"feedparser: {parsed.get('bozo_exception')!r}"
    return root, parsed


def check_feed(path_or_name: str, data: bytes):
    if path_or_name.endswith(".json"):
        return check_json_feed(data)
    return check_xml_feed(data)
