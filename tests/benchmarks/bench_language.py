"""Language detectors side by side on real pages: accuracy and speed per page.

    python tests/benchmarks/bench_language.py --folder /tmp/docket-real-pdfs/pdf
        [--pages 400] [--lingua /tmp/lingua-t]

    # the folder: 752 real PDFs (CTAN manuals, mostly English, some German, French,
    # Portuguese...): bash ../shared/bench/real-pdf-corpus.sh
    # lingua (the reference, ~100 MB, not a dependency) in a folder of its own:
    pip install --target /tmp/lingua-t lingua-language-detector

Pages are read by Docket's own extractor (QtPdf): every page of the PDFs whose
file name says a language other than English, then pages of the other PDFs
(evenly spread, seeded) up to --pages, each with at least 300 letters. The
reference label of a page is lingua's (the most accurate of the three in its
authors' published benchmark) when it is sure (confidence >= 0.9) and one of
the other two agrees; other pages (code, symbol tables) are left out. A
second, independent check: for PDFs whose name carries a language (-de, -fr,
-pt, -french...; the "-it" ones are italic-font tests, not Italian), the
document-level guess
Docket makes (`docket.core.text.languages.detect_language`) against that name.

Per detector: agreement with the reference, per-page time (median and total),
and its size on disk. Run by hand, not in CI.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

NAMED = {
    "-de": "de",
    "-DE": "de",
    "-fr": "fr",
    "-french": "fr",
    "-pt": "pt",
    "-ru": "ru",
    "-es": "es",
}


def named_language(name: str) -> str:
    stem = Path(name).stem
    for suffix, lang in NAMED.items():
        if stem.endswith(suffix):
            return lang
    return ""


def read_pages(folder: Path, want: int, seed: int = 13) -> list[tuple[str, int, str]]:
    from docket.core.pdf.extract import extract_pdf

    files = sorted(folder.glob("*.pdf"))
    named = [f for f in files if named_language(f.name) and named_language(f.name) != "en"]
    others = [f for f in files if f not in named]
    random.Random(seed).shuffle(others)
    pages: list[tuple[str, int, str]] = []
    for number, path in enumerate(named + others):
        if len(pages) >= want and number >= len(named):
            break
        try:
            document = extract_pdf(path)
        except Exception:
            continue
        texts = [(n, p.text) for n, p in enumerate(document.pages, 1)]
        share = 12 if path in named else 4  # a few pages of each, spread over it
        texts = texts[:: max(1, len(texts) // share)][:share]
        for n, text in texts:
            if sum(c.isalpha() for c in text) >= 300:
                pages.append((path.name, n, text))
    return pages


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, default=Path("/tmp/docket-real-pdfs/pdf"))
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--lingua", default="/tmp/lingua-t")
    args = parser.parse_args()
    sys.path.append(args.lingua)

    t = time.perf_counter()
    pages = read_pages(args.folder, args.pages)
    print(
        f"{len(pages)} pages from {len({p[0] for p in pages})} PDFs, read in "
        f"{time.perf_counter() - t:.0f} s"
    )

    import langdetect
    import py3langid
    from lingua import LanguageDetectorBuilder

    langdetect.DetectorFactory.seed = 0
    lingua = LanguageDetectorBuilder.from_all_languages().build()

    def by_lingua(text: str) -> str:
        found = lingua.compute_language_confidence_values(text)
        best = found[0]
        return best.language.iso_code_639_1.name.lower() if best.value >= 0.9 else ""

    def by_langdetect(text: str) -> str:
        try:
            return str(langdetect.detect(text))
        except Exception:
            return ""

    def by_py3langid(text: str) -> str:
        return str(py3langid.classify(text)[0])

    from docket.core.text.languages import detect_language

    detectors = {
        "lingua 2.1": by_lingua,
        "langdetect 1.0.9": by_langdetect,
        "py3langid 0.4.0": by_py3langid,
        "docket (py3langid, folded)": detect_language,
    }
    answers: dict[str, list[str]] = {}
    times: dict[str, list[float]] = {}
    for name, detect in detectors.items():
        detect(pages[0][2])  # load the model outside the timing
        answers[name], times[name] = [], []
        for _, _, text in pages:
            t = time.perf_counter()
            answers[name].append(detect(text))
            times[name].append(time.perf_counter() - t)
    # lingua, when sure and another detector agrees: on pages of LaTeX code alone
    # lingua is sure of Tswana or Latin, which no reader would say
    reference = [
        r if r and r in (answers["langdetect 1.0.9"][i], answers["py3langid 0.4.0"][i]) else ""
        for i, r in enumerate(answers["lingua 2.1"])
    ]
    kept = [i for i, r in enumerate(reference) if r]
    print(
        f"reference (lingua sure, another agrees): {len(kept)} pages; languages "
        f"{Counter(reference[i] for i in kept).most_common()}"
    )
    print(
        "| detector | agrees with reference | non-English pages right | ms/page median | s total |"
    )
    print("|---|---|---|---|---|")
    foreign = [i for i in kept if reference[i] != "en"]
    for name in detectors:
        agree = sum(answers[name][i] == reference[i] for i in kept)
        right = sum(answers[name][i] == reference[i] for i in foreign)
        print(
            f"| {name} | {agree}/{len(kept)} ({100 * agree / len(kept):.1f} %) | "
            f"{right}/{len(foreign)} | {1000 * statistics.median(times[name]):.2f} | "
            f"{sum(times[name]):.1f} |"
        )
    wrong = Counter(
        (reference[i], answers["docket (py3langid, folded)"][i])
        for i in kept
        if answers["docket (py3langid, folded)"][i] != reference[i]
    )
    print("docket's misses (reference, guess):", wrong.most_common(12))

    # Document level, against the language the file name says.
    from docket.core.pdf.extract import extract_pdf
    from docket.core.text.languages import document_language

    print("\n| file | named | docket's document language |")
    print("|---|---|---|")
    hits = total = 0
    for path in sorted(args.folder.glob("*.pdf")):
        lang = named_language(path.name)
        if not lang:
            continue
        try:
            document = extract_pdf(path)
        except Exception:
            continue
        guess = document_language(p.text for p in document.pages)
        total += 1
        hits += guess == lang
        print(f"| {path.name} | {lang} | {guess} |")
    print(f"document level: {hits}/{total} as named")


if __name__ == "__main__":
    main()
