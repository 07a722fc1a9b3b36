#!/usr/bin/env python3
"""Write a deterministic corpus of Broadsheet articles: for tests and the benchmark.

    python scripts/generate_corpus.py DOCS_DIR --articles 1000 [--seed 0] [--now 2026-11-27]

writes DOCS_DIR/authors.yml and DOCS_DIR/articles/<yyyy>/<mm>/<slug>.md. The same arguments
always give the same bytes. About one article in twelve is a draft and one in fifteen is
scheduled (dated after --now): build with BROADSHEET_NOW set to the same --now so that they
stay held back. Published articles are spread over the years before --now, several a month.

The mix exercises what listings and pages must handle: several authors (some articles by
two), tags written in different cases ('Energy'/'energy') and with symbols ('C++', 'C#'),
sourced articles and the editor's own, `excerpt:`, `<!-- more -->`, Markdown in the first
paragraph, and characters that need escaping in titles.

`generate_corpus()` returns the manifest (one dict per article) for tests to check against.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

AUTHORS = {
    "alex": ("Alex Morgan", "Editor. Reads the world's press so you don't have to."),
    "priya": ("Priya Raman", "Covers energy, trade and the technology that moves both."),
    "tomas": ("Tomás Ferreira", "Writes about cities, transport & the people in them."),
    "mei": ("Mei Lin", "Science and health, from the lab to the clinic."),
    "kofi": ("Kofi Mensah", "Markets, money and the machinery of central banks."),
    "sara": ("Sara O'Neill", "Culture, media and the business of attention."),
    # Writes only drafts and scheduled pieces: must not appear anywhere in a build.
    "guest": ("Gwendolyn Unpublished", "A guest writer whose first piece is not out yet."),
}
REGULAR_AUTHORS = [a for a in AUTHORS if a != "guest"]

TAGS = ["Energy", "energy", "Russia", "Japan", "trade", "Arctic", "shipping", "climate",
        "cities", "transport", "health", "science", "markets", "central banks", "media",
        "C++", "C#", "AI", "Europe", "Asia", "elections", "food", "water", "space"]
SUBJECTS = ["Ports", "Grid operators", "Central banks", "Small towns", "Arctic routes",
            "Vaccine makers", "Rail networks", "Fishing fleets", "Chip makers", "Newsrooms",
            "Water utilities", "Space agencies", "Farmers", "Regulators", "Voters"]
VERBS = ["rethink", "bet on", "struggle with", "quietly reshape", "learn from", "fall behind on",
         "race towards", "pay for", "argue over", "rediscover"]
OBJECTS = ["cheap power", "the next decade", "old alliances", "a warmer sea", "open data",
           "rising rates", "their own history", "the long commute", "local news",
           "a crowded orbit", "supply chains", "the price of bread"]
SOURCES = [("The Asia Times", "https://asiatimes.example.com"),
           ("Energy Desk", "https://energydesk.example.org"),
           ("The Harbour Review", "https://harbour.example.net"),
           ("Le Monde & Co", "https://lemonde.example.fr")]
SENTENCES = [
    "The numbers tell a story that the headlines missed.",
    "Officials say the change was years in the making, though few outside noticed.",
    "What looks like a local decision has consequences far beyond the region.",
    "Critics argue the plan moves too fast; supporters say it is already late.",
    "The data, published last week, show a sharper shift than anyone forecast.",
    "For readers in a hurry, the short version is this: costs fall, risks move.",
    "It is a reminder that the dull parts of policy are often the decisive ones.",
]

DEFAULT_NOW = "2026-11-27"


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def _status(index: int) -> str:
    if index % 12 == 5:
        return "draft"
    if index % 15 == 7:
        return "scheduled"
    return "published"


def _article(index: int, count: int, rng: random.Random, now: datetime) -> tuple[dict, str]:
    status = _status(index)
    title = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, report {index}"
    if index % 9 == 0:
        title = f"Q&A: “{title}” <and> why it matters"  # needs escaping everywhere
    if status == "published":
        # Spread over ~3 years before `now`, newest first by index, with a little jitter.
        hours = int((index + 1) * (3 * 365 * 24) / max(count, 1)) + rng.randrange(0, 5)
        date = now - timedelta(hours=hours)
    elif status == "scheduled":
        date = now + timedelta(days=3 + index % 400, hours=rng.randrange(0, 24))
    else:
        date = now - timedelta(days=rng.randrange(0, 400), hours=rng.randrange(0, 24))
    if status != "published" and index % 2:
        authors = ["guest"]
    elif index % 7 == 3:
        authors = rng.sample(REGULAR_AUTHORS, 2)
    else:
        authors = [REGULAR_AUTHORS[index % len(REGULAR_AUTHORS)]]
    tags = sorted(set(rng.sample(TAGS, rng.randrange(1, 5))), key=TAGS.index)
    source = SOURCES[index % len(SOURCES)] if index % 3 else None

    lines = ["---", f"title: {_quote(title)}", f"date: {date:%Y-%m-%d %H:%M}"]
    lines.append(f"author: {authors[0]}" if len(authors) == 1 else
                 f"authors: [{', '.join(authors)}]")
    lines.append(f"tags: [{', '.join(_quote(t) for t in tags)}]")
    if status == "draft":
        lines.append("draft: true")
    if source:
        name, site = source
        lines += ["source:", f"  name: {_quote(name)}",
                  f"  url: {site}/{date:%Y/%m}/story-{index}"]
    if index % 5 == 1:
        lines.append(f"excerpt: {_quote(f'A short, hand-written summary of report {index}.')}")
    lines.append("---")

    first = _paragraph(rng, 2)
    if index % 4 == 2:
        # Markdown a card must strip: strong, a link, emphasis.
        first = f"**In short:** [the report](https://example.org/r/{index}) says _this_. " + first
    body = [first, ""]
    if index % 6 == 4:
        body += ["<!-- more -->", ""]
    if source:
        body += [f"{source[0]} reports:", "", "> " + _paragraph(rng, 3), ""]
    body += ["## Why it matters", "", _paragraph(rng, 4), "", _paragraph(rng, 3), ""]
    text = "\n".join(lines) + "\n\n" + "\n".join(body)
    entry = {"index": index, "title": title, "date": date.isoformat(), "authors": authors,
             "tags": tags, "status": status, "source": source[0] if source else None}
    return entry, text


def _authors_yml() -> str:
    lines = ["authors:"]
    for author_id, (name, description) in AUTHORS.items():
        lines += [f"  {author_id}:", f"    name: {_quote(name)}",
                  f"    description: {_quote(description)}"]
    return "\n".join(lines) + "\n"


def generate_corpus(docs_dir: Path, count: int, seed: int = 0,
                    now: str = DEFAULT_NOW) -> list[dict]:
    """Write `count` articles and authors.yml into docs_dir; return the manifest.

    Each manifest entry: index, title, date (ISO), authors, tags (as written), status
    ('published', 'draft' or 'scheduled' relative to `now`), source (name or None), path.
    """
    rng = random.Random(seed)
    moment = datetime.fromisoformat(now)
    docs_dir = Path(docs_dir)
    (docs_dir / "articles").mkdir(parents=True, exist_ok=True)
    (docs_dir / "authors.yml").write_text(_authors_yml(), encoding="utf-8")
    manifest = []
    for index in range(count):
        entry, text = _article(index, count, rng, moment)
        relative = f"articles/{entry['date'][:4]}/{entry['date'][5:7]}/report-{index:05d}.md"
        path = docs_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        entry["path"] = relative
        manifest.append(entry)
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs_dir", type=Path, help="the docs folder to write into")
    parser.add_argument("--articles", type=int, default=100, help="how many (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--now", default=DEFAULT_NOW,
                        help=f"the build's 'now' (BROADSHEET_NOW), default {DEFAULT_NOW}")
    parser.add_argument("--manifest", type=Path, help="also write the manifest as JSON here")
    args = parser.parse_args(argv)
    manifest = generate_corpus(args.docs_dir, args.articles, args.seed, args.now)
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    published = sum(1 for e in manifest if e["status"] == "published")
    print(f"wrote {len(manifest)} articles ({published} published) to {args.docs_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
