"""Keep Python's cyclic garbage collector out of a preview's rebuilds.

A preview holds a big heap between saves (thousands of parsed articles, listing views, MkDocs'
pages). A rebuild allocates many new objects, which makes the collector walk that whole heap
again and again: a quarter of a second per rebuild at 5,000 articles, measured. So during a
rebuild the collector is paused, and it runs once when the preview is idle (a moment after the
rebuild, unless the next one has already started). Reference counting still frees almost
everything at once; only cycles wait for that idle moment.
"""

from __future__ import annotations

import gc
import threading

IDLE_DELAY_SECONDS = 0.5


class IdleCollector:
    def __init__(self, delay: float = IDLE_DELAY_SECONDS) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._paused = False
        self._was_enabled = True

    def pause(self) -> None:
        """A rebuild starts: no collection until it is over."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not self._paused:
                self._was_enabled = gc.isenabled()
                self._paused = True
            gc.disable()

    def resume(self) -> None:
        """The rebuild is over (or failed): collect soon, then as usual."""
        with self._lock:
            if not self._paused:
                return
            self._paused = False
            if self._was_enabled:
                gc.enable()
            self._timer = threading.Timer(self.delay, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        """The preview ends: nothing scheduled, the collector as it was."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._paused:
                self._paused = False
                if self._was_enabled:
                    gc.enable()

    def _collect(self) -> None:
        with self._lock:
            if self._paused or self._timer is None:
                return
            self._timer = None
        gc.collect()
