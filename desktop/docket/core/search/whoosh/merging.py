"""Merging an index's import segments into a few big ones, in another process.

An import commits every few thousand pages, and each commit leaves a segment
(merging them as it goes would rewrite the whole index at the end of a big
import, for minutes: see `index.merge_small_segments`). At 200,000 pages that
is some 70 segments, and every open and every query pays for each one: the
term looked up in each, a matcher per segment, its lengths and columns read.

`merge_index` merges runs of neighbouring small segments (`plan`) into
segments of up to MERGED_RECORDS records. It runs in a process of its own
(`start_merge`), started after a big import, so the window's thread and its
searches never wait for it, and it takes Whoosh's write lock only for the
moment it swaps the segments (`_swap`):

1. Without any lock, from the table of contents of that moment, it writes the
   merged segment into `<index>/merging/`, where no commit's clean-up looks.
   Segments never change once written (deletions are kept in the table of
   contents), so reading them while others write is safe.
2. Under the write lock, it reads the table of contents again. If a segment of
   the run is gone (a rebuild, a commit merging small segments), the merged
   one is thrown away. Otherwise pages deleted from the run since step 1
   (a document re-imported, a mark edited) are deleted from the merged
   segment too, its file is moved in, and a new table of contents lists it in
   the run's place, so document order - and so the order of equal scores - is
   what it was.

Readers that opened before keep the old segments (their files stay readable
until closed); searchers opened after see the merged one. A writer that asks
for the lock during a swap waits milliseconds.

Postings are merged term by term, straight from each segment's blocks into
the new segment's (postingblocks), never pooled: memory stays bounded by one
term's postings and the packed term arrays of the common words.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import os
import shutil
import subprocess
import sys
import threading
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby, takewhile
from pathlib import Path
from typing import Any, TypeAlias

from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader
from whoosh.util import now

from docket.core.search.whoosh.bulkwriter import BulkSegmentWriter, TermGroup
from docket.core.search.whoosh.positionkeys import PositionKeysWriter
from docket.core.search.whoosh.postingblocks import write_groups
from docket.core.search.whoosh.termarrays import TermArraysWriter

log = logging.getLogger(__name__)

# A merged segment holds at most this many records. Bigger segments cost less
# to open and search but more to merge (once per import that fills one); see
# bench_scale.py for what a case of 200,000 pages measures.
MERGED_RECORDS = 50_000
# Segments below this are "small": left as imports write them until there are
# MIN_SMALL_SEGMENTS of them, then merged. Bigger ones are never merged again.
SMALL_RECORDS = MERGED_RECORDS // 4
MIN_SMALL_SEGMENTS = 4
MERGE_FOLDER = "merging"  # under the index folder; a commit's clean-up never looks there
MERGE_LOCK = "MERGELOCK"  # one merge at a time, whoever starts it
WRITE_LOCK = "WRITELOCK"  # Whoosh's own: every writer of the index holds it
ATTEMPTS = 3  # swaps that may find their run changed before the merge gives up


def plan(segments: Sequence[Any]) -> list[range]:
    """The runs of neighbouring segments to merge, each into one, as index ranges.

    Small segments (fewer than SMALL_RECORDS live records) next to each other
    are gathered into runs of at most MERGED_RECORDS records; nothing is merged
    while fewer than MIN_SMALL_SEGMENTS segments are small, so an import of a
    few documents into a merged case rewrites nothing.
    """
    sizes = [segment.doc_count() for segment in segments]
    if sum(1 for size in sizes if size < SMALL_RECORDS) < MIN_SMALL_SEGMENTS:
        return []
    runs: list[range] = []
    start, records = 0, 0

    def close(end: int) -> None:
        if end - start >= 2:
            runs.append(range(start, end))

    for position, size in enumerate(sizes):
        if size >= SMALL_RECORDS:
            close(position)
            start, records = position + 1, 0
        elif records + size > MERGED_RECORDS:
            close(position)
            start, records = position, size
        else:
            records += size
    close(len(sizes))
    return runs


def needs_merge(index_dir: Path) -> bool:
    ix = windex.open_dir(str(index_dir))
    try:
        return bool(plan(ix._segments()))
    finally:
        ix.close()


@dataclass(frozen=True)
class MergeOutcome:
    """What `merge` did: `segments` merged into `into` (0 and 0: nothing to merge)."""

    segments: int
    into: int
    seconds: float

    @property
    def merged_away(self) -> int:
        return self.segments - self.into


def merge_index(index_dir: Path) -> int:
    """Merges what `plan` picks, run by run; returns how many segments were merged
    away (0 when another merge holds the merge lock, or nothing needs merging)."""
    outcome = merge(index_dir)
    return 0 if outcome is None else outcome.merged_away


def merge(index_dir: Path) -> MergeOutcome | None:
    """Merges what `plan` picks, run by run; None when another merge (another
    process) holds the merge lock of this index."""
    if not windex.exists_in(str(index_dir)):
        return MergeOutcome(0, 0, 0.0)  # no index yet: a reader's case, a rebuild to come
    storage = FileStorage(str(index_dir))
    merge_lock = storage.lock(MERGE_LOCK)  # an OS lock: a killed merge's goes with it
    if not merge_lock.acquire():
        return None  # another process is merging this index
    try:
        begun = now()
        shutil.rmtree(Path(index_dir) / MERGE_FOLDER, ignore_errors=True)  # a killed merge's
        ix = windex.open_dir(str(index_dir))
        failures = segments = into = 0
        try:
            while failures < ATTEMPTS:
                toc = ix._read_toc()
                runs = plan(toc.segments)
                if not runs:
                    break
                run = [toc.segments[n] for n in runs[0]]
                if _merge_run(ix, toc.schema, run):
                    segments, into = segments + len(run), into + 1
                else:
                    failures += 1
        finally:
            ix.close()
            shutil.rmtree(Path(index_dir) / MERGE_FOLDER, ignore_errors=True)
        return MergeOutcome(segments, into, now() - begun)
    finally:
        merge_lock.release()


def _merge_run(ix: Any, schema: Any, run: list[Any]) -> bool:
    """Writes `run` as one segment and swaps it in; False if the index changed so
    that it could not be (the merged segment is then thrown away)."""
    folder = Path(ix.storage.folder) / MERGE_FOLDER
    folder.mkdir(exist_ok=True)
    target = FileStorage(str(folder))
    begun = now()
    segment, docmaps = write_merged(ix.storage, ix.indexname, schema, run, target)
    swapped = _swap(ix, run, segment, docmaps, target)
    log.info(
        "merged %d segments (%d records) in %.1f s%s",
        len(run),
        segment.doc_count_all(),
        now() - begun,
        "" if swapped else "; the index changed meanwhile, merge dropped",
    )
    return swapped


# -- writing the merged segment ---------------------------------------------------

DocMap: TypeAlias = "array[int]"  # old document number -> new one, -1 for a deleted document


class _Target:
    """What SegmentWriter reads of an index, for a segment written into another folder."""

    def __init__(self, storage: Any, indexname: str, schema: Any) -> None:
        self.storage = storage
        self.indexname = indexname
        self._schema = schema

    def _read_toc(self) -> TOC:
        return TOC(self._schema, [], 0)


class _MergeWriter(BulkSegmentWriter):
    """Writes the per-document data as Whoosh merges it, and the postings term by
    term from the source segments (`_merged_terms`) instead of from a pool."""

    postings: Callable[[], Iterator[tuple[str, bytes, TermGroup]]]

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        lengths = self.per_document_reader()
        arrays = TermArraysWriter()
        keys = PositionKeysWriter(self.newsegment, self.storage)
        try:
            write_groups(
                self.fieldwriter,
                self.schema,
                lengths,
                self.docnum,
                self.postings(),
                arrays.add,
                keys.add,
            )
            arrays.write(self.newsegment, self.storage)
            keys.close()
        finally:
            keys.cancel()
            self.fieldwriter.close()
            lengths.close()


def write_merged(
    source: Any, indexname: str, schema: Any, run: list[Any], target: Any
) -> tuple[Any, list[DocMap]]:
    """The segments of `run` (in order, deleted records left out) written as one
    segment into `target` storage; returns it and each source's document map."""
    writer = _MergeWriter(_Target(target, indexname, schema), _lk=False)
    readers = [SegmentReader(source, schema, segment) for segment in run]
    try:
        docmaps = []
        for reader in readers:
            names = {name for name in reader.indexed_field_names() if name in schema}
            first = writer.docnum
            mapping = writer.write_per_doc(set(schema.names()) | names, reader)
            if mapping is None:
                docmaps.append(array("l", range(first, writer.docnum)))
            else:
                docmap = array("l", [-1]) * reader.doc_count_all()
                for old, new in mapping.items():
                    docmap[old] = new
                docmaps.append(docmap)
        # Each page's length is kept in one byte (approximate), so the sum of what
        # write_per_doc wrote is not the segments' exact totals, and BM25's mean
        # length - every score - would move a little: keep the exact totals.
        writer.perdocwriter._fieldlengths.update(_field_length_totals(schema, readers))
        writer.postings = lambda: _merged_terms(schema, readers, docmaps)
        writer._added = True
        segment = writer._finalize_segment()
        writer._finish()
    except BaseException:
        writer.cancel()
        raise
    finally:
        for reader in readers:
            reader.close()
    return segment, docmaps


