"""`make serve` notices saves through the operating system, not by polling docs/."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import watchdog.events as events
from watchdog.observers.polling import PollingObserver

from broadsheet.mkdocs_watcher import FastObserver, watch_natively


class Recorder(events.FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: list[events.FileSystemEvent] = []
        self.seen = threading.Event()

    def on_any_event(self, event) -> None:
        self.events.append(event)
        self.seen.set()

    def wait(self, timeout: float = 5.0) -> bool:
        found = self.seen.wait(timeout)
        self.seen.clear()
        return found


def started(tmp_path: Path):
    observer = FastObserver(PollingObserver(timeout=0.1))
    recorder = Recorder()
    watch = observer.schedule(recorder, str(tmp_path), recursive=True)
    observer.start()
    time.sleep(0.2)  # the native watch is in place
    return observer, recorder, watch


def test_a_folder_is_watched_natively_and_a_save_is_seen(tmp_path):
    (tmp_path / "articles").mkdir()
    observer, recorder, watch = started(tmp_path)
    try:
        assert watch in observer.native_watches
        (tmp_path / "articles" / "new.md").write_text("# New\n")
        assert recorder.wait(), "the save was not seen"
        assert any(not e.is_directory and e.src_path.endswith("new.md") for e in recorder.events)
    finally:
        observer.stop()
        observer.join()


def test_reading_a_file_does_not_count_as_a_change(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n")
    observer, recorder, _ = started(tmp_path)
    try:
        # A rebuild reads every page: were that a change, each rebuild would start the next.
        page.read_text()
        os.listdir(tmp_path)
        assert not recorder.wait(0.5), recorder.events
    finally:
        observer.stop()
        observer.join()


def test_a_moved_folder_counts_as_a_change_to_a_file(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "a.md").write_text("# A\n")
    observer, recorder, _ = started(tmp_path)
    try:
        (tmp_path / "2024").rename(tmp_path / "2025")
        assert recorder.wait()
        # MkDocs' own handler ignores folder events; ours must hand it a file event.
        assert any(not e.is_directory for e in recorder.events)
    finally:
        observer.stop()
        observer.join()


def test_a_single_file_stays_polled(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n")
    observer = FastObserver(PollingObserver(timeout=0.1))
    watch = observer.schedule(Recorder(), str(config))
    assert watch not in observer.native_watches
    observer.unschedule(watch)


class FakeServer:
    """What watch_natively uses of MkDocs' LiveReloadServer: observer, watch, unwatch."""

    def __init__(self) -> None:
        self.observer = PollingObserver()
        self.watched: dict[str, object] = {}
        self.build_delay = 0.1

    def watch(self, path: str) -> None:
        self.watched[path] = self.observer.schedule(Recorder(), path, recursive=True)

    def unwatch(self, path: str) -> None:
        self.observer.unschedule(self.watched.pop(path))  # KeyError if not watched, as MkDocs


def test_the_server_s_docs_folder_moves_to_a_native_watch(tmp_path):
    server = FakeServer()
    docs = tmp_path / "docs"
    docs.mkdir()
    server.watch(str(docs))
    watch_natively(server, [str(docs)])
    assert isinstance(server.observer, FastObserver)
    assert server.watched[str(docs)] in server.observer.native_watches
    # Saves are reported as they happen: the rebuild need not wait for a burst to end.
    assert server.build_delay <= 0.02
    watch_natively(server, [str(docs)])  # a second call changes nothing
    assert len(server.observer.native_watches) == 1


def test_a_folder_the_server_does_not_watch_is_not_watched_by_us_either(tmp_path):
    server = FakeServer()
    watch_natively(server, [str(tmp_path)])
    assert isinstance(server.observer, FastObserver) and not server.observer.native_watches
    assert server.build_delay == 0.1  # still polled: MkDocs' wait stands
