"""The preview's collector pause (idle_gc.py): off during a rebuild, one collection after."""

from __future__ import annotations

import gc
import time

import pytest

from broadsheet.idle_gc import IdleCollector


@pytest.fixture
def collector_state():
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


@pytest.fixture
def collections(collector_state, monkeypatch):
    """The moments gc.collect was called at; the collector starts switched on."""
    collected = []
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(time.monotonic()))
    gc.enable()
    return collected


def started(idle: IdleCollector, collected: list) -> IdleCollector:
    """`idle` after the preview's first build, which is collected at once (nobody waits
    for a reload then, and it leaves the most garbage)."""
    idle.pause()
    idle.resume()
    assert len(collected) == 1 and gc.isenabled()
    collected.clear()
    return idle


def test_the_collector_is_off_during_a_rebuild_and_collects_when_idle(collections):
    collected = collections
    idle = started(IdleCollector(delay=0.05), collected)
    idle.pause()
    assert not gc.isenabled()
    idle.resume()
    # Still off at the end of the rebuild: switched on, it would collect there and then.
    assert not gc.isenabled()
    time.sleep(0.3)
    assert len(collected) == 1
    assert gc.isenabled()  # after the idle collection, as usual


def test_a_rebuild_that_starts_before_the_idle_moment_cancels_the_collection(collections):
    collected = collections
    idle = started(IdleCollector(delay=0.2), collected)
    idle.pause()
    idle.resume()
    idle.pause()  # the next save, before the collection ran
    time.sleep(0.4)
    assert collected == [] and not gc.isenabled()
    idle.stop()
    assert gc.isenabled()  # the preview ends: the collector as it was before
    time.sleep(0.3)
    assert collected == []


def test_a_collector_switched_off_by_someone_else_stays_off(collector_state):
    gc.disable()
    idle = IdleCollector(delay=0.01)
    idle.pause()
    idle.resume()
    assert not gc.isenabled()
    idle.stop()


def test_saves_that_never_leave_an_idle_moment_still_get_collections(collections):
    from broadsheet import idle_gc
    collected = collections
    idle = started(IdleCollector(delay=10), collected)
    for _ in range(idle_gc.MAX_REBUILDS_WITHOUT_COLLECTION - 1):
        idle.pause()
        idle.resume()
    assert collected == [] and not gc.isenabled()
    idle.pause()
    idle.resume()  # the 20th rebuild in a row: collected at its end
    assert len(collected) == 1 and gc.isenabled()
    idle.stop()
