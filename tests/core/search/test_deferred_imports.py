"""The modules the Whoosh engine defers (core/search/whoosh/deferred.py) are still
there, whole, for any code that uses them."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys, types
import docket.core.search.whoosh.index  # the engine: Whoosh loaded, the rest deferred
assert "asyncio" not in sys.modules and "urllib.request" not in sys.modules
assert "whoosh.lang.morph_en" not in sys.modules and "tempfile" not in sys.modules
assert "shutil" not in sys.modules and "hashlib" not in sys.modules
import cached_property, whoosh.compat

class Lazy:
    @cached_property.cached_property
    def answer(self):
        return 42

async def waits():
    pass

assert Lazy().answer == 42 and "asyncio" not in sys.modules  # a plain property: no asyncio
assert cached_property.asyncio.iscoroutinefunction(waits)
import asyncio
assert type(asyncio) is types.ModuleType and asyncio.run(waits()) is None
assert cached_property.asyncio.ensure_future is asyncio.ensure_future
from urllib.request import urlretrieve, Request
assert whoosh.compat.urlretrieve is not urlretrieve and callable(whoosh.compat.urlretrieve)
import urllib.request
assert urllib.request.urlretrieve is urlretrieve and Request("http://x").host == "x"
import whoosh.query.terms
from whoosh.lang.morph_en import variations
assert "tortured" in whoosh.query.terms.variations("torture")  # what Variations queries use
assert whoosh.query.terms.variations("torture") == variations("torture")
assert "html" not in sys.modules
import html
assert whoosh.compat.htmlescape("<a & 'b'>") == html.escape("<a & 'b'>")
assert whoosh.compat.htmlescape("<'b'>", quote=False) == html.escape("<'b'>", quote=False)
import tempfile
import whoosh.filedb.filestore as filestore
assert filestore.tempfile.gettempdir() == tempfile.gettempdir()
import io, shutil
import whoosh.filedb.compound as compound
copied = io.BytesIO()
compound.copyfileobj(io.BytesIO(b"segment"), copied)
assert copied.getvalue() == b"segment" and compound.copyfileobj is not shutil.copyfileobj
import hashlib
import whoosh.filedb.filetables as filetables
assert filetables.md5(b"font", usedforsecurity=False).digest() == hashlib.md5(b"font").digest()
print("ok")
"""


def test_deferred_modules_load_whole_when_used() -> None:
    finished = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120
    )
    assert finished.stdout.strip() == "ok", finished.stderr


def test_snippets_escape_as_html_escape_does() -> None:
    import html

    from docket.core.search.snippets import make_snippet

    text = "if a < b && c > \"d\" then <b>e</b> & 'f'"
    assert make_snippet(text, ()) == html.escape(text, quote=False)


def test_a_stand_in_read_by_another_thread_gives_it_the_real_module() -> None:
    """The window imports the engine on a worker thread: a module another thread
    imports meanwhile is the stand-in, which must still give it the real module."""
    import threading

    from docket.core.search.whoosh.deferred import stand_in

    sys.modules.pop("colorsys", None)  # small and pure: imported afresh below
    found: list[object] = []

    def import_and_use() -> None:
        import colorsys  # the stand-in, while the block below is open

        found.append(colorsys.rgb_to_hsv(1.0, 0.0, 0.0))

    with stand_in("colorsys"):
        worker = threading.Thread(target=import_and_use)
        worker.start()
        worker.join(0.2)  # it waits for the stand-in to leave
    worker.join(10)
    assert found == [(0.0, 1.0, 1.0)]
    assert type(sys.modules["colorsys"]).__name__ == "module"
