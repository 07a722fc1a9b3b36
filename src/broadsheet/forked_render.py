"""Do part of a build's page work in a forked child process while the build does the rest.

A full build converts every article's Markdown, then renders every page's template, in one
Python process, on one core; the machine's other core idles until Pagefind starts (once the
last article page is written). The adapter forks a child twice: when the pages are known
(MkDocs' `nav` event) to convert part of the articles' Markdown, and when everything a
template needs is known (`env`) to render 55% of the article pages. MkDocs then takes the
child's result for those pages instead of doing the work itself. A first build forks one
more child, once the articles are read, to draw their share cards.

The child is a copy of the build at that moment (fork), so it produces exactly what the build
would have: same data, same templates, same hash seed. Whatever goes wrong in the child (an
exception, a warning logged, the child dying) makes `output()` return None for the pages
concerned, and the caller does those itself, where the error or warning is reported as usual
(and counts for --strict); what the child logged below warnings (MkDocs' notes on links, say)
is logged by the parent when it takes the page. Nothing here knows MkDocs: `render(key)`
does the work and returns any picklable value.

POSIX only (os.fork); elsewhere `available()` is False and the build does everything.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Sequence


def available() -> bool:
    return hasattr(os, "fork")


def usable_cores() -> int:
    """Cores this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _ChildLog(logging.Handler):
    """In the child: keeps what rendering a page logged, for the parent to log in its place
    (the child prints nothing). A warning makes the parent render the page itself, so that
    the warning is logged where --strict counts it."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[tuple[str, int, str]] = []
        self.warned = False

    def emit(self, record: logging.LogRecord) -> None:
        self.warned = self.warned or record.levelno >= logging.WARNING
        self.records.append((record.name, record.levelno, record.getMessage()))

    def take(self) -> tuple[bool, list[tuple[str, int, str]]]:
        taken = self.warned, self.records
        self.warned, self.records = False, []
        return taken


class ForkedRenderer:
    """The child writes each page's HTML to a file, in order, and after each one a byte to a
    pipe: the parent takes a page as soon as it is ready, while the child goes on with the
    next ones (MkDocs must write the last article page before Pagefind can start)."""

    def __init__(self, keys: Sequence[str], render: Callable[[str], object],
                 loggers: Sequence[str] = ("mkdocs",)) -> None:
        """Start the child at once: it renders `keys` in this order with `render`."""
        self.keys = list(keys)
        self._results: dict[str, tuple] = {}
        self._pid: int | None = None
        self._reader = None
        self._ready = None
        descriptor, path = tempfile.mkstemp(prefix="broadsheet-rendered-")
        ready_read, ready_write = os.pipe()
        # The child only reads the build's objects: frozen, the collector leaves them (and the
        # memory pages they sit on) alone, so the copy-on-write fork copies little.
        gc.freeze()
        try:
            pid = os.fork()
        except OSError:
            gc.unfreeze()
            for fd in (descriptor, ready_read, ready_write):
                os.close(fd)
            os.unlink(path)
            return
        if pid == 0:  # the child
            status = 1
            try:
                os.close(ready_read)
                # The collector stays on: it walks only what the child makes (the build's
                # objects are frozen), and without it the cyclic garbage of rendering half the
                # site piled up (5,000 articles: the child grew to 233 MB, the build 165 MB).
                child_log = _ChildLog()
                for name in loggers:
                    logger = logging.getLogger(name)
                    logger.handlers = [child_log]
                    logger.propagate = False
                with os.fdopen(descriptor, "wb") as out:
                    for key in self.keys:
                        try:
                            result = render(key)
                        except Exception:
                            result = None
                        warned, records = child_log.take()
                        if warned or result is None:
                            result, records = None, []
                        pickle.dump((key, result, records), out, protocol=5)
                        out.flush()
                        os.write(ready_write, b".")
                status = 0
            finally:
                os._exit(status)
        gc.unfreeze()
        os.close(descriptor)
        os.close(ready_write)
        self._pid = pid
        self._reader = open(path, "rb")
        os.unlink(path)  # the open file stays readable; nothing is left behind
        self._ready = os.fdopen(ready_read, "rb", buffering=0)

    def output(self, key: str) -> object | None:
        """The child's result for `key`, once it is ready, after logging here what the child
        logged while making it; None: render it yourself."""
        if key in self._results:
            return self._replay(*self._results.pop(key))
        while self._reader is not None:
            if not self._ready.read(1):  # the child ended without this page
                self.close()
                break
            try:
                found, result, records = pickle.load(self._reader)
            except (EOFError, pickle.UnpicklingError, ValueError):
                self.close()
                break
            if found == key:
                return self._replay(result, records)
            self._results[found] = (result, records)
        return None

    @staticmethod
    def _replay(result: object, records: list[tuple[str, int, str]]) -> object:
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        return result

    def close(self) -> None:
        """Stop the child if it is still running; idempotent."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(self._pid, 0)
            except ChildProcessError:
                pass
            self._pid = None
        for handle in (self._reader, self._ready):
            if handle is not None:
                handle.close()
        self._reader = self._ready = None
