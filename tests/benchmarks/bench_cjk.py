"""CJK search on real documents: pages found for a word, against pages that contain it.

    python tests/benchmarks/bench_cjk.py --folder /tmp/docket-real-pdfs/pdf \\
        --folder ../shared/corpus/pdf/scripts [--folder DIR ...] \\
        [--word 问题 --word 文档 ...] [--work /tmp/docket-bench-cjk]

Each file of the folders (PDFs and text files, read by the import's own
`extract_file`) is read once, its page texts cached in the work folder. For
each word it prints:

- ``contain``: pages whose text holds the word (folded, as find-in-document
  compares);
- ``before``: pages the analyzer before version 4 found: a run of CJK
  characters was one term, so only a run that is exactly the word matched
  (simulated here with that rule, by the same folding);
- ``after``: pages the Whoosh engine finds now (a real index of all the
  pages, the query parsed as the search box parses it);
- ``hits on the word``: of the hits on those pages, how many slice the page
  text to exactly the word (folded), and pages found that do not contain it.

``--sample N`` adds N words of 2-4 characters cut at random from the pages'
CJK runs, and a last row totals every word.

Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "desktop"))

from docket.core.errors import DocketError  # noqa: E402
from docket.core.ingest.jobs import extract_file  # noqa: E402
from docket.core.model.records import DocumentKind, IndexedPage  # noqa: E402
from docket.core.search.analysis import index_term  # noqa: E402
from docket.core.search.parser import parse  # noqa: E402
from docket.core.search.whoosh.index import SearchIndex  # noqa: E402
from docket.core.text.folding import fold  # noqa: E402

WORDS = ("问题", "文档", "自動採点", "日本語", "문서")
SUFFIXES = {".pdf", ".txt", ".md", ".text"}
# The analyzer's rule for a word before version 4: a CJK run was one word.
_OLD_TOKEN_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?![^\W_])|[^\W_]+")

_CJK_RUN_RE = re.compile("[\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]{2,}")

Key = tuple[int, int]


def read_pages(folders: list[Path], work: Path) -> list[tuple[str, list[str]]]:
    """(file name, page texts) of every readable file, cached in `work`."""
    cache = work / "pages.json"
    wanted = sorted(str(p) for f in folders for p in f.rglob("*") if p.suffix.lower() in SUFFIXES)
    if cache.exists():
        cached = json.loads(cache.read_text("utf-8"))
        if cached["files"] == wanted:
            return [(name, pages) for name, pages in cached["documents"]]
    documents: list[tuple[str, list[str]]] = []
    started = time.perf_counter()
    for number, name in enumerate(wanted, 1):
        try:
            extracted = extract_file(Path(name))
        except DocketError as error:
            print(f"  skipped {name}: {error}", file=sys.stderr)
            continue
        documents.append((name, [page.text for page in extracted.pages]))
        if number % 100 == 0:
            print(f"  read {number}/{len(wanted)} files", file=sys.stderr)
    print(f"read {len(wanted)} files in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    work.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({"files": wanted, "documents": documents}), "utf-8")
    return documents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--folder", type=Path, action="append", required=True)
    parser.add_argument("--word", action="append", help=f"default: {' '.join(WORDS)}")
    parser.add_argument("--work", type=Path, default=Path("/tmp/docket-bench-cjk"))
    parser.add_argument(
        "--sample", type=int, default=0, help="also N random CJK words of 2-4 characters"
    )
    parser.add_argument("--verbose", action="store_true", help="show the words that differ")
    args = parser.parse_args()
    documents = read_pages(args.folder, args.work)
    texts = {(doc, n): text for doc, (_, pages) in enumerate(documents, 1)
             for n, text in enumerate(pages, 1)}  # fmt: skip
    print(f"{len(documents)} documents, {len(texts)} pages")
    with tempfile.TemporaryDirectory() as folder:
        index = SearchIndex.open(Path(folder) / "index")
        started = time.perf_counter()
        index.add_pages(
            IndexedPage(doc, n, str(n), text, documents[doc - 1][0], "", DocumentKind.PDF,
                        Path(documents[doc - 1][0]).name, None)
            for (doc, n), text in texts.items()
        )  # fmt: skip
        print(f"indexed in {time.perf_counter() - started:.1f} s")
        folded = {key: fold(text) for key, text in texts.items()}
        print("| word | contain | before | after | hits on the word | found without it |")
        print("|---|---|---|---|---|---|")
        chosen = list(args.word or WORDS)
        words = list(chosen)
        if args.sample:
            runs = [r for text in texts.values() for r in _CJK_RUN_RE.findall(text)]
            rng = random.Random(13)
            for _ in range(args.sample):
                run = rng.choice(runs)
                size = rng.randint(2, min(4, len(run)))
                at = rng.randrange(len(run) - size + 1)
                words.append(run[at : at + size])
        totals = [0, 0, 0, 0, 0, 0]
        for number, word in enumerate(words):
            target = fold(word)
            contain = {key for key, text in folded.items() if target in text}
            term = index_term(word)
            before = {  # only pages that contain it are counted
                key
                for key in contain
                if any(index_term(w) == term for w in _OLD_TOKEN_RE.findall(texts[key]))
            }
            results = index.search(parse(word), lambda keys: {k: texts[k] for k in keys}, 10**6)
            after = {(hit.doc, hit.page) for hit in results.results}
            spans = [(texts[h.doc, h.page], s, e) for h in results.results for s, e in h.hits]
            exact = sum(fold(text[s:e]) == target for text, s, e in spans)
            row = [len(contain), len(before & contain), len(after & contain), exact, len(spans)]
            row.append(len(after - contain))
            if args.verbose and (row[0] != row[2] or row[3] != row[4] or row[5]):
                odd = [(texts[h.doc, h.page][s:e], s) for h in results.results for s, e in h.hits]
                print(f"  {word!r}: {[o for o in odd if fold(o[0]) != target][:5]}")
            totals = [t + r for t, r in zip(totals, row, strict=True)]
            if number < len(chosen):
                print(
                    f"| {word} | {row[0]} | {row[1]} | {row[2]} | {row[3]} of {row[4]} | {row[5]} |"
                )
        print(
            f"| all {len(words)} words | {totals[0]} | {totals[1]} | {totals[2]} "
            f"| {totals[3]} of {totals[4]} | {totals[5]} |"
        )
        index.close()


if __name__ == "__main__":
    main()
