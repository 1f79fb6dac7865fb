"""Exact-decoding rate of Docket's text decoder on a labelled set of real files.

    python tests/benchmarks/bench_encodings.py DIR [--old-rev REV] [--chardet]
        [--failures]

    # the data: the test files of the chardet project (426 files, ~50
    # encodings, one folder per label: "windows-1251-russian", "KOI8-R", ...)
    git clone https://github.com/chardet/chardet /tmp/chardet
    python tests/benchmarks/bench_encodings.py /tmp/chardet/tests

DIR holds one folder per label; a label is an encoding name optionally
followed by a language ("iso-8859-7-greek"). A file counts as exact when
`decode_text` gives the same text as decoding the file with its label (a
leading BOM ignored on both sides). Files whose label is no Python codec
(EUC-TW) or that do not decode strictly in their own label (mislabelled
downloads) are skipped and counted apart.

Prints the rate overall and per label for the current decoder and, in the same
run, for the decoder of an older revision (`--old-rev`, default: the last
revision before the current detector; loaded with `git show`), and with
`--chardet` for chardet's `detect` alone (if it is importable). Run by hand,
not in CI.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "desktop"))

from docket.core.errors import ExtractionError  # noqa: E402
from docket.core.ingest.encoding import decode_bytes, decode_text  # noqa: E402

OLD_REV = "e7a3a7b4cb20a86813203ce319c533eeaa4060e9"
_ALIASES = {"maccyrillic": "mac_cyrillic", "macroman": "mac_roman", "ibm855": "cp855",
            "ibm866": "cp866", "tis-620": "tis_620", "ascii": "ascii"}  # fmt: skip

Decoder = Callable[[bytes], str]


def label_codec(label: str) -> str | None:
    """The Python codec of a folder label, or None."""
    parts = label.lower().split("-")
    for cut in range(len(parts), 0, -1):
        name = "-".join(parts[:cut])
        name = _ALIASES.get(name, name)
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def expected_text(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec).removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def load_old(rev: str) -> Decoder:
    source = subprocess.run(
        ["git", "show", f"{rev}:desktop/docket/core/ingest/encoding.py"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    path = Path(tempfile.mkdtemp()) / "old_encoding.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_encoding", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def decode(data: bytes) -> str:
        return str(module.decode_text(data)[0])

    return decode


def new_decoder(data: bytes) -> str:
    return decode_text(data)[0]


def _flagged(data: bytes) -> bool:
    try:
        decoded = decode_bytes(data)
    except ExtractionError:
        return True  # refused: the user is told
    return decoded.guessed or decoded.replaced


def chardet_decoder() -> Decoder | None:
    try:
        import chardet  # type: ignore[import-not-found]
    except ImportError:
        return None

    def decode(data: bytes) -> str:
        guess = chardet.detect(data)["encoding"] or "utf-8"
        return str(data.decode(guess, errors="replace"))

    return decode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--old-rev", default=OLD_REV)
    parser.add_argument("--chardet", action="store_true")
    parser.add_argument("--failures", action="store_true", help="list the new decoder's misses")
    args = parser.parse_args()

    decoders: dict[str, Decoder] = {"new": new_decoder, "old": load_old(args.old_rev)}
    if args.chardet:
        found = chardet_decoder()
        if found:
            decoders["chardet"] = found
        else:
            print("chardet is not importable; skipped")
    exact: dict[str, dict[str, int]] = {name: defaultdict(int) for name in decoders}
    seconds: dict[str, float] = defaultdict(float)
    totals: dict[str, int] = defaultdict(int)
    skipped: list[str] = []
    misses: list[str] = []
    flagged = {"exact": 0, "missed": 0}  # the new decoder's "encoding guessed" flag
    for folder in sorted(path for path in args.folder.iterdir() if path.is_dir()):
        codec = label_codec(folder.name)
        for file in sorted(path for path in folder.rglob("*") if path.is_file()):
            data = file.read_bytes()
            expected = expected_text(data, codec) if codec else None
            if expected is None:
                skipped.append(f"{folder.name}/{file.name}")
                continue
            totals[folder.name] += 1
            for name, decode in decoders.items():
                start = time.perf_counter()
                try:
                    got = decode(data).removeprefix("\ufeff")
                except (ExtractionError, UnicodeDecodeError, LookupError):
                    got = None
                seconds[name] += time.perf_counter() - start
                if got == expected:
                    exact[name][folder.name] += 1
                elif name == "new":
                    misses.append(f"{folder.name}/{file.name}")
            if _flagged(data):
                flagged["missed" if misses[-1:] == [f"{folder.name}/{file.name}"] else "exact"] += 1
    total = sum(totals.values())
    names = list(decoders)
    print(f"{'label':32} {'files':>5} " + " ".join(f"{name:>8}" for name in names))
    for label in sorted(totals):
        row = " ".join(f"{exact[name][label]:>8}" for name in names)
        print(f"{label:32} {totals[label]:>5} {row}")
    print()
    for name in names:
        right = sum(exact[name].values())
        print(
            f"{name:8} exact {right}/{total} = {100 * right / max(1, total):.1f} %"
            f"  ({seconds[name]:.1f} s)"
        )
    right = sum(exact["new"].values())
    print(
        f"new decoder's 'encoding guessed' flag: on {flagged['missed']} of its "
        f"{total - right} misses, on {flagged['exact']} of its {right} exact decodings"
    )
    print(f"skipped (label not a Python codec, or the file not valid in it): {len(skipped)}")
    for item in skipped:
        print(f"  skipped {item}")
    if args.failures:
        for item in misses:
            print(f"  missed {item}")


if __name__ == "__main__":
    main()
