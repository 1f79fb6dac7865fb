"""Tesseract, the system's: found, asked what it can read, and run on one page image.

Docket ships no OCR engine of its own: it drives the `tesseract` binary that
the system's packages install (Debian/Ubuntu: `tesseract-ocr` and one
`tesseract-ocr-LANG` per language). `DOCKET_TESSERACT` names another binary.
Nothing here touches the network; Tesseract reads its models from disk.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docket.core.errors import DocketError
from docket.core.ocr.layerfit import fit_words_to_boxes

BINARY_VARIABLE = "DOCKET_TESSERACT"
MISSING = "OCR needs Tesseract 5: install tesseract-ocr (Debian/Ubuntu)"

# Seconds one page may take. A dense 300-dpi page takes 1-3 s on one core,
# a very large or noisy one up to ~20 s; past this it is stuck on garbage.
PAGE_TIMEOUT = 180.0
_QUERY_TIMEOUT = 30.0  # --version, --list-langs

# Layout analysis: 3 is Tesseract's default (full automatic page segmentation),
# 0 is orientation and script detection only.
PSM_AUTO = 3
PSM_ORIENTATION = 0

# One thread per Tesseract: Docket runs one process per core, and OpenMP's
# threads inside each would only fight them (and are slower in total).
_ENVIRONMENT = {"OMP_THREAD_LIMIT": "1"}

# Debian's package suffix differs from Tesseract's code for a few languages.
_PACKAGE_SUFFIX = {"chi_sim": "chi-sim", "chi_tra": "chi-tra", "aze_cyrl": "aze-cyrl"}


class OcrUnavailable(DocketError):
    """OCR cannot run: Tesseract or a language it was asked for is not installed."""


class OcrFailed(DocketError):
    """Tesseract ran but could not read the page; the message says why."""


@dataclass(frozen=True)
class PixelWord:
    """A word of Tesseract's TSV: pixels of the image it read, origin top-left."""

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float  # 0-100
    line: tuple[int, int, int] = (0, 0, 0)  # block, paragraph, line: words of one line share it


@dataclass(frozen=True)
class TesseractOutput:
    """What one run wrote: the words (TSV) and the invisible text layer (a one-page PDF)."""

    tsv: str
    layer: bytes


def binary() -> str:
    """The Tesseract executable to run; raises OcrUnavailable when there is none."""
    chosen = os.environ.get(BINARY_VARIABLE, "").strip()
    if chosen:
        found = shutil.which(chosen)
        if found is None:
            raise OcrUnavailable(f"{MISSING} ({BINARY_VARIABLE}={chosen} is not a program)")
        return found
    found = shutil.which("tesseract")
    if found is None:
        raise OcrUnavailable(MISSING)
    return found


def engine_version() -> str:
    """ "tesseract 5.3.0": the engine as the case records it beside what it read."""
    return _version(binary())


def available_languages() -> frozenset[str]:
    """The language codes Tesseract has models for ("eng", "rus", "osd", ...)."""
    return _languages(binary())


def check_languages(languages: str) -> None:
    """Raises OcrUnavailable, naming the package to install, for a language not installed."""
    wanted = [code for code in languages.split("+") if code.strip()]
    if not wanted:
        raise OcrUnavailable("no OCR language given (e.g. eng or eng+rus)")
    installed = available_languages()
    for code in wanted:
        if code not in installed:
            suffix = _PACKAGE_SUFFIX.get(code, code.lower())
            raise OcrUnavailable(
                f"OCR language '{code}' is not installed: install tesseract-ocr-{suffix}"
            )


def run_tesseract(
    image_path: Path,
    out_base: Path,
    languages: str,
    dpi: float,
    psm: int = PSM_AUTO,
    timeout: float = PAGE_TIMEOUT,
) -> TesseractOutput:
    """Reads `image_path`: its words as TSV and its text-only PDF layer (`out_base`.tsv/.pdf).

    The layer is Tesseract's `textonly_pdf`: a page the size of the image at
    `dpi`, holding only invisible text where the words are. Raises OcrFailed
    with Tesseract's own complaint when it fails or runs past `timeout`.
    """
    command = [
        binary(),
        str(image_path),
        str(out_base),
        "-l",
        languages,
        "--dpi",
        str(round(dpi)),
        "--psm",
        str(psm),
        "-c",
        "textonly_pdf=1",
        "pdf",
        "tsv",
    ]
    _run(command, timeout)
    tsv_path, pdf_path = out_base.with_suffix(".tsv"), out_base.with_suffix(".pdf")
    try:
        return TesseractOutput(
            tsv=tsv_path.read_text(encoding="utf-8", errors="replace"),
            layer=fit_words_to_boxes(pdf_path.read_bytes()),
        )
    except OSError as error:
        raise OcrFailed(f"Tesseract wrote no result ({error.strerror or error})") from error


def parse_words(tsv: str) -> list[PixelWord]:
    """The words of Tesseract's TSV in its reading order (level-5 rows with text)."""
    words = []
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5":
            continue
        text = fields[11].strip()
        try:
            left, top, width, height = (int(value) for value in fields[6:10])
            confidence = float(fields[10])
            line = (int(fields[2]), int(fields[3]), int(fields[4]))
        except ValueError:
            continue
        if text and confidence >= 0:
            words.append(PixelWord(text, left, top, width, height, confidence, line))
    return words


def detect_orientation(image_path: Path, dpi: float, timeout: float = PAGE_TIMEOUT) -> str:
    """Tesseract's orientation and script report (`--psm 0`) for the image, as text.

    An empty string when it could not tell (too few letters on the page).
    """
    command = [binary(), str(image_path), "-", "--dpi", str(round(dpi)), "--psm", "0"]
    command += ["-l", "osd"]
    try:
        return _run(command, timeout)
    except OcrFailed:
        return ""


def _run(command: list[str], timeout: float) -> str:
    environment = {**os.environ, **_ENVIRONMENT}
    try:
        completed = subprocess.run(
            command,
            capture_output=True,
            timeout=timeout,
            env=environment,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise OcrFailed(f"Tesseract gave up: the page took over {timeout:.0f} s") from error
    except OSError as error:
        raise OcrUnavailable(f"{MISSING} ({error.strerror or error})") from error
    if completed.returncode != 0:
        raise OcrFailed(f"Tesseract failed: {_complaint(completed.stderr)}")
    return completed.stdout.decode("utf-8", errors="replace")


def _complaint(stderr: bytes) -> str:
    """The lines of Tesseract's stderr that say what went wrong (not its chatter)."""
    lines = [line.strip() for line in stderr.decode("utf-8", errors="replace").splitlines()]
    chatter = ("Estimating resolution", "Detected ", "Warning: Invalid resolution")
    meaningful = [line for line in lines if line and not line.startswith(chatter)]
    return "; ".join(meaningful[-3:]) or "no reason given"


@functools.cache
def _version(executable: str) -> str:
    output = _run([executable, "--version"], _QUERY_TIMEOUT)
    first = output.strip().splitlines()[0] if output.strip() else ""
    if not first.startswith("tesseract "):
        raise OcrUnavailable(f"{MISSING} ({executable} did not say it is Tesseract)")
    return first.strip()


@functools.cache
def _languages(executable: str) -> frozenset[str]:
    output = _run([executable, "--list-langs"], _QUERY_TIMEOUT)
    # The first line is "List of available languages in "/usr/share/...":
    return frozenset(line.strip() for line in output.splitlines()[1:] if line.strip())
