"""`mkdocs serve` notices a save at once: part of the MkDocs adapter.

MkDocs 1.6 watches files by polling: every 0.5 s it lists and stats every file under docs/.
On a site of thousands of articles one poll takes a good part of a second of the one Python
process that also rebuilds and serves, and a save waits for the next poll, so the editor's
loop (save → reloaded page) spent more time noticing the save than rebuilding.

`FastObserver` takes the place of MkDocs' observer (`LiveReloadServer.observer`, a public
attribute) from `on_serve`: folders are watched by the operating system's notifications
(inotify on Linux, FSEvents on macOS), a single file such as mkdocs.yml stays polled (an
editor that saves by renaming would end a native watch on the file itself). Only writes
count: native watchers also report files being opened and read, which would make every
rebuild, reading docs/, start the next one. If native watching is unavailable (no inotify
watches left, a network file system), the folder stays polled, as in plain MkDocs.
"""

from __future__ import annotations

import logging
import os

import watchdog.events as events
import watchdog.observers

log = logging.getLogger("mkdocs.plugins.broadsheet")

NATIVE_BUILD_DELAY = 0.02
"""Seconds without a new change before a rebuild starts, when docs/ is watched natively."""

WRITE_EVENTS = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent,
                events.FileMovedEvent, events.FileClosedEvent, events.DirCreatedEvent,
                events.DirDeletedEvent, events.DirMovedEvent]


class _FolderChanges(events.FileSystemEventHandler):
    """Passes file events on; a folder created, deleted or moved counts as a file change
    too (MkDocs' handler ignores folder events, but the articles inside moved with it)."""

    def __init__(self, handler: events.FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: events.FileSystemEvent) -> None:
        if event.is_directory:
            if isinstance(event, events.DirModifiedEvent):
                return
            event = events.FileModifiedEvent(event.src_path)
        self.handler.dispatch(event)


class FastObserver:
    """Native watches for folders, the polling observer MkDocs made for everything else."""

    def __init__(self, polling) -> None:
        self.polling = polling
        self.native = watchdog.observers.Observer()
        self.native_watches: set = set()

    def schedule(self, event_handler, path, *, recursive: bool = False, **options):
        if os.path.isdir(path):
            try:
                watch = self.native.schedule(_FolderChanges(event_handler), path,
                                             recursive=recursive, event_filter=WRITE_EVENTS)
            except OSError as err:
                log.info(f"broadsheet: watching {path} by polling ({err})")
            else:
                self.native_watches.add(watch)
                return watch
        return self.polling.schedule(event_handler, path, recursive=recursive, **options)

    def unschedule(self, watch) -> None:
        if watch in self.native_watches:
            self.native_watches.discard(watch)
            self.native.unschedule(watch)
        else:
            self.polling.unschedule(watch)

    def start(self) -> None:
        self.native.start()
        self.polling.start()

    def stop(self) -> None:
        self.native.stop()
        self.polling.stop()

    def join(self, timeout: float | None = None) -> None:
        self.native.join(timeout)
        self.polling.join(timeout)


def watch_natively(server, watched_folders: list[str]) -> None:
    """Put MkDocs' server on a FastObserver, moving the folders it already watches."""
    if isinstance(server.observer, FastObserver):
        return
    moved = []
    for folder in (os.path.abspath(path) for path in watched_folders if os.path.isdir(path)):
        try:
            server.unwatch(folder)
        except KeyError:  # not watched (no live reload): nothing to move
            continue
        moved.append(folder)
    server.observer = FastObserver(server.observer)
    for folder in moved:
        server.watch(folder)
    if moved:
        # MkDocs waits for a quiet spell after a change before rebuilding (0.1 s), made for
        # polls that report a burst of saves at once. A native watch reports each save as
        # it happens, and one save is over within milliseconds.
        server.build_delay = min(getattr(server, "build_delay", NATIVE_BUILD_DELAY),
                                 NATIVE_BUILD_DELAY)
