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
MAX_REBUILDS_WITHOUT_COLLECTION = 20
"""Saves that never leave an idle moment (an editor saving every few tenths of a second)
still get a collection, at the end of every 20th rebuild: cycles do not pile up for ever."""


class IdleCollector:
    """Off from the start of a rebuild until the idle moment after it. Not switched back on
    at the end of the rebuild: switched on with a backlog of allocations, the collector runs
    at once, inside the rebuild's last step, before the preview shows the result."""

    def __init__(self, delay: float = IDLE_DELAY_SECONDS) -> None:
        self.delay = delay
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._held = False  # the collector is off because of us (a rebuild, or until idle)
        self._was_enabled = True
        self._rebuilds_held = 0
        self._first = True

    def pause(self) -> None:
        """A rebuild starts: no collection until it is over and the preview is idle."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if not self._held:
                self._was_enabled = gc.isenabled()
                self._held = True
                self._rebuilds_held = 0
            self._rebuilds_held += 1
            gc.disable()

    def resume(self) -> None:
        """The rebuild is over (or failed): collect in a moment, then as usual."""
        with self._lock:
            if not self._held or self._timer is not None:
                return
            # The preview's first build makes the most garbage, and nobody waits for a
            # reload then; collected at the next idle moment, it would hold up the first
            # saves (a full collection of that heap takes a third of a second at 5,000).
            first, self._first = self._first, False
            if first or self._rebuilds_held >= MAX_REBUILDS_WITHOUT_COLLECTION:
                gc.collect()
                self._release()
                return
            self._timer = threading.Timer(self.delay, self._collect)
            self._timer.daemon = True
            self._timer.start()

    def stop(self) -> None:
        """The preview ends: nothing scheduled, the collector as it was."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            self._release()

    def _release(self) -> None:
        if self._held:
            self._held = False
            if self._was_enabled:
                gc.enable()

    def _collect(self) -> None:
        with self._lock:
            if self._timer is None:
                return  # cancelled: a rebuild started
            self._timer = None
            gc.collect()
            self._release()
