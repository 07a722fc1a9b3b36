"""forked_render: pages rendered by a forked child, handed over in order, and every way the
child can fail turns into "render it yourself" (None) rather than a wrong page."""

from __future__ import annotations

import logging
import os
import signal

import pytest

from broadsheet import forked_render
from broadsheet.forked_render import ForkedRenderer

pytestmark = pytest.mark.skipif(not forked_render.available(), reason="needs os.fork")


def test_the_child_renders_each_page_and_the_parent_takes_them_in_any_order():
    pages = [f"page-{n}" for n in range(50)]
    renderer = ForkedRenderer(pages, lambda key: f"<html>{key} from {os.getpid()}</html>")
    try:
        parent = os.getpid()
        last = renderer.output("page-49")  # later pages first: earlier ones are kept
        assert last.startswith("<html>page-49 from ") and str(parent) not in last
        assert [renderer.output(p).split(" from ")[0] for p in pages[:49]] == [
            f"<html>{p}" for p in pages[:49]]
        assert renderer.output("never-asked") is None
    finally:
        renderer.close()
    renderer.close()  # idempotent


def test_a_page_that_fails_or_warns_in_the_child_is_left_to_the_parent():
    def render(key: str) -> str:
        if key == "broken":
            raise ValueError("a template error")
        if key == "warns":
            logging.getLogger("mkdocs.test").warning("a link to nowhere")
        return f"<p>{key}</p>"

    renderer = ForkedRenderer(["fine", "broken", "warns", "after"], render)
    try:
        assert renderer.output("fine") == "<p>fine</p>"
        assert renderer.output("broken") is None
        assert renderer.output("warns") is None  # the parent renders it and logs the warning
        assert renderer.output("after") == "<p>after</p>"
    finally:
        renderer.close()


def test_a_child_that_dies_leaves_every_page_it_did_not_finish_to_the_parent():
    def render(key: str) -> str:
        if key == "fatal":
            os.kill(os.getpid(), signal.SIGKILL)
        return key

    renderer = ForkedRenderer(["one", "fatal", "three"], render)
    try:
        assert renderer.output("one") == "one"
        assert renderer.output("fatal") is None
        assert renderer.output("three") is None
    finally:
        renderer.close()


def test_the_child_never_writes_to_the_parent_s_log(capfd):
    logger = logging.getLogger("mkdocs.test")
    renderer = ForkedRenderer(["x"], lambda key: logger.warning("from the child") or key)
    try:
        assert renderer.output("x") is None
    finally:
        renderer.close()
    assert "from the child" not in capfd.readouterr().err


def test_what_the_child_logs_below_warnings_is_logged_by_the_parent(caplog):
    logger = logging.getLogger("mkdocs.test")

    def render(key: str) -> str:
        logger.info(f"a note about {key}")
        return key

    with caplog.at_level(logging.INFO, logger="mkdocs.test"):
        renderer = ForkedRenderer(["first", "second"], render)
        try:
            assert renderer.output("second") == "second"
            assert renderer.output("first") == "first"
        finally:
            renderer.close()
    # Logged when the parent takes each page, in the order it takes them.
    assert [r.getMessage() for r in caplog.records] == ["a note about second",
                                                        "a note about first"]


def test_the_child_collects_the_cyclic_garbage_of_rendering():
    """Rendering leaves reference cycles behind (templates, contexts); a child that never
    collected them would grow by every page it rendered, here 1 MB each."""
    import resource

    def render(key: str) -> int:
        cycle: list = [bytearray(2**20), [[] for _ in range(1000)]]
        cycle.append(cycle)
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024

    pages = [f"page-{n}" for n in range(300)]
    renderer = ForkedRenderer(pages, render)
    try:
        first, last = renderer.output(pages[0]), renderer.output(pages[-1])
    finally:
        renderer.close()
    assert last - first < 100, f"the child grew from {first} MB to {last} MB"
