"""Opening a case's search engine: the one place that names the engine Docket uses.

Everything else speaks `SearchEngine` (engine.py); swapping the engine, or
choosing one per case (a server engine for a shared matter), happens here.
"""

from __future__ import annotations

from pathlib import Path

from docket.core.search.engine import SearchEngine


def open_engine(index_dir: Path, *, create: bool = True) -> SearchEngine:
    """The index in `index_dir`, made empty if it is missing, damaged or from another
    version (its `was_reset` then says the case must add every page again).

    With `create=False` (a read-only opener, which must not rebuild) such an index
    raises DocketError saying why.
    """
    # Imported here, not at the top: Whoosh takes ~100 ms to load, which commands
    # that never search (docket list, docket --help) should not pay.
    from docket.core.search.whoosh.index import SearchIndex

    return SearchIndex.open(index_dir, create=create)
