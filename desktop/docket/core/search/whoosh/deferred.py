"""Modules Whoosh imports when it loads but Docket never uses, deferred.

`whoosh.compat` imports `urllib.request` for a download helper nothing calls,
which brings `http.client`, `email`, `ssl`, `socket` and more, and `html` (with
its table of named entities) for a highlighter Docket does not use;
`whoosh.reading` imports the `cached_property` package, which imports `asyncio`
for coroutine properties Whoosh has none of; `whoosh.query` imports
`whoosh.lang.morph_en` (English word variations: ~5 ms of regular expressions)
for a query Docket never makes. Together a fifth of what a `docket search`
process spent importing (measured with `python -X importtime`), before any query.

`prepare()` runs before the engine's first Whoosh import (this package's
__init__) and imports those modules while stand-ins take
the heavy modules' places: `whoosh.compat` takes a `urlretrieve` and an
`escape` that import `urllib.request` and `html` when called,
`cached_property` an `asyncio` that imports the real one when an attribute is
first read, `whoosh.query` a `variations` that imports its module when called (and
`whoosh.filedb.filestore`, which it loads, a `tempfile` imported when used;
`whoosh.filedb.compound` a `copyfileobj` that imports `shutil`;
`whoosh.filedb.filetables` CPython's built-in md5 rather than OpenSSL's).
The stand-ins leave sys.modules at once, so every later `import` gets the real
module: nothing is left out, only loaded when used, if ever.

(importlib.util.LazyLoader cannot do this on Python 3.11: the `import`
statement reads the lazy module's `__spec__`, which loads it.)
"""

from __future__ import annotations

import importlib
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


def prepare() -> None:
    """Import `whoosh.compat`, `cached_property` and `whoosh.query` without the
    modules they import but Docket never uses."""
    if "whoosh.compat" not in sys.modules:
        urllib_request = stand_in(
            "urllib.request", urlretrieve=deferred("urllib.request", "urlretrieve")
        )
        with urllib_request, stand_in("html", escape=deferred("html", "escape")):
            import whoosh.compat
    if "cached_property" not in sys.modules:
        asyncio = stand_in("asyncio", iscoroutinefunction=_is_coroutine_function)
        with asyncio, suppress(ImportError):  # ImportError: a Whoosh that does without it
            import cached_property  # type: ignore[import-untyped]  # noqa: F401  # whoosh.reading's
    if "whoosh.query" not in sys.modules:
        # tempfile (with the shutil and random it imports) is for the temporary
        # storage of whoosh.filedb.filestore, which an index in a folder never makes.
        morph_en = stand_in("whoosh.lang.morph_en", variations=deferred(*_VARIATIONS))
        with morph_en, stand_in("tempfile"):
            import whoosh.query
    if "whoosh.filedb.compound" not in sys.modules:
        # shutil (with bz2, lzma) for copyfileobj, which writes compound files
        with stand_in("shutil", copyfileobj=deferred("shutil", "copyfileobj")):
            import whoosh.filedb.compound
    if "whoosh.filedb.filetables" not in sys.modules:
        # hashlib loads OpenSSL (~2 ms) for the md5 that hashes each term looked up;
        # CPython's own md5 module gives the same digests.
        with stand_in("hashlib", md5=_md5()):
            import whoosh.filedb.filetables  # noqa: F401


_VARIATIONS = ("whoosh.lang.morph_en", "variations")  # English word forms, for Variations


def _md5() -> Callable[..., Any]:
    """md5 from CPython's own module, else (a build without it) hashlib's, when called."""
    try:
        md5: Callable[..., Any] = importlib.import_module("_md5").md5
    except ImportError:
        return deferred("hashlib", "md5")
    return md5


def _is_coroutine_function(function: object) -> bool:
    """`asyncio.iscoroutinefunction` for `cached_property`, which asks it of every
    property it first computes (Whoosh's are plain functions): asyncio is imported
    only for a function marked the old way, which it alone can judge."""
    import inspect

    if inspect.iscoroutinefunction(function):
        return True
    if not hasattr(function, "_is_coroutine"):
        return False
    import asyncio

    return asyncio.iscoroutinefunction(function)


class StandIn(types.ModuleType):
    """A module's place-holder: reading a name it does not hold imports the real module
    (then holds all its names)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._standing_for = threading.get_ident()  # the thread importing with it
        self._gone = threading.Event()  # set when it has left sys.modules

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_standing_for", "_gone"):
            raise AttributeError(name)  # the import system's own questions, not a use
        real = importlib.import_module(self.__name__)
        if real is self:  # read while it still stands in
            if threading.get_ident() == self._standing_for:
                raise AttributeError(name)  # by the module being imported: no real one yet
            # Another thread imported the name meanwhile (the window loads the index
            # on a worker): once the stand-in is gone, the real module is there for it.
            self._gone.wait()
            real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


def deferred(module: str, name: str) -> Callable[..., Any]:
    """A function that imports `module` and calls its `name` when it is called: what
    a stand-in offers a module that takes `name` from it as it loads."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"`{module}.{name}`, imported when first called."
    return call


@contextmanager
def stand_in(name: str, **attributes: Callable[..., Any]) -> Iterator[None]:
    """Module `name` is a `StandIn` holding `attributes` while the block imports a
    module that only binds it (or takes those names from it); afterwards it leaves
    sys.modules, so the next `import name` loads the real module. Nothing is put in
    place if the real module is already loaded."""
    if name in sys.modules:
        yield
        return
    placeholder = StandIn(name)
    placeholder.__dict__.update(attributes)
    sys.modules[name] = placeholder
    try:
        yield
    finally:
        if sys.modules.get(name) is placeholder:
            del sys.modules[name]
        placeholder._gone.set()
