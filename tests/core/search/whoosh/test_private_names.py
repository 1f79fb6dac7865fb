"""Every private part of Whoosh the engine relies on is still there, with the shape it had.

The engine reads and writes Whoosh's files faster than Whoosh does by reaching
into it (bulkwriter, postingblocks, termarrays, fastboolean, indexmemory,
matching, translate): private attributes, replaced methods, copies of its
logic. whoosh-reloaded is pinned for that reason; when it is upgraded, these
tests fail one by one and each names the Whoosh part and the Docket code that
depends on it.

Two kinds of check:

- the names, on real objects of a real index: each must exist (and a method
  take the arguments Docket passes);
- the code Docket copies or replaces: a fingerprint of Whoosh's source (as
  its syntax tree prints, so comments and layout do not count). A new fingerprint means
  Whoosh changed that code: re-read it against the Docket code named, then
  record the new fingerprint here.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import whoosh
from whoosh.writing import SegmentWriter

from docket.core.model.records import DocumentKind, IndexedPage
from docket.core.search.whoosh.index import SearchIndex
from docket.core.search.whoosh.postingreads import lengths_column


def test_the_pinned_whoosh_is_installed() -> None:
    assert whoosh.versionstring() == "2.7.5", "re-run every check below against the new version"


# -- code Docket copies or replaces -----------------------------------------------------------


@dataclass(frozen=True)
class Copied:
    whoosh: str  # module:qualified.name
    docket: str  # what depends on it
    fingerprint: str


COPIED = [
    Copied(
        "whoosh.codec.whoosh3:W3PostingsWriter._write_block",
        "postingblocks._write_block replaces it",
        "fbdd4c4ca59bf635",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3PostingsWriter.add_posting",
        "postingblocks._add_term_postings fills its block buffers 128 postings at a time",
        "9b2bcdd7abadc08c",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3PostingsWriter._new_block",
        "postingblocks._add_term_postings sets the buffers it resets",
        "1e9d732115b96b5e",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3PostingsWriter.finish_postings",
        "postingblocks leaves the last block for it to write or inline",
        "5cd448b922090ab7",
    ),
    Copied(
        "whoosh.writing:SegmentWriter.add_document",
        "bulkwriter.BulkSegmentWriter.add_document does its work for plain documents",
        "6da80d99a21759ba",
    ),
    Copied(
        "whoosh.writing:SegmentWriter._flush_segment",
        "bulkwriter.BulkSegmentWriter._flush_segment writes the pool's groups instead",
        "a16ad7bdfe13a5a0",
    ),
    Copied(
        "whoosh.filedb.structfile:BufferFile.__init__",
        "indexmemory._buffer_file_init replaces it (reads the mapping in place)",
        "281c610230688231",
    ),
    Copied(
        "whoosh.formats:Positions.encode",
        "postings.PagePostings and postings._encode make its bytes",
        "028c67ff9b410547",
    ),
    Copied(
        "whoosh.query.spans:SpanNear2.SpanNear2Matcher._get_spans",
        "matching._PhraseMatcher replaces it",
        "b2d2983afd5b6cab",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._read_ids",
        "postingreads.blocks reads a block's ids through it",
        "9b8e06d7be4a33c6",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._read_weights",
        "postingreads.blocks reads a block's weights through it",
        "9081df8ab6ccdba7",
    ),
    Copied(
        "whoosh.filedb.filetables:HashReader.__init__",
        "indexmemory._hash_reader_init replaces it (one read for the directory)",
        "c47d22ce979b6622",
    ),
    Copied(
        "whoosh.filedb.filetables:OrderedHashReader.closest_key_pos",
        "indexmemory._closest_key_pos replaces it (remembers the keys it reads)",
        "14193c2ce27c9475",
    ),
    Copied(
        "whoosh.writing:SegmentWriter.write_per_doc",
        "merging.write_merged calls it per source segment and keeps its docmap",
        "05c0a265eed428cd",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._read_values",
        "merging._blocks reads a block's values (positions) through it",
        "45c2d28fc43cacdd",
    ),
    Copied(
        "whoosh.filedb.filetables:OrderedHashWriter._write_extras",
        "matching._record_positions reads the index of record positions it writes",
        "a63b608c56875172",
    ),
    Copied(
        "whoosh.filedb.filetables:HashReader._ranges",
        "matching._stretch and its callers cut a term table's records as it does",
        "6f34e317412ab086",
    ),
    Copied(
        "whoosh.automata.lev:levenshtein_automaton",
        "matching._within takes the words its automaton takes (Levenshtein, prefix)",
        "bc393867e89ea9ec",
    ),
    Copied(
        "whoosh.reading:SegmentReader.terms_within",
        "matching._within stands in for it",
        "350db61564d9026b",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._goto",
        "postingreads.block_ids reads a block's length and info as it does",
        "8197f583bb4530ef",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._read_header",
        "postingreads.block_ids skips the header tag it checks",
        "31473cfee875c13d",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3LeafMatcher._read_data",
        "postingreads.block_ids decompresses and unpickles a block's data as it does",
        "ae852ab967174fd9",
    ),
    Copied(
        "whoosh.codec.whoosh3:W3TermInfo.from_bytes",
        "postingreads.rare_ids reads the flags, count, first and last page with its _struct",
        "6c864204c2859885",
    ),
    Copied(
        "whoosh.scoring:BM25F",
        "fastboolean._Scorer scores as BM25F does, term arrays and all",
        "6076d24541cf1517",
    ),
]


def _whoosh_node(path: str) -> ast.AST:
    """The syntax tree of a Whoosh class or function, read from its source file, so
    that a method Docket has replaced at run time is still Whoosh's own."""
    module_name, qualname = path.split(":")
    module = importlib.import_module(module_name)
    node: ast.AST = ast.parse(Path(inspect.getsourcefile(module) or "").read_text("utf-8"))
    for name in qualname.split("."):
        found = [
            child
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.ClassDef | ast.FunctionDef) and child.name == name
        ]
        assert found, f"{path}: {name} is gone from Whoosh"
        node = found[-1]
    return node