def _field_length_totals(schema: Any, readers: list[Any]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for fieldname, field in schema.items():
        if not field.scorable:
            continue
        total = 0
        for reader in readers:
            total += reader.field_length(fieldname)
            if reader.has_deletions():  # what the merged segment leaves out
                deleted = reader._perdoc.deleted_docs()
                total -= sum(reader.doc_field_length(d, fieldname) for d in deleted)
        if total > 0:
            totals[fieldname] = total
    return totals


def _merged_terms(
    schema: Any, readers: list[Any], docmaps: list[DocMap]
) -> Iterator[tuple[str, bytes, TermGroup]]:
    """Every (field, term) of the readers in sorted order with its merged postings."""
    fieldnames = sorted(
        {name for reader in readers for name in reader._terms.indexed_field_names()}
        & set(schema.names())
    )
    for fieldname in fieldnames:
        fmt = schema[fieldname].format
        streams = [_field_items(reader, fieldname, n) for n, reader in enumerate(readers)]
        for btext, sources in groupby(heapq.merge(*streams), key=lambda item: item[0]):
            group = TermGroup()
            for _, n, info in sources:
                _copy_postings(readers[n], info, fmt, docmaps[n], group)
            if len(group):
                yield fieldname, btext, group


def _field_items(reader: Any, fieldname: str, n: int) -> Iterator[tuple[bytes, int, Any]]:
    """(term, reader number, term info) of one field of one segment, terms ascending."""
    if fieldname not in reader._terms.indexed_field_names():
        return iter(())
    items = reader._terms.items_from(fieldname, b"")
    return (
        (btext, n, info) for (_, btext), info in takewhile(lambda it: it[0][0] == fieldname, items)
    )


def _copy_postings(reader: Any, info: Any, fmt: Any, docmap: DocMap, group: TermGroup) -> None:
    """Appends one segment's postings of a term, renumbered, deleted ones left out."""
    if info.is_inlined():
        blocks: Iterator[tuple[Sequence[int], Sequence[float], Sequence[Any]]] = iter(
            [info.inlined_postings()]
        )
    else:
        blocks = _blocks(reader._codec.postings_reader(reader._terms._postfile, info, fmt))
    for ids, weights, values in blocks:
        new_ids = [docmap[docnum] for docnum in ids]
        if -1 in new_ids:  # deleted records
            kept = [k for k, docnum in enumerate(new_ids) if docnum >= 0]
            new_ids = [new_ids[k] for k in kept]
            weights = [weights[k] for k in kept]
            values = [values[k] for k in kept]
        group.docnums.extend(new_ids)
        # an array of floats (a block's) cannot extend the group's doubles as it is
        group.weights.extend(weights.tolist() if isinstance(weights, array) else weights)
        group.values.extend(values)


def _blocks(matcher: Any) -> Iterator[tuple[Sequence[int], Sequence[float], Sequence[Any]]]:
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        matcher._read_values()
        yield matcher._ids, matcher._weights, matcher._values
        matcher._next_block()


# -- swapping it in ------------------------------------------------------------------


def _swap(ix: Any, run: list[Any], merged: Any, docmaps: list[DocMap], target: Any) -> bool:
    lock = ix.lock(WRITE_LOCK)  # as every writer takes it: <indexname>_WRITELOCK
    lock.acquire(blocking=True)  # writers hold it for a batch: wait as long as it takes
    try:
        toc = ix._read_toc()
        ids = [segment.segment_id() for segment in toc.segments]
        wanted = [segment.segment_id() for segment in run]
        if not set(wanted) <= set(ids):
            return False
        first = ids.index(wanted[0])
        if ids[first : first + len(wanted)] != wanted:
            return False
        # Pages deleted from the run's segments while it was merged.
        for now_segment, then_segment, docmap in zip(
            toc.segments[first : first + len(run)], run, docmaps, strict=True
        ):
            for docnum in set(now_segment.deleted_docs()) - set(then_segment.deleted_docs()):
                if docmap[docnum] >= 0:
                    merged.delete_document(docmap[docnum])
        for name in target.list():  # its compound file (or files): into the index folder
            if name.startswith(merged.segment_id()):
                os.replace(os.path.join(target.folder, name), os.path.join(ix.storage.folder, name))
        segments = [*toc.segments[:first], merged, *toc.segments[first + len(run) :]]
        generation = toc.generation + 1
        TOC(toc.schema, segments, generation).write(ix.storage, ix.indexname)
        clean_files(ix.storage, ix.indexname, generation, segments)
        return True
    finally:
        lock.release()


# -- running it in the background -------------------------------------------------------


def merge_command(case_dir: Path) -> list[str]:
    """The command that merges `case_dir`'s index in a process of its own:
    `docket reindex CASE --merge --quiet --background`. The bundle's executable
    runs docket.entry.main; from source it is `python -m docket`."""
    if getattr(sys, "frozen", False):
        program = [sys.executable]
    else:
        program = [sys.executable, "-m", "docket"]
    return [*program, "reindex", str(case_dir), "--merge", "--quiet", "--background"]


def be_nice() -> None:
    """The window and an import come first: the merge runs at nice 10."""
    with contextlib.suppress(AttributeError, OSError):  # no nice() on Windows
        os.nice(10)


class BackgroundMerge:
    """A merge running as a detached process (`start_merge`)."""

    def __init__(self, process: subprocess.Popen[bytes], done: Callable[[], None]) -> None:
        self._process = process
        self._finished = threading.Event()

        def watch() -> None:
            process.wait()
            self._finished.set()
            done()

        # A daemon: the window or command that started the merge never waits for it.
        threading.Thread(target=watch, name="docket-merge-watch", daemon=True).start()

    @property
    def pid(self) -> int:
        return self._process.pid

    def is_alive(self) -> bool:
        return not self._finished.is_set()

    def join(self, timeout: float | None = None) -> None:
        """Until the process has ended and `done` has been called."""
        self._finished.wait(timeout)

    @property
    def exitcode(self) -> int | None:
        return self._process.returncode if self._finished.is_set() else None


def start_merge(index_dir: Path, done: Callable[[], None]) -> BackgroundMerge | None:
    """Starts `merge_index` in a process of its own if the index needs it; `done` is
    called (on a daemon thread of this process) when it has finished, if this
    process is still there. None when there is nothing to merge.

    The process is detached (a session of its own, no inherited descriptors):
    it outlives the command or window that started it, which neither waits for
    it at exit nor passes it a Ctrl+C. At 200,000 pages a merge takes minutes;
    the lawyer's import returns, and Quit quits, as soon as the documents are
    searchable. A merge killed midway (the machine shut down) leaves the index
    as it was, searchable; the next one clears its leftovers.
    """
    if not needs_merge(index_dir):
        return None
    # The index is `<case>/index` (CaseLayout.index): the command takes the case.
    process = subprocess.Popen(
        merge_command(Path(index_dir).parent),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        start_new_session=True,
    )
    return BackgroundMerge(process, done)
