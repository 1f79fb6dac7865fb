"""Opening a case's search engine: the one place that names the engine Docket uses.

Everything else speaks `SearchEngine` (engine.py); swapping the engine, or
choosing one per case (a server engine for a shared matter), happens here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docket.core.search.engine import SearchEngine

if TYPE_CHECKING:
    from docket.core.search.whoosh.merging import MergeOutcome


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


def merge_segments(index_dir: Path, *, background: bool = False) -> MergeOutcome | None:
    """`docket reindex --merge`: the index's small segments merged now, in this
    process (None: another process is merging them). `background`: the merge an
    import started, run at nice 10 so that the window and imports come first."""
    from docket.core.search.whoosh import merging

    if background:
        merging.be_nice()
    return merging.merge(index_dir)