def fingerprint(path: str) -> str:
    code = ast.unparse(_whoosh_node(path))  # its code alone: no comments, one layout
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize("copied", COPIED, ids=[c.whoosh for c in COPIED])
def test_code_docket_copies_is_unchanged(copied: Copied) -> None:
    assert fingerprint(copied.whoosh) == copied.fingerprint, (
        f"Whoosh changed {copied.whoosh}: {copied.docket}. Re-read both, then record "
        f"the new fingerprint {fingerprint(copied.whoosh)!r} in test_private_names.py."
    )


# -- names Docket uses, on real objects -----------------------------------------------------


@pytest.fixture(scope="module")
def whoosh_objects(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A real index of a few pages, and the Whoosh objects the engine reaches into."""
    index = SearchIndex.open(tmp_path_factory.mktemp("private") / "index")
    pages = [
        IndexedPage(
            1, n, str(n), "the police fired " * n, "T", "A", DocumentKind.PDF, "a.pdf", None
        )
        for n in range(1, 4)
    ]
    index.add_pages(pages)
    searcher = index._current()
    reader = searcher.reader()
    writer = SegmentWriter(index._ix)
    writer.fieldwriter.start_field("text", index._ix.schema["text"])
    writer.fieldwriter.start_term(b"polic")  # the postings writer's block buffers exist now
    objects = {
        "ix": index._ix,
        "searcher": searcher,
        "reader": reader,
        "lengths": reader._perdoc._cached_reader("_text_len", lengths_column()),
        "matcher": reader._terms.matcher("text", b"polic", reader.schema["text"].format),
        "writer": writer,
        "fieldwriter": writer.fieldwriter,
        "postwriter": writer.fieldwriter._postwriter,
    }
    yield objects
    writer.cancel()
    index.close()


@dataclass(frozen=True)
class Used:
    owner: str  # a key of whoosh_objects, or module:name for a module-level name
    name: str  # attribute path
    docket: str  # who relies on it
    arguments: int | None = None  # for a callable: how many Docket passes by position
    keywords: tuple[str, ...] = ()  # and by name

    @property
    def id(self) -> str:
        return f"{self.owner}.{self.name}"


USED = [
    # bulkwriter: a SegmentWriter whose pool, per-document writer and flush it takes over
    Used("writer", "pool", "bulkwriter.BulkSegmentWriter replaces the pool"),
    Used("writer", "perdocwriter", "bulkwriter.BulkSegmentWriter.add_document"),
    Used("writer", "docnum", "bulkwriter.BulkSegmentWriter.add_document"),
    Used("writer", "schema", "bulkwriter.BulkSegmentWriter.add_document"),
    Used("writer", "_added", "bulkwriter.BulkSegmentWriter.add_document"),
    Used("writer", "_check_state", "bulkwriter.BulkSegmentWriter.add_document", 0),
    Used("writer", "_check_fields", "bulkwriter.BulkSegmentWriter.add_document", 2),
    Used("writer", "per_document_reader", "index._open_writer, bulkwriter._flush_segment", 0),
    Used("writer", "codec.length_stats", "bulkwriter.BulkSegmentWriter._flush_segment"),
    Used("writer", "newsegment", "bulkwriter.BulkSegmentWriter._flush_segment (term arrays)"),
    Used("writer", "storage", "bulkwriter._flush_segment, index.merge_small_segments"),
    Used("writer", "add_reader", "index.merge_small_segments", 1),
    Used("writer", "commit", "index.PageWriter commits", 0, ("mergetype", "merge")),
    Used("writer", "_flush_segment", "bulkwriter falls back to it", 0),
    Used("writer", "perdocwriter.start_doc", "bulkwriter.add_document", 1),
    Used("writer", "perdocwriter.add_field", "bulkwriter.add_document", 4),
    Used("writer", "perdocwriter.add_column_value", "bulkwriter.add_document", 3),
    Used("writer", "perdocwriter.finish_doc", "bulkwriter.add_document", 0),
    Used("writer", "perdocwriter.cancel_doc", "bulkwriter.add_document", 0),
    Used("fieldwriter", "_postfile", "bulkwriter counts the postings file's position"),
    Used("fieldwriter", "_postfile.file", "bulkwriter.AppendPosition wraps it"),
    Used("fieldwriter", "_postwriter", "postingblocks.write_groups writes its blocks"),
    Used("fieldwriter", "start_field", "postingblocks.write_groups", 2),
    Used("fieldwriter", "start_term", "postingblocks.write_groups", 1),
    Used("fieldwriter", "finish_term", "postingblocks.write_groups", 0),
    Used("fieldwriter", "finish_field", "postingblocks.write_groups", 0),
    Used("fieldwriter", "close", "bulkwriter._flush_segment", 0),
    *(
        Used("postwriter", name, "postingblocks fills and writes the block buffers")
        for name in (
            "_blocklimit",
            "_ids",
            "_weights",
            "_values",
            "_maxweight",
            "_minlength",
            "_maxlength",
            "_blockcount",
            "_postfile",
            "_terminfo",
            "_compression",
        )
    ),
    *(
        Used("postwriter", name, "postingblocks._write_block calls it", 0)
        for name in ("_mini_ids", "_mini_weights", "_mini_values", "_new_block")
    ),
    Used("postwriter", "_write_block", "postingblocks replaces it per writer", 1),
    Used("postwriter", "_postfile.write_int", "postingblocks._write_block", 1),
    # termarrays and fastboolean: reading a segment's files and columns directly
    Used("reader", "_segment.open_file", "termarrays.open_term_arrays", 2),
    Used("reader", "_storage", "termarrays.open_term_arrays"),
    Used("reader", "_perdoc._cached_reader", "fastboolean reads field lengths", 2),
    Used("reader", "_terms.matcher", "postingreads.blocks", 3),
    Used("reader", "doc_count_all", "fastboolean, index.merge_small_segments", 0),
    Used("reader", "generation", "index.SearchIndex.refresh", 0),
    Used("reader", "column_reader", "index.indexed_doc_ids", 1),
    Used("lengths", "_count", "fastboolean reads the lengths column whole"),
    Used("lengths", "_basepos", "fastboolean reads the lengths column whole"),
    Used("lengths", "_dbfile.get", "fastboolean reads the lengths column whole", 2),
    Used("matcher", "_ids", "postingreads.blocks"),
    Used("matcher", "_weights", "postingreads.blocks"),
    Used("matcher", "_read_ids", "postingreads.blocks", 0),
    Used("matcher", "_read_weights", "postingreads.blocks", 0),
    Used("matcher", "_next_block", "postingreads.blocks", 0),
    Used("matcher", "is_active", "postingreads.blocks", 0),
    # index: searchers, readers and lengths
    Used("searcher", "leaf_searchers", "index._new_searcher", 0),
    Used("searcher", "doc_field_length", "index.remembering", 3),
    Used("ix", "latest_generation", "index.SearchIndex.refresh", 0),
    Used("ix", "_segments", "tests of index commits count segments", 0),
    # module-level names
    Used("whoosh.codec.whoosh3:WHOOSH3_HEADER_MAGIC", "", "postingblocks._write_block"),
    Used("whoosh.codec.whoosh3:LENGTHS_COLUMN", "", "postingreads.lengths_column"),
    Used("whoosh.codec.whoosh3:W3FieldWriter", "", "bulkwriter checks the codec"),
    Used("whoosh.util.numeric:length_to_byte", "", "postingblocks._write_block", 1),
    Used("whoosh.util.numeric:byte_to_length", "", "fastboolean decodes lengths", 1),
    Used("whoosh.system:pack_uint", "", "postings._encode (test_positions_round_trip)"),
    Used("whoosh.writing:PostingPool", "", "bulkwriter.TermPool stands in for it"),
    Used("whoosh.writing:CLEAR", "", "index.SearchIndex.clear", 2),
    Used("whoosh.reading:SegmentReader", "", "index.merge_small_segments", 3),
    Used("whoosh.index:LockError", "", "index.SearchIndex._open_writer"),
    Used("whoosh.query.qcore:_NullQuery", "", "translate drops a query the analyzer empties"),
    Used("whoosh.query:MultiTerm._btexts", "", "matching.Expanded, translate.StemmedWildcard", 2),
    Used("whoosh.query:SpanNear2.SpanNear2Matcher", "", "matching._PhraseMatcher", 1, ("slop",)),
    Used("whoosh.filedb.structfile:BufferFile", "", "indexmemory replaces its __init__"),
    Used("whoosh.analysis:Token", "", "tokenizer.DocketTokenizer yields it"),
    Used("whoosh.analysis:Tokenizer", "", "tokenizer.DocketTokenizer subclasses it"),
    # merging, opening and wildcards' counts: segments read and swapped directly
    Used("whoosh.index:TOC", "", "merging._swap writes it; index._new_searcher reads it"),
    Used("whoosh.index:TOC.read", "", "index._new_searcher", 4),
    Used("whoosh.index:clean_files", "", "merging._swap", 4),
    Used("whoosh.index:FileIndex._reader", "", "index._new_searcher", 5),
    Used("whoosh.filedb.filetables:_dir_entry", "", "indexmemory._hash_reader_init"),
    Used("whoosh.filedb.filetables:_directory_size", "", "indexmemory._hash_reader_init"),
    Used("whoosh.filedb.filetables:_hash_functions", "", "indexmemory._hash_reader_init"),
    Used("whoosh.filedb.filetables:_INT_SIZE", "", "indexmemory._hash_reader_init"),
    Used("reader", "_terms.items_from", "merging._field_items", 2),
    Used("reader", "_terms._postfile", "merging._copy_postings, postingreads.rare_ids"),
    Used("reader", "_terms._postfile.get_int", "postingreads.block_ids", 1),
    Used("whoosh.codec.whoosh3:W3TermInfo._struct", "", "postingreads.rare_ids"),
    Used("whoosh.codec.whoosh3:W3TermInfo.extent", "", "postingreads.rare_ids", 1),
    Used("whoosh.system:_INT_SIZE", "", "postingreads.block_ids"),
    Used("reader", "_terms._tindex.closest_key_pos", "matching._stretch", 1),
    Used("reader", "_terms._tindex.endofdata", "matching._stretch: where the records end"),
    Used("reader", "_terms._tindex.dbfile.get", "matching._stretch", 2),
    Used("reader", "_terms._tindex.indexbase", "matching._record_positions"),
    Used("reader", "_terms._tindex.indexlen", "matching._record_positions"),
    Used("reader", "_terms._tindex.extras", "matching._record_positions: its indextype"),
    Used("reader", "_terms._keycoder", "matching.walk_terms, prefix_words", 2),
    Used("reader", "_terms.indexed_field_names", "matching.walk_terms, prefix_words", 0),
    Used("reader", "_codec.postings_reader", "merging._copy_postings", 3),
    Used("reader", "_perdoc.deleted_docs", "merging._field_length_totals", 0),
]


def _resolve(used: Used, objects: dict[str, Any]) -> Any:
    if ":" in used.owner:
        module_name, qualname = used.owner.split(":")
        target: Any = importlib.import_module(module_name)
        path = qualname
    else:
        target, path = objects[used.owner], used.name
    for part in path.split("."):
        assert hasattr(target, part), f"Whoosh has no {used.id} any more: {used.docket}"
        target = getattr(target, part)
    return target


def _accepts(function: Callable[..., Any], arguments: int, keywords: tuple[str, ...]) -> bool:
    try:
        inspect.signature(function).bind(*[None] * arguments, **dict.fromkeys(keywords))
    except TypeError:
        return False
    return True


@pytest.mark.parametrize("used", USED, ids=[u.id.rstrip(".") for u in USED])
def test_names_docket_uses_are_there(used: Used, whoosh_objects: dict[str, Any]) -> None:
    found = _resolve(used, whoosh_objects)
    if used.arguments is not None:
        assert callable(found), f"Whoosh's {used.id} is no longer callable: {used.docket}"
        assert _accepts(found, used.arguments, used.keywords), (
            f"Whoosh's {used.id}{inspect.signature(found)} no longer takes "
            f"{used.arguments} arguments and {used.keywords or 'no keywords'}: {used.docket}"
        )


def test_checks_fail_for_a_missing_name(whoosh_objects: dict[str, Any]) -> None:
    with pytest.raises(AssertionError, match=r"no writer\._nothing"):
        _resolve(Used("writer", "_nothing", "nobody"), whoosh_objects)
    with pytest.raises(AssertionError, match="_gone is gone"):
        fingerprint("whoosh.writing:SegmentWriter._gone")


def test_positions_round_trip() -> None:
    """Positions Docket encodes (as the block writer stores them) read back in Whoosh."""
    from whoosh.formats import Positions

    from docket.core.search.analysis import page_term_positions
    from docket.core.search.whoosh.postings import PagePostings

    text = "police " * 300 + "fired at the police"  # a count past one byte, gaps too
    terms = page_term_positions(text)
    decoded = {
        term.decode("utf-8"): Positions().decode_positions(value)
        for term, _, _, value in PagePostings(terms)
    }
    assert decoded == dict(terms.positions())
    assert decoded["polic"][-1] == 303
