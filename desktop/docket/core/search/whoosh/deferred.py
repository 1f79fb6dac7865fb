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
__init__) and imports those modules while a stand-in takes the heavy module's
place in sys.modules: `whoosh.compat` takes a `urlretrieve` and an `escape`
that import `urllib.request` and `html` when called, `cached_property` an
`asyncio` that imports the real one when an attribute is first read,
`whoosh.query` a `variations` that imports its module when called. The
stand-ins leave sys.modules at once, so any other `import` gets the real
module; nothing is left out, only loaded later, if ever.

(importlib.util.LazyLoader cannot do this on Python 3.11: the `import asyncio`
statement itself reads the lazy module's `__spec__`, which loads it.)
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any


def prepare() -> None:
    """Import `whoosh.compat`, `cached_property` and `whoosh.query` without the
    modules they import but Docket never uses."""
    if "whoosh.compat" not in sys.modules and "urllib.request" not in sys.modules:
        html = _stand_in("html", escape=_deferred_html_escape)
        with _stand_in("urllib.request", urlretrieve=_deferred_urlretrieve), html:
            import whoosh.compat
    if "cached_property" not in sys.modules and "asyncio" not in sys.modules:
        asyncio = _stand_in("asyncio", iscoroutinefunction=_is_coroutine_function)
        with asyncio, suppress(ImportError):  # ImportError: a Whoosh that does without it
            import cached_property  # type: ignore[import-untyped]  # noqa: F401  # whoosh.reading's
    if "whoosh.query" not in sys.modules and "whoosh.lang.morph_en" not in sys.modules:
        with _stand_in("whoosh.lang.morph_en", variations=_deferred_variations):
            import whoosh.query  # noqa: F401


def _deferred_urlretrieve(*args: Any, **kwargs: Any) -> Any:
    """`urllib.request.urlretrieve`, imported when first called (Docket never calls it)."""
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _deferred_html_escape(text: str, quote: bool = True) -> str:
    """`html.escape`, for Whoosh's highlighter (Docket's snippets do not use it): the
    `html` package imports its table of 2,000 named entities as it loads."""
    from html import escape

    return escape(text, quote)


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


def _deferred_variations(word: str) -> Any:
    """`whoosh.lang.morph_en.variations` (for Whoosh's Variations query, which Docket
    does not use), imported when first called: the module compiles some hundred
    regular expressions as it loads."""
    from whoosh.lang.morph_en import variations

    return variations(word)


class _StandIn(types.ModuleType):
    """A module's place-holder: reading a name it does not hold imports the real module
    (then holds all its names)."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system's own questions, not a use
            raise AttributeError(name)
        real = importlib.import_module(self.__name__)
        if real is self:  # still standing in (read during the import): no real one yet
            raise AttributeError(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, name)


@contextmanager
def _stand_in(name: str, **attributes: Callable[..., Any]) -> Iterator[None]:
    """Module `name` is a `_StandIn` holding `attributes` while the block imports a
    module that only binds it (or takes those names from it); afterwards it leaves
    sys.modules, so the next `import name` loads the real module."""
    stand_in = _StandIn(name)
    stand_in.__dict__.update(attributes)
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
